import ast
import re
from importlib import import_module
from pathlib import Path
from unittest import mock

from django.core.management import call_command

from osezia.comptes.models import Role, Utilisateur
from osezia.entreprises.models import Entreprise
from osezia.portail import demo

DEMO_PASSWORD = "OsezIA-demo-2030"
DEMO_LOGINS = [
    "dirigeante@demo.osez-ia.fr",
    "salarie@demo.osez-ia.fr",
    "fournisseur@demo.osez-ia.fr",
    "expert@demo.osez-ia.fr",
    "ambassadeur@demo.osez-ia.fr",
    "apprenant@demo.osez-ia.fr",
    "formation@demo.osez-ia.fr",
    "citoyen@demo.osez-ia.fr",
    "operateur@demo.osez-ia.fr",
    "organisateur@demo.osez-ia.fr",
]


def test_seed_demo_creates_one_account_per_role_and_is_idempotent(db):
    call_command("seed_demo")
    counts = (Utilisateur.objects.count(), Entreprise.objects.count())
    roles = set(Utilisateur.objects.values_list("attributions__role", flat=True))
    assert set(Role.values) <= roles
    assert counts[1] >= 10
    assert set(Entreprise.objects.values_list("categorie_taille", flat=True)) == {
        "TPE",
        "PME",
        "ETI",
        "GE",
    }
    from osezia.diagnostics.models import Diagnostic

    diagnostics = Diagnostic.objects.count()
    assert diagnostics >= 1
    call_command("seed_demo")
    assert (Utilisateur.objects.count(), Entreprise.objects.count()) == counts
    assert Diagnostic.objects.count() == diagnostics


def demo_rows() -> dict[str, int]:
    from allauth.mfa.models import Authenticator

    from osezia.academie.models import (
        Formation,
        Inscription,
        OrganismeFormation,
        Parcours,
        Tutoriel,
    )
    from osezia.ambassadeurs.models import Ambassadeur, Demande
    from osezia.catalogue.models import Fournisseur, Solution
    from osezia.comptes.models import Adhesion, DemandeRattachement
    from osezia.consultation.models import Consultation, Resultats, Vote
    from osezia.diagnostics.models import Diagnostic

    models = [Utilisateur, Authenticator, Entreprise, Adhesion, Diagnostic, Fournisseur, Solution]
    models += [DemandeRattachement, OrganismeFormation, Formation, Tutoriel, Parcours, Inscription]
    models += [Consultation, Vote, Resultats, Ambassadeur, Demande]
    rows = {model.__name__: model.objects.count() for model in models}
    rows["membres fournisseurs"] = Fournisseur.membres.through.objects.count()
    rows["membres organismes"] = OrganismeFormation.membres.through.objects.count()
    return rows


def test_every_module_seeds_its_own_data_in_the_declared_order_and_twice_is_once(db):
    ran = []
    originals = {app: import_module(f"osezia.{app}.demo").seed for app in demo.DEMO_ORDER}

    def recording(app):
        def seed(context):
            ran.append(app)
            originals[app](context)

        return seed

    with mock.patch.multiple("osezia.portail.demo", demo_modules=lambda: modules):
        modules = []
        for app in demo.DEMO_ORDER:
            module = mock.Mock(spec=["seed", "size"])
            module.seed = recording(app)
            modules.append(module)
        logins, created = demo.seed_demo()
    assert ran == [
        "comptes",
        "entreprises",
        "diagnostics",
        "catalogue",
        "academie",
        "consultation",
        "ambassadeurs",
        "expertise",
        "evenements",
    ]
    first = demo_rows()
    assert all(first[name] > 0 for name in first), first
    assert [login.email for login in logins] == DEMO_LOGINS
    assert created["comptes"] == 9 and created["entreprises"] == 12
    assert created["diagnostics"] >= 1 and created["solutions"] > 0
    assert created["formations"] > 0 and created["tutoriels"] > 0 and created["parcours"] > 0
    assert created["consultations"] == 2 and created["votes de consultation"] > 10_000
    assert created["ambassadeurs"] == 61 and created["demandes d'accompagnement"] == 24
    assert (
        created["experts Diagnostic Data IA"] == 7 and created["dossiers Diagnostic Data IA"] == 11
    )
    assert created["rencontres"] == 3 and created["rendez-vous"] > 0
    logins, created = demo.seed_demo()
    assert demo_rows() == first
    assert [login.email for login in logins] == DEMO_LOGINS
    kinds = ("comptes", "entreprises", "diagnostics", "solutions", "formations", "tutoriels")
    assert {kind: n for kind, n in created.items() if kind != "organismes"} == dict.fromkeys(
        (
            *kinds,
            "parcours",
            "consultations",
            "ambassadeurs",
            "demandes d'accompagnement",
            "activités d'ambassadeurs",
            "experts Diagnostic Data IA",
            "dossiers Diagnostic Data IA",
            "comptes des rencontres",
            "rencontres",
        ),
        0,
    )


