"""The embedded full-text index (Tantivy), with a French analyzer (no Django here).

One index holds every searchable document type (solutions, trainings, tutorials), told apart
by `type`. Text fields go through the same French analyzer at indexing and query time: simple
tokenizer, lower case, French stop words, ASCII folding, French Snowball stemmer; each has an
exact twin (`nom_exact`…: lower case and ASCII folding only, « c++ » and « c# » kept whole).

A query is read word by word (`QueryPlan`): the notions and synonyms of the reviewed lexicon
turn a word or an expression into a group of alternatives (« chatgpt » → IA générative,
assistant conversationnel…; « compta » → comptabilité); the domain's generic words
(« logiciel », « outil », « solution »…) weigh little and are never required; a word unknown
to the index is replaced by the nearest indexed term (one edit from 5 letters, two from 9),
which then weighs what that term weighs; an exact form scores above a form that only shares its
stem, and protected words (« restaurant ») match their own forms only, not their stem
(« restaure »). Documents must match every key word; when none does, one key word less, then
half of them, then any. A query with nothing searchable left (« C », « le ») finds nothing.
Field boosts (name > summary > description > vocabulary), filters, facet counts and
highlighted snippets complete the search.
"""

import math
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy

from osezia.langue.texte import lexicon_data, typo_tolerance
from osezia.socle.texte import fold

INDEX_VERSION = 3  # bumped with the schema: a new version is built in its own folder
ANALYZER = "fr_osezia"
EXACT_ANALYZER = "fr_osezia_exact"
TEXT_FIELDS = {"nom": 4.0, "resume": 2.0, "description": 1.0, "vocabulaire": 0.6}
EXACT = "_exact"  # suffix of the exact twin of a text field
EXACT_BONUS = 0.5  # an exact form adds half its field's boost to the stem's match
GENERIC_WEIGHT = 0.25  # a generic word of the domain weighs a quarter of a key word
ALTERNATIVE_WEIGHT = 0.8  # a notion's other expressions weigh a bit less than the word typed
ENOUGH = 10  # fewer documents holding every key word: fewer key words are required
CORRECTIONS = 3  # indexed terms a misspelt word may stand for (equally close ones)
KEYWORD_FIELDS = (
    "familles",
    "secteurs",
    "secteurs_arbre",
    "sections",
    "tailles",
    "tarif",
    "deploiement",
    "hebergement",
    "risque",
    "publics",
    "modalite",
    "region",
    "financements",
    "niveau",
    "certifiante",
    "duree",
)
FACETS = ("familles", "sections", "tailles", "tarif", "deploiement", "hebergement", "risque")
ALL_SECTORS = "*"
_UNIT = re.compile(r"[a-z0-9]+[+#]*")  # a word of a folded query (« c++ » kept whole)
_SYMBOL = re.compile(r"[+#]")


BUILD_THREADS = max(1, min(4, os.cpu_count() or 1))


def french_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword("french"))
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("french"))
        .build()
    )


