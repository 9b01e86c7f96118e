"""The « professionnels formés » counter with 1,000,000 enrolments.

Builds a throw-away database (SQLite by default, or BENCH_DATABASE_URL) with BENCH_LEARNERS
learners and BENCH_N enrolments in sessions (40 % completed), the trained persons and their
counters; then times the counter read (service and API), real completions through the
service (the counter kept incrementally), a full recount, and for comparison the count a
naive page would run over the enrolments table.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from _support import emit, percentile, setup_django, temp_environment

N = int(os.environ.get("BENCH_N", "1000000"))
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "400000"))
env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
setup_django(env)

from django.db import connection  # noqa: E402
from django.db.models import Min  # noqa: E402
from django.test import Client  # noqa: E402

from osezia.academie import services  # noqa: E402
from osezia.academie.format import PUBLICS  # noqa: E402
from osezia.academie.models import (  # noqa: E402
    Action,
    ApprenantForme,
    Formation,
    Inscription,
    OrganismeFormation,
    ProfilApprenant,
    Session,
)
from osezia.comptes.models import Utilisateur  # noqa: E402
from osezia.referentiels.models import Departement  # noqa: E402

random.seed(2030)
departements = list(Departement.objects.values_list("code", "region_id"))
publics = list(PUBLICS)
start = time.perf_counter()
organisme = OrganismeFormation.objects.create(siret="73282932000074", nom="Organisme de mesure")
formation = Formation.objects.create(
    reference="BENCH", organisme=organisme, intitule="Mesure", objectifs="-", contenu="-"
)
action = Action.objects.create(formation=formation, reference="A", modalite="distance")
first_day = date.today() + timedelta(days=30)
Session.objects.bulk_create(
    Session(action=action, reference=f"S{i}", debut=first_day + timedelta(days=i % 300))
    for i in range(2000)
)
sessions = list(Session.objects.values_list("pk", flat=True))
batch = 10000
for offset in range(0, LEARNERS, batch):
    Utilisateur.objects.bulk_create(
        [
            Utilisateur(email=f"apprenant{i}@mesure.invalid", password="!")
            for i in range(offset, min(LEARNERS, offset + batch))
        ],
        batch_size=batch,
    )
user_ids = list(Utilisateur.objects.order_by("pk").values_list("pk", flat=True))
profiles = {}
for offset in range(0, len(user_ids), batch):
    rows = []
    for pk in user_ids[offset : offset + batch]:
        dep, region = random.choice(departements)
        profiles[pk] = (random.choice(publics), region)
        rows.append(
            ProfilApprenant(
                utilisateur_id=pk, public=profiles[pk][0], departement_id=dep, region_id=region
            )
        )
    ProfilApprenant.objects.bulk_create(rows, batch_size=batch)
now = datetime.now(UTC)
offsets = {pk: random.randrange(len(sessions)) for pk in user_ids}
for offset in range(0, N, batch):
    rows = []
    for i in range(offset, min(N, offset + batch)):
        # Each learner's k-th enrolment goes to a different session: no duplicate pair.
        pk = user_ids[i % len(user_ids)]
        session = sessions[(offsets[pk] + i // len(user_ids)) % len(sessions)]
        done = random.random() < 0.4
        when = now - timedelta(days=random.randint(0, 500))
        rows.append(
            Inscription(
                apprenant_id=pk,
                session_id=session,
                statut="terminee" if done else "inscrit",
                termine_le=when if done else None,
            )
        )
    Inscription.objects.bulk_create(rows, batch_size=batch)
# The trained persons, as the completions would have recorded them (first completion).
trained = dict(
    Inscription.objects.filter(statut="terminee")
    .values("apprenant_id")
    .annotate(first=Min("termine_le"))
    .values_list("apprenant_id", "first")
)
ApprenantForme.objects.bulk_create(
    (
        ApprenantForme(
            utilisateur_id=pk,
            public=profiles[pk][0],
            region=profiles[pk][1],
            mois=when.strftime("%Y-%m"),
            forme_le=when,
        )
        for pk, when in trained.items()
    ),
    batch_size=batch,
)
enrolments = Inscription.objects.count()
print(
    f"# {enrolments} inscriptions, {len(trained)} personnes formées créées en "
    f"{time.perf_counter() - start:.0f} s",
    file=sys.stderr,
)

started = time.perf_counter()
counters = services.recount()
recount_seconds = time.perf_counter() - started
assert counters["professionnels_formes"] == len(trained)


def timed(function, repeat):
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


service = timed(services.counters, 300)
client = Client()
api = timed(lambda: client.get("/api/v1/academie/compteurs"), 300)
page = timed(lambda: client.get("/academie/"), 50)

# Real completions through the service: enrol and validate, counters kept incrementally.
operator = Utilisateur.objects.create_user(email="operateur@mesure.invalid", password=None)
operator.is_superuser = True
operator.save()
fresh = random.sample(user_ids, 300)
# Starting today: open to enrolment and to completion.
measured = Session.objects.create(action=action, reference="MESURE", debut=date.today())
completions = []
for pk in fresh:
    person = Utilisateur.objects.get(pk=pk)
    inscription = services.enrol(person, measured.pk)
    started = time.perf_counter()
    services.complete_session(operator, inscription)
    completions.append((time.perf_counter() - started) * 1000)
after = services.counters()["professionnels_formes"]
assert after == len(trained | dict.fromkeys(fresh)), (after, len(trained))

started = time.perf_counter()
naive = Inscription.objects.filter(statut="terminee").values("apprenant_id").distinct().count()
naive_ms = (time.perf_counter() - started) * 1000
assert naive == after

for name, values in (
    ("compteur_service", service),
    ("compteur_api", api),
    ("accueil_academie", page),
    ("validation_achevement", completions),
):
    emit(
        bench=name,
        base=connection.vendor,
        inscriptions=enrolments,
        personnes_formees=after,
        p50_ms=round(statistics.median(values), 2),
        p95_ms=round(percentile(values, 95), 2),
        seuil_ms=100 if name.startswith("compteur") else None,
    )
emit(
    bench="compteur_recalcul_complet",
    base=connection.vendor,
    inscriptions=enrolments,
    secondes=round(recount_seconds, 2),
)
emit(
    bench="comptage_naif_sur_les_inscriptions",
    base=connection.vendor,
    inscriptions=enrolments,
    ms=round(naive_ms, 1),
)
