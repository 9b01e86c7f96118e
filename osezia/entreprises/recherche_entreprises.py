"""Optional connector to the public « Recherche d'entreprises » API (annuaire des entreprises).

Off unless an operator sets RECHERCHE_ENTREPRISES_ENABLED. Given a SIRET (or SIREN) it returns
the name, NAF code and address the public register knows. Never called by the tests: they
pass recorded answers through `fetch`.
"""

import json
import logging
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FicheEntreprise:
    siren: str
    siret: str
    denomination: str
    naf: str
    adresse: str
    code_postal: str
    commune: str
    departement: str


def _http_get(url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.load(response)


def _department_of(postal_code: str) -> str:
    if not postal_code or len(postal_code) != 5:
        return ""
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if int(postal_code) < 20200 else "2B"
    return postal_code[:2]


def parse_answer(payload: dict, identifiant: str) -> FicheEntreprise | None:
    """The company in a recorded or live answer, matching the SIRET asked when one was."""
    for result in payload.get("results") or []:
        etablissements = list(result.get("matching_etablissements") or [])
        siege = result.get("siege") or {}
        etablissement = next(
            (e for e in etablissements if e.get("siret") == identifiant),
            siege if len(identifiant) == 9 or siege.get("siret") == identifiant else None,
        )
        if etablissement is None:
            continue
        code_postal = etablissement.get("code_postal") or ""
        return FicheEntreprise(
            siren=result.get("siren", ""),
            siret=etablissement.get("siret", ""),
            denomination=result.get("nom_raison_sociale") or result.get("nom_complet") or "",
            naf=etablissement.get("activite_principale") or result.get("activite_principale") or "",
            adresse=etablissement.get("adresse") or "",
            code_postal=code_postal,
            commune=etablissement.get("libelle_commune") or etablissement.get("commune") or "",
            departement=etablissement.get("departement") or _department_of(code_postal),
        )
    return None


class RegisterUnavailable(Exception):
    """The register did not answer (network, timeout, unreadable answer)."""


def lookup(
    identifiant: str,
    base_url: str,
    timeout: float = 5.0,
    fetch: Callable[[str, float], dict] | None = None,
    strict: bool = False,
) -> FicheEntreprise | None:
    """Ask the register for a SIRET or SIREN; None when unknown, and when unreachable unless
    `strict` (then `RegisterUnavailable`, so that a caller can tell the two apart)."""
    url = f"{base_url}?{urllib.parse.urlencode({'q': identifiant, 'page': 1, 'per_page': 1})}"
    try:
        payload = (fetch or _http_get)(url, timeout)
    except (OSError, ValueError) as exc:
        logger.warning("Recherche d'entreprises injoignable : %s", exc)
        if strict:
            raise RegisterUnavailable(str(exc)) from exc
        return None
    return parse_answer(payload, identifiant)