def exact_analyzer() -> tantivy.TextAnalyzer:
    """Words as written, folded: what an exact form and a symbol (« c++ ») are matched on."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\w+[+#]*"))
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("type", stored=True, tokenizer_name="raw", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(
            name, stored=name != "vocabulaire", tokenizer_name=ANALYZER, index_option="position"
        )
        builder.add_text_field(
            name + EXACT, stored=False, tokenizer_name=EXACT_ANALYZER, index_option="freq"
        )
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("tri_nom", stored=False, tokenizer_name="raw", fast=True)
    builder.add_integer_field("prix", stored=True, fast=True, indexed=True)
    builder.add_integer_field("date", stored=True, fast=True, indexed=True)
    return builder.build()


@dataclass
class Hit:
    doc_id: str
    type: str
    score: float
    fields: dict
    snippet: str = ""


@dataclass
class Results:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Filters:
    """Exact filters; `secteur` matches documents listed under that NAF code, one of its
    parents (more general) or one of its children, and documents for every sector."""

    type: str | None = None
    secteur_chain: tuple[str, ...] = ()  # the code and its parents, most specific first
    terms: dict[str, list[str]] = field(default_factory=dict)  # field → accepted values (OR)
    prix_max: int | None = None


@dataclass
class QueryPlan:
    """The words of a query as the index reads them: `key` queries (one per key word or
    expression, its alternatives inside) and `generic` ones (generic words of the domain);
    `searched` tells a query with words from an empty one."""

    searched: bool = False
    key: list = field(default_factory=list)
    generic: list = field(default_factory=list)

    def levels(self) -> list[int]:
        """How many key words are required, from the first try to the last: all of them,
        one less, half, then one."""
        count = len(self.key)
        if count <= 1:
            return [count]
        return sorted({count, count - 1, math.ceil(count / 2), 1}, reverse=True)


@dataclass(frozen=True)
class QueryVocabulary:
    """What the reviewed lexicon tells the index about the words of a query."""

    alternatives: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    longest: int
    generic: frozenset[str]
    protected: dict[str, list[str]]


def _units(text: str) -> tuple[str, ...]:
    return tuple(_UNIT.findall(fold(text)))


@lru_cache(maxsize=1)
def query_vocabulary() -> QueryVocabulary:
    """The lexicon's synonyms (« compta » → comptabilité), its notions (every expression of
    a notion stands for all of them: « chatgpt » → IA générative, assistant conversationnel…),
    the generic words of a search and the words protected from stemming."""
    data = lexicon_data()
    alternatives: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for word, canonical in data.get("synonymes", {}).items():
        key, target = _units(word), _units(canonical)
        if key and target:
            alternatives.setdefault(key, []).append(target)
    for notion in data.get("notions", {}).values():
        searched = [u for e in notion["dans_les_documents"] if (u := _units(e))]
        for expression in [*notion["expressions"], *notion["dans_les_documents"]]:
            listed = alternatives.setdefault(_units(expression), [])
            listed += [e for e in searched if e not in listed]
    protected = {
        fold(word): sorted({fold(form) for form in [word, *forms]})
        for word, forms in data.get("formes_protegees", {}).items()
    }
    return QueryVocabulary(
        alternatives={k: tuple(v) for k, v in alternatives.items()},
        longest=max((len(k) for k in alternatives), default=1),
        generic=frozenset(fold(w) for w in data.get("mots_generiques_recherche", [])),
        protected=protected,
    )


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits from a to b, a transposition of two neighbours counting as one (optimal string
    alignment), or limit + 1 as soon as it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


class SearchUnavailable(Exception):
    """The index cannot be read or written right now: its folder is missing (`missing`), its
    writer is held by another process for too long, or tantivy cannot open it."""

    def __init__(self, message: str, missing: bool = False):
        super().__init__(message)
        self.missing = missing


class _RenameConflict(Exception):
    """Another process put an index in place while this one built a new one."""


class SearchIndex:
    """The index folder of this schema version. Readers open it as it is and never create
    it nor take the writer's lock; writers create it when it is missing (a missing index is
    rebuilt whole, aside, then moved into place)."""

    def __init__(self, path: Path, lock_timeout: float = 120.0):
        self.root = Path(path)
        self.path = self.root / f"v{INDEX_VERSION}"
        self.schema = build_schema()
        self.analyzer = french_analyzer()
        self.exact = exact_analyzer()
        self.lock_timeout = lock_timeout
        self._index = None
        self._lock = threading.RLock()
        self._reloaded = 0.0
        self._corrected: dict[tuple[str, int, str], list[str]] = {}
        self._generation: tuple[int, int, int] | None = None  # of the terms `_corrected` follows

    # Opening --------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.path / "meta.json").is_file()

    def _prepare(self, index: tantivy.Index) -> tantivy.Index:
        index.register_tokenizer(ANALYZER, self.analyzer)
        index.register_tokenizer(EXACT_ANALYZER, self.exact)
        return index

    def _open(self) -> tantivy.Index:
        """The index as it is on disk (no creation, no writer lock)."""
        if not self.exists():
            self._index = None
            raise SearchUnavailable(f"index de recherche absent : {self.path}", missing=True)
        if self._index is None:
            try:
                generation = self._commit_generation()
                self._index = self._prepare(tantivy.Index.open(str(self.path)))
                self._follow(generation)
            except ValueError as exc:
                raise SearchUnavailable(f"index de recherche illisible : {exc}") from exc
            self._reloaded = time.monotonic()
        return self._index

    def create(self) -> None:
        """Create an empty index when there is none (tests, first start)."""
        with self._lock:
            if not self.exists():
                self.path.mkdir(parents=True, exist_ok=True)
                tantivy.Index(self.schema, path=str(self.path), reuse=True)
            self._index = None

    # Writing --------------------------------------------------------------------------

    def _writer(self, index: tantivy.Index, threads: int = 1):
        deadline = time.monotonic() + self.lock_timeout
        attempt = 0
        while True:
            try:
                return index.writer(heap_size=64_000_000 * threads, num_threads=threads)
            except ValueError as exc:
                # Another process holds the single writer's lock: wait for it, a while.
                if time.monotonic() >= deadline:
                    raise SearchUnavailable(
                        "l'index de recherche est verrouillé par un autre processus"
                    ) from exc
                attempt += 1
                time.sleep(min(0.1 * attempt, 2.0))

    def _document(self, data: dict) -> tantivy.Document:
        document = tantivy.Document()
        document.add_text("doc_id", data["doc_id"])
        document.add_text("type", data["type"])
        for name in TEXT_FIELDS:
            if data.get(name):
                document.add_text(name, data[name])
                document.add_text(name + EXACT, data[name])
        for name in KEYWORD_FIELDS:
            for value in data.get(name) or []:
                document.add_text(name, value)
        document.add_text("tri_nom", fold(data.get("nom", ""))[:60])
        document.add_integer(
            "prix", int(data.get("prix") if data.get("prix") is not None else 10**9)
        )
        document.add_integer("date", int(data.get("date") or 0))
        return document

    def update(self, compute: Callable[[], tuple[Iterable[dict], Iterable[str], Any]]) -> Any:
        """Hold the writer, then call `compute()` → (documents to add or replace, doc_ids to
        delete, a result) and write them in one commit; return the result. What `compute`
        reads is read under the writer's lock, so two updaters never write in the wrong
        order. Raise SearchUnavailable when the index is missing or stays locked."""
        with self._lock:
            writer = self._writer(self._open())
            try:
                documents, delete_ids, result = compute()
                documents, delete_ids = list(documents), list(delete_ids)
                if not documents and not delete_ids:
                    writer.rollback()  # nothing to write: no empty commit
                    return result
                for doc_id in delete_ids:
                    writer.delete_documents_by_term("doc_id", doc_id)
                for data in documents:
                    writer.delete_documents_by_term("doc_id", data["doc_id"])
                    writer.add_document(self._document(data))
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer
        self.reload(force=True)
        return result

    def upsert(self, documents: Iterable[dict], delete_ids: Iterable[str] = ()) -> int:
        """Add or replace documents (by doc_id) and delete others, in one commit."""
        documents = list(documents)
        return self.update(lambda: (documents, delete_ids, len(documents)))

    def rebuild(
        self,
        compute: Callable[[], tuple[Iterable[dict], Any]],
        doc_types: Iterable[str] | None = None,
    ) -> Any:
        """Replace every document (of these types, or all) by those `compute()` returns
        (with a result passed back), in one commit: readers see the old index until the new
        one is committed. A missing index is built whole in a folder aside and moved into
        place, so readers never see it half-built."""
        with self._lock:
            if not self.exists():
                try:
                    return self._build_aside(compute)
                except _RenameConflict:
                    pass  # built meanwhile by another process: rebuild it in place
            writer = self._writer(self._open())
            try:
                documents, result = compute()
                if doc_types is None:
                    writer.delete_all_documents()
                else:
                    for doc_type in doc_types:
                        writer.delete_documents_by_term("type", doc_type)
                for data in documents:
                    writer.add_document(self._document(data))
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer
        self.reload(force=True)
        return result

    def _build_aside(self, compute):
        self.root.mkdir(parents=True, exist_ok=True)
        for left in self.root.glob(f".v{INDEX_VERSION}-*"):
            # A build killed before its move (the `finally` below never ran).
            if time.time() - left.stat().st_mtime > 3600:
                shutil.rmtree(left, ignore_errors=True)
        aside = Path(tempfile.mkdtemp(prefix=f".v{INDEX_VERSION}-", dir=self.root))
        try:
            index = self._prepare(tantivy.Index(self.schema, path=str(aside)))
            # A whole build: one indexing thread per core (documents are built meanwhile).
            writer = self._writer(index, threads=BUILD_THREADS)
            documents, result = compute()
            for data in documents:
                writer.add_document(self._document(data))
            writer.commit()
            writer.wait_merging_threads()
            del writer, index
            try:
                os.rename(aside, self.path)
            except OSError as exc:
                raise _RenameConflict() from exc
        finally:
            shutil.rmtree(aside, ignore_errors=True)
        self._index = None
        return result

    # Reading --------------------------------------------------------------------------

    def reload(self, force: bool = False) -> None:
        """Pick up commits made by other processes (at most once a second)."""
        index = self._open()
        now = time.monotonic()
        if force or now - self._reloaded > 1.0:
            try:
                generation = self._commit_generation()
                index.reload()
                self._follow(generation)
            except ValueError as exc:
                # « Failed to acquire Lockfile »: the folder went away or cannot be read.
                self._index = None
                raise SearchUnavailable(
                    f"index de recherche inaccessible : {exc}", missing=not self.exists()
                ) from exc
            self._reloaded = now

    def _commit_generation(self) -> tuple[int, int, int] | None:
        """Which commit the folder holds: tantivy replaces `meta.json` at each commit. Read
        before the reader is reloaded, so the reader sees this commit or a later one."""
        try:
            meta = (self.path / "meta.json").stat()
        except OSError:
            return None
        return (meta.st_ino, meta.st_mtime_ns, meta.st_size)

    def _follow(self, generation: tuple[int, int, int] | None) -> None:
        """Corrections of typos follow the terms of the index: forgotten when it changed
        (a commit of this process or another, a rebuild), kept as long as it did not."""
        if generation is None or generation != self._generation:
            self._corrected.clear()
            self._generation = generation

    def searcher(self):
        """A searcher on the last commit picked up (raise SearchUnavailable when the index
        cannot be opened)."""
        self.reload()
        return self._open().searcher()

    def analyze(self, text: str) -> list[str]:
        return self.analyzer.analyze(text)

    def _known(self, searcher, token: str) -> bool:
        """Whether the index already holds this term (then it is not a typo to correct)."""
        return any(searcher.doc_freq(name, token) for name in TEXT_FIELDS)

    def _corrections(self, searcher, token: str, distance: int, suffix: str = "") -> list[str]:
        """The indexed terms a misspelt term stands for: the closest ones (a transposition
        counts as one edit), the most frequent first; stems, or words as written with
        `suffix=EXACT`."""
        key = (token, distance, suffix)
        if key not in self._corrected:
            if len(self._corrected) > 10_000:
                self._corrected.clear()
            self._corrected[key] = self._closest_terms(searcher, token, distance, suffix)
        return self._corrected[key]

    def _closest_terms(self, searcher, token: str, distance: int, suffix: str) -> list[str]:
        found: dict[str, list[int]] = {}
        for name in TEXT_FIELDS:
            for term, count in searcher.terms_with_prefix(name + suffix, token[0]):
                if abs(len(term) - len(token)) > distance:
                    continue
                edits = edit_distance(token, term, distance)
                if edits <= distance:
                    entry = found.setdefault(term, [edits, 0])
                    entry[1] += count
        if not found:
            return []
        closest = min(edits for edits, _ in found.values())
        ranked = sorted(
            (t for t, (e, _) in found.items() if e == closest), key=lambda t: -found[t][1]
        )
        return ranked[:CORRECTIONS]

    def _field_terms(self, tokens: list[str], weight: float = 1.0, exact: bool = False):
        clauses = []
        for token in tokens:
            for name, boost in TEXT_FIELDS.items():
                field = name + EXACT if exact else name
                term = tantivy.Query.term_query(self.schema, field, token)
                clauses.append(
                    (tantivy.Occur.Should, tantivy.Query.boost_query(term, boost * weight))
                )
        return clauses

    def _unit_query(self, unit: str, searcher, correct: bool = True):
        """What one folded word of a query matches, or None when it is a stop word."""
        vocabulary = query_vocabulary()
        if _SYMBOL.search(unit):
            # « c++ », « c# »: the symbol is part of the word; never reduced to « c ».
            tokens = self.exact.analyze(unit)
            clauses = self._field_terms(tokens, 1 + EXACT_BONUS, exact=True)
        elif unit in vocabulary.protected:
            # Its stem is shared with words of another meaning (« restaurant », « restaure »):
            # only its own forms match.
            clauses = self._field_terms(vocabulary.protected[unit], 1 + EXACT_BONUS, exact=True)
        else:
            tokens = self.analyze(unit)
            if not tokens:
                return None
            distance = typo_tolerance(len(unit))
            clauses = []
            exact = [unit]
            for token in tokens:
                if correct and distance and len(token) >= 4 and not self._known(searcher, token):
                    # A typo: the word it stands for, weighing what that word weighs.
                    corrected = self._corrections(searcher, token, distance)
                    if corrected:
                        clauses += self._field_terms(corrected)
                        exact = self._corrections(searcher, unit, distance, EXACT)
                        continue
                clauses += self._field_terms([token])
            clauses += self._field_terms(exact, EXACT_BONUS, exact=True)
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def _expression_query(self, units: tuple[str, ...], searcher, correct: bool = True):
        """Every word of an expression typed (stop words aside), or None when nothing is
        left."""
        parts = [q for u in units if (q := self._unit_query(u, searcher, correct)) is not None]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in parts])

    def _alternative_query(self, units: tuple[str, ...], weight: float):
        """An expression the lexicon gives for the words typed: its words as written (a
        phrase, a stop word or two between them allowed), weighing `weight` in all."""
        tokens = [t for u in units for t in self.analyze(u)]
        if not tokens:
            return None
        if len(tokens) == 1:
            return tantivy.Query.boolean_query(self._field_terms(tokens, weight))
        clauses = []
        for name, boost in TEXT_FIELDS.items():
            phrase = tantivy.Query.phrase_query(self.schema, name, tokens, slop=2)
            # A phrase scores the sum of its words: brought back to the words typed.
            clauses.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(phrase, boost * weight / len(tokens)),
                )
            )
        return tantivy.Query.boolean_query(clauses)

    def plan(self, text: str, searcher) -> "QueryPlan":
        """The words of a query, each (or each expression the lexicon knows) with its
        alternatives, told apart as key words or generic words."""
        vocabulary = query_vocabulary()
        units = _UNIT.findall(fold(text or ""))
        plan = QueryPlan(searched=bool((text or "").strip()))
        seen: set[tuple[str, ...]] = set()
        i = 0
        while i < len(units):
            span, alternatives = (units[i],), ()
            for size in range(min(vocabulary.longest, len(units) - i), 0, -1):
                candidate = tuple(units[i : i + size])
                if candidate in vocabulary.alternatives:
                    span, alternatives = candidate, vocabulary.alternatives[candidate]
                    break
            i += len(span)
            if span in seen:
                continue
            seen.add(span)
            options = []
            own = self._expression_query(span, searcher)
            if own is not None:
                options.append(own)
            typed = max(1, sum(1 for u in span if self.analyze(u)))
            for alternative in alternatives:
                if alternative != span:
                    query = self._alternative_query(alternative, ALTERNATIVE_WEIGHT * typed)
                    if query is not None:
                        options.append(query)
            if not options:
                continue
            query = (
                options[0]
                if len(options) == 1
                else tantivy.Query.disjunction_max_query(options, tie_breaker=0.1)
            )
            generic = not alternatives and len(span) == 1 and span[0] in vocabulary.generic
            (plan.generic if generic else plan.key).append(query)
        if not plan.key:
            plan.key, plan.generic = plan.generic, []
        return plan

    def text_query(
        self,
        plan: "QueryPlan",
        required: int,
        family_hints: dict[str, float] | None = None,
    ):
        """The scoring part of a query: `required` of its key words must match (all of them
        first), generic words and the families the words point to only add to the score;
        None when nothing was searched, a query matching nothing when nothing is left."""
        if not plan.searched:
            return None
        if not plan.key:
            return tantivy.Query.empty_query()
        if len(plan.key) == 1:
            clauses = [(tantivy.Occur.Must, plan.key[0])]
        else:
            keys = [(tantivy.Occur.Should, q) for q in plan.key]
            clauses = [
                (tantivy.Occur.Must, tantivy.Query.boolean_query(keys, required)),
            ]
            if required < len(plan.key):
                # Documents that match every key word still come first.
                every = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in plan.key])
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(every, 1.5)))
        for query in plan.generic:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, GENERIC_WEIGHT)))
        for family, weight in (family_hints or {}).items():
            term = tantivy.Query.term_query(self.schema, "familles", family)
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, 2.5 * weight)))
        return tantivy.Query.boolean_query(clauses)

    def filter_query(self, filters: Filters):
        must = []
        if filters.type:
            must.append(tantivy.Query.term_query(self.schema, "type", filters.type))
        if filters.secteur_chain:
            general = tantivy.Query.term_set_query(
                self.schema, "secteurs", [*filters.secteur_chain, ALL_SECTORS]
            )
            specific = tantivy.Query.term_query(
                self.schema, "secteurs_arbre", filters.secteur_chain[0]
            )
            must.append(
                tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, general), (tantivy.Occur.Should, specific)]
                )
            )
        for name, values in filters.terms.items():
            if values:
                must.append(tantivy.Query.term_set_query(self.schema, name, list(values)))
        if filters.prix_max is not None:
            must.append(
                tantivy.Query.range_query(
                    self.schema, "prix", tantivy.FieldType.Integer, 0, filters.prix_max
                )
            )
        return must

    def search(
        self,
        text: str = "",
        filters: Filters | None = None,
        limit: int = 10,
        offset: int = 0,
        sort: str = "pertinence",
        facets: bool | tuple[str, ...] = False,
        snippets: bool = False,
        family_hints: dict[str, float] | None = None,
    ) -> Results:
        filters = filters or Filters()
        searcher = self.searcher()
        plan = self.plan(text, searcher)
        must = self.filter_query(filters)
        kwargs = {"limit": limit, "offset": offset, "count": True}
        if sort == "nom" or (not plan.searched and sort == "pertinence"):
            kwargs.update(order_by_field="tri_nom", order=tantivy.Order.Asc)
        elif sort == "prix":
            kwargs.update(order_by_field="prix", order=tantivy.Order.Asc)
        elif sort == "recent":
            kwargs.update(order_by_field="date", order=tantivy.Order.Desc)
        elif sort == "date":
            kwargs.update(order_by_field="date", order=tantivy.Order.Asc)
        for required in plan.levels():
            scoring = self.text_query(plan, required, family_hints)
            clauses = [(tantivy.Occur.Must, q) for q in must]
            if scoring is not None:
                clauses.append((tantivy.Occur.Must, scoring))
            if not clauses:
                query = tantivy.Query.all_query()
            elif scoring is None:
                query = tantivy.Query.boolean_query(
                    [*clauses, (tantivy.Occur.Should, tantivy.Query.all_query())]
                )
            else:
                query = tantivy.Query.boolean_query(clauses)
            result = searcher.search(query, **kwargs)
            if result.count >= ENOUGH:
                break  # else fewer key words are required (those matching all still first)
        generator = None
        if snippets and scoring is not None:
            generator = tantivy.SnippetGenerator.create(
                searcher, scoring, self.schema, "description"
            )
            generator.set_max_num_chars(220)
        hits = []
        for key, address in result.hits:
            document = searcher.doc(address)
            data = document.to_dict()
            fields = {
                name: (values if name in KEYWORD_FIELDS else values[0])
                for name, values in data.items()
            }
            snippet = ""
            if generator is not None:
                snippet = generator.snippet_from_doc(document).to_html()
            score = float(key) if isinstance(key, float) else 0.0
            hits.append(Hit(fields["doc_id"], fields["type"], score, fields, snippet))
        names = FACETS if facets is True else tuple(facets or ())
        counts = self.facet_counts(searcher, query, names) if names else {}
        return Results(result.count or 0, hits, counts)

    def facet_counts(self, searcher, query, names=FACETS) -> dict[str, dict[str, int]]:
        aggregations = {name: {"terms": {"field": name, "size": 100}} for name in names}
        answer = searcher.aggregate(query, aggregations)
        return {
            name: {
                bucket["key"]: bucket["doc_count"]
                for bucket in answer.get(name, {}).get("buckets", [])
            }
            for name in names
        }

    def count(self, doc_type: str | None = None) -> int:
        self.reload(force=True)
        searcher = self._open().searcher()
        if doc_type is None:
            return searcher.num_docs
        return searcher.search(
            tantivy.Query.term_query(self.schema, "type", doc_type), limit=1, count=True
        ).count
