"""The two trusted imports at the size of a national offer: `import_catalogue` with 20,000
solutions and `import_lheo` with 100,000 trainings (with their actions and sessions).

Both files are generated in a temporary folder (never shipped): the solutions are variations
of the 130 demo solutions (names, sectors, sizes, prices, hosting), the trainings variations
of the 150 demo trainings (titles, organisations, cities, dates, seats, prices), written by the
platform's own LHEO writer. Each file is imported through its management command twice: the
first import (everything created) and the re-import (nothing changes, and the command says
so). Lines per second count the import's own work; the index catch-up (the change log
applied at the end, `recherche.finish_after_import`) is timed apart.

`--only catalogue` or `--only lheo` (or BENCH_ONLY) runs one of the two."""

import copy
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

from _support import ROOT, emit, setup_django, temp_environment

N_SOLUTIONS = int(os.environ.get("BENCH_SOLUTIONS", "20000"))
N_TRAININGS = int(os.environ.get("BENCH_TRAININGS", "100000"))
TARGET = 2000  # lines (solutions or trainings) a second
env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
setup_django(env)

from django.core.management import call_command  # noqa: E402
from stdnum import luhn  # noqa: E402

from osezia.academie import format as fmt  # noqa: E402
from osezia.academie import lheo  # noqa: E402
from osezia.academie.models import Action, Formation, Session  # noqa: E402
from osezia.academie.services import trainings  # noqa: E402
from osezia.catalogue.models import Solution  # noqa: E402
from osezia.recherche import services as recherche  # noqa: E402
from osezia.referentiels.queries import departement_regions  # noqa: E402

random.seed(2026)
folder = Path(tempfile.mkdtemp(prefix="osezia-bench-imports-"))
TODAY = date.today()

# The catalogue ---------------------------------------------------------------------------

SECTORS = ["C", "10.71C", "43", "47.11C", "56.10A", "F", "49.41A", "69.20Z", "86", "01", "G"]
SUFFIXES = ["Pro", "Plus", "Express", "Cloud", "Atelier", "Région", "Flex", "Équipe"]


def siren(n: int) -> str:
    base = f"{70000000 + n:08d}"
    return base + luhn.calc_check_digit(base)


def write_catalogue(path: Path) -> None:
    with open(ROOT / "osezia/catalogue/data/demo_solutions.jsonl", encoding="utf-8") as handle:
        demo = [json.loads(x) for x in handle if x.strip()]
    providers = {}  # a provider's SIREN keeps one name across the file
    with open(path, "w", encoding="utf-8") as out:
        for i in range(N_SOLUTIONS):
            line = copy.deepcopy(demo[i % len(demo)])
            line["id_externe"] = f"{line['id_externe']}-{i}"
            line["nom"] = f"{line['nom']} {random.choice(SUFFIXES)} {i}"
            number = i % 2500
            name = providers.setdefault(number, f"{line['fournisseur']['nom']} {number}")
            line["fournisseur"] = {"nom": name, "siren": siren(number)}
            line["secteurs"] = random.sample(SECTORS, k=random.randint(0, 2))
            line["tailles"] = random.sample(["TPE", "PME", "ETI", "GE"], k=random.randint(1, 4))
            line["hebergement"] = random.choice(["france", "france", "ue", "hors_ue"])
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


# The training offer ----------------------------------------------------------------------

CITIES = [
    ("12 rue de la Monnaie", "59800", "Lille"),
    ("4 place Bellecour", "69002", "Lyon"),
    ("18 cours Mirabeau", "13100", "Aix-en-Provence"),
    ("7 rue du Taur", "31000", "Toulouse"),
    ("25 quai de la Fosse", "44000", "Nantes"),
    ("3 rue des Tanneurs", "67000", "Strasbourg"),
    ("10 allées de Tourny", "33000", "Bordeaux"),
    ("2 rue de Siam", "29200", "Brest"),
    ("9 boulevard Gambetta", "87000", "Limoges"),
    ("14 rue Fesch", "20000", "Ajaccio"),
    ("5 rue de la Liberté", "21000", "Dijon"),
    ("31 rue Saint-Ferréol", "13001", "Marseille"),
    ("6 rue Jeanne-d'Arc", "76000", "Rouen"),
    ("22 avenue Foch", "54000", "Nancy"),
    ("1 rue Victor-Hugo", "97200", "Fort-de-France"),
]
ORGANISATIONS = [
    "Centre de formation des métiers du numérique",
    "Institut régional de l'IA appliquée",
    "Atelier des compétences numériques",
    "École des données et de l'automatisation",
    "Cap Compétences Entreprises",
    "Maison de la formation professionnelle",
]
AUDIENCES = [
    "pour les artisans",
    "pour les commerçants",
    "pour les assistants de direction",
    "pour les équipes comptables",
    "pour les responsables RH",
    "en atelier de production",
    "pour les TPE",
    "",
]


def siret(n: int) -> str:
    base = f"{80000000 + n:08d}"
    number = base + luhn.calc_check_digit(base) + "00010"
    # The SIRET's own key: the last digit makes the 14 digits pass the Luhn check.
    return number[:13] + luhn.calc_check_digit(number[:13])


def organisation(n: int) -> dict:
    street, postal, city = CITIES[n % len(CITIES)]
    return {
        "siret": siret(n),
        "numero_activite": f"{11750000000 + n:011d}",
        "nom": f"{ORGANISATIONS[n % len(ORGANISATIONS)]} de {city} {n}",
        "raison_sociale": f"Formation {city} {n} SAS",
        "adresse": street,
        "code_postal": postal,
        "ville": city,
        "courriel": f"contact@of-{n}.example.fr",
        "telephone": f"01 44 {n % 100:02d} {n // 100 % 100:02d} 00",
    }


