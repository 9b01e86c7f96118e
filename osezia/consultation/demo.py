"""Demo consultations (`data/demo.json`): the plan's national consultation with its real
question and dates (closed), and one open consultation about AI in French companies. Their
proposals are invented; the votes are simulated from three opinion groups (protection,
innovation, social) with a fixed seed, so that the results, zones and groups show. The
results are computed at the end, as the task would. Idempotent: an existing consultation
(same slug) is kept as it is."""

import json
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from osezia.referentiels import codes
from osezia.referentiels.models import Departement
from osezia.socle.demo import DemoContext

from .models import Consultation
from .services import donnees

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"
PARIS = ZoneInfo("Europe/Paris")
OPERATOR = "operateur@demo.osez-ia.fr"
SEED = 2025
GROUPS = {"protection": 0.4, "innovation": 0.35, "social": 0.25}
# How often each kind of participant (in the code list's order) takes part in the demo.
KIND_WEIGHTS = (0.6, 0.2, 0.08, 0.07, 0.05)


def load_demo_file() -> dict:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def size() -> int:
    return len(load_demo_file()["consultations"])


def _dates(entry: dict) -> tuple[datetime, datetime]:
    """Opening at midnight and closing at the end of the day, Paris time; an entry without
    dates is open now (opened a month ago, closing in four months)."""
    if entry.get("ouverture"):
        opening = date.fromisoformat(entry["ouverture"])
        closing = date.fromisoformat(entry["cloture"])
    else:
        today = timezone.localdate()
        opening, closing = today - timedelta(days=30), today + timedelta(days=120)
    return (
        datetime.combine(opening, time(0, 0), PARIS),
        datetime.combine(closing, time(23, 59, 59), PARIS),
    )


def _probabilities(camp: str, group: str) -> tuple[float, float]:
    """(P(pour), P(contre)) of a member of `group` on a proposal of `camp`."""
    if camp == "tous":
        return 0.85, 0.07
    if camp == "rejet":
        return 0.1, 0.8
    if camp == "divise":
        return (0.8, 0.12) if group == "innovation" else (0.15, 0.7)
    return (0.85, 0.08) if camp == group else (0.25, 0.55)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _simulate(entry: dict, rng: random.Random, operator, departements) -> donnees.PastConsultation:
    opening, closing = _dates(entry)
    ages = codes.codes("tranche_age")
    kinds = dict(zip(codes.codes("profil_participant"), KIND_WEIGHTS, strict=True))
    regions = dict(Departement.objects.values_list("code", "region_id"))
    last = min(closing, timezone.now())
    span = max(1, int((last - opening).total_seconds()))
    people, groups = [], []
    for i in range(entry["participants"]):
        departement = rng.choice(departements) if rng.random() < 0.8 else ""
        people.append(
            {
                "pseudonyme": f"demo-{entry['slug'][:12]}-{i:05d}",
                "tranche_age": rng.choice(ages) if rng.random() < 0.85 else "",
                "departement": departement,
                "region": regions.get(departement, ""),
                "profil": _pick(rng, kinds) if rng.random() < 0.9 else "",
                "cree_le": opening + timedelta(seconds=rng.randrange(span)),
            }
        )
        groups.append(_pick(rng, GROUPS))
    n = len(people)
    proposals = [
        {"texte": texte, "auteur": rng.randrange(n), "cree_le": opening}
        for _, texte in entry["propositions"]
    ]
    camps = [camp for camp, _ in entry["propositions"]]
    low, high = entry["votes_par_participant"]
    votes = []
    for who, group in enumerate(groups):
        for index in rng.sample(range(len(camps)), min(len(camps), rng.randint(low, high))):
            pour, contre = _probabilities(camps[index], group)
            draw = rng.random()
            value = "pour" if draw < pour else "contre" if draw < pour + contre else "neutre"
            qualification = ""
            if rng.random() < 0.3:
                qualification = rng.choice(codes.qualifications_for(value))
            when = people[who]["cree_le"] + timedelta(minutes=rng.randrange(30))
            votes.append((who, index, value, qualification, when))
    for texte in entry.get("en_attente", []):
        proposals.append({"texte": texte, "auteur": rng.randrange(n), "statut": "en_attente"})
    if entry.get("signalee"):
        proposals.append(
            {
                "texte": entry["signalee"],
                "auteur": rng.randrange(n),
                "signale_par": rng.sample(range(n), 3),
            }
        )
    return donnees.PastConsultation(
        slug=entry["slug"],
        question=entry["question"],
        description=entry["description"],
        ouverture=opening,
        cloture=closing,
        participants=people,
        propositions=proposals,
        votes=votes,
        moderateur=operator,
    )


def seed(context: DemoContext) -> None:
    data = load_demo_file()
    rng = random.Random(SEED)
    operator = context.users.get(OPERATOR)
    departements = list(Departement.objects.order_by("code").values_list("code", flat=True))
    context.count("consultations", 0)
    for entry in data["consultations"]:
        if not Consultation.objects.filter(slug=entry["slug"]).exists():
            data = _simulate(entry, rng, operator, departements)
            donnees.bring_in(data)
            context.count("votes de consultation", len(data.votes))
            context.count("consultations")
        context.advance()
