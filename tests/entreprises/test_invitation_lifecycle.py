"""An invitation expires after 14 days, the company's admin can cancel it, and the invitations
of a person who leaves the company are cancelled with them."""

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from osezia.comptes.models import Adhesion, InvitationEntreprise
from osezia.entreprises import services
from tests.comptes.factories import member
from tests.conftest import login_with_code
from tests.html import assert_valid_html


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _age(invitation, days: int) -> None:
    InvitationEntreprise.objects.filter(pk=invitation.pk).update(
        cree_le=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def invitee(make_user):
    return make_user(email="invitee@exemple.fr")


@pytest.fixture
def invitation(company_a, admin_a):
    services.invite_member(company_a, "invitee@exemple.fr", admin_a)
    return InvitationEntreprise.objects.get(email="invitee@exemple.fr")


def test_the_validity_is_fourteen_days():
    assert timedelta(days=14) == services.INVITATION_VALIDITY


def test_an_invitation_still_valid_on_day_13_can_be_accepted(invitee, invitation, company_a):
    _age(invitation, 13)
    client = client_for(invitee)
    assert company_a.denomination in client.get("/espace/").content.decode()
    (item,) = client.get("/api/v1/entreprises/invitations").json()["items"]
    sent = datetime.fromisoformat(item["cree_le"])
    assert datetime.fromisoformat(item["expire_le"]) - sent == timedelta(days=14)
    response = client.post(
        f"/entreprises/invitations/{invitation.pk}/repondre/", {"reponse": "accepter"}
    )
    assert response.status_code == 302
    assert Adhesion.objects.filter(utilisateur=invitee, entreprise=company_a).exists()


def test_an_expired_invitation_cannot_be_accepted(invitee, invitation, company_a):
    _age(invitation, 15)
    client = client_for(invitee)
    # No longer offered to the invitee, neither on their page nor in the API.
    space = client.get("/espace/")
    assert company_a.denomination not in space.content.decode()
    assert client.get("/api/v1/entreprises/invitations").json()["items"] == []
    # Accepting it anyway (an old link, a stale page) is refused in French.
    response = client.post(
        f"/entreprises/invitations/{invitation.pk}/repondre/",
        {"reponse": "accepter"},
        follow=True,
    )
    assert "Cette invitation a expiré" in " ".join(str(m) for m in response.context["messages"])
    api = client.post(
        f"/api/v1/entreprises/invitations/{invitation.pk}/reponse",
        json.dumps({"accepter": True}),
        content_type="application/json",
    )
    assert api.status_code == 422 and "Cette invitation a expiré" in api.json()["detail"]
    assert not Adhesion.objects.filter(utilisateur=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.statut == InvitationEntreprise.Statut.EN_ATTENTE


def test_the_admin_sees_pending_and_expired_invitations_with_their_expiry(
    company_a, admin_a, member_a
):
    services.invite_member(company_a, "recente@exemple.fr", admin_a)
    services.invite_member(company_a, "ancienne@exemple.fr", admin_a)
    _age(InvitationEntreprise.objects.get(email="ancienne@exemple.fr"), 20)
    response = client_for(admin_a).get(f"/entreprises/{company_a.siren}/")
    assert_valid_html(response.content)
    page = response.content.decode()
    expiry = (timezone.localtime() + timedelta(days=14)).date()
    assert "recente@exemple.fr" in page and "ancienne@exemple.fr" in page
    assert "expirée" in page
    assert f"expire le {expiry.day} " in page
    # A plain member sees no invitation at all.
    other = client_for(member_a).get(f"/entreprises/{company_a.siren}/").content.decode()
    assert "recente@exemple.fr" not in other and "Invitations en attente" not in other


def test_the_admins_list_of_invitations_is_paginated(company_a, admin_a):
    InvitationEntreprise.objects.bulk_create(
        InvitationEntreprise(entreprise=company_a, email=f"p{n:02}@exemple.fr", invite_par=admin_a)
        for n in range(30)
    )
    client = client_for(admin_a)
    first = client.get(f"/entreprises/{company_a.siren}/").content.decode()
    second = client.get(f"/entreprises/{company_a.siren}/?page=2").content.decode()
    shown_first = {n for n in range(30) if f"p{n:02}@exemple.fr" in first}
    shown_second = {n for n in range(30) if f"p{n:02}@exemple.fr" in second}
    assert len(shown_first) == 25 and len(shown_second) == 5
    assert shown_first | shown_second == set(range(30))
    assert "Page suivante" in first


def test_an_expired_address_can_be_invited_again(invitee, invitation, company_a, admin_a):
    _age(invitation, 15)
    services.invite_member(company_a, "invitee@exemple.fr", admin_a)
    (fresh,) = services.invitations_for(invitee)
    assert fresh.pk != invitation.pk
    invitation.refresh_from_db()
    assert invitation.statut == InvitationEntreprise.Statut.ANNULEE
    services.answer_invitation(invitee, fresh.pk, accept=True)
    assert Adhesion.objects.filter(utilisateur=invitee, entreprise=company_a).exists()


def test_the_admin_cancels_an_invitation_from_the_page(invitee, invitation, company_a, admin_a):
    client = client_for(admin_a)
    page = client.get(f"/entreprises/{company_a.siren}/").content.decode()
    url = f"/entreprises/{company_a.siren}/invitations/{invitation.pk}/annuler/"
    assert url in page
    response = client.post(url, follow=True)
    assert "L'invitation envoyée à invitee@exemple.fr est annulée." in " ".join(
        str(m) for m in response.context["messages"]
    )
    assert "Invitations en attente" not in response.content.decode()  # it was the only one
    invitation.refresh_from_db()
    assert invitation.statut == InvitationEntreprise.Statut.ANNULEE
    assert invitation.repondu_le is not None
    # The invitee no longer sees it, and cannot accept it.
    invitee_client = client_for(invitee)
    assert company_a.denomination not in invitee_client.get("/espace/").content.decode()
    accept = invitee_client.post(
        f"/entreprises/invitations/{invitation.pk}/repondre/", {"reponse": "accepter"}
    )
    assert accept.status_code == 404
    assert not Adhesion.objects.filter(utilisateur=invitee).exists()
    # Cancelling twice says so.
    again = client.post(url, follow=True)
    assert "ne peut plus être annulée" in " ".join(str(m) for m in again.context["messages"])


def test_the_admin_cancels_an_invitation_through_the_api(invitee, invitation, company_a, admin_a):
    client = client_for(admin_a)
    url = f"/api/v1/entreprises/{company_a.siren}/invitations/{invitation.pk}"
    response = client.delete(url)
    assert response.status_code == 200
    assert response.json()["detail"] == "L'invitation envoyée à invitee@exemple.fr est annulée."
    assert services.invitations_for(invitee).count() == 0
    again = client.delete(url)
    assert again.status_code == 422 and "ne peut plus être annulée" in again.json()["detail"]


def test_an_operator_may_cancel(invitation, company_a, operator):
    client = login_with_code(Client(), operator)
    url = f"/api/v1/entreprises/{company_a.siren}/invitations/{invitation.pk}"
    assert client.delete(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.statut == InvitationEntreprise.Statut.ANNULEE


def test_nobody_else_may_cancel(invitation, company_a, company_b, member_a, member_b, make_user):
    """A plain member, another company's admin, a stranger: 404 on the page and the API, and
    the invitation stays valid."""
    for other in (member_a, member_b, make_user()):
        client = client_for(other)
        api = client.delete(f"/api/v1/entreprises/{company_a.siren}/invitations/{invitation.pk}")
        assert api.status_code == 404 and api.json()["detail"] == "Ressource introuvable."
        page = client.post(f"/entreprises/{company_a.siren}/invitations/{invitation.pk}/annuler/")
        assert page.status_code == 404
    # Company B's admin cannot reach company A's invitation through their own company either.
    client = client_for(member_b)
    assert (
        client.delete(
            f"/api/v1/entreprises/{company_b.siren}/invitations/{invitation.pk}"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/entreprises/{company_b.siren}/invitations/{invitation.pk}/annuler/"
        ).status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.statut == InvitationEntreprise.Statut.EN_ATTENTE


def test_removing_a_former_admin_cancels_the_invitations_they_sent(
    make_user, invitee, company_a, admin_a
):
    services.invite_member(company_a, "invitee@exemple.fr", admin_a)
    services.invite_member(company_a, "autre@exemple.fr", admin_a)
    # The admin rights move to someone else (operators do it in the back office); the former
    # admin, now a plain member, is then removed by the new admin.
    Adhesion.objects.filter(utilisateur=admin_a, entreprise=company_a).update(est_admin=False)
    new_admin = make_user()
    member(new_admin, company_a, admin=True)
    services.invite_member(company_a, "garde@exemple.fr", new_admin)
    adhesion = Adhesion.objects.get(utilisateur=admin_a, entreprise=company_a)
    response = client_for(new_admin).post(
        f"/entreprises/{company_a.siren}/membres/{adhesion.pk}/retirer/"
    )
    assert response.status_code == 302
    assert not Adhesion.objects.filter(pk=adhesion.pk).exists()
    statuses = dict(InvitationEntreprise.objects.values_list("email", "statut"))
    assert statuses == {
        "invitee@exemple.fr": "annulee",
        "autre@exemple.fr": "annulee",
        "garde@exemple.fr": "en_attente",  # the new admin's invitation stays
    }
    assert services.invitations_for(invitee).count() == 0


def test_an_invitation_from_an_admin_who_lost_the_rights_cannot_be_accepted(
    make_user, invitee, invitation, company_a, admin_a
):
    """Admin rights moved in the back office, the former admin still a member: what they sent
    is void at once, for the invitee and on the company page."""
    Adhesion.objects.filter(utilisateur=admin_a, entreprise=company_a).update(est_admin=False)
    new_admin = make_user()
    member(new_admin, company_a, admin=True)
    client = client_for(invitee)
    assert company_a.denomination not in client.get("/espace/").content.decode()
    accept = client.post(
        f"/entreprises/invitations/{invitation.pk}/repondre/", {"reponse": "accepter"}
    )
    assert accept.status_code == 404
    assert not Adhesion.objects.filter(utilisateur=invitee).exists()
    page = client_for(new_admin).get(f"/entreprises/{company_a.siren}/").content.decode()
    assert "invitee@exemple.fr" not in page
    # The new admin can invite the address again, and that invitation works.
    services.invite_member(company_a, "invitee@exemple.fr", new_admin)
    (fresh,) = services.invitations_for(invitee)
    assert fresh.pk != invitation.pk
    services.answer_invitation(invitee, fresh.pk, accept=True)
    assert Adhesion.objects.filter(utilisateur=invitee, entreprise=company_a).exists()


def test_an_invitation_sent_by_an_operator_stays_valid(invitee, company_a, operator):
    services.invite_member(company_a, "invitee@exemple.fr", operator)
    (invitation,) = services.invitations_for(invitee)
    services.answer_invitation(invitee, invitation.pk, accept=True)
    assert Adhesion.objects.filter(utilisateur=invitee, entreprise=company_a).exists()
