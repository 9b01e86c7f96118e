import pytest
from django.test import Client

from tests.conftest import login_with_code
from tests.html import assert_valid_html, ids_are_unique

# Each public page with the one status it must answer.
PUBLIC_PAGES = [
    ("/", 200),
    ("/axes/sensibiliser/", 200),
    ("/axes/former/", 200),
    ("/axes/accompagner/", 200),
    ("/observatoire/", 200),
    ("/accessibilite/", 200),
    ("/mentions-legales/", 200),
    ("/donnees-personnelles/", 200),
    ("/plan-du-site/", 200),
    ("/contact/", 200),
    ("/referentiels/naf/", 200),
    ("/referentiels/naf/?niveau=sous_classe&q=boulang", 200),
    ("/referentiels/naf/?niveau=inconnu", 200),
    ("/referentiels/naf/10.71C/", 200),
    ("/referentiels/naf/C/", 200),
    ("/referentiels/territoires/", 200),
    ("/referentiels/familles/", 200),
    ("/entreprises/categorie-taille/", 200),
    (
        "/entreprises/categorie-taille/?effectif=9&chiffre_affaires_eur=3000000&total_bilan_eur=3000000",
        200,
    ),
    ("/entreprises/categorie-taille/?effectif=-4", 200),
    ("/comptes/login/", 200),
    ("/comptes/signup/", 200),
    ("/comptes/password/reset/", 200),
    ("/une-page-qui-n-existe-pas/", 404),
]


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES)
def test_public_pages_are_valid_french_dsfr_html(db, path, status):
    response = Client().get(path)
    assert response.status_code == status
    content = response.content.decode()
    assert_valid_html(content)
    assert ids_are_unique(content), "identifiants HTML en double"
    assert '<html lang="fr"' in content
    assert 'class="fr-skiplinks"' in content
    assert 'href="#content"' in content and 'id="content"' in content
    for link in ("Accessibilité : non conforme", "Mentions légales", "Données personnelles"):
        assert link in content
    for axis in ("Sensibiliser", "Former", "Accompagner", "Observatoire"):
        assert f">{axis}</a>" in content
    assert "Osez l'IA" in content or "Osez l&#x27;IA" in content


def test_home_page_presents_the_plan_figures_and_the_call_to_action(db):
    content = Client().get("/").content.decode()
    for figure in ("13 %", "100 %", "80 %", "50 %", "15 millions", "+20 %"):
        assert figure in content
    assert "Faire mon autodiagnostic" in content


def test_company_pages_for_their_member(admin_a, company_a, django_assert_max_num_queries):
    client = Client()
    client.force_login(admin_a)
    for path in [
        "/espace/",
        "/entreprises/",
        f"/entreprises/{company_a.siren}/",
        f"/entreprises/{company_a.siren}/modifier/",
        "/entreprises/inscrire/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_valid_html(response.content)
    detail = client.get(f"/entreprises/{company_a.siren}/").content.decode()
    assert "Boulangerie et boulangerie-pâtisserie" in detail
    assert "Auvergne-Rhône-Alpes" in detail


def test_company_list_does_not_query_per_row(operator, django_assert_max_num_queries):
    from tests.entreprises.factories import EntrepriseFactory

    EntrepriseFactory.create_batch(30)
    client = Client()
    login_with_code(client, operator)
    with django_assert_max_num_queries(12):
        response = client.get("/entreprises/")
    assert response.status_code == 200
    assert response.content.decode().count("Entreprise fictive") == 25


def test_registering_a_company_through_the_form(make_user):
    client = Client()
    client.force_login(make_user())
    bad = client.post(
        "/entreprises/inscrire/",
        {
            "identifiant": "81234567600018",
            "denomination": "Boulangerie",
            "naf": "10.71",
            "effectif": "-2",
            "departement": "69",
        },
    )
    assert bad.status_code == 200
    content = bad.content.decode()
    assert_valid_html(content)
    assert "Le formulaire contient des erreurs" in content
    assert "clé de contrôle" in content
    response = client.post(
        "/entreprises/inscrire/",
        {
            "identifiant": "81234567600017",
            "denomination": "Boulangerie Morel",
            "naf": "10.71C",
            "effectif": "8",
            "chiffre_affaires_eur": "900000",
            "departement": "69",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Boulangerie Morel" in page and "TPE" in page


def test_naf_browsing_by_level_and_search(db):
    content = (
        Client()
        .get("/referentiels/naf/?niveau=sous_classe&q=boulangerie patisserie")
        .content.decode()
    )
    assert "10.71C" in content
    assert "Niveau inconnu" in Client().get("/referentiels/naf/?niveau=xx").content.decode()
    detail = Client().get("/referentiels/naf/10.71/").content.decode()
    assert "10.71C" in detail and "10.7" in detail
