"""Which ambassador a company's request goes to (pure Python, no Django).

The rule of docs/ambassadeurs.md, exactly:

- an ambassador *covers* a company when its regions are empty (all) or include the company's
  region, and its NAF codes are empty (all) or include the company's NAF code or one of its
  parents (class, group, division, section);
- rank of a covering ambassador: 1 when it lists both regions and NAF codes, 2 regions only,
  3 NAF codes only, 4 neither;
- load = open requests / monthly capacity; an ambassador whose open requests reach its
  capacity is full;
- the request goes to the best rank that has an ambassador who is not full; within it, the
  lowest load, then the one whose last assignment is the oldest (never assigned first), then
  `id_externe`. When every covering ambassador is full, the least loaded of the best rank
  takes it and operators are warned.

`route` answers a `Choix` with the reason in French (stored and shown to operators).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

RANK_LABELS = {
    1: "régions et secteurs listés",
    2: "régions listées, tous secteurs",
    3: "secteurs listés, toutes régions",
    4: "toutes régions et tous secteurs",
}


@dataclass(frozen=True)
class Candidat:
    id_externe: str
    regions: frozenset[str] = frozenset()  # empty: every region
    naf: frozenset[str] = frozenset()  # empty: every sector
    capacite: int = 1  # monthly capacity, ≥ 1
    ouvertes: int = 0  # open requests (assignee or prise_en_charge)
    # Order of its last assignment (any increasing number: a sequence, a timestamp); None:
    # never assigned.
    derniere: float | None = None

    @property
    def charge(self) -> Fraction:
        return Fraction(self.ouvertes, max(1, self.capacite))

    @property
    def complet(self) -> bool:
        return self.ouvertes >= self.capacite


@dataclass(frozen=True)
class Cible:
    """The company as routing sees it: its region and its NAF code with every parent."""

    region: str
    naf_chain: tuple[str, ...]  # the code first, then its parents up to the section


@dataclass(frozen=True)
class Choix:
    id_externe: str
    rang: int
    charge: Fraction
    tous_complets: bool  # every covering ambassador was full: operators are warned
    motif: str
    couvrants: int  # how many ambassadors covered the company


def naf_chain(code: str, parent_of: Mapping[str, str | None]) -> tuple[str, ...]:
    """`code` and its parents up to the section, from a code → parent mapping (the `Naf`
    table's parent links); an unknown code is its own chain."""
    chain, seen = [], set()
    node: str | None = code
    while node and node not in seen:
        seen.add(node)
        chain.append(node)
        node = parent_of.get(node)
    return tuple(chain)


def covers(candidat: Candidat, cible: Cible) -> bool:
    region_ok = not candidat.regions or cible.region in candidat.regions
    naf_ok = not candidat.naf or any(code in candidat.naf for code in cible.naf_chain)
    return region_ok and naf_ok


def rank(candidat: Candidat) -> int:
    if candidat.regions and candidat.naf:
        return 1
    if candidat.regions:
        return 2
    if candidat.naf:
        return 3
    return 4


def _order(candidat: Candidat) -> tuple:
    never = candidat.derniere is None
    return (candidat.charge, not never, candidat.derniere or 0, candidat.id_externe)


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


def route(candidats: Iterable[Candidat], cible: Cible, exclus: Iterable[str] = ()) -> Choix | None:
    """The ambassador the request goes to, or None when nobody (left) covers the company;
    `exclus` are ambassadors who already had it (a reassignment goes to the next one)."""
    excluded = set(exclus)
    covering = [c for c in candidats if c.id_externe not in excluded and covers(c, cible)]
    if not covering:
        return None
    by_rank: dict[int, list[Candidat]] = {}
    for candidat in covering:
        by_rank.setdefault(rank(candidat), []).append(candidat)
    for level in sorted(by_rank):
        available = [c for c in by_rank[level] if not c.complet]
        if available:
            chosen = min(available, key=_order)
            motif = (
                f"Rang {level} ({RANK_LABELS[level]}) : le meilleur rang où un ambassadeur "
                f"n'est pas complet ; {len(available)} disponible(s) à ce rang sur "
                f"{len(covering)} ambassadeur(s) qui couvrent la région {cible.region} et le "
                f"code NAF {cible.naf_chain[0] if cible.naf_chain else '—'} ; "
                f"charge la plus faible ({chosen.ouvertes} demande(s) ouverte(s) pour une "
                f"capacité de {chosen.capacite}, soit {_fraction(chosen.charge)})"
            )
            ties = [c for c in available if c.charge == chosen.charge]
            if len(ties) > 1:
                motif += (
                    ", à égalité avec d'autres : jamais sollicité"
                    if chosen.derniere is None
                    else ", à égalité avec d'autres : dernière attribution la plus ancienne"
                )
                if sum(1 for c in ties if c.derniere == chosen.derniere) > 1:
                    motif += ", puis identifiant le plus petit"
            return Choix(chosen.id_externe, level, chosen.charge, False, motif + ".", len(covering))
    best = min(by_rank)
    chosen = min(by_rank[best], key=_order)
    motif = (
        f"Tous les {len(covering)} ambassadeur(s) qui couvrent la région {cible.region} et le "
        f"code NAF {cible.naf_chain[0] if cible.naf_chain else '—'} sont complets : la demande "
        f"va au moins chargé du meilleur rang, le rang {best} ({RANK_LABELS[best]}), "
        f"{chosen.ouvertes} demande(s) ouverte(s) pour une capacité de {chosen.capacite} ; "
        "les opérateurs sont prévenus."
    )
    return Choix(chosen.id_externe, best, chosen.charge, True, motif, len(covering))
