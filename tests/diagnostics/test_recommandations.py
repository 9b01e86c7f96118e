"""The recommendations hub asks the modules that registered, and only says « not open yet »
of the sections no module answers."""

import re

import pytest
from django.test import Client

from osezia.diagnostics import recommandations as hub
from osezia.diagnostics.recommandations import Contexte, Recommandation, recommend
from tests.diagnostics.test_pages import PROFILE, walk

CONTEXT = Contexte(
    naf="10.71C",
    naf_chain=("10.71C", "10.71", "10.7", "10", "C"),
    section="C",
    categorie_taille="TPE",
    departement="69",
    region="84",
    cas_usage=(),
)


class Ambassadors:
    code = "ambassadeurs"
    titre = "Votre ambassadeur IA"

    def recommander(self, contexte):
        return [Recommandation("Sophie Lefèvre", f"Ambassadrice IA de la région {contexte.region}")]


class Consultation:
    code = "consultation"
    titre = "Consultation citoyenne"

    def recommander(self, contexte):
        return [Recommandation("Donnez votre avis", "La consultation sur l'IA au travail")]


@pytest.fixture
def sources(monkeypatch):
    """The registry as the apps left it, restored after the test."""
    monkeypatch.setattr(hub, "_SOURCES", dict(hub._SOURCES))
    return hub._SOURCES


def answers():
    return {r.module.code: r for r in recommend(CONTEXT)}


def test_the_open_modules_register_themselves_from_their_apps():
    assert {"catalogue", "academie", "financements"} <= set(hub.registered())
    # The plug-in class no longer shares its name with the catalogue's provider model.
    assert all(type(s).__name__ != "Fournisseur" for s in hub.registered().values())


def test_a_registered_module_never_says_it_is_not_open(db, empty_index):
    found = answers()
    for code in hub.registered():
        assert found[code].disponible
        assert found[code].module.a_venir == ""
    assert found["evenements"].disponible  # the business meetings answer since issue 13


def test_a_module_not_registered_says_its_section_is_not_open(db, empty_index, sources):
    del sources["catalogue"]
    catalogue = answers()["catalogue"]
    assert not catalogue.disponible and catalogue.recommandations == []
    assert catalogue.module.titre == "Solutions prêtes à déployer"
    assert catalogue.module.a_venir == (
        "Ce module n'est pas encore ouvert sur la plateforme : les solutions de chaque famille "
        "de cas d'usage y figureront."
    )


def test_a_module_that_registers_opens_its_section_and_a_new_one_gets_its_own(
    db, empty_index, sources
):
    del sources["ambassadeurs"]  # as before the ambassadors' module registered
    hub.register(Ambassadors())
    hub.register(Consultation())
    found = recommend(CONTEXT)
    codes = [r.module.code for r in found]
    # The announced sections keep the page's order; an unannounced module comes after them.
    assert codes == [
        "catalogue",
        "academie",
        "financements",
        "ambassadeurs",
        "evenements",
        "consultation",
    ]
    by_code = {r.module.code: r for r in found}
    assert by_code["ambassadeurs"].disponible and by_code["ambassadeurs"].module.a_venir == ""
    assert by_code["ambassadeurs"].recommandations[0].description.endswith("région 84")
    assert by_code["consultation"].module.titre == "Consultation citoyenne"
    assert [r.module.code for r in found if not r.disponible] == []


def test_two_modules_cannot_answer_the_same_section(sources):
    class Impostor(Ambassadors):
        code = "catalogue"

    with pytest.raises(ValueError, match="catalogue"):
        hub.register(Impostor())
    hub.register(type(sources["catalogue"])())  # the module itself registering again


def not_open_sections(content: str) -> list[str]:
    """The headings of the results page's sections that say they are not open."""
    return re.findall(r"<h3>([^<]+)</h3>\s*<p>Ce module n&#x27;est pas encore ouvert", content)


def test_the_results_page_says_not_open_only_under_modules_that_are_not(
    db, questionnaire, empty_index, sources
):
    del sources["ambassadeurs"]  # as before the ambassadors' module registered
    client = Client()
    results = walk(client, questionnaire, client.post("/diagnostic/", PROFILE)["Location"])
    content = client.get(results).content.decode()
    assert not_open_sections(content) == ["Votre ambassadeur IA"]
    assert content.count("pas encore ouvert") == 1
    hub.register(Ambassadors())
    del sources["academie"]
    content = client.get(results).content.decode()
    assert not_open_sections(content) == ["Formations de l&#x27;Académie de l&#x27;IA"]
    assert "Sophie Lefèvre" in content


def test_trainings_naming_another_activity_come_after_generic_ones(db, empty_index):
    """A bakery near Lyon was offered trainings for hotels and building trades first."""
    from osezia.diagnostics.recommandations import Contexte, recommend
    from tests.academie.conftest import store, training

    def writing(reference, title):
        base = training()
        action = {**base["actions"][0], "reference": f"{reference}-A"}
        return training(reference=reference, intitule=title, actions=[action])

    store(
        writing("T-HOTEL", "Hôtels, campings et gîtes : rédiger ses annonces avec l'IA"),
        writing("T-BTP", "Artisans du bâtiment : rédiger devis et courriels avec l'IA"),
        writing("T-GEN", "Écrire plus vite avec un assistant conversationnel"),
    )
    need = {"famille": "REDACTION", "libelle": "Rédaction", "valeur": 80, "priorite": "quick_win"}
    context = Contexte(
        naf="10.71C",
        naf_chain=("10.71C", "10.71", "10.7", "10", "C"),
        section="C",
        categorie_taille="TPE",
        departement="69",
        region="84",
        cas_usage=(need,),
    )
    answer = {r.module.code: r for r in recommend(context)}["academie"]
    trainings = [r for r in answer.recommandations if r.details.get("type") == "formation"]
    assert trainings[0].titre == "Écrire plus vite avec un assistant conversationnel"
