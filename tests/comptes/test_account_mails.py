"""Account e-mails name the platform and link to its public address (`SITE_NAME`,
`SITE_URL`), never the host a request came through; a message is shown on the page it is
meant for, so « e-mail de confirmation envoyé » is not shown again after confirmation."""

import re

import pytest
from django.test import Client

SITE = "https://osez-ia.example.fr"
SIGNUP = {
    "email": "lea.martin@exemple.fr",
    "password1": "Un-mot-de-passe-solide-2030",
    "password2": "Un-mot-de-passe-solide-2030",
    "first_name": "Léa",
    "last_name": "Martin",
    "profil": "ENTREPRISE",
}


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return SITE


def _signup(client, mailoutbox):
    answer = client.post("/comptes/signup/", SIGNUP, follow=True)
    assert answer.status_code == 200
    assert len(mailoutbox) == 1
    return answer, mailoutbox[0]


def test_the_signup_email_names_the_platform_and_links_to_its_address(db, site, mailoutbox):
    _, sent = _signup(Client(), mailoutbox)
    assert "Osez l'IA" in sent.body
    assert "testserver" not in sent.body and "testserver" not in sent.subject
    assert "L'équipe de la plateforme Osez l'IA" in sent.body
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", sent.body).group(0)
    assert link.startswith(f"{SITE}/comptes/confirm-email/")


def test_the_password_reset_email_links_to_the_platform(db, site, mailoutbox, make_user):
    user = make_user()
    Client().post("/comptes/password/reset/", {"email": user.email})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "testserver" not in body and "plateforme Osez l'IA" in body
    assert re.search(rf"{re.escape(SITE)}/comptes/password/reset/key/\S+/", body)


def test_the_sent_message_is_shown_once_not_after_confirmation(db, site, mailoutbox):
    client = Client()
    answer, sent = _signup(client, mailoutbox)
    page = answer.content.decode()
    assert "lea.martin@exemple.fr" in page and "fr-alert" in page  # shown where it belongs
    path = re.search(r"/comptes/confirm-email/\S+/", sent.body).group(0)
    confirmed = client.post(path, follow=True).content.decode()
    assert "confirmé" in confirmed
    assert "envoyé" not in confirmed.lower().replace("e-mail envoyé à l'opérateur", "")
