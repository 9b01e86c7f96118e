"""Rules the catalogue's pages, API and commands share, each decided once in a service or a
permission: token revocation with its history, operators adding provider members, the
honeypot of public forms, which versions may be submitted."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from osezia.catalogue import permissions, services
from osezia.catalogue.models import DemandeContact, JetonAPI, Solution, VersionSolution
from osezia.socle.validation import is_robot
from tests.catalogue.conftest import make_line, siren
from tests.conftest import login_with_code

API = "/api/v1/catalogue/fournisseur/solutions"


@pytest.fixture
def provider(make_user):
    user = make_user()
    fournisseur = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    secret = services.create_token(fournisseur, user, "CI")
    return fournisseur, user, secret, JetonAPI.objects.get(fournisseur=fournisseur)


def api_ok(secret) -> bool:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(API).status_code == 200


# Token revocation ---------------------------------------------------------------------------


def test_a_member_revokes_a_token_and_who_and_when_are_kept(provider):
    fournisseur, user, secret, token = provider
    assert api_ok(secret)
    client = login_with_code(Client(), user)
    answer = client.post(reverse("catalogue:revoquer", args=[token.pk]), follow=True)
    assert "Le jeton est révoqué." in answer.content.decode()
    token.refresh_from_db()
    assert token.revoque and token.revoque_par == user and token.revoque_le is not None
    assert not api_ok(secret)
    again = client.post(reverse("catalogue:revoquer", args=[token.pk]), follow=True)
    assert "Ce jeton est déjà révoqué." in again.content.decode()


def test_another_provider_cannot_revoke_a_token(provider, make_user):
    _, _, secret, token = provider
    intruder = make_user()
    services.register_provider(intruder, "Autre (fictif)", siren(2))
    client = login_with_code(Client(), intruder)
    assert client.post(reverse("catalogue:revoquer", args=[token.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.revoke_token(token.fournisseur, token.pk, intruder)
    token.refresh_from_db()
    assert not token.revoque and api_ok(secret)


def test_an_operator_revokes_a_providers_token_from_the_providers_page(provider, operator):
    fournisseur, user, secret, token = provider
    client = login_with_code(Client(), operator)
    page = client.get(reverse("catalogue:fournisseur", args=[fournisseur.siren]))
    assert page.status_code == 200 and "CI" in page.content.decode()
    url = reverse("catalogue:revoquer_jeton_fournisseur", args=[fournisseur.siren, token.pk])
    answer = client.post(url, follow=True)
    assert f"par {operator.email}" in answer.content.decode()
    token.refresh_from_db()
    assert token.revoque and token.revoque_par == operator
    assert not api_ok(secret)


def test_the_operators_provider_pages_are_for_operators_only(provider, make_user):
    fournisseur, user, _, token = provider
    urls_get = [
        reverse("catalogue:fournisseurs"),
        reverse("catalogue:fournisseur", args=[fournisseur.siren]),
    ]
    urls_post = [
        reverse("catalogue:ajouter_membre", args=[fournisseur.siren]),
        reverse("catalogue:revoquer_jeton_fournisseur", args=[fournisseur.siren, token.pk]),
    ]
    for who in (user, make_user()):  # the provider's own member is no operator either
        client = login_with_code(Client(), who)
        for url in urls_get:
            assert client.get(url).status_code == 403
        for url in urls_post:
            assert client.post(url, {"email": who.email}).status_code == 403
    anonymous = Client()
    for url in urls_get:
        assert anonymous.get(url).status_code == 302
    token.refresh_from_db()
    assert not token.revoque and fournisseur.membres.count() == 1


# Members added by operators -----------------------------------------------------------------


def test_an_operator_adds_a_member_by_the_address_of_a_verified_account(
    provider, operator, make_user
):
    fournisseur, _, _, _ = provider
    newcomer = make_user()
    client = login_with_code(Client(), operator)
    url = reverse("catalogue:ajouter_membre", args=[fournisseur.siren])
    answer = client.post(url, {"email": newcomer.email.upper()}, follow=True)
    assert f"{newcomer.email} est désormais membre" in answer.content.decode()
    assert fournisseur.membres.filter(pk=newcomer.pk).exists()
    assert "FOURNISSEUR" in set(newcomer.attributions.values_list("role", flat=True))
    again = client.post(url, {"email": newcomer.email})
    assert "déjà membre" in again.content.decode()


def test_no_member_is_added_without_a_verified_active_account(provider, operator, make_user):
    fournisseur, _, _, _ = provider
    unverified = make_user()
    unverified.emailaddress_set.update(verified=False)
    inactive = make_user(is_active=False)
    client = login_with_code(Client(), operator)
    url = reverse("catalogue:ajouter_membre", args=[fournisseur.siren])
    for email in (unverified.email, inactive.email, "personne@inconnue.fr"):
        answer = client.post(url, {"email": email})
        assert "confirmé cette adresse électronique" in answer.content.decode()
    assert fournisseur.membres.count() == 1


def test_only_operators_add_members_through_the_service(provider, make_user):
    fournisseur, member, _, _ = provider
    newcomer = make_user()
    with pytest.raises(PermissionDenied):
        services.add_member_by_email(fournisseur, newcomer.email, member)
    assert not fournisseur.membres.filter(pk=newcomer.pk).exists()


# Honeypot -----------------------------------------------------------------------------------


def test_the_honeypot_rule():
    assert is_robot({"site": "http://spam.example"})
    assert not is_robot({"site": ""}) and not is_robot({}) and not is_robot({"site": "  "})


def test_a_robot_filling_the_honeypot_is_answered_but_nothing_is_stored(db, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(make_line()), encoding="utf-8")
    services.import_lines(services.read_lines(path))
    url = reverse("catalogue:solution", args=["devis-express"])
    form = {
        "nom": "Robot",
        "email": "robot@exemple.fr",
        "message": "Un message assez long pour passer le minimum.",
    }
    answer = Client().post(url, {**form, "site": "http://spam.example"}, follow=True)
    assert "Votre message est enregistré" in answer.content.decode()
    assert not DemandeContact.objects.exists()
    Client().post(url, form)
    assert DemandeContact.objects.count() == 1


# Which versions may be submitted ------------------------------------------------------------


def test_submission_is_offered_for_drafts_and_refusals_only(provider, operator):
    fournisseur, user, secret, _ = provider
    draft = services.create_solution(fournisseur, make_line(id_externe="brouillon"), user)
    waiting = services.create_solution(
        fournisseur, make_line(id_externe="soumise"), user, submit_now=True
    )
    refused = services.create_solution(
        fournisseur, make_line(id_externe="refusee"), user, submit_now=True
    )
    services.refuse(refused.version_en_cours, operator, "Incomplet")
    for solution in (draft, waiting, refused):
        solution.refresh_from_db()
    assert [permissions.can_submit(s) for s in (draft, waiting, refused)] == [True, False, True]
    client = login_with_code(Client(), user)
    page = client.get(reverse("catalogue:espace")).content.decode()
    assert reverse("catalogue:soumettre", args=["brouillon"]) in page
    assert reverse("catalogue:soumettre", args=["refusee"]) in page
    assert reverse("catalogue:soumettre", args=["soumise"]) not in page
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(API).json()
    assert {s["id_externe"]: s["soumettable"] for s in listed["items"]} == {
        "brouillon": True,
        "soumise": False,
        "refusee": True,
    }
    with pytest.raises(ValidationError):
        services.submit(waiting, user)
    services.submit(draft, user)
    assert (
        Solution.objects.get(pk=draft.pk).version_en_cours.statut == VersionSolution.Statut.SOUMISE
    )
