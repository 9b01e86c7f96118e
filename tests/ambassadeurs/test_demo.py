"""The demo network: every kind and network across the 18 regions, requests at every status."""

from osezia.ambassadeurs import demo
from osezia.ambassadeurs.models import Ambassadeur, Demande, HistoriqueStatut
from osezia.comptes import demo as comptes_demo
from osezia.entreprises import demo as entreprises_demo
from osezia.referentiels import codes
from osezia.socle.demo import DemoContext


def test_the_demo_covers_kinds_networks_regions_and_statuses(db):
    context = DemoContext()
    comptes_demo.seed(context)
    entreprises_demo.seed(context)
    demo.seed(context)
    active = Ambassadeur.objects.filter(statut="actif")
    assert active.count() >= 55
    assert set(active.values_list("type_ambassadeur", flat=True)) == set(
        codes.codes("type_ambassadeur")
    )
    assert set(active.values_list("reseau", flat=True)) == set(codes.codes("reseau"))
    assert active.filter(regions__isnull=False).values("regions").distinct().count() == 18
    statuses = set(Demande.objects.values_list("statut", flat=True))
    assert {"assignee", "prise_en_charge", "accompagnee", "sans_suite", "injoignable"} <= statuses
    assert HistoriqueStatut.objects.filter(apres="pas_pour_moi").exists()
    assert Ambassadeur.objects.get(id_externe="AMB-CCI-DEMO").demandes.exists()
    again = DemoContext()
    demo.seed(again)
    assert again.created["ambassadeurs"] == 0
