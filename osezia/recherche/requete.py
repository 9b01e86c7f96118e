"""One way to read a search, for every module's list page and API endpoint (no ORM here).

A module declares what its search accepts in a `SearchSpec`: its facets (a URL parameter, the
index field it filters, the accepted codes and their labels; a facet may be repeated, its values
are alternatives), its other options (a sector, a yes/no flag), its sorts (with the labels a
page shows) and its page size.
`parse(params, spec)` reads a QueryDict (pages) or a mapping (API schemas, tests) into a
`SearchRequest`, or raises ValidationError with one French message per parameter in cause.
`SearchPage` is the one answer shape: the count, the hits of the page, the facet counts by
parameter, and the pagination (a Django page for templates, `answer()` for the API).

The words of a query are understood with the reviewed lexicon of `osezia.langue`: the families
they point to get a boost (`family_hints`); synonyms, notions and generic words are read by the
index (`osezia.recherche.index.query_vocabulary`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError

from osezia.langue.texte import Lexicon, french_words, lexicon_data
from osezia.socle.pagination import MAX_PAGE_SIZE, PAGE_SIZE_LIMIT, page_answer, page_of
from osezia.socle.regles import MAX_PAGE, MESSAGE, forbidden_characters

MAX_QUERY = 200  # characters of free text
MAX_VALUES = 50  # values of one facet in one request
SHOWN_CODES = 25  # accepted codes listed in an error message


@dataclass(frozen=True)
class Facet:
    """A filter on exact codes: `name` in URLs and the API, `field` in the index, `choices`
    the accepted codes → labels (or a function giving them, read at each request)."""

    name: str
    field: str
    choices: Mapping[str, str] | Callable[[], Mapping[str, str]]
    title: str = ""
    upper: bool = False  # codes are read in upper case (`public=salarie` is SALARIE)

    def allowed(self) -> Mapping[str, str]:
        return self.choices() if callable(self.choices) else self.choices


@dataclass(frozen=True)
class Option:
    """Another parameter: `clean(raw)` gives its value from the raw text (or None, or a bool
    from an API schema), or raises ValueError with a French message."""

    name: str
    clean: Callable[[Any], Any]


@dataclass(frozen=True)
class SearchSpec:
    doc_type: str
    facets: tuple[Facet, ...] = ()
    options: tuple[Option, ...] = ()
    # The accepted sorts (the `tri` parameter) → their French label, in the order a page offers them.
    sorts: Mapping[str, str] = field(default_factory=lambda: {"pertinence": "Pertinence"})
    page_size: int = 20
    counts: Mapping[str, str] = field(default_factory=dict)  # other counts: name → index field
    # The index filters an option gives: request → {"terms": {...}, "secteur_chain": (...), …}
    filters: Callable[["SearchRequest"], dict] | None = None

    def facet(self, name: str) -> Facet:
        return next(f for f in self.facets if f.name == name)

    def count_fields(self) -> dict[str, str]:
        """Parameter → index field of every facet count a search answers."""
        return {**{f.name: f.field for f in self.facets}, **self.counts}

    def only(self, *names: str, doc_type: str | None = None) -> "SearchSpec":
        """The same search restricted to some facets (and another document type)."""
        return SearchSpec(
            doc_type=doc_type or self.doc_type,
            facets=tuple(f for f in self.facets if f.name in names),
            options=tuple(o for o in self.options if o.name in names),
            sorts=self.sorts,
            page_size=self.page_size,
            filters=self.filters,
        )


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet → codes (OR)
    options: Mapping[str, Any] = field(default_factory=dict)
    sort: str = "pertinence"
    page: int = 1
    page_size: int = 20

    def selected(self, name: str) -> tuple[str, ...]:
        return self.values.get(name, ())

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the search (text, a facet or an option)."""
        return bool(self.q or any(self.values.values()) or any(v for v in self.options.values()))


def _raw_list(params, name: str) -> list:
    if hasattr(params, "getlist"):
        return params.getlist(name)
    raw = params.get(name)
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list | tuple | set | frozenset) else [raw]


def _raw_one(params, name: str):
    values = _raw_list(params, name)
    return values[-1] if values else None


