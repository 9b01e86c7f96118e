"""Adding a member to a company is an invitation: the admin never learns whether an e-mail
address has an account, and nobody joins a company without accepting."""

import json

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from osezia.comptes.models import Adhesion, InvitationEntreprise
from osezia.entreprises import services
from tests.html import assert_valid_html


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _answer(client, siren, email) -> str:
    """The message the admin reads on the page shown after inviting."""
    response = client.post(f"/entreprises/{siren}/membres/", {"email": email}, follow=True)
    assert response.redirect_chain[-1] == (f"/entreprises/{siren}/", 302)
    return " ".join(str(m) for m in response.context["messages"])


def test_the_page_answers_the_same_for_an_existing_and_an_unknown_address(
    make_user, company_a, admin_a, immediate_tasks
):
    colleague = make_user(email="collegue@exemple.fr")
    client = client_for(admin_a)
    with immediate_tasks(execute=True):
        known = _answer(client, company_a.siren, "collegue@exemple.fr")
        unknown = _answer(client, company_a.siren, "personne@exemple.fr")
    assert known.replace("collegue@", "X@") == unknown.replace("personne@", "X@")
    assert "Invitation envoyée" in known
    # Both addresses get the same e-mail; nobody is a member before accepting.
    assert sorted(m.to[0] for m in mail.outbox) == ["collegue@exemple.fr", "personne@exemple.fr"]
    bodies = {m.body for m in mail.outbox}
    assert len(bodies) == 1 and company_a.denomination in bodies.pop()
    assert not Adhesion.objects.filter(utilisateur=colleague).exists()
    # The company page lists both as pending invitations, alike.
    response = client.get(f"/entreprises/{company_a.siren}/")
    assert_valid_html(response.content)
    page = response.content.decode()
    assert "collegue@exemple.fr" in page and "personne@exemple.fr" in page
    # Inviting an existing member, or inviting twice, also answers the same, sends nothing.
    mail.outbox.clear()
    with immediate_tasks(execute=True):
        again = _answer(client, company_a.siren, "collegue@exemple.fr")
        member_again = _answer(client, company_a.siren, admin_a.email)
    assert again == known
    assert member_again.replace(admin_a.email, "collegue@exemple.fr") == known
    assert mail.outbox == []


def test_the_api_answers_the_same_for_an_existing_and_an_unknown_address(
    make_user, company_a, admin_a, member_a
):
    make_user(email="collegue@exemple.fr")
    client = client_for(admin_a)
    url = f"/api/v1/entreprises/{company_a.siren}/membres"
    known = client.post(url, {"email": "collegue@exemple.fr"}, content_type="application/json")
    unknown = client.post(url, {"email": "personne@exemple.fr"}, content_type="application/json")
    assert known.status_code == unknown.status_code == 202
    assert known.json()["detail"].replace("collegue@", "X@") == unknown.json()["detail"].replace(
        "personne@", "X@"
    )
    bad = client.post(url, {"email": "pas-une-adresse"}, content_type="application/json")
    assert bad.status_code == 422 and "adresse électronique valide" in bad.json()["detail"]
    # A plain member, or a stranger, cannot invite (and does not learn the company exists).
    for other in (member_a, make_user()):
        denied = client_for(other).post(
            url, {"email": "x@exemple.fr"}, content_type="application/json"
        )
        assert denied.status_code == 404


def test_only_the_invited_address_can_accept_and_only_once_verified(make_user, company_a, admin_a):
    services.invite_member(company_a, "Invitee@Exemple.fr", admin_a)
    invitation = InvitationEntreprise.objects.get()
    stranger = client_for(make_user())
    url = f"/entreprises/invitations/{invitation.pk}/repondre/"
    assert stranger.post(url, {"reponse": "accepter"}).status_code == 404
    invitee = make_user(email="invitee@exemple.fr")
    EmailAddress.objects.filter(user=invitee).update(verified=False)
    assert client_for(invitee).post(url, {"reponse": "accepter"}).status_code == 404
    assert not Adhesion.objects.filter(utilisateur=invitee).exists()
    EmailAddress.objects.filter(user=invitee).update(verified=True)
    client = client_for(invitee)
    space = client.get("/espace/")
    assert_valid_html(space.content)
    assert company_a.denomination in space.content.decode()
    api = client.get("/api/v1/entreprises/invitations").json()
    assert [i["siren"] for i in api["items"]] == [company_a.siren]
    response = client.post(url, {"reponse": "accepter"})
    assert response.status_code == 302
    adhesion = Adhesion.objects.get(utilisateur=invitee, entreprise=company_a)
    assert not adhesion.est_admin
    assert client.post(url, {"reponse": "accepter"}).status_code == 404  # answered already
    assert client.get(f"/entreprises/{company_a.siren}/").status_code == 200


def test_a_declined_invitation_adds_nobody(make_user, company_a, admin_a):
    invitee = make_user(email="invitee@exemple.fr")
    services.invite_member(company_a, "invitee@exemple.fr", admin_a)
    invitation = InvitationEntreprise.objects.get()
    response = client_for(invitee).post(
        f"/api/v1/entreprises/invitations/{invitation.pk}/reponse",
        json.dumps({"accepter": False}),
        content_type="application/json",
    )
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.statut == "declinee" and invitation.repondu_le is not None
    assert not Adhesion.objects.filter(utilisateur=invitee).exists()


def test_invitations_are_limited_per_admin_and_per_day(company_a, admin_a):
    client = client_for(admin_a)
    url = f"/api/v1/entreprises/{company_a.siren}/membres"
    statuses = [
        client.post(url, {"email": f"p{n}@exemple.fr"}, content_type="application/json").status_code
        for n in range(services.INVITATIONS_PER_DAY + 1)
    ]
    assert statuses == [202] * services.INVITATIONS_PER_DAY + [429]
    assert InvitationEntreprise.objects.count() == services.INVITATIONS_PER_DAY
