"""Operators must use two-factor authentication; other roles may."""

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from tests.comptes.factories import PASSWORD
from tests.conftest import TOTP_SECRET


def current_code(secret=TOTP_SECRET):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_operator_without_second_factor_must_set_it_up_first(make_user):
    user = make_user("OPERATEUR", is_staff=True)
    client = Client()
    client.force_login(user)
    response = client.get("/espace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/2fa/totp/activate")
    api = client.get("/api/v1/entreprises")
    assert api.status_code == 403
    assert "double authentification" in api.json()["detail"]
    assert client.get("/admin/").status_code == 302


def test_other_roles_are_not_forced(make_user):
    client = Client()
    client.force_login(make_user("CITOYEN"))
    assert client.get("/espace/").status_code == 200


def test_operator_login_asks_for_the_code(operator):
    client = Client()
    response = client.post("/comptes/login/", {"login": operator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/2fa/authenticate")
    assert client.get("/espace/").status_code == 302  # not logged in yet
    wrong = client.post("/comptes/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    ok = client.post("/comptes/2fa/authenticate/", {"code": current_code()})
    assert ok.status_code == 302
    assert client.get("/espace/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_signup_asks_for_a_profile_and_verifies_the_email(db, mailoutbox):
    client = Client()
    response = client.post(
        "/comptes/signup/",
        {
            "email": "nouvelle@exemple.fr",
            "password1": "Une-phrase-de-passe-solide",
            "password2": "Une-phrase-de-passe-solide",
            "first_name": "Léa",
            "last_name": "Martin",
            "profil": "FOURNISSEUR",
        },
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    from osezia.comptes.models import Utilisateur

    user = Utilisateur.objects.get(email="nouvelle@exemple.fr")
    assert user.roles == {"FOURNISSEUR"}
    assert client.get("/espace/").status_code == 302  # e-mail not verified yet


def test_signup_cannot_grant_operator(db):
    response = Client().post(
        "/comptes/signup/",
        {
            "email": "pirate@exemple.fr",
            "password1": "Une-phrase-de-passe-solide",
            "password2": "Une-phrase-de-passe-solide",
            "first_name": "X",
            "last_name": "Y",
            "profil": "OPERATEUR",
        },
    )
    assert response.status_code == 200
    from osezia.comptes.models import Utilisateur

    assert not Utilisateur.objects.filter(email="pirate@exemple.fr").exists()
