"""The admin is reached only through the site's login with the second factor, and grants no
power an operator does not already have."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.comptes.factories import PASSWORD
from tests.conftest import login_with_code


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    cache.clear()


def test_the_admin_login_form_sends_to_the_site_login(operator):
    client = Client()
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302
    assert page["Location"].startswith("/comptes/login/")
    # Posting the password to the admin's own login no longer opens a session.
    posted = client.post(
        "/admin/login/?next=/admin/", {"username": operator.email, "password": PASSWORD}
    )
    assert posted.status_code == 302 and posted["Location"].startswith("/comptes/login/")
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_opened_without_the_code_is_closed_everywhere(operator):
    client = Client()
    client.force_login(operator)  # the password only: the code was never typed
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/comptes/login/")
    assert "_auth_user_id" not in client.session  # logged out, must start again

    client.force_login(operator)
    api = client.get("/api/v1/entreprises")
    assert api.status_code == 401
    assert "second facteur" in api.json()["detail"]

    client.force_login(operator)
    assert client.get("/catalogue/moderation/").status_code == 302


def test_the_full_login_with_the_code_opens_the_admin(operator):
    from tests.comptes.test_mfa import current_code

    client = Client()
    client.post("/comptes/login/", {"login": operator.email, "password": PASSWORD})
    client.post("/comptes/2fa/authenticate/", {"code": current_code()})
    assert client.get("/admin/").status_code == 200


def test_staff_accounts_need_the_second_factor_too(make_user):
    staff = make_user(is_staff=True)
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/2fa/totp/activate")


def test_wrong_passwords_are_throttled_then_even_the_right_one_is_refused(operator):
    client = Client()
    for _ in range(5):
        client.post("/comptes/login/", {"login": operator.email, "password": "faux-mot-de-passe"})
    last = client.post("/comptes/login/", {"login": operator.email, "password": PASSWORD})
    # Five failures for this account (the counters start empty, `_fresh_counters`), under the
    # per-address limit: the form again with the refusal, never the code step.
    assert last.status_code == 200
    assert "Trop de tentatives de connexion échouées" in last.content.decode()
    assert "/2fa/authenticate" not in last.get("Location", "")
    assert client.get("/espace/").status_code == 302


def test_an_operator_cannot_make_anyone_superuser_or_staff(operator, make_user):
    target = make_user("CITOYEN")
    client = login_with_code(Client(), operator)
    url = f"/admin/comptes/utilisateur/{operator.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html and 'name="is_staff"' not in html
    assert 'name="groups"' not in html and 'name="user_permissions"' not in html

    for person in (operator, target):
        client.post(
            f"/admin/comptes/utilisateur/{person.pk}/change/",
            {
                "email": person.email,
                "first_name": "Nom",
                "last_name": "Changé",
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "attributions-TOTAL_FORMS": "0",
                "attributions-INITIAL_FORMS": "0",
                "last_login_0": "",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "10:00:00",
            },
        )
        person.refresh_from_db()
        assert not person.is_superuser
    target.refresh_from_db()
    assert target.last_name == "Changé"  # the allowed fields were saved
    assert not target.is_staff


def test_an_operator_cannot_edit_or_delete_a_superuser(operator, make_user):
    boss = make_user(is_staff=True, is_superuser=True)
    client = login_with_code(Client(), operator)
    page = client.get(f"/admin/comptes/utilisateur/{boss.pk}/change/")
    assert page.status_code == 200  # shown read-only: operators may see who the staff are
    assert 'name="email"' not in page.content.decode()
    deleted = client.post(f"/admin/comptes/utilisateur/{boss.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    boss.refresh_from_db()
    assert boss.is_superuser


def test_a_superuser_still_manages_privileges(make_user):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    boss = make_user(is_staff=True, is_superuser=True)
    TOTP.activate(boss, TOTP_SECRET)
    client = login_with_code(Client(), boss)
    html = client.get(f"/admin/comptes/utilisateur/{boss.pk}/change/").content.decode()
    assert 'name="is_superuser"' in html and 'name="groups"' in html


def test_an_operator_cannot_hand_a_staff_account_to_someone_else(operator, make_user):
    """Adding or changing the e-mail address of a superuser (or another operator), then a
    password reset, would take that account over."""
    from allauth.account.models import EmailAddress

    boss = make_user(is_staff=True, is_superuser=True)
    peer = make_user("OPERATEUR", is_staff=True)
    boss_address, _ = EmailAddress.objects.get_or_create(
        user=boss, email=boss.email, defaults={"verified": True}
    )
    client = login_with_code(Client(), operator)
    assert client.get("/admin/account/emailaddress/add/").status_code == 403
    client.post(
        "/admin/account/emailaddress/add/",
        {"user": boss.pk, "email": "pirate@exemple.fr", "verified": "on", "primary": "on"},
    )
    assert not EmailAddress.objects.filter(email="pirate@exemple.fr").exists()
    client.post(
        f"/admin/account/emailaddress/{boss_address.pk}/change/",
        {"user": boss.pk, "email": "pirate@exemple.fr", "verified": "on", "primary": "on"},
    )
    boss_address.refresh_from_db()
    assert boss_address.email == boss.email
    # Another operator's account cannot be changed either (password included).
    assert client.get(f"/admin/comptes/utilisateur/{peer.pk}/password/").status_code == 403


def test_operators_cannot_read_anyones_second_factor(operator):
    client = login_with_code(Client(), operator)
    assert client.get("/admin/mfa/authenticator/").status_code == 403


def test_an_operator_cannot_make_operators(operator, make_user):
    target = make_user("CITOYEN")
    client = login_with_code(Client(), operator)
    page = client.get(f"/admin/comptes/utilisateur/{target.pk}/change/").content.decode()
    assert 'value="EXPERT"' in page and 'value="OPERATEUR"' not in page
    client.post(
        f"/admin/comptes/utilisateur/{target.pk}/change/",
        {
            "email": target.email,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "is_active": "on",
            "attributions-TOTAL_FORMS": "1",
            "attributions-INITIAL_FORMS": "0",
            "attributions-0-role": "OPERATEUR",
            "attributions-0-utilisateur": str(target.pk),
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    target.refresh_from_db()
    target.__dict__.pop("_roles_cache", None)
    assert "OPERATEUR" not in target.roles
    # An operator's own roles are not in their hands either.
    own = client.get(f"/admin/comptes/utilisateur/{operator.pk}/change/").content.decode()
    assert "attributions-TOTAL_FORMS" not in own


def test_an_operator_cannot_move_an_address_onto_a_staff_account(operator, make_user):
    """Moving a person's verified address onto the superuser, then a password reset, was a
    way to take the superuser over."""
    from allauth.account.models import EmailAddress

    boss = make_user(is_staff=True, is_superuser=True)
    person = make_user("CITOYEN")
    address, _ = EmailAddress.objects.get_or_create(
        user=person, email=person.email, defaults={"verified": True}
    )
    client = login_with_code(Client(), operator)
    client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {"user": boss.pk, "email": "pirate@exemple.fr", "verified": "on", "_save": "1"},
    )
    address.refresh_from_db()
    assert (address.user_id, address.email) == (person.pk, person.email)
    boss.refresh_from_db()
    assert boss.email != "pirate@exemple.fr"
