"""Random instances in the contract's format, for the benchmark and the tests (pure Python)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def instance_aleatoire(
    entreprises: int,
    fournisseurs: int,
    creneaux: int,
    tables: int,
    interets: int = 12,
    graine: int = 0,
    disponibilite: float = 1.0,
    max_rdv: tuple[int, int] = (4, 8),
    refus: float = 0.03,
    imposes: int = 0,
    duree_min: int = 20,
) -> dict:
    """Companies E… and providers F…, each marking about `interets` others of the other side
    (souhaite 3 or possible 1, a few refusals); a fraction of slots available to each."""
    rnd = random.Random(graine)
    debut = datetime.fromisoformat("2027-03-11T09:00:00+01:00")
    liste = []
    for k in range(creneaux):
        d = debut + timedelta(minutes=duree_min * k + (60 if k >= creneaux // 2 else 0))
        liste.append(
            {
                "id": f"C{k + 1:02d}",
                "debut": d.isoformat(),
                "fin": (d + timedelta(minutes=duree_min)).isoformat(),
            }
        )
    ids_e = [f"E{k + 1:04d}" for k in range(entreprises)]
    ids_f = [f"F{k + 1:04d}" for k in range(fournisseurs)]
    participants = []
    for ident in ids_e + ids_f:
        if disponibilite >= 1:
            dispo = [c["id"] for c in liste]
        else:
            dispo = [c["id"] for c in liste if rnd.random() < disponibilite] or [
                rnd.choice(liste)["id"]
            ]
        participants.append(
            {"id": ident, "disponibilites": dispo, "max_rendez_vous": rnd.randint(*max_rdv)}
        )
    vus = set()
    liste_interets = []
    for ident in ids_e + ids_f:
        autres = ids_f if ident.startswith("E") else ids_e
        if not autres:
            continue
        _marquer(rnd, ident, autres, interets, refus, vus, liste_interets)
    return {
        "creneaux": liste,
        "tables": tables,
        "participants": participants,
        "interets": liste_interets,
        "imposes": [],
    }


def _marquer(rnd, ident, autres, interets, refus, vus, sortie) -> None:
    """About `interets` marks of `ident` towards `autres`: souhaite 3 or possible 1, refusals."""
    for cible in rnd.sample(autres, min(len(autres), max(1, round(rnd.gauss(interets, 2))))):
        if (ident, cible) in vus:
            continue
        vus.add((ident, cible))
        if rnd.random() < refus:
            sortie.append({"de": ident, "vers": cible, "refus": True})
        else:
            poids = 3 if rnd.random() < 0.5 else 1
            sortie.append({"de": ident, "vers": cible, "poids": poids})


def instance_difficile(
    participants: int,
    creneaux: int = 16,
    tables: int = 40,
    interets: int = 12,
    graine: int = 0,
    disponibilite: tuple[float, float] = (0.3, 0.5),
    max_rdv: tuple[int, int] = (4, 8),
    refus: float = 0.03,
) -> dict:
    """Harder instances: interests between any two participants (not only companies ↔
    providers, so the graph is not bipartite) and each participant available on only a
    fraction of the slots drawn in `disponibilite` (30–50 % by default)."""
    rnd = random.Random(graine)
    base = instance_aleatoire(0, 0, creneaux, tables, graine=graine)
    liste = base["creneaux"]
    ids = [f"P{k + 1:04d}" for k in range(participants)]
    sortie = []
    for ident in ids:
        part = rnd.uniform(*disponibilite)
        dispo = [c["id"] for c in liste if rnd.random() < part] or [rnd.choice(liste)["id"]]
        sortie.append(
            {"id": ident, "disponibilites": dispo, "max_rendez_vous": rnd.randint(*max_rdv)}
        )
    liste_interets = []
    for ident in ids:
        autres = [x for x in ids if x != ident]
        if not autres:
            continue
        _marquer(rnd, ident, autres, interets, refus, set(), liste_interets)
    return {
        "creneaux": liste,
        "tables": tables,
        "participants": sortie,
        "interets": liste_interets,
        "imposes": [],
    }
