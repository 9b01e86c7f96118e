"""The demo: experts in several regions, files at every state, one complete report."""

from django.test import Client

from osezia.comptes import demo as comptes_demo
from osezia.diagnostics import demo as diagnostics_demo
from osezia.entreprises import demo as entreprises_demo
from osezia.expertise import demo, etats
from osezia.expertise.models import Demande, Enveloppe, Expert, Rapport
from osezia.socle.demo import DemoContext


def test_the_demo_has_every_state_and_a_complete_report(db):
    context = DemoContext()
    for module in (comptes_demo, entreprises_demo, diagnostics_demo, demo):
        module.seed(context)
    assert set(Demande.objects.values_list("statut", flat=True)) == set(etats.LIBELLES)
    accredited = Expert.objects.filter(statut="accredite")
    assert accredited.values("regions").distinct().count() >= 8
    assert Expert.objects.filter(statut="candidature").exists()
    assert Demande.objects.filter(attente_enveloppe_depuis__isnull=False).exists()  # the queue
    for envelope in Enveloppe.objects.all():
        assert envelope.engage_cents <= envelope.montant_cents
    complete = Rapport.objects.get(demande__entreprise__denomination="Mécanique Précise du Jura")
    assert complete.statut == "valide" and len(complete.contenu["cas_usage"]) >= 3
    assert complete.contenu["cas_usage"][0]["heures_par_an"] == 420
    assert complete.demande.expert.utilisateur.email == "expert@demo.osez-ia.fr"
    client = Client()
    client.force_login(complete.demande.expert.utilisateur)
    pdf = client.get(f"/expertise/demandes/{complete.demande.pk}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Transports Lemoine et Fils is left free for the demo journey.
    assert not Demande.objects.filter(
        entreprise__denomination="Transports Lemoine et Fils"
    ).exists()
    again = DemoContext()
    demo.seed(again)
    assert again.created["dossiers Diagnostic Data IA"] == 0
