import json

from django.test import Client

from osezia.catalogue import services
from osezia.catalogue.models import Fournisseur, Solution
from osezia.recherche import services as recherche
from tests.catalogue.conftest import make_line, siren
from tests.conftest import login_with_code
from tests.html import assert_valid_html


def load(tmp_path, lines):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    services.import_lines(services.read_lines(path))
    recherche.rebuild("solution")


def test_public_api_lists_searches_and_filters(db, tmp_path, empty_index):
    load(
        tmp_path,
        [
            make_line(),
            make_line(
                id_externe="chatbot-resto",
                nom="Bot Resto",
                familles=["RELATION_CLIENT"],
                secteurs=["56.10A"],
                resume="Répond aux clients du restaurant.",
                description="Prend les réservations par message.",
            ),
        ],
    )
    client = Client()
    body = client.get("/api/v1/catalogue/solutions?q=devi artisan").json()
    assert body["count"] >= 1 and body["items"][0]["id_externe"] == "devis-express"
    assert set(body["items"][0]) >= {
        "id_externe",
        "nom",
        "resume",
        "familles",
        "secteurs",
        "tailles",
        "hebergement",
        "deploiement",
        "risque_ia_act",
        "score",
    }
    assert (
        client.get("/api/v1/catalogue/solutions?secteur=56.10A&famille=RELATION_CLIENT").json()[
            "count"
        ]
        == 1
    )
    assert (
        client.get("/api/v1/catalogue/solutions?q=le bot").json()["items"][0]["id_externe"]
        == "chatbot-resto"
    )
    bad = client.get("/api/v1/catalogue/solutions?hebergement=lune")
    assert bad.status_code == 422 and "valeur inconnue" in bad.json()["detail"]
    assert client.get("/api/v1/catalogue/solutions?secteur=99.99Z").status_code == 422
    detail = client.get("/api/v1/catalogue/solutions/devis-express").json()
    assert detail["fournisseur"]["siren"] == siren(1) and detail["tarif"]["min_eur_mois"] == 29
    assert client.get("/api/v1/catalogue/solutions/inconnue").status_code == 404


def test_provider_api_with_token_goes_through_moderation(
    make_user, operator, immediate_tasks, empty_index
):
    user = make_user()
    fournisseur = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    token = services.create_token(fournisseur, user, "CI")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (
        Client()
        .post(
            "/api/v1/catalogue/fournisseur/solutions", make_line(), content_type="application/json"
        )
        .status_code
        == 401
    )
    assert (
        Client(HTTP_AUTHORIZATION="Bearer faux")
        .get("/api/v1/catalogue/fournisseur/solutions")
        .status_code
        == 401
    )
    created = api.post(
        "/api/v1/catalogue/fournisseur/solutions", make_line(), content_type="application/json"
    )
    assert (
        created.status_code == 201
        and created.json()["statut"] == "soumise"
        and created.json()["publiee"] is False
    )
    assert (
        Client().get("/api/v1/catalogue/solutions/devis-express").status_code == 404
    )  # never before moderation
    invalid = api.post(
        "/api/v1/catalogue/fournisseur/solutions",
        make_line(id_externe="x2", familles=[]),
        content_type="application/json",
    )
    assert invalid.status_code == 422 and "familles" in invalid.json()["detail"]
    with immediate_tasks(execute=True):
        services.publish(Solution.objects.get().version_en_cours, operator)
    assert Client().get("/api/v1/catalogue/solutions?q=devis").json()["count"] == 1
    updated = api.put(
        "/api/v1/catalogue/fournisseur/solutions/devis-express",
        make_line(nom="Devis Turbo"),
        content_type="application/json",
    )
    assert (
        updated.status_code == 200
        and updated.json()["statut"] == "soumise"
        and updated.json()["publiee"] is True
    )
    # Another provider's token cannot touch it.
    other_user = make_user()
    other = services.register_provider(other_user, "Autre (fictif)", siren(2))
    other_api = Client(HTTP_AUTHORIZATION=f"Bearer {services.create_token(other, other_user, 'x')}")
    assert (
        other_api.put(
            "/api/v1/catalogue/fournisseur/solutions/devis-express",
            make_line(),
            content_type="application/json",
        ).status_code
        == 404
    )
    assert other_api.get("/api/v1/catalogue/fournisseur/solutions").json()["items"] == []


