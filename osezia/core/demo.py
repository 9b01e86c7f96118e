"""Demo data: invented French companies and one account per role (idempotent)."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from osezia.comptes.models import Utilisateur
from osezia.comptes.services import create_account
from osezia.entreprises import services as entreprises
from osezia.entreprises.models import Entreprise

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


@dataclass
class DemoLogin:
    email: str
    libelle: str


def load_demo_file() -> dict:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _activate_demo_totp(user: Utilisateur, secret: str) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


@transaction.atomic
def seed_demo(progress=None) -> tuple[list[DemoLogin], dict]:
    """Create what is missing of the demo data; never duplicates, never overwrites."""
    data = load_demo_file()
    users: dict[str, Utilisateur] = {}
    logins = []
    created = {"comptes": 0, "entreprises": 0}
    for account in data["comptes"]:
        user = Utilisateur.objects.filter(email=account["email"]).first()
        if user is None:
            user = create_account(
                account["email"],
                data["mot_de_passe"],
                account["roles"],
                first_name=account["prenom"],
                last_name=account["nom"],
                verified=True,
            )
            created["comptes"] += 1
        if "OPERATEUR" in account["roles"]:
            _activate_demo_totp(user, data["totp_operateur"])
        users[account["email"]] = user
        logins.append(DemoLogin(account["email"], account["libelle"]))
        if progress:
            progress()
    for item in data["entreprises"]:
        siren = item["siret"][:9]
        if not Entreprise.objects.filter(siren=siren).exists():
            entreprise = entreprises.create_entreprise(
                users.get(item["admin"]),
                entreprises.DonneesEntreprise(
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
                entreprises.add_member(entreprise, email)
            created["entreprises"] += 1
        if progress:
            progress()
    created["diagnostics"] = _demo_diagnostics(users)
    created["solutions"] = _demo_catalogue(users)
    return logins, created


CATALOGUE_FILE = Path(__file__).resolve().parents[1] / "catalogue" / "data" / "demo_solutions.jsonl"


def _demo_catalogue(users) -> int:
    """The invented catalogue, imported as an operator would (published), re-indexed; the
    demo provider account becomes a member of the first provider organisation."""
    from osezia.catalogue import services as catalogue
    from osezia.catalogue.models import Fournisseur
    from osezia.recherche import services as recherche

    report = catalogue.import_lines(catalogue.read_lines(CATALOGUE_FILE))
    provider = users.get("fournisseur@demo.osez-ia.fr")
    first = Fournisseur.objects.order_by("pk").first()
    if provider and first and not first.membres.filter(pk=provider.pk).exists():
        first.membres.add(provider)
    transaction.on_commit(lambda: recherche.rebuild("solution"))
    return report.created


def _demo_diagnostics(users) -> int:
    """One completed self-diagnostic for each demo company that has members, answered with
    the second option of every question (a company that is starting out)."""
    from osezia.diagnostics import services as diagnostics
    from osezia.diagnostics.models import Diagnostic

    made = 0
    data = diagnostics.questionnaire_data(diagnostics.current_questionnaire())
    answers = {}
    for question in data.questions:
        options = [o.code for o in question.options if not o.exclusif]
        choice = options[min(1, len(options) - 1)]
        answers[question.code] = [choice] if question.type == "choix_multiple" else choice
    for entreprise in Entreprise.objects.filter(adhesions__est_admin=True).select_related("naf"):
        if Diagnostic.objects.filter(entreprise=entreprise).exists():
            continue
        admin = entreprise.adhesions.get(est_admin=True).utilisateur
        diagnostics.submit(admin, entreprise, answers)
        made += 1
    return made


def demo_size() -> int:
    data = load_demo_file()
    return len(data["comptes"]) + len(data["entreprises"])
