"""The ranked suggestion of experts for a file (pure Python, no Django).

An accredited expert is scored on what the company needs:

    score = 40 × (share of the wanted use-case families the expert masters)
          + 25 × (expert covers the company's sector: its NAF chain meets the expert's codes)
          + 20 × (expert works in the company's region)
          + 15 × (remaining capacity this quarter ÷ capacity), capped at 1

An expert with the company's SIREN (the expert's own company) or a declared conflict of
interest with it is never suggested; neither is one whose remaining capacity this quarter is
below the days of a diagnostic. Ties: higher score, then more remaining days, then name."""

from collections.abc import Iterable
from dataclasses import dataclass

POIDS_COMPETENCES = 40
POIDS_SECTEUR = 25
POIDS_REGION = 20
POIDS_CAPACITE = 15


@dataclass(frozen=True)
class Candidat:
    id: int
    nom: str
    familles: frozenset[str]
    naf: frozenset[str]  # codes at any level; empty: every sector
    regions: frozenset[str]  # region codes; empty: everywhere
    capacite_jours: int  # per quarter
    jours_engages: int  # this quarter, on open files
    siren: str = ""
    conflits: frozenset[str] = frozenset()  # SIREN of companies declared in conflict


@dataclass(frozen=True)
class Besoin:
    siren: str
    naf_chain: tuple[str, ...]
    region: str | None
    familles: tuple[str, ...]  # the families of the diagnostic's best use cases
    jours: int


@dataclass(frozen=True)
class Suggestion:
    candidat: Candidat
    score: int
    jours_restants: int
    raisons: tuple[str, ...]


def en_conflit(candidat: Candidat, siren: str) -> bool:
    return bool(siren) and (candidat.siren == siren or siren in candidat.conflits)


def suggerer(candidats: Iterable[Candidat], besoin: Besoin) -> list[Suggestion]:
    ranked = []
    for c in candidats:
        if en_conflit(c, besoin.siren):
            continue
        restants = c.capacite_jours - c.jours_engages
        if restants < besoin.jours:
            continue
        raisons = []
        wanted = set(besoin.familles)
        share = len(wanted & c.familles) / len(wanted) if wanted else 0
        if share:
            raisons.append(
                f"{len(wanted & c.familles)} famille(s) de cas d'usage sur {len(wanted)}"
            )
        secteur = not c.naf or bool(c.naf & set(besoin.naf_chain))
        if secteur:
            raisons.append("secteur couvert" if c.naf else "tous secteurs")
        region = not c.regions or (besoin.region in c.regions)
        if region:
            raisons.append("intervient dans la région" if c.regions else "toutes régions")
        capacite = min(1.0, restants / c.capacite_jours) if c.capacite_jours else 0
        raisons.append(f"{restants} jours disponibles ce trimestre")
        score = round(
            POIDS_COMPETENCES * share
            + POIDS_SECTEUR * secteur
            + POIDS_REGION * region
            + POIDS_CAPACITE * capacite
        )
        ranked.append(Suggestion(c, score, restants, tuple(raisons)))
    ranked.sort(key=lambda s: (-s.score, -s.jours_restants, s.candidat.nom, s.candidat.id))
    return ranked
