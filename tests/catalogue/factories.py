"""Providers and solutions for tests, made through the catalogue's services."""

from osezia.catalogue import services
from tests.catalogue.conftest import make_line, siren


def provider(user, n: int = 1, nom: str | None = None):
    """A provider registered by `user` (its first member)."""
    return services.register_provider(user, nom or f"Essai Logiciels {n} (fictif)", siren(n))


def published_solution(fournisseur, author, operator, **line):
    """A solution of `fournisseur` submitted by `author` and published by `operator`."""
    solution = services.save_draft(fournisseur, make_line(**line), author, submit_now=True)
    return services.publish(solution.version_en_cours, operator)
