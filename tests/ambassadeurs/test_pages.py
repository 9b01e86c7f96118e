"""The pages: directory and map as a visitor, public page without e-mail and its contact form,
the company's request form, the ambassador's space, the operators' page, and the forbidden
cases."""

import pytest
from django.test import Client

from osezia.ambassadeurs.models import Ambassadeur, Demande
from osezia.ambassadeurs.services import create_request
from tests.ambassadeurs.factories import AmbassadeurFactory, body
from tests.comptes.factories import PASSWORD
from tests.conftest import login_with_code


def logged(user):
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def network(db):
    return [
        AmbassadeurFactory(
            id_externe="BZH-1", prenom="Nolwenn", regions=["53"], email="nolwenn@cci.example"
        ),
        AmbassadeurFactory(id_externe="ARA-1", prenom="Rémi", regions=["84"], reseau="BPIFRANCE"),
        AmbassadeurFactory(
            id_externe="NAT-1", prenom="Sami", type_ambassadeur="GRAND_PUBLIC", reseau="FRANCE_NUM"
        ),
    ]


def test_the_directory_shows_the_map_with_counts_and_its_table(network):
    page = Client().get("/ambassadeurs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bretagne : 2 ambassadeurs" in html  # BZH-1 and the national one
    assert "Mayotte : 1 ambassadeur" in html  # overseas inset
    assert html.count("<path d=") == 18
    assert "Ambassadeurs par région (alternative à la carte)" in html
    assert "nolwenn@cci.example" not in html


def test_the_map_s_numbers_are_placed_in_their_region_whatever_the_locale(network):
    # In French a number is written « 50,5 »: in an SVG attribute that is two positions, and
    # the count's second digit is drawn in the map's corner.
    import re

    html = Client().get("/ambassadeurs/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    positions = re.findall(r'<text x="([^"]+)" y="([^"]+)"', html)
    assert len(positions) >= 18 + 5
    assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v) for pair in positions for v in pair)


def test_the_directory_filters(network):
    html = Client().get("/ambassadeurs/?departement=35").content.decode()
    assert "Nolwenn" in html and "Sami" in html and "Rémi" not in html
    html = Client().get("/ambassadeurs/?reseau=BPIFRANCE").content.decode()
    assert "Rémi" in html and "Nolwenn" not in html


