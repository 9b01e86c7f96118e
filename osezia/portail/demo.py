"""Demo data: invented French companies and one account per role (idempotent)."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
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
                entreprises.add_member(entreprise, users[email])
            created["entreprises"] += 1
        if progress:
            progress()
    created["diagnostics"] = _demo_diagnostics(users)
    created["solutions"] = _demo_catalogue(users)
    created.update(_demo_academie(users))
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
    first, second = (list(Fournisseur.objects.order_by("pk")[:2]) + [None, None])[:2]
    if provider and first and not first.membres.filter(pk=provider.pk).exists():
        catalogue.add_member(first, provider)
    _demo_claim(users.get("expert@demo.osez-ia.fr"), second)
    recherche.finish_after_import(rebuild_types=("solution",))
    return report.created


def _demo_claim(user, fournisseur) -> None:
    """One pending claim for the operator to see: an account asks to join an imported
    provider (once; a decided claim is not sent again)."""
    from osezia.comptes.models import DemandeRattachement, TypeOrganisation
    from osezia.comptes.services import submit_claim

    if user is None or fournisseur is None:
        return
    if DemandeRattachement.objects.filter(
        demandeur=user,
        type_organisation=TypeOrganisation.FOURNISSEUR,
        organisation_id=fournisseur.pk,
    ).exists():
        return
    submit_claim(
        user,
        TypeOrganisation.FOURNISSEUR,
        fournisseur.pk,
        "Associée du cabinet, je gère nos solutions au catalogue ; je peux envoyer l'extrait "
        "Kbis et j'écris depuis mon adresse professionnelle.",
    )


ACADEMIE_DATA = Path(__file__).resolve().parents[1] / "academie" / "data"
# The demo sessions are written for a calendar starting on this day; they are moved by the
# time elapsed since, so that a fresh demo always shows sessions to come.
ACADEMIE_REFERENCE_DAY = date(2026, 12, 1)


def _shifted(value: str | None, days: int) -> str | None:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat() if value else value


def _demo_trainings(today: date):
    from osezia.academie.lheo import Lu

    shift = (today - ACADEMIE_REFERENCE_DAY).days
    with open(ACADEMIE_DATA / "demo_formations.jsonl", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            for action in data["actions"]:
                for session in action["sessions"]:
                    session["debut"] = _shifted(session["debut"], shift)
                    session["fin"] = _shifted(session["fin"], shift)
            yield Lu(number, f"demo_formations.jsonl:{number}", data)


def _demo_academie(users) -> dict:
    """The invented Académie: 150 trainings, 40 tutorials and the learning paths, loaded
    through the same services as an LHEO import; a training organisation account; and a
    few enrolments and completions of the demo learners."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from osezia.academie import services as academie
    from osezia.academie.models import Formation, Inscription, OrganismeFormation, Tutoriel
    from osezia.recherche import services as recherche

    report = academie.import_trainings(_demo_trainings(timezone.localdate()), "demo")
    if report.errors:
        raise ValidationError([f"{path} : {message}" for path, message in report.errors])
    from osezia.academie.models import Parcours

    tutorials_before, paths_before = Tutoriel.objects.count(), Parcours.objects.count()
    with open(ACADEMIE_DATA / "demo_tutoriels.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                academie.save_tutoriel(json.loads(line))
    with open(ACADEMIE_DATA / "demo_parcours.json", encoding="utf-8") as handle:
        for item in json.load(handle)["parcours"]:
            academie.save_parcours(item)
    trainer = users.get("formation@demo.osez-ia.fr")
    first = Formation.objects.filter(reference="DEMO-F-001").select_related("organisme").first()
    if trainer and first and not first.organisme.membres.filter(pk=trainer.pk).exists():
        academie.add_member(first.organisme, trainer)
    learners = [
        (users.get("apprenant@demo.osez-ia.fr"), "DEMANDEUR_EMPLOI", "93"),
        (users.get("salarie@demo.osez-ia.fr"), "SALARIE", "69"),
    ]
    if first and not Inscription.objects.filter(session__isnull=False).exists():
        today = timezone.localdate()
        sessions = [s for a in first.actions.all() for s in a.sessions.all()]
        upcoming = [s for s in sessions if s.ouverte and s.debut and s.debut > today]
        past = [s for s in sessions if s.debut and s.fin and s.fin < today]
        for learner, public, departement in learners:
            if learner:
                academie.set_profile(learner, public, departement)
        job_seeker, employee = learners[0][0], learners[1][0]
        if job_seeker and upcoming:
            academie.enrol(job_seeker, upcoming[0].pk)
        if employee and trainer and past:
            # The employee followed last month's session: the organisation records it.
            code = employee.profil_apprenant.code_apprenant
            academie.record_attendance(trainer, past[0], employee.email, code)
        tutorial = Tutoriel.objects.order_by("slug").first()
        if tutorial and learners[0][0]:
            academie.submit_quiz(learners[0][0], tutorial, [q["reponse"] for q in tutorial.quiz])
    recherche.finish_after_import(rebuild_types=("formation", "tutoriel"))
    return {
        "formations": report.created,
        "tutoriels": Tutoriel.objects.count() - tutorials_before,
        "parcours": Parcours.objects.count() - paths_before,
        "organismes": OrganismeFormation.objects.count(),
    }


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
