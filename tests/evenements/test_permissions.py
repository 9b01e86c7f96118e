"""Forbidden cases: another organiser's event, another participant's meeting, pages for
organisers only."""

import pytest
from django.test import Client

from osezia.evenements.services import inscriptions, planning
from tests.comptes.factories import PASSWORD, UtilisateurFactory

from . import factories

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def ev():
    return factories.evenement(factories.organisateur(), tables=2)


@pytest.mark.parametrize(
    "page", ["organisation/", "organisation/emargement/", "organisation/grille/"]
)
def test_another_organiser_gets_404_on_the_organisers_pages(ev, page):
    autre = factories.organisateur()
    assert _client(autre).get(f"/rencontres/{ev.pk}/{page}").status_code == 404
    assert (
        _client(autre)
        .post(f"/rencontres/{ev.pk}/organisation/", {"action": "planifier"})
        .status_code
        == 404
    )
    assert _client(ev.organisateur).get(f"/rencontres/{ev.pk}/{page}").status_code == 200


def test_only_organisers_create_events(ev):
    assert (
        _client(UtilisateurFactory(roles=["ENTREPRISE"])).get("/rencontres/nouvelle/").status_code
        == 404
    )
    assert _client(ev.organisateur).get("/rencontres/nouvelle/").status_code == 200
    assert Client().get("/rencontres/nouvelle/").status_code == 302  # to the login page


def test_a_person_not_registered_has_no_agenda_nor_interests(ev):
    passant = _client(UtilisateurFactory(roles=[]))
    for page in ("agenda/", "agenda.ics", "agenda.pdf", "interets/"):
        assert passant.get(f"/rencontres/{ev.pk}/{page}").status_code == 404


def test_a_participant_sees_only_their_own_meetings(ev):
    e1 = factories.inscrit(ev, "Boulangerie Alpha")
    f1 = factories.inscrit(ev, "Vision Atlantique", "fournisseur")
    e2 = factories.inscrit(ev, "Garage Bêta")
    inscriptions.marquer_interet(e1, f1, "souhaite")
    planning.appliquer(
        ev, {"rendez_vous": [{"a": e1.ident, "b": f1.ident, "creneau": "C01", "table": 1}]}
    )
    rdv = ev.rendez_vous.get()
    tiers = _client(e2.utilisateur)
    assert tiers.get(f"/rencontres/{ev.pk}/rendez-vous/{rdv.pk}/retour/").status_code == 404
    assert "Vision Atlantique" not in tiers.get(f"/rencontres/{ev.pk}/agenda/").content.decode()


def test_an_answer_to_a_request_comes_only_from_its_recipient(ev):
    e1 = factories.inscrit(ev, "Boulangerie Alpha")
    f1 = factories.inscrit(ev, "Vision Atlantique", "fournisseur")
    e2 = factories.inscrit(ev, "Garage Bêta")
    demande = inscriptions.marquer_interet(e1, f1, "souhaite", "Bonjour")
    _client(e2.utilisateur).post(
        f"/rencontres/{ev.pk}/interets/", {"repondre": demande.pk, "accepte": "1"}
    )
    demande.refresh_from_db()
    assert demande.reponse == "en_attente"


def test_an_interest_in_someone_of_another_event_is_refused(ev):
    autre_ev = factories.evenement(factories.organisateur(), titre="Autre rencontre")
    e1 = factories.inscrit(ev, "Boulangerie Alpha")
    ailleurs = factories.inscrit(autre_ev, "Vision Atlantique", "fournisseur")
    reponse = _client(e1.utilisateur).post(
        f"/rencontres/{ev.pk}/interets/", {"vers": ailleurs.pk, "niveau": "souhaite"}
    )
    assert reponse.status_code == 404
    assert not e1.interets_emis.exists()


def test_registration_outside_its_window_is_refused(ev):
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    choix = inscriptions.Preremplissage("entreprise", "Boulangerie Alpha", [])
    with pytest.raises(ValidationError, match="pas ouvertes"):
        inscriptions.inscrire(
            UtilisateurFactory(roles=[]),
            ev,
            choix,
            [],
            "",
            list(ev.creneaux.all()),
            2,
            jour=ev.ouverture_inscriptions - timedelta(days=1),
        )