def test_the_demo_makes_members_only_through_the_apps_services(db):
    """With the apps' `add_member` services switched off, no demo membership appears: the demo
    writes no other app's membership table itself."""
    from osezia.academie.models import OrganismeFormation
    from osezia.catalogue.models import Fournisseur
    from osezia.comptes.models import Adhesion

    with (
        mock.patch("osezia.catalogue.services.add_member") as provider_member,
        mock.patch("osezia.academie.services.add_member") as trainer_member,
        # Not a member, the trainer could not record the employee's attendance.
        mock.patch("osezia.academie.services.record_attendance"),
        mock.patch("osezia.entreprises.services.add_member") as company_member,
    ):
        call_command("seed_demo")
    first_provider = Fournisseur.objects.order_by("pk").first()
    provider_member.assert_called_once_with(
        first_provider, Utilisateur.objects.get(email="fournisseur@demo.osez-ia.fr")
    )
    assert not Fournisseur.membres.through.objects.exists()
    trainer = Utilisateur.objects.get(email="formation@demo.osez-ia.fr")
    trainer_member.assert_called_once()
    assert trainer_member.call_args.args[1] == trainer
    assert not OrganismeFormation.membres.through.objects.exists()
    salarie = Utilisateur.objects.get(email="salarie@demo.osez-ia.fr")
    company_member.assert_called_once_with(Entreprise.objects.get(siren="812345676"), salarie)
    # The admins come with their companies (entreprises.create_entreprise); the employee's
    # plain membership only through entreprises.add_member.
    assert not Adhesion.objects.filter(utilisateur=salarie, est_admin=False).exists()


def test_no_demo_module_writes_a_table_itself():
    """Every app's demo.py creates its rows through services: no ORM write call in it."""
    root = Path(demo.__file__).resolve().parents[1]
    writes = {"create", "save", "add", "update", "delete", "bulk_create", "get_or_create", "set"}
    for app in demo.DEMO_ORDER:
        tree = ast.parse((root / app / "demo.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                via_service = isinstance(owner, ast.Name) and owner.id in {
                    "services",
                    "comptes",
                    "recherche",
                    "context",
                    "transaction",
                }
                assert via_service or node.func.attr not in writes, (app, ast.unparse(node))


def test_seed_demo_prints_the_demo_logins_and_the_password(db, capsys):
    call_command("seed_demo")
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert "Démonstration : 9 compte(s), 12 entreprise(s)," in out
    assert "Comptes de démonstration (un par rôle)" in out
    for email in DEMO_LOGINS:
        assert email in out
    assert f"Mot de passe de tous les comptes : {DEMO_PASSWORD}" in out
    assert "clé TOTP JBSWY3DPEHPK3PXPOSEZIADEMOCODEAB" in out
    call_command("seed_demo")
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert "Démonstration : 0 compte(s), 0 entreprise(s), 0 diagnostic(s), 0 solution(s)" in out


def test_the_demo_provider_keeps_its_member_and_the_operator_has_one_claim_to_decide(db):
    from osezia.catalogue.models import Fournisseur
    from osezia.comptes.models import DemandeRattachement

    call_command("seed_demo")
    first = Fournisseur.objects.order_by("pk").first()
    assert first.membres.filter(email="fournisseur@demo.osez-ia.fr").exists()
    claims = DemandeRattachement.objects.filter(statut="en_attente")
    assert claims.count() == 1
    claim = claims.get()
    assert claim.demandeur.email == "expert@demo.osez-ia.fr"
    assert not Fournisseur.objects.get(pk=claim.organisation_id).membres.exists()
    call_command("seed_demo")
    assert DemandeRattachement.objects.count() == 1