def test_the_public_page_has_a_contact_form_never_the_email(network, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = Client()
    page = client.get("/ambassadeurs/BZH-1/")
    assert page.status_code == 200 and "nolwenn@cci.example" not in page.content.decode()
    response = client.post(
        "/ambassadeurs/BZH-1/",
        {"nom": "Jeanne", "email": "jeanne@exemple.fr", "message": "Bonjour, une question."},
    )
    assert response.status_code == 302
    assert network[0].messages.count() == 1


def test_the_contact_form_is_rate_limited_and_validated(network, monkeypatch):
    from osezia.ambassadeurs.services import activites

    monkeypatch.setattr(activites, "CONTACTS_PER_HOUR", 1)
    client = Client()
    data = {"nom": "Jeanne", "email": "jeanne@exemple.fr", "message": "Bonjour."}
    assert client.post("/ambassadeurs/BZH-1/", data).status_code == 302
    assert client.post("/ambassadeurs/BZH-1/", data).status_code == 429
    bad = client.post("/ambassadeurs/ARA-1/", {**data, "email": "non"})
    assert bad.status_code == 200 and "Saisissez une adresse" in bad.content.decode()


def test_an_application_waits_for_the_operators(network, make_user):
    user = make_user()
    client = logged(user)
    assert Client().get("/ambassadeurs/BZH-1/").status_code == 200
    response = client.post(
        "/ambassadeurs/devenir/",
        {
            "prenom": "Ana",
            "nom": "Lopez",
            "type_ambassadeur": "SECTORIEL",
            "reseau": "CCI",
            "naf": "C ; 10.71",
            "capacite_mensuelle": 3,
            "langues": "français, espagnol",
        },
    )
    assert response.status_code == 302
    candidate = Ambassadeur.objects.get(utilisateur=user)
    assert candidate.statut == "candidature"
    assert Client().get(f"/ambassadeurs/{candidate.id_externe}/").status_code == 404


def test_a_company_member_asks_for_an_ambassador_and_follows_the_request(
    network, admin_a, company_a
):
    client = logged(admin_a)
    response = client.post(
        "/ambassadeurs/demander/",
        {"entreprise": company_a.pk, "email": admin_a.email, "message": "Bonjour"},
    )
    assert response.status_code == 302
    demande = Demande.objects.get()
    assert demande.entreprise == company_a and demande.ambassadeur.id_externe == "ARA-1"
    page = client.get(f"/ambassadeurs/demandes/{demande.pk}/")
    assert page.status_code == 200 and "Rémi" in page.content.decode()


def test_rights_on_a_request(network, make_user, member_b, admin_a, company_a, operator):
    ambassador_user = make_user()
    Ambassadeur.objects.filter(pk=network[1].pk).update(utilisateur=ambassador_user)
    other_ambassador = make_user()
    Ambassadeur.objects.filter(pk=network[0].pk).update(utilisateur=other_ambassador)
    demande = create_request(body(departement="69"), entreprise=company_a)
    assert demande.ambassadeur_id == network[1].pk
    url = f"/ambassadeurs/demandes/{demande.pk}/"
    assert logged(member_b).get(url).status_code == 404  # another company
    assert logged(other_ambassador).get(url).status_code == 404  # not routed to them
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    assert logged(admin_a).get(url).status_code == 200
    # the company sees it but cannot move it on
    assert (
        logged(admin_a).post(url, {"action": "statut", "statut": "accompagnee"}).status_code == 403
    )
    owner = logged(ambassador_user)
    assert owner.get(url).status_code == 200
    assert owner.post(url, {"action": "statut", "statut": "prise_en_charge"}).status_code == 302
    assert Demande.objects.get(pk=demande.pk).statut == "prise_en_charge"
    operator_page = login_with_code(Client(), operator).get(url)
    assert operator_page.status_code == 200 and "Raison du choix" in operator_page.content.decode()


def test_the_ambassador_space_and_the_operators_page_are_theirs_only(network, make_user, operator):
    user = make_user()
    Ambassadeur.objects.filter(pk=network[0].pk).update(utilisateur=user)
    client = logged(user)
    assert client.get("/ambassadeurs/espace/").status_code == 200
    response = client.post(
        "/ambassadeurs/espace/",
        {
            "type_activite": "atelier",
            "titre": "Atelier IA",
            "date": "2026-11-20",
            "lieu": "Rennes",
            "participants": 12,
        },
    )
    assert response.status_code == 302 and network[0].activites.count() == 1
    assert logged(make_user()).get("/ambassadeurs/espace/").status_code == 403
    assert client.get("/ambassadeurs/operateur/").status_code == 403
    assert login_with_code(Client(), operator).get("/ambassadeurs/operateur/").status_code == 200


def test_operators_validate_an_application(network, make_user, operator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user = make_user()
    candidate = AmbassadeurFactory(utilisateur=user, statut="candidature", email=user.email)
    client = login_with_code(Client(), operator)
    assert (
        client.post(
            "/ambassadeurs/operateur/",
            {"candidature": candidate.pk, "decision": "refuser", "motif": ""},
        ).status_code
        == 302
    )
    candidate.refresh_from_db()
    assert candidate.statut == "candidature"
    client.post("/ambassadeurs/operateur/", {"candidature": candidate.pk, "decision": "accepter"})
    candidate.refresh_from_db()
    assert candidate.statut == "actif" and "AMBASSADEUR" in type(user).objects.get(pk=user.pk).roles


def test_the_directory_and_the_api_read_in_a_bounded_number_of_queries(
    network, django_assert_max_num_queries
):
    for i in range(30):
        AmbassadeurFactory(regions=["53", "52"], naf=["C", "10.71"], id_externe=f"X-{i}")
    with django_assert_max_num_queries(20):
        assert Client().get("/ambassadeurs/?naf=C").status_code == 200
    # Five reads of our own, the rest are the API's rate counters (atomic, with savepoints).
    with django_assert_max_num_queries(20):
        assert Client().get("/api/v1/ambassadeurs?region=53&page_size=100").status_code == 200


def test_the_api_lists_and_moves_on_only_one_s_own_requests(
    network, make_user, member_b, admin_a, company_a
):
    ambassador_user, other_ambassador = make_user(), make_user()
    Ambassadeur.objects.filter(pk=network[1].pk).update(utilisateur=ambassador_user)
    Ambassadeur.objects.filter(pk=network[0].pk).update(utilisateur=other_ambassador)
    demande = create_request(body(departement="69"), entreprise=company_a)
    api = "/api/v1/ambassadeurs/demandes"
    assert Client().get(api).status_code == 401
    mine = logged(ambassador_user).get(api).json()
    assert mine["count"] == 1 and mine["items"][0]["id"] == demande.pk
    assert mine["items"][0]["entreprise"] == company_a.denomination
    assert logged(admin_a).get(api).json()["count"] == 1  # the company's own
    assert logged(other_ambassador).get(api).json()["count"] == 0
    assert logged(member_b).get(f"{api}/{demande.pk}").status_code == 404
    move = {"statut": "prise_en_charge"}
    statut = f"{api}/{demande.pk}/statut"
    assert (
        logged(other_ambassador).post(statut, move, content_type="application/json").status_code
        == 404
    )
    refused = logged(admin_a).post(statut, move, content_type="application/json")
    assert refused.status_code == 403 and "Seul l'ambassadeur" in refused.json()["detail"]
    bad = logged(ambassador_user).post(
        statut, {"statut": "accompagnee"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "n'est pas possible" in bad.content.decode()
    moved = logged(ambassador_user).post(statut, move, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["statut"] == "prise_en_charge"
    demande.refresh_from_db()
    assert demande.statut == "prise_en_charge" and demande.premier_contact_le is not None


def test_the_request_form_is_rate_limited_with_the_api(network, admin_a, company_a, monkeypatch):
    from osezia.ambassadeurs.services import demandes

    monkeypatch.setattr(demandes, "REQUESTS_PER_HOUR", 2)
    client = logged(admin_a)
    form = {"entreprise": company_a.pk, "email": admin_a.email, "message": "Bonjour"}
    statuses = [client.post("/ambassadeurs/demander/", form).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Demande.objects.count() == 2
