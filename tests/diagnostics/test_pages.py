import re

from django.test import Client

from osezia.diagnostics.models import Diagnostic
from tests.comptes.factories import member
from tests.diagnostics.factories import all_answers
from tests.entreprises.factories import EntrepriseFactory
from tests.html import assert_valid_html, ids_are_unique

PROFILE = {
    "naf": "10.71C",
    "effectif": "8",
    "chiffre_affaires_eur": "900000",
    "departement": "69",
    "description": "On jette trop de pain le soir.",
}


def step_data(questionnaire, etape, pick="second"):
    answers = all_answers(questionnaire, pick)
    data = {"action": "suivant"}
    for q in questionnaire.questions_of(etape.code):
        data[f"q_{q.code}"] = answers[q.code]
    return data


def walk(client, questionnaire, start_url):
    url = start_url
    for etape in questionnaire.etapes:
        page = client.get(url)
        assert page.status_code == 200, url
        content = page.content.decode()
        assert_valid_html(content)
        assert ids_are_unique(content)
        assert 'class="fr-stepper"' in content
        response = client.post(url, step_data(questionnaire, etape))
        assert response.status_code == 302, response.content.decode()[:500]
        url = response["Location"]
    return url


def test_an_anonymous_leader_goes_from_profile_to_results_and_pdf(db, questionnaire):
    client = Client()
    start = client.get("/diagnostic/")
    assert_valid_html(start.content)
    bad = client.post("/diagnostic/", {**PROFILE, "naf": "10.71", "effectif": "-3"})
    assert "Le formulaire contient des erreurs" in bad.content.decode()
    response = client.post("/diagnostic/", PROFILE)
    assert response.status_code == 302
    results_url = walk(client, questionnaire, response["Location"])
    assert results_url.endswith("/resultats/")
    page = client.get(results_url)
    content = page.content.decode()
    assert_valid_html(content)
    assert re.search(r"Votre maturité : \d+/100, niveau", content)
    assert "<svg" in content and "<caption>Scores par dimension</caption>" in content
    assert "Prévision" in content and "Vous indiquez « On jette trop de pain le soir »" in content
    assert "pas encore ouvert" not in content  # every announced module answers now
    pdf = client.get(results_url.replace("resultats", "pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_missing_answers_are_reported_on_the_step(db, questionnaire):
    client = Client()
    url = client.post("/diagnostic/", PROFILE)["Location"]
    client.post(url, step_data(questionnaire, questionnaire.etapes[0]))
    strategy_url = url.replace("/etape/0/", "/etape/1/")
    page = client.post(strategy_url, {"action": "suivant"})
    assert page.status_code == 200
    content = page.content.decode()
    assert_valid_html(content)
    assert "Répondez à cette question pour continuer." in content
    # Jumping ahead is not possible.
    ahead = client.get(url.replace("/etape/0/", "/etape/5/"))
    assert ahead.status_code == 302 and ahead["Location"].endswith("/etape/1/")


def test_resume_link_works_from_another_browser_and_strangers_see_nothing(db, questionnaire):
    owner = Client()
    url = owner.post("/diagnostic/", PROFILE)["Location"]
    owner.post(url, {**step_data(questionnaire, questionnaire.etapes[0]), "action": "plus_tard"})
    diagnostic = Diagnostic.objects.get()
    stranger = Client()
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/diagnostic/{diagnostic.uuid}/resultats/").status_code == 404
    assert stranger.get(f"/diagnostic/{diagnostic.uuid}/pdf/").status_code == 404
    other_device = Client()
    resumed = other_device.get(f"/diagnostic/reprendre/{diagnostic.jeton}/")
    assert resumed.status_code == 302 and resumed["Location"].endswith("/etape/0/")
    assert other_device.get(resumed["Location"]).status_code == 200
    assert Client().get("/diagnostic/reprendre/faux-jeton/").status_code == 404


def test_result_is_kept_when_the_person_registers_a_company(make_user, questionnaire):
    client = Client()
    results_url = walk(client, questionnaire, client.post("/diagnostic/", PROFILE)["Location"])
    diagnostic = Diagnostic.objects.get()
    user = make_user()
    client.force_login(user)  # same browser session: the token is still there
    company = EntrepriseFactory()
    member(user, company, admin=True)
    page = client.get(results_url).content.decode()
    assert "Enregistrer pour cette entreprise" in page
    other = EntrepriseFactory()
    assert (
        client.post(
            f"/diagnostic/{diagnostic.uuid}/rattacher/", {"entreprise": other.siren}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/diagnostic/{diagnostic.uuid}/rattacher/", {"entreprise": company.siren}
        ).status_code
        == 302
    )
    diagnostic.refresh_from_db()
    assert diagnostic.entreprise == company
    history = client.get(f"/diagnostic/entreprise/{company.siren}/")
    assert_valid_html(history.content)
    assert "Voir" in history.content.decode()


def test_company_diagnostics_are_private_to_the_company(make_user, questionnaire):
    from osezia.diagnostics import services

    owner, stranger = make_user(), make_user()
    company = EntrepriseFactory()
    member(owner, company, admin=True)
    first = services.submit(owner, company, all_answers(questionnaire, "min"))
    second = services.submit(owner, company, all_answers(questionnaire, "max"))
    client = Client()
    client.force_login(owner)
    compare = client.get(
        f"/diagnostic/entreprise/{company.siren}/?avant={first.uuid}&apres={second.uuid}"
    )
    content = compare.content.decode()
    assert_valid_html(content)
    assert "Ce qui a changé" in content and "+100" in content
    intruder = Client()
    intruder.force_login(stranger)
    for url in [
        f"/diagnostic/{first.uuid}/resultats/",
        f"/diagnostic/{first.uuid}/pdf/",
        f"/diagnostic/entreprise/{company.siren}/",
    ]:
        assert intruder.get(url).status_code == 404
    assert intruder.get(f"/diagnostic/reprendre/{first.jeton}/").status_code == 404
    # A company member can start a diagnostic for their company, a stranger cannot.
    started = client.post("/diagnostic/", {"depuis_entreprise": "1", "entreprise": company.siren})
    assert started.status_code == 302
    assert (
        intruder.post(
            "/diagnostic/", {"depuis_entreprise": "1", "entreprise": company.siren}
        ).status_code
        == 404
    )


def test_anonymous_result_then_account_then_company_then_kept(make_user, questionnaire):
    client = Client()
    results_url = walk(client, questionnaire, client.post("/diagnostic/", PROFILE)["Location"])
    user = make_user()
    client.force_login(user)
    notice = client.get("/espace/").content.decode()
    assert "pas encore enregistré dans l'espace de votre entreprise" in notice
    created = client.post(
        f"/entreprises/inscrire/?next={results_url}",
        {
            "identifiant": "81234567600017",
            "denomination": "Boulangerie Morel",
            "naf": "10.71C",
            "effectif": "8",
            "departement": "69",
            "next": results_url,
        },
    )
    assert created.status_code == 302 and created["Location"] == results_url
    evil = client.post(
        "/entreprises/inscrire/",
        {
            "identifiant": "73282932000074",
            "denomination": "X",
            "naf": "10.71C",
            "effectif": "8",
            "departement": "69",
            "next": "https://ailleurs.example/",
        },
    )
    assert evil["Location"].startswith("/entreprises/")
    page = client.get(results_url).content.decode()
    assert "Enregistrer pour cette entreprise" in page
    assert "pas encore enregistré" not in page  # the results page offers it itself
    client.post(results_url.replace("resultats", "rattacher"), {"entreprise": "812345676"})
    assert "pas encore enregistré" not in client.get("/espace/").content.decode()
    assert Diagnostic.objects.get().entreprise.siren == "812345676"


def test_anonymous_diagnostics_are_limited_per_address(db, monkeypatch):
    from django.core.cache import cache

    from osezia.diagnostics import views
    from osezia.diagnostics.models import Diagnostic

    cache.clear()
    monkeypatch.setattr(views, "DIAGNOSTICS_PER_HOUR", 2)
    client = Client()
    for _ in range(2):
        assert client.post("/diagnostic/", PROFILE).status_code == 302
    refused = client.post("/diagnostic/", PROFILE)
    assert refused.status_code == 429
    assert "réessayez" in refused.content.decode()
    assert Diagnostic.objects.count() == 2
    # Another address is not blocked.
    assert Client(REMOTE_ADDR="198.51.100.4").post("/diagnostic/", PROFILE).status_code == 302
