"""Enrolling from a training page: back from the login to a confirmation step (never a 405),
price and funding shown, the audience warning, one session of a training at a time, the
cancellation confirmed, the e-mails (learner with an .ics file, organisation)."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from osezia.academie import calendrier, services
from osezia.academie.models import Inscription, Session
from tests.academie.conftest import SOON, store, training
from tests.comptes.factories import PASSWORD
from tests.html import assert_valid_html

TWO_SESSIONS = [
    {"reference": "S1", "debut": SOON.isoformat(), "fin": SOON.isoformat(), "places": 2},
    {
        "reference": "S2",
        "debut": (SOON + timedelta(days=14)).isoformat(),
        "fin": (SOON + timedelta(days=15)).isoformat(),
        "places": 1,
    },
]


@pytest.fixture
def two_sessions(db):
    data = training()
    data["actions"][0]["sessions"] = TWO_SESSIONS
    data["actions"][0]["financements"] = ["OPCO", "CPF"]
    data["certifiante"] = True
    data["certification"] = {"code_rncp": "RNCP99123"}
    store(data, reindex=False)
    return Session.objects.get(reference="S1"), Session.objects.get(reference="S2")


def test_a_logged_out_visitor_comes_back_to_the_confirmation_after_login(two_sessions, make_user):
    first, _ = two_sessions
    person = make_user()
    services.set_profile(person, "SALARIE", "69")
    client = Client()
    page = client.get("/academie/formations/T-001/")
    enrol_url = f"/academie/sessions/{first.pk}/inscription/"
    assert f'href="{enrol_url}"' in page.text
    # The visitor follows the enrolment link: the login, then back with a GET.
    to_login = client.get(enrol_url)
    assert to_login.status_code == 302 and "/comptes/login/" in to_login["Location"]
    response = client.post(
        to_login["Location"], {"login": person.email, "password": PASSWORD}, follow=True
    )
    assert all(code != 405 for _, code in response.redirect_chain)
    assert response.status_code == 200, response.redirect_chain
    assert response.redirect_chain[-1][0] == enrol_url
    assert "Confirmer mon inscription" in response.text
    assert_valid_html(response.content)
    assert not Inscription.objects.exists()


def test_the_confirmation_shows_price_and_funding_and_warns_outside_the_audience(
    two_sessions, make_user
):
    first, _ = two_sessions
    person = make_user()
    services.set_profile(person, "APPRENTI", "69")
    client = Client()
    client.force_login(person)
    page = client.get(f"/academie/sessions/{first.pk}/inscription/")
    text = unescape(page.text)
    assert "180 € TTC" in text
    assert "OPCO" in text and "Compte personnel de formation (CPF)" in text
    assert "s'adresse aux salariés et dirigeants" in text and "apprenti·e" in text
    assert 'name="hors_public"' in text
    assert_valid_html(page.content)
    # Without ticking the box: nothing is stored, the page asks again.
    refused = client.post(f"/academie/sessions/{first.pk}/inscription/")
    assert refused.status_code == 422 and "Cochez la case" in unescape(refused.text)
    assert not Inscription.objects.exists()
    done = client.post(f"/academie/sessions/{first.pk}/inscription/", {"hors_public": "1"})
    assert done.status_code == 302 and done["Location"] == "/academie/mon-espace/"
    assert Inscription.objects.get(apprenant=person).statut == "inscrit"


def test_the_audience_rule_lives_in_the_service_and_the_api(two_sessions, make_user):
    first, _ = two_sessions
    person = make_user()
    services.set_profile(person, "DEMANDEUR_EMPLOI", "69")
    with pytest.raises(ValidationError, match="confirmez votre inscription"):
        services.enrol(person, first.pk)
    client = Client()
    client.force_login(person)
    preview = client.get(f"/api/v1/academie/sessions/{first.pk}/inscription").json()
    assert preview["prix_ttc_eur"] == 1180 and sorted(preview["financements"]) == ["CPF", "OPCO"]
    assert "s'adresse aux salariés et dirigeants" in preview["avertissement_public"]
    refused = client.post(f"/api/v1/academie/sessions/{first.pk}/inscriptions")
    assert refused.status_code == 422 and "confirmez votre inscription" in refused.json()["detail"]
    created = client.post(
        f"/api/v1/academie/sessions/{first.pk}/inscriptions?confirmer_hors_public=true"
    )
    assert created.status_code == 201


def test_one_session_of_a_training_at_a_time(two_sessions, make_user):
    first, second = two_sessions
    person = make_user()
    services.set_profile(person, "SALARIE", "69")
    inscription = services.enrol(person, first.pk)
    with pytest.raises(ValidationError, match="déjà inscrit·e à une autre session"):
        services.enrol(person, second.pk)
    client = Client()
    client.force_login(person)
    api = client.post(f"/api/v1/academie/sessions/{second.pk}/inscriptions")
    assert api.status_code == 422 and "autre session de cette formation" in api.json()["detail"]
    page = unescape(client.get(f"/academie/sessions/{second.pk}/inscription/").text)
    assert "Inscription impossible" in page and 'type="submit">Confirmer' not in page
    assert "Vous suivez une autre session" in client.get("/academie/formations/T-001/").text
    # Once the first is cancelled, the other session is open to the person.
    services.cancel(person, inscription)
    assert services.enrol(person, second.pk).statut == "inscrit"


def test_a_cancellation_is_confirmed_before_it_is_done(two_sessions, make_user):
    first, _ = two_sessions
    person = make_user()
    services.set_profile(person, "SALARIE", "69")
    inscription = services.enrol(person, first.pk)
    client = Client()
    client.force_login(person)
    space = client.get("/academie/mon-espace/").text
    assert f'href="/academie/inscriptions/{inscription.pk}/annuler/"' in space
    confirm = client.get(f"/academie/inscriptions/{inscription.pk}/annuler/")
    assert confirm.status_code == 200 and "Confirmer l'annulation" in unescape(confirm.text)
    assert_valid_html(confirm.content)
    inscription.refresh_from_db()
    assert inscription.statut == "inscrit"
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(f"/academie/inscriptions/{inscription.pk}/annuler/").status_code == 404
    done = client.post(f"/academie/inscriptions/{inscription.pk}/annuler/")
    assert done.status_code == 302
    inscription.refresh_from_db()
    assert inscription.statut == "annulee"


def test_the_learner_gets_an_ics_and_the_organisation_is_told(
    two_sessions, make_user, mailoutbox, immediate_tasks
):
    first, _ = two_sessions
    trainer = make_user(email="formatrice@organisme.fr")
    services.add_member(first.action.formation.organisme, trainer)
    person = make_user(email="lea@exemple.fr", first_name="Léa", last_name="Fabre")
    services.set_profile(person, "SALARIE", "69")
    with immediate_tasks(execute=True):
        services.enrol(person, first.pk)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"lea@exemple.fr", "formatrice@organisme.fr"}
    learner_mail = by_recipient["lea@exemple.fr"]
    assert learner_mail.subject.startswith("[Osez l'IA] Inscription confirmée")
    ((name, content, mimetype),) = learner_mail.attachments
    assert name == "session.ics" and mimetype == "text/calendar"
    assert content.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert f"DTSTART;VALUE=DATE:{SOON:%Y%m%d}\r\n" in content
    assert f"DTEND;VALUE=DATE:{SOON + timedelta(days=1):%Y%m%d}\r\n" in content
    assert "UID:academie-session-" in content and "DTSTAMP:" in content
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    org = by_recipient["formatrice@organisme.fr"]
    assert "Léa Fabre (lea@exemple.fr)" in org.body and "1 place prise sur 2" in org.body
    assert not org.attachments


def test_the_person_promoted_from_the_waiting_list_is_told(
    two_sessions, make_user, mailoutbox, immediate_tasks
):
    _, second = two_sessions
    first_person, waiting = make_user(), make_user(email="attente@exemple.fr")
    for person in (first_person, waiting):
        services.set_profile(person, "SALARIE", "69")
    with immediate_tasks(execute=True):
        taken = services.enrol(first_person, second.pk)
        assert services.enrol(waiting, second.pk).statut == "attente"
    waiting_mail = [m for m in mailoutbox if m.to == ["attente@exemple.fr"]]
    assert waiting_mail[0].subject.startswith("[Osez l'IA] Liste d'attente")
    assert not waiting_mail[0].attachments
    mailoutbox.clear()
    with immediate_tasks(execute=True):
        services.cancel(first_person, taken)
    (promoted,) = mailoutbox
    assert promoted.to == ["attente@exemple.fr"] and "place s'est libérée" in promoted.subject
    assert promoted.attachments[0][0] == "session.ics"


def test_ics_lines_are_escaped_and_folded():
    from datetime import UTC, date, datetime

    text = calendrier.ics(
        calendrier.Evenement(
            uid="u1@osez-ia",
            debut=date(2027, 1, 5),
            fin=date(2027, 1, 6),
            titre="IA ; devis, courriels\\ et « relecture » " + "é" * 60,
        ),
        now=datetime(2026, 12, 2, 14, 0, tzinfo=UTC),
    )
    assert "DTSTAMP:20261202T140000Z\r\n" in text and "DTEND;VALUE=DATE:20270107\r\n" in text
    assert "SUMMARY:IA \\; devis\\, courriels\\\\ et" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "é" * 60 in unfolded
