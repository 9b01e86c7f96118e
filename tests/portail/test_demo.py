from django.core.management import call_command

from osezia.comptes.models import Role, Utilisateur
from osezia.entreprises.models import Entreprise


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