def _integer(raw, low: int, high: int, default: int | None) -> int | None:
    """An integer within bounds, the default when absent; ValueError otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    if isinstance(raw, bool):
        raise ValueError
    number = int(str(raw).strip()) if not isinstance(raw, int) else raw
    if not low <= number <= high:
        raise ValueError
    return number


def _has_control(raw) -> bool:
    return isinstance(raw, str) and forbidden_characters(raw)


def parse(params: Mapping, spec: SearchSpec) -> SearchRequest:
    """Read and check a search; raise ValidationError({parameter: French message})."""
    errors: dict[str, str] = {}
    raw_q = _raw_one(params, "q")
    q = "" if raw_q is None else str(raw_q)
    if _has_control(q):
        errors["q"] = MESSAGE
    q = q.strip()
    if len(q) > MAX_QUERY:
        errors["q"] = f"la recherche ne doit pas dépasser {MAX_QUERY} caractères"
    raw_sort = _raw_one(params, "tri")
    sort = str(raw_sort).strip() if raw_sort else "pertinence"
    if sort not in spec.sorts:
        errors["tri"] = f"tri inconnu (valeurs possibles : {', '.join(spec.sorts)})"
    try:
        page = _integer(_raw_one(params, "page"), 1, MAX_PAGE, 1)
    except (TypeError, ValueError):
        errors["page"] = f"la page doit être un nombre entier de 1 à {MAX_PAGE:_}".replace("_", " ")
        page = 1
    try:
        size = _integer(_raw_one(params, "page_size"), 1, PAGE_SIZE_LIMIT, spec.page_size)
    except (TypeError, ValueError):
        errors["page_size"] = (
            f"la taille de page doit être un nombre entier de 1 à {PAGE_SIZE_LIMIT:_} "
            f"(au plus {MAX_PAGE_SIZE} résultats par page)"
        ).replace("_", " ")
        size = spec.page_size
    values: dict[str, tuple[str, ...]] = {}
    for facet in spec.facets:
        raw = _raw_list(params, facet.name)
        if any(_has_control(v) for v in raw):
            errors[facet.name] = MESSAGE
            continue
        codes = [str(v).strip() for v in raw if v is not None and str(v).strip()]
        if facet.upper:
            codes = [c.upper() for c in codes]
        codes = list(dict.fromkeys(codes))
        if len(codes) > MAX_VALUES:
            errors[facet.name] = f"au plus {MAX_VALUES} valeurs"
            continue
        allowed = facet.allowed()
        unknown = [c[:40] for c in codes if c not in allowed]
        if unknown:
            accepted = ", ".join(list(allowed)[:SHOWN_CODES])
            errors[facet.name] = (
                f"valeur inconnue : {', '.join(unknown)} (valeurs possibles : {accepted})"
            )
            continue
        if codes:
            values[facet.name] = tuple(codes)
    options = {}
    for option in spec.options:
        raw = _raw_one(params, option.name)
        if _has_control(raw):
            errors[option.name] = MESSAGE
            continue
        try:
            options[option.name] = option.clean(raw)
        except ValueError as exc:
            errors[option.name] = str(exc)
    if errors:
        raise ValidationError(errors)
    return SearchRequest(
        q=q,
        values=values,
        options=options,
        sort=sort,
        page=page,
        page_size=min(size, MAX_PAGE_SIZE),
    )


def default_request(spec: SearchSpec) -> SearchRequest:
    """What a page shows when its parameters are refused: the first page, unfiltered."""
    return SearchRequest(
        options={o.name: o.clean(None) for o in spec.options}, page_size=spec.page_size
    )


def yes_no(raw) -> bool | None:
    """A yes/no option: `oui`/`non` (pages), `true`/`false` (API), absent: None."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("oui", "true", "1", "on"):
        return True
    if value in ("non", "false", "0", "off"):
        return False
    raise ValueError("valeur attendue : oui ou non")


# Understanding the words of a query -----------------------------------------------------


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(lexicon_data(), french_words())


def family_hints(text: str) -> dict[str, float]:
    """Families the words of the query point to (the reviewed lexicon of needs)."""
    if not text:
        return {}
    analysis = lexicon().analyse(text)
    return {family: analysis.signal(family) for family in analysis.matches}


def expand(text: str) -> str:
    """The query as the index reads it. The index itself turns colloquial words into their
    canonical form (« bot » → chatbot, « compta » → comptabilité) and the lexicon's notions
    into their expressions (« chatgpt » → IA générative…), each as an alternative to the word
    typed, never as one more word a document must hold (`osezia.recherche.index.QueryPlan`)."""
    return text


# The answer -----------------------------------------------------------------------------


@dataclass
class SearchPage:
    """One page of a search: the hits of the index, the total count, the facet counts by
    parameter ({"famille": {"CHATBOT": 3, …}}), and the request it answers."""

    request: SearchRequest
    count: int
    hits: list
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    unavailable: bool = False

    @property
    def page_obj(self):
        """The Django page for `socle/pagination.html`."""
        return page_of(self.count, self.request.page, self.request.page_size)

    def answer(self, items: list, facets: bool = True) -> dict:
        """The API's answer: the platform's page shape, with the facet counts."""
        extra = {"facets": self.facets} if facets else {}
        return page_answer(items, self.count, self.request.page, self.request.page_size, **extra)
