"""The search index of the platform, kept in sync with the modules that feed it.

Each searchable module has an `indexation` module with `TYPE`, `documents()` (every document
to index) and `document_for(key)` (one document, or None when it must leave the index).
Reading never returns what is not in the index; only published content is ever indexed.
"""

import importlib
from functools import lru_cache

from django.conf import settings

from .index import Filters, Results, SearchIndex

SOURCES = {
    "solution": "osezia.catalogue.indexation",
    "formation": "osezia.academie.indexation:FORMATIONS",
    "tutoriel": "osezia.academie.indexation:TUTORIELS",
}


@lru_cache(maxsize=1)
def get_index() -> SearchIndex:
    return SearchIndex(settings.SEARCH_INDEX_DIR)


def reset_index_cache() -> None:
    get_index.cache_clear()


def source(doc_type: str):
    """The module (or `module:object`) that gives the documents of this type."""
    path, _, name = SOURCES[doc_type].partition(":")
    module = importlib.import_module(path)
    return getattr(module, name) if name else module


def sync(doc_type: str, keys: list[str]) -> int:
    """Bring these documents up to date: (re)index the published ones, remove the others."""
    module = source(doc_type)
    documents, removed = [], []
    for key in keys:
        data = module.document_for(key)
        if data is None:
            removed.append(f"{doc_type}:{key}")
        else:
            documents.append(data)
    get_index().upsert(documents, delete_ids=removed)
    return len(documents)


def rebuild(doc_type: str | None = None, progress=None) -> dict[str, int]:
    counts = {}
    for name in [doc_type] if doc_type else list(SOURCES):
        counts[name] = get_index().rebuild(
            source(name).documents(), doc_type=name, progress=progress
        )
    return counts


def search(text: str = "", filters: Filters | None = None, **kwargs) -> Results:
    return get_index().search(text, filters, **kwargs)
