"""The contact page to the operators, the legal pages an operator fills in, the site map and
the main navigation."""

import pytest
from django.test import Client

from osezia.portail.models import InformationsLegales, MessageContact
from tests.conftest import login_with_code
from tests.html import assert_valid_html

VALID = {
    "nom": "Léa Martin",
    "email": "lea@exemple.fr",
    "sujet": "compte",
    "message": "Bonjour, je ne reçois pas l'e-mail de confirmation de mon compte.",
    "site": "",
}


@pytest.fixture
def client(db):
    return Client()


def test_the_contact_page_is_linked_from_the_footer_the_accessibility_and_the_reset_page(client):
    for path in ("/", "/accessibilite/", "/comptes/password/reset/"):
        assert 'href="/contact/"' in client.get(path).content.decode(), path
    reset = client.get("/comptes/password/reset/").content.decode()
    assert "Contactez l'équipe de la plateforme</a>" in reset
    page = client.get("/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    assert_valid_html(html)
    assert "Données personnelles</a>" in html and "CNIL" in html  # the RGPD notice
    assert 'name="site"' in html  # the honeypot
    for label in MessageContact.Sujet.labels:
        assert label.replace("'", "&#x27;") in html


def test_a_message_is_stored_and_emailed_to_the_operators_after_commit(
    client, operator, mailoutbox, immediate_tasks
):
    with immediate_tasks(execute=True):
        answer = client.post("/contact/", VALID)
    assert answer.status_code == 302
    item = MessageContact.objects.get()
    assert (item.nom, item.email, item.sujet) == ("Léa Martin", "lea@exemple.fr", "compte")
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == [operator.email]
    assert "Mon compte, ma connexion ou mon mot de passe" in sent.subject
    assert "lea@exemple.fr" in sent.body and "ne reçois pas" in sent.body
    assert f"/admin/portail/messagecontact/{item.pk}/change/" in sent.body
    followed = client.get(answer["Location"]).content.decode()
    assert "Votre message est enregistré" in followed


def test_invalid_messages_get_french_errors_and_nothing_is_stored(client):
    answer = client.post(
        "/contact/", {**VALID, "sujet": "inconnu", "message": "court", "email": "x"}
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Le formulaire contient des erreurs" in html
    assert "Saisissez une adresse de courriel valide." in html
    assert not MessageContact.objects.exists()


def test_the_honeypot_stores_nothing(client, mailoutbox, immediate_tasks):
    with immediate_tasks(execute=True):
        answer = client.post("/contact/", {**VALID, "site": "http://spam.example"})
    assert answer.status_code == 302
    assert not MessageContact.objects.exists() and not mailoutbox


def test_messages_are_rate_limited_per_address(client, settings):
    settings.CONTACT_RATE_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/contact/", VALID).status_code == 302
    refused = client.post("/contact/", VALID)
    assert refused.status_code == 200
    assert "Trop de messages envoyés depuis votre connexion" in refused.content.decode()
    assert MessageContact.objects.count() == 2


def test_legal_pages_show_placeholders_until_the_operator_fills_them(client):
    for path in ("/mentions-legales/", "/donnees-personnelles/"):
        html = client.get(path).content.decode()
        assert "À compléter par l&#x27;opérateur" in html, path
    infos = InformationsLegales.courantes()
    infos.directeur_publication = "Camille Durand, directrice de la publication"
    infos.hebergeur = "Hébergeur Exemple, 1 rue de l'Exemple, 75000 Paris"
    infos.editeur = "Direction générale des entreprises (exemple)"
    infos.save()
    html = client.get("/mentions-legales/").content.decode()
    assert "Camille Durand" in html and "Hébergeur Exemple" in html
    assert "À compléter" not in html
    html = client.get("/donnees-personnelles/").content.decode()
    for heading in ("Durées de conservation", "Délégué à la protection des données", "CNIL"):
        assert heading in html
    assert "À compléter" in html  # retention, DPO, CNIL still to fill in


def test_operators_see_messages_and_edit_legal_texts_in_the_back_office(client, operator):
    operator.is_staff = True
    operator.is_superuser = True
    operator.save()
    login_with_code(client, operator)
    client.post("/contact/", VALID)
    assert "Léa Martin" in client.get("/admin/portail/messagecontact/").content.decode()
    InformationsLegales.courantes()
    assert client.get("/admin/portail/informationslegales/1/change/").status_code == 200


def test_the_site_map_lists_every_module_and_the_navigation_has_catalogue_and_diagnostic(client):
    plan = client.get("/plan-du-site/").content.decode()
    for path in (
        "/diagnostic/",
        "/catalogue/",
        "/academie/",
        "/academie/formations/",
        "/academie/tutoriels/",
        "/academie/parcours/",
        "/entreprises/inscrire/",
        "/observatoire/",
        "/contact/",
        "/api/docs",
    ):
        assert f'href="{path}"' in plan, path
    home = client.get("/").content.decode()
    nav = home[
        home.index('class="fr-nav__list"') : home.index(
            "</nav>", home.index('class="fr-nav__list"')
        )
    ]
    assert 'href="/diagnostic/"' in nav and 'href="/catalogue/"' in nav
