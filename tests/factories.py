"""Kept for tests written before the factories moved to their apps: import from
`tests.<app>.factories` in new tests."""

from tests.comptes.factories import PASSWORD, UtilisateurFactory, member
from tests.entreprises.factories import EntrepriseFactory, _siren

__all__ = ["PASSWORD", "EntrepriseFactory", "UtilisateurFactory", "_siren", "member"]
