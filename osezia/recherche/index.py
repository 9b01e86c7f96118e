"""The embedded full-text index (Tantivy), with a French analyzer (no Django here).

One index holds every searchable document type (solutions now, trainings next), told apart by
`type`. Text fields go through the same French analyzer at indexing and query time: simple
tokenizer, lower case, French stop words, ASCII folding, French Snowball stemmer. Queries add
typo tolerance (one edit from 5 letters, two from 9), field boosts (name > summary >
description > vocabulary), filters and facet counts, and highlighted snippets.
"""

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from osezia.langue.texte import typo_tolerance
from osezia.socle.texte import fold

INDEX_VERSION = 2  # bumped with the schema: a new version is built in its own folder
ANALYZER = "fr_osezia"
TEXT_FIELDS = {"nom": 4.0, "resume": 2.0, "description": 1.0, "vocabulaire": 0.6}
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
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


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


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("type", stored=True, tokenizer_name="raw", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(
            name, stored=name != "vocabulaire", tokenizer_name=ANALYZER, index_option="position"
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
        self.lock_timeout = lock_timeout
        self._index = None
        self._lock = threading.RLock()
        self._reloaded = 0.0

    # Opening --------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.path / "meta.json").is_file()

    def _prepare(self, index: tantivy.Index) -> tantivy.Index:
        index.register_tokenizer(ANALYZER, self.analyzer)
        return index

    def _open(self) -> tantivy.Index:
        """The index as it is on disk (no creation, no writer lock)."""
        if not self.exists():
            self._index = None
            raise SearchUnavailable(f"index de recherche absent : {self.path}", missing=True)
        if self._index is None:
            try:
                self._index = self._prepare(tantivy.Index.open(str(self.path)))
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

    def _writer(self, index: tantivy.Index):
        deadline = time.monotonic() + self.lock_timeout
        attempt = 0
        while True:
            try:
                return index.writer(heap_size=64_000_000, num_threads=1)
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
            writer = self._writer(index)
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
                index.reload()
            except ValueError as exc:
                # « Failed to acquire Lockfile »: the folder went away or cannot be read.
                self._index = None
                raise SearchUnavailable(
                    f"index de recherche inaccessible : {exc}", missing=not self.exists()
                ) from exc
            self._reloaded = now

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

    def _word_clause(self, word: str, tokens: list[str], searcher=None):
        clauses = []
        distance = typo_tolerance(len(word))
        for token in tokens:
            fuzzy_allowed = (
                distance and len(token) >= 4 and not (searcher and self._known(searcher, token))
            )
            for name, boost in TEXT_FIELDS.items():
                exact = tantivy.Query.term_query(self.schema, name, token)
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(exact, boost)))
                if fuzzy_allowed:
                    fuzzy = tantivy.Query.fuzzy_term_query(
                        self.schema, name, token, distance=distance, transposition_cost_one=True
                    )
                    clauses.append(
                        (tantivy.Occur.Should, tantivy.Query.boost_query(fuzzy, boost * 0.35))
                    )
        return tantivy.Query.boolean_query(clauses)

    def text_query(self, text: str, family_hints: dict[str, float] | None = None, searcher=None):
        """The scoring part of a query: every word may match (OR), with typo tolerance for the
        words the index does not know (a known word is taken as written)."""
        clauses = []
        for word in dict.fromkeys(_WORD.findall(text or "")):
            tokens = self.analyze(word)
            if tokens:
                clauses.append(
                    (tantivy.Occur.Should, self._word_clause(fold(word), tokens, searcher))
                )
        if len(clauses) > 1:
            # Documents that match every word of the query come first.
            every = tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for _, c in clauses])
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(every, 1.5)))
        for family, weight in (family_hints or {}).items():
            term = tantivy.Query.term_query(self.schema, "familles", family)
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, 2.5 * weight)))
        return tantivy.Query.boolean_query(clauses) if clauses else None

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
        scoring = self.text_query(text, family_hints, searcher)
        must = self.filter_query(filters)
        clauses = [(tantivy.Occur.Must, q) for q in must]
        if scoring is not None:
            clauses.append((tantivy.Occur.Must, scoring))
        query = tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.all_query()
        if not clauses:
            query = tantivy.Query.all_query()
        elif scoring is None:
            query = tantivy.Query.boolean_query(
                [*clauses, (tantivy.Occur.Should, tantivy.Query.all_query())]
            )
        kwargs = {"limit": limit, "offset": offset, "count": True}
        if sort == "nom" or (scoring is None and sort == "pertinence"):
            kwargs.update(order_by_field="tri_nom", order=tantivy.Order.Asc)
        elif sort == "prix":
            kwargs.update(order_by_field="prix", order=tantivy.Order.Asc)
        elif sort == "recent":
            kwargs.update(order_by_field="date", order=tantivy.Order.Desc)
        elif sort == "date":
            kwargs.update(order_by_field="date", order=tantivy.Order.Asc)
        result = searcher.search(query, **kwargs)
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
