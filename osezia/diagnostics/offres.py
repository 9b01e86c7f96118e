"""What a provider offers, for the modules that need it without importing the catalogue.

`diagnostics` is the hub below the modules: the catalogue registers, from its
`AppConfig.ready()`, a function that lists the published offers of a person's provider
organisations (`Offre`: organisation, use-case families, solution names); the business
meetings read it to prefill a provider's registration."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Offre:
    organisation: str
    familles: tuple[str, ...]
    solutions: tuple[str, ...]


_SOURCES: dict[str, Callable[[object], list[Offre]]] = {}


def register(code: str, source: Callable[[object], list[Offre]]) -> None:
    _SOURCES[code] = source


def offres_de(user) -> list[Offre]:
    """Every registered source's offers for `user` (an empty list when none answers)."""
    if not user or not user.is_authenticated:
        return []
    return [offre for source in _SOURCES.values() for offre in source(user)]
