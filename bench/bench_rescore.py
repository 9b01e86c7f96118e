"""Re-scoring 100,000 stored companies' diagnostics (`manage.py rescore_diagnostics`).

Builds a throw-away database (SQLite by default, or BENCH_DATABASE_URL) with N companies,
each with one completed diagnostic (varied NAF codes, sizes, descriptions, answers), then
times `rescore_all`.
"""

import os
import random
import secrets
import sys
import time

from _support import ROOT, emit, setup_django, temp_environment

N = int(os.environ.get("BENCH_N", "100000"))
env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
setup_django(env)

from django.db import connection  # noqa: E402
from stdnum import luhn  # noqa: E402

from osezia.diagnostics import services  # noqa: E402
from osezia.diagnostics.evaluation import load_cases  # noqa: E402
from osezia.diagnostics.models import Diagnostic  # noqa: E402
from osezia.entreprises.models import Entreprise  # noqa: E402
from osezia.referentiels.models import Departement, Naf  # noqa: E402

random.seed(2030)
questionnaire = services.current_questionnaire()
data = services.questionnaire_data(questionnaire)
cases = load_cases(ROOT / "tests" / "diagnostics" / "data" / "eval_cas_usage.jsonl")
descriptions = [c["description"] for c in cases] + [""] * 20
nafs = list(Naf.objects.filter(niveau="sous_classe").values_list("code", flat=True))
departements = list(Departement.objects.values_list("code", "region_id"))
sizes = ["TPE"] * 6 + ["PME"] * 3 + ["ETI", "GE"]


def answers():
    result = {}
    for q in data.questions:
        options = [o.code for o in q.options if not o.exclusif]
        if q.type == "choix_multiple":
            result[q.code] = random.sample(options, k=min(len(options), q.max_choix or 2, 2))
        else:
            result[q.code] = [random.choice(options)]
    return result


start = time.perf_counter()
batch = 5000
for offset in range(0, N, batch):
    companies = []
    for i in range(offset, min(N, offset + batch)):
        base = f"{10000000 + i:08d}"
        dep, region = random.choice(departements)
        companies.append(
            Entreprise(
                siren=base + luhn.calc_check_digit(base),
                denomination=f"Entreprise {i}",
                naf_id=random.choice(nafs),
                effectif=random.randint(1, 6000),
                categorie_taille=random.choice(sizes),
                departement_id=dep,
                region_id=region,
            )
        )
    Entreprise.objects.bulk_create(companies, batch_size=1000)
    saved = Entreprise.objects.filter(siren__in=[c.siren for c in companies]).only(
        "pk", "naf_id", "effectif", "categorie_taille", "departement_id"
    )
    Diagnostic.objects.bulk_create(
        [
            Diagnostic(
                jeton=secrets.token_urlsafe(16),
                questionnaire=questionnaire,
                entreprise_id=c.pk,
                statut="termine",
                naf_id=c.naf_id,
                effectif=c.effectif,
                categorie_taille=c.categorie_taille,
                departement_id=c.departement_id,
                description=random.choice(descriptions),
                reponses=answers(),
            )
            for c in saved
        ],
        batch_size=1000,
    )
setup_seconds = time.perf_counter() - start
print(f"# {N} entreprises et diagnostics créés en {setup_seconds:.1f} s", file=sys.stderr)

from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402

for processes in (1, 2):
    Diagnostic.objects.update(cas_usage=[], recalcule_le=None)
    start = time.perf_counter()
    call_command("rescore_diagnostics", processus=processes, stdout=StringIO())
    seconds = time.perf_counter() - start
    assert not Diagnostic.objects.filter(recalcule_le__isnull=True).exists()
    sample = Diagnostic.objects.order_by("?").first()
    assert len(sample.cas_usage) == 23 and sample.score_global is not None
    emit(
        bench="recalcul_diagnostics",
        base=connection.vendor,
        entreprises=N,
        processus=processes,
        secondes=round(seconds, 1),
        par_seconde=round(N / seconds),
        seuil_secondes=60,
    )
