"""Routing company requests to ambassadors.

1. The pure engine (`ambassadeurs/routage.py`): 300 ambassadors of every rank, 10,000 requests
   routed one after the other (each taken request adds to its ambassador's load).
2. Through the service on a throw-away database (SQLite, or `DATABASE_URL`): the same 300
   ambassadors, `BENCH_DEMANDES` requests (default 1,000) created and routed by
   `create_request` (validation, locks, assignment, history, e-mails queued). Checked: no
   ambassador holds more open requests than its capacity unless every covering one was full.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import emit, setup_django, temp_environment  # noqa: E402

from osezia.ambassadeurs.routage import Candidat, Cible, route  # noqa: E402

AMBASSADORS = 300
ROUTES = int(os.environ.get("BENCH_ROUTES", "10000"))
REQUESTS = int(os.environ.get("BENCH_DEMANDES", "1000"))
SEED = 2026
REGIONS = [
    "11",
    "24",
    "27",
    "28",
    "32",
    "44",
    "52",
    "53",
    "75",
    "76",
    "84",
    "93",
    "94",
    "01",
    "02",
    "03",
    "04",
    "06",
]
SECTIONS = ["A", "C", "F", "G", "H", "I", "J", "M", "N", "Q"]
# (department, NAF sous-classe and its chain) of the simulated companies
COMPANIES = [
    ("35", ("10.71C", "10.71", "10.7", "10", "C")),
    ("69", ("47.24Z", "47.24", "47.2", "47", "G")),
    ("13", ("56.10A", "56.10", "56.1", "56", "I")),
    ("59", ("43.22A", "43.22", "43.2", "43", "F")),
    ("33", ("01.21Z", "01.21", "01.2", "01", "A")),
    ("75", ("62.01Z", "62.01", "62.0", "62", "J")),
    ("974", ("55.10Z", "55.10", "55.1", "55", "I")),
]
REGION_OF = {"35": "53", "69": "84", "13": "93", "59": "32", "33": "75", "75": "11", "974": "04"}


def network(rng: random.Random) -> list[dict]:
    result = []
    for i in range(AMBASSADORS):
        kind = rng.random()
        regions = [rng.choice(REGIONS)] if kind < 0.7 else []
        naf = [rng.choice(SECTIONS)] if 0.3 < kind < 0.9 else []
        result.append(
            {"id": f"B-{i:03d}", "regions": regions, "naf": naf, "capacite": rng.randint(2, 8)}
        )
    return result


def bench_engine(people: list[dict], rng: random.Random) -> None:
    pool = {
        p["id"]: Candidat(p["id"], frozenset(p["regions"]), frozenset(p["naf"]), p["capacite"])
        for p in people
    }
    start, full = time.perf_counter(), 0
    for n in range(ROUTES):
        departement, chain = rng.choice(COMPANIES)
        choix = route(pool.values(), Cible(REGION_OF[departement], chain))
        c = pool[choix.id_externe]
        pool[c.id_externe] = Candidat(c.id_externe, c.regions, c.naf, c.capacite, c.ouvertes + 1, n)
        full += choix.tous_complets
    seconds = time.perf_counter() - start
    emit(
        bench="routage_moteur",
        ambassadeurs=AMBASSADORS,
        demandes=ROUTES,
        secondes=round(seconds, 3),
        demandes_par_seconde=round(ROUTES / seconds),
        tous_complets=full,
    )


def bench_database(people: list[dict], rng: random.Random) -> None:
    env = temp_environment(os.environ.get("DATABASE_URL"))
    setup_django(env)
    from django.db import connection
    from django.db.models import Count, F, Q

    from osezia.ambassadeurs.models import OPEN_STATUSES, Ambassadeur
    from osezia.ambassadeurs.services import create_request, reseau

    for p in people:
        reseau.register(
            p["id"],
            {
                "prenom": "Bench",
                "nom": p["id"],
                "email": f"{p['id'].lower()}@bench.example",
                "type_ambassadeur": "REGIONAL",
                "reseau": "CCI",
                "regions": p["regions"],
                "naf": p["naf"],
                "capacite_mensuelle": p["capacite"],
            },
        )
    start = time.perf_counter()
    for _ in range(REQUESTS):
        departement, chain = rng.choice(COMPANIES)
        create_request(
            {"naf": chain[0], "departement": departement, "email": "bench@entreprise.example"}
        )
    seconds = time.perf_counter() - start
    over = (
        Ambassadeur.objects.annotate(
            hors_alerte=Count(
                "demandes",
                filter=Q(demandes__statut__in=OPEN_STATUSES, demandes__tous_complets=False),
            ),
        )
        .filter(hors_alerte__gt=F("capacite_mensuelle"))
        .count()
    )
    emit(
        bench="routage_service",
        base=connection.vendor,
        ambassadeurs=AMBASSADORS,
        demandes=REQUESTS,
        secondes=round(seconds, 2),
        demandes_par_seconde=round(REQUESTS / seconds, 1),
        ambassadeurs_au_dela_de_leur_capacite_sans_alerte=over,
    )


def main() -> None:
    rng = random.Random(SEED)
    people = network(rng)
    bench_engine(people, random.Random(SEED))
    bench_database(people, random.Random(SEED))


if __name__ == "__main__":
    main()