def write_offer(path: Path) -> None:
    with open(ROOT / "osezia/academie/data/demo_formations.jsonl", encoding="utf-8") as handle:
        demo = [json.loads(x) for x in handle if x.strip()]
    regions = departement_regions()
    families = trainings.family_codes()
    cleaned_demo = []
    for item in demo:
        cleaned, errors = fmt.check_formation(item, regions, families)
        assert not errors, errors
        cleaned_demo.append(cleaned)

    def offer():
        for i in range(N_TRAININGS):
            data = copy.deepcopy(cleaned_demo[i % len(cleaned_demo)])
            data["reference"] = f"OF-{i:06d}"
            audience = random.choice(AUDIENCES)
            data["intitule"] = f"{data['intitule'][:200]} {audience}".strip()
            data["organisme"] = organisation(i % 4000)
            if i % 2:  # half the offer says nothing of the families: they are inferred
                data["familles"] = []
            for a, action in enumerate(data["actions"][:2], 1):
                action["reference"] = f"OF-{i:06d}-A{a}"
                if action["lieu"]:
                    street, postal, city = random.choice(CITIES)
                    departement = fmt.departement_of_postal(postal)
                    action["lieu"] = {
                        "adresse": street,
                        "code_postal": postal,
                        "ville": city,
                        "departement": departement,
                        "region": regions[departement],
                    }
                if action["prix_ttc_centimes"]:
                    action["prix_ttc_centimes"] += random.randint(0, 40) * 1000
                start = TODAY + timedelta(days=random.randint(10, 400))
                action["sessions"] = [
                    {
                        "reference": f"S{s}",
                        "debut": start + timedelta(days=60 * s),
                        "fin": start + timedelta(days=60 * s + 1),
                        "places": random.choice([8, 10, 12, 15, None]),
                        "etat_recrutement": "ouvert",
                    }
                    for s in range(random.randint(1, 3))
                ]
            data["actions"] = data["actions"][:2]
            yield data

    with open(path, "wb") as stream:
        lheo.write(offer(), stream)


# Measuring -------------------------------------------------------------------------------


def children_cpu() -> float:
    """Processor seconds of the ended worker processes (the LHEO import's readers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(command: str, path: Path) -> tuple[float, float, float, float, str]:
    """Seconds of the import's own work and of the index catch-up, elapsed and of processor
    time of this process and of its worker processes (the machine may be shared: processor time is what the import cost;
    with SQLite the database works in this process too), and the command's output."""
    catch_up, catch_up_cpu = [], []
    real = recherche.finish_after_import

    def finish(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            catch_up.append(time.perf_counter() - start)
            catch_up_cpu.append(time.process_time() - cpu)

    recherche.finish_after_import = finish
    out = StringIO()
    start, cpu = time.perf_counter(), time.process_time() + children_cpu()
    try:
        call_command(command, str(path), stdout=out, stderr=StringIO())
    finally:
        recherche.finish_after_import = real
    total = time.perf_counter() - start
    total_cpu = time.process_time() + children_cpu() - cpu
    return (
        total - sum(catch_up),
        total_cpu - sum(catch_up_cpu),
        sum(catch_up),
        sum(catch_up_cpu),
        out.getvalue(),
    )


def measure(name: str, command: str, path: Path, lines: int, count) -> None:
    for run in ("premier_import", "re_import"):
        seconds, cpu, index_seconds, index_cpu, out = timed_import(command, path)
        assert count() == lines, out
        if run == "re_import":
            assert " 0 mise(s) à jour" in out and f"{lines} inchangée(s)" in out, out
        emit(
            bench=f"{name}_{run}",
            lignes=lines,
            secondes=round(seconds, 1),
            lignes_par_seconde=round(lines / seconds),
            seuil_lignes_par_seconde=TARGET,
            secondes_processeur=round(cpu, 1),
            lignes_par_seconde_processeur=round(lines / cpu),
            rattrapage_index_secondes=round(index_seconds, 1),
            rattrapage_index_secondes_processeur=round(index_cpu, 1),
            charge_machine=round(os.getloadavg()[0], 1),
            base="PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite",
        )


def main() -> None:
    only = os.environ.get("BENCH_ONLY") or (
        sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    )
    if only in (None, "catalogue"):
        bench_catalogue()
    if only in (None, "lheo"):
        bench_lheo()


def bench_catalogue() -> None:
    catalogue_file = folder / "catalogue.jsonl"
    write_catalogue(catalogue_file)
    measure(
        "import_catalogue", "import_catalogue", catalogue_file, N_SOLUTIONS, Solution.objects.count
    )
    assert recherche.get_index().count("solution") == N_SOLUTIONS


def bench_lheo() -> None:
    offer_file = folder / "offre.xml"
    write_offer(offer_file)
    measure("import_lheo", "import_lheo", offer_file, N_TRAININGS, Formation.objects.count)
    assert recherche.get_index().count("formation") == N_TRAININGS
    emit(
        bench="import_lheo_volume",
        formations=Formation.objects.count(),
        actions=Action.objects.count(),
        sessions=Session.objects.count(),
        fichier_mo=round(offer_file.stat().st_size / 1e6, 1),
    )


try:
    main()
finally:
    shutil.rmtree(folder, ignore_errors=True)  # the generated files are hundreds of MB
