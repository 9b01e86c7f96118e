"""The figures for the observatory and the hub's answer on the diagnostic's results."""

from datetime import datetime
from zoneinfo import ZoneInfo

from osezia.ambassadeurs.models import Demande
from osezia.ambassadeurs.recommandations import SourceAmbassadeurs
from osezia.ambassadeurs.services import change_status, create_request, observatory_figures
from osezia.diagnostics.recommandations import Contexte
from osezia.socle import plan
from tests.ambassadeurs.factories import AmbassadeurFactory, body

CONTEXT = Contexte(
    naf="10.71C",
    naf_chain=("10.71C", "10.71", "10.7", "10", "C"),
    section="C",
    categorie_taille="TPE",
    departement="35",
    region="53",
    cas_usage=(),
)
PARIS = ZoneInfo("Europe/Paris")


def test_the_hub_proposes_the_ambassador_routing_would_choose_without_writing(db):
    AmbassadeurFactory(id_externe="NAT")
    AmbassadeurFactory(id_externe="BZH-FOOD", prenom="Maël", regions=["53"], naf=["10.7"])
    [answer] = SourceAmbassadeurs().recommander(CONTEXT)
    assert answer.details["id_externe"] == "BZH-FOOD" and answer.details["rang"] == 1
    assert "Maël" in answer.titre and answer.url == "/ambassadeurs/BZH-FOOD/"
    assert not Demande.objects.exists()


def test_the_hub_says_nothing_when_nobody_covers_the_company(db):
    AmbassadeurFactory(regions=["84"])
    assert SourceAmbassadeurs().recommander(CONTEXT) == []


def test_observatory_figures(db, make_user):
    user = make_user()
    AmbassadeurFactory(regions=["53"], naf=["C"], utilisateur=user)
    AmbassadeurFactory(statut="candidature")
    first = create_request(body(), now=datetime(2026, 12, 3, 10, tzinfo=PARIS))
    create_request(
        body(siret="", email="autre@x.example"), now=datetime(2026, 12, 3, 10, tzinfo=PARIS)
    )
    change_status(first, user, "prise_en_charge", now=datetime(2026, 12, 4, 10, tzinfo=PARIS))
    change_status(first, user, "accompagnee", now=datetime(2026, 12, 20, 10, tzinfo=PARIS))
    figures = observatory_figures()
    assert figures["actifs"] == 1 and figures["cible"] == plan.AMBASSADORS_TARGET
    assert figures["reponses"] == {"premier_contact": 1, "dans_les_temps": 1, "part_pct": 100}
    assert figures["entreprises_accompagnees"] == 1
    gaps = figures["zones_sans_ambassadeur"]
    assert ("53", "C") not in gaps and ("53", "G") in gaps and ("84", "C") in gaps
    assert len(gaps) == 18 * 21 - 1
