"""Rules the pages and the API share: the learner profile first, which enrolments can be
cancelled, a learner's progress on a path, renaming through comptes, organisation members."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from osezia.academie import services
from osezia.academie.models import Inscription, OrganismeFormation
from osezia.comptes.services import rename_user
from osezia.socle.regles import MESSAGE
from tests.academie.conftest import PREMIERS_PAS, start
from tests.comptes.factories import PASSWORD
from tests.conftest import login_with_code


def logged(user) -> Client:
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    return client


# « A learner profile is needed » -------------------------------------------------------------


def test_without_a_profile_the_page_and_the_api_ask_for_it_the_same_way(session_lyon, make_user):
    person = make_user()
    client = logged(person)
    page = client.post(f"/academie/sessions/{session_lyon.pk}/inscription/")
    assert page.status_code == 302
    # Back to the enrolment's confirmation step once the profile is given.
    assert page["Location"] == (
        f"/academie/profil/?next=%2Facademie%2Fsessions%2F{session_lyon.pk}%2Finscription%2F"
    )
    api = client.post(f"/api/v1/academie/sessions/{session_lyon.pk}/inscriptions")
    assert api.status_code == 422
    assert "indiquez d'abord votre situation" in api.json()["detail"].lower()
    assert not Inscription.objects.exists()


def test_following_a_path_needs_the_profile_too(db, make_user):
    services.save_tutoriel(dict(PREMIERS_PAS))
    services.save_parcours(
        {"slug": "p", "titre": "P", "public": "SALARIE", "etapes": [{"tutoriel": "premiers-pas"}]}
    )
    person = make_user()
    response = logged(person).post("/academie/parcours/p/")
    assert response.status_code == 302
    assert response["Location"] == "/academie/profil/?next=%2Facademie%2Fparcours%2Fp%2F"
    assert not person.suivis_parcours.exists()
    with pytest.raises(services.ProfileRequired):
        services.start_path(person, services.published_paths().get())


# Which enrolments can be cancelled ---------------------------------------------------------


def test_the_cancel_button_and_the_api_flag_follow_the_same_rule(session_lyon, learner):
    person = learner()
    inscription = services.enrol(person, session_lyon.pk)
    services.start_tutorial(person, services.save_tutoriel(dict(PREMIERS_PAS)))
    client = logged(person)

    def flags():
        items = client.get("/api/v1/academie/inscriptions").json()["items"]
        return {(i["formation"] or i["tutoriel"]): i["annulable"] for i in items}

    space = client.get("/academie/mon-espace/").content.decode()
    assert f"/academie/inscriptions/{inscription.pk}/annuler/" in space
    assert flags() == {"T-001": True, "premiers-pas": False}
    assert (
        client.delete(f"/api/v1/academie/inscriptions/{inscription.pk}").json()["annulable"]
        is False
    )
    space = client.get("/academie/mon-espace/").content.decode()
    assert f"/academie/inscriptions/{inscription.pk}/annuler/" not in space
    assert flags() == {"T-001": False, "premiers-pas": False}
    again = client.delete(f"/api/v1/academie/inscriptions/{inscription.pk}")
    assert again.status_code == 422 and "ne peut plus être annulée" in again.json()["detail"]


def test_a_completed_enrolment_is_not_cancellable(session_lyon, learner, operator):
    person = learner()
    inscription = services.enrol(person, session_lyon.pk)
    start(session_lyon)
    services.complete_session(operator, inscription)
    inscription.refresh_from_db()
    assert not services.cancellable(inscription)
    with pytest.raises(ValidationError, match="ne peut plus être annulée"):
        services.cancel(person, inscription)


def test_a_cancelled_enrolment_no_longer_shows_on_the_training_page_nor_blocks_a_new_one(
    session_lyon, learner
):
    person = learner()
    client = logged(person)
    first = services.enrol(person, session_lyon.pk)
    assert "Inscrit·e" in client.get("/academie/formations/T-001/").content.decode()
    assert services.live_by_session(person, session_lyon.action.formation) == {
        session_lyon.pk: first
    }
    services.cancel(person, first)
    page = client.get("/academie/formations/T-001/").content.decode()
    assert "Annulée" not in page and f"/academie/sessions/{session_lyon.pk}/inscription/" in page
    assert services.live_by_session(person, session_lyon.action.formation) == {}
    again = services.enrol(person, session_lyon.pk)
    assert services.live_by_session(person, session_lyon.action.formation) == {
        session_lyon.pk: again
    }
    assert {i["id"] for i in client.get("/api/v1/academie/inscriptions").json()["items"]} == {
        first.pk,
        again.pk,
    }


# The training-organisation space -----------------------------------------------------------


def test_the_organisation_space_is_for_operators_and_members(session_lyon, make_user, operator):
    from django.contrib.auth.models import AnonymousUser

    from osezia.academie.permissions import can_use_organisation_space

    stranger, member = make_user(), make_user()
    services.add_member(session_lyon.action.formation.organisme, member)
    assert [
        can_use_organisation_space(u) for u in (AnonymousUser(), stranger, member, operator)
    ] == [False, False, True, True]
    claim = logged(stranger).get("/academie/organisme/").content.decode()
    assert 'name="identifiant"' in claim and "/academie/organisme/sessions/" not in claim
    space = logged(member).get("/academie/organisme/").content.decode()
    assert f"/academie/organisme/sessions/{session_lyon.pk}/" in space


# Progress on a path ------------------------------------------------------------------------


def test_the_path_page_my_space_and_the_api_show_the_same_progress(session_lyon, learner):
    tutorial = services.save_tutoriel(dict(PREMIERS_PAS))
    path = services.save_parcours(
        {
            "slug": "debuter",
            "titre": "Débuter",
            "public": "SALARIE",
            "etapes": [{"tutoriel": "premiers-pas"}, {"formation": "T-001"}],
        }
    )
    person = learner()
    services.start_path(person, path)
    services.submit_quiz(person, tutorial, [1, 0, 2])
    client = logged(person)
    page = client.get("/academie/parcours/debuter/")
    assert (page.context["faites"], page.context["pourcentage"]) == (1, 50)
    assert [s.faite for s in page.context["etapes"]] == [True, False]
    assert "1 étape sur 2" in client.get("/academie/mon-espace/").content.decode()
    mine = client.get("/api/v1/academie/suivis").json()["items"]
    assert mine == [
        {
            "parcours": "debuter",
            "titre": "Débuter",
            "etapes_faites": 1,
            "etapes": 2,
            "pourcentage": 50,
            "termine_le": None,
            "code_verification": None,
        }
    ]
    # A visitor sees the steps, none done.
    visitor = Client().get("/academie/parcours/debuter/")
    assert [s.faite for s in visitor.context["etapes"]] == [False, False]


# Renaming goes through comptes ---------------------------------------------------------------


def test_rename_user_validates_and_keeps_a_name_left_empty(make_user):
    person = make_user(first_name="Léa", last_name="Fabre")
    rename_user(person, "  Inès ", "")
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Inès", "Fabre")
    with pytest.raises(ValidationError) as refused:
        rename_user(person, "In\x00ès", "x" * 151)
    assert refused.value.message_dict == {"prenom": [MESSAGE], "nom": ["150 caractères au plus"]}
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Inès", "Fabre")


def test_the_profile_names_the_certificates_through_rename_user(make_user):
    person = make_user(first_name="", last_name="")
    services.set_profile(person, "SALARIE", "69", "Léa", "Fabre")
    person.refresh_from_db()
    assert services.holder_name(person) == "Léa Fabre"
    with pytest.raises(ValidationError) as refused:
        services.set_profile(person, "LUNE", "69", "L" * 151)
    assert set(refused.value.message_dict) == {"prenom", "public"}


# Organisation members, by operators outside the admin ---------------------------------------


def test_an_operator_adds_a_member_who_then_manages_the_sessions(session_lyon, make_user, operator):
    trainer = make_user(email="formatrice@cec.example.fr")
    assert Client().get(f"/academie/organisme/sessions/{session_lyon.pk}/").status_code != 200
    client = login_with_code(Client(), operator)
    url = "/api/v1/academie/organismes/73282932000074/membres"
    added = client.post(
        url, {"email": "Formatrice@CEC.example.fr"}, content_type="application/json"
    )
    assert added.status_code == 201
    assert added.json()["membres"] == [
        {"email": "formatrice@cec.example.fr", "nom": trainer.get_full_name()}
    ]
    again = client.post(url, {"email": trainer.email}, content_type="application/json")
    assert again.status_code == 200 and again.json()["ajoute"] is False
    unknown = client.post(url, {"email": "personne@example.fr"}, content_type="application/json")
    assert unknown.status_code == 422 and "aucun compte" in unknown.json()["detail"]
    assert client.get("/api/v1/academie/organismes/00000000000000/membres").status_code == 404
    page = logged(trainer).get(f"/academie/organisme/sessions/{session_lyon.pk}/")
    assert page.status_code == 200


def test_members_and_learners_cannot_add_members(session_lyon, make_user, learner):
    organisme = OrganismeFormation.objects.get()
    member = make_user()
    services.add_member(organisme, member)
    outsider = make_user(email="outsider@example.fr")
    url = "/api/v1/academie/organismes/73282932000074/membres"
    body = {"email": outsider.email}
    for person in (member, learner()):
        response = logged(person).post(url, body, content_type="application/json")
        assert response.status_code == 403
        assert logged(person).get(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.add_member(organisme, outsider, by=person)
    assert Client().post(url, body, content_type="application/json").status_code == 401
    assert list(organisme.membres.all()) == [member]