def test_pages_are_valid_and_moderation_is_for_operators(
    make_user, operator, tmp_path, empty_index
):
    load(tmp_path, [make_line(), make_line(id_externe="deux", nom="Deux")])
    client = Client()
    for url in [
        "/catalogue/",
        "/catalogue/?q=devis&taille=TPE&tri=prix",
        "/catalogue/solutions/devis-express/",
        "/catalogue/comparer/?ids=devis-express&ids=deux",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_valid_html(response.content)
    assert (
        "Devis Express"
        in client.get("/catalogue/comparer/?ids=devis-express&ids=deux").content.decode()
    )
    assert client.get("/catalogue/export.csv").status_code == 200
    citizen = Client()
    citizen.force_login(make_user("CITOYEN"))
    assert citizen.get("/catalogue/moderation/").status_code == 403
    staff = Client()
    login_with_code(staff, operator)
    assert staff.get("/catalogue/moderation/").status_code == 200


def test_provider_space_shows_only_its_own_solutions(make_user, tmp_path, empty_index):
    load(tmp_path, [make_line()])
    owner, stranger = make_user(), make_user()
    Fournisseur.objects.get(siren=siren(1)).membres.add(owner)
    client = Client()
    client.force_login(owner)
    page = client.get("/catalogue/espace-fournisseur/")
    assert_valid_html(page.content)
    assert "Devis Express" in page.content.decode()
    assert client.get("/catalogue/espace-fournisseur/devis-express/").status_code == 200
    intruder = Client()
    intruder.force_login(stranger)
    # Not a provider yet: sent to the provider space, where one registers first.
    not_yet = intruder.get("/catalogue/espace-fournisseur/devis-express/")
    assert not_yet.status_code == 302
    assert not_yet["Location"] == "/catalogue/espace-fournisseur/"
    services.register_provider(stranger, "Autre (fictif)", siren(2))
    assert intruder.get("/catalogue/espace-fournisseur/devis-express/").status_code == 404
    assert intruder.post("/catalogue/espace-fournisseur/devis-express/retirer/").status_code == 404
    assert "Devis Express" not in intruder.get("/catalogue/espace-fournisseur/").content.decode()


def test_the_diagnostic_hub_proposes_solutions_within_budget_and_hosting(
    db, tmp_path, empty_index, questionnaire
):
    from osezia.diagnostics import recommandations
    from osezia.diagnostics import services as diagnostics
    from tests.diagnostics.factories import all_answers
    from tests.entreprises.factories import EntrepriseFactory

    load(
        tmp_path,
        [
            make_line(
                id_externe="prevision-cher",
                nom="Prévi Premium",
                familles=["PREVISION"],
                secteurs=["10.71C"],
                tarif={"modele": "abonnement", "min_eur_mois": 300, "max_eur_mois": 900},
                hebergement="hors_ue",
            ),
            make_line(
                id_externe="prevision-tpe",
                nom="Prévi Fournil",
                familles=["PREVISION"],
                secteurs=["10"],
                tarif={"modele": "abonnement", "min_eur_mois": 19, "max_eur_mois": 49},
            ),
            make_line(
                id_externe="prevision-garage",
                nom="Prévi Garage",
                familles=["PREVISION"],
                secteurs=["45"],
            ),
        ],
    )
    diagnostic = diagnostics.submit(
        None,
        EntrepriseFactory(description="On jette trop de pain le soir."),
        all_answers(questionnaire, "second"),
    )
    assert diagnostic.cas_usage[0]["famille"] == "PREVISION"

    def names(**prefs):
        answer = {
            r.module.code: r
            for r in recommandations.recommend(recommandations.context_for(diagnostic, **prefs))
        }
        return [r.titre for r in answer["catalogue"].recommandations if r.famille == "Prévision"]

    assert set(names()) == {"Prévi Premium", "Prévi Fournil"}  # never the garage's
    assert names(budget_max_eur_mois=50) == ["Prévi Fournil"]
    assert names(hebergements=("france", "ue")) == ["Prévi Fournil"]
