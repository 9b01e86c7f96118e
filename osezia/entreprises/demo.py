"""Demo companies: invented French companies of every size (data in `data/demo.json`), with
their admin and members among the demo accounts. Idempotent: a company already registered
(same SIREN) is kept as it is."""

import json
from pathlib import Path

from osezia.socle.demo import DemoContext

from . import services
from .models import Entreprise

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


def load_demo_file() -> dict:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def size() -> int:
    return len(load_demo_file()["entreprises"])


def seed(context: DemoContext) -> None:
    context.count("entreprises", 0)
    for item in load_demo_file()["entreprises"]:
        siren = item["siret"][:9]
        if not Entreprise.objects.filter(siren=siren).exists():
            entreprise = services.create_entreprise(
                context.users.get(item["admin"]),
                services.DonneesEntreprise(
                    identifiant=item["siret"],
                    denomination=item["denomination"],
                    naf=item["naf"],
                    effectif=item["effectif"],
                    departement=item["departement"],
                    chiffre_affaires_eur=item.get("chiffre_affaires_eur"),
                    total_bilan_eur=item.get("total_bilan_eur"),
                    adresse=item.get("adresse", ""),
                    code_postal=item.get("code_postal", ""),
                    commune=item.get("commune", ""),
                    description=item.get("description", ""),
                ),
            )
            for email in item["membres"]:
                services.add_member(entreprise, context.users[email])
            context.count("entreprises")
        context.advance()
