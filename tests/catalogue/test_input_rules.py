"""Crafted provider input (exchange format, token API, provider form): French refusals, bounded
lists and texts, one version waiting for moderation, concurrent creations answered 422."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from osezia.catalogue import format as fmt
from osezia.catalogue import services
from osezia.catalogue.models import EvenementSolution, Solution, VersionSolution
from osezia.socle.validation import MESSAGE
from tests.catalogue.conftest import make_line, siren
from tests.comptes.factories import PASSWORD

URL = "/api/v1/catalogue/fournisseur/solutions"
NAF = {"43", "C", "47.11"}


def errors_of(line) -> dict:
    with pytest.raises(fmt.InvalidSolution) as error:
        fmt.validate_line(line, NAF)
    return error.value.errors


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"nom": "Devis\x00"}, "nom"),
        ({"resume": "Des devis\ud800"}, "resume"),
        ({"description": "Dictez\x1b[31m vos relevés"}, "description"),
        ({"fournisseur": {"nom": "Essai\x07", "siren": siren(1)}}, "fournisseur.nom"),
        ({"contact": {"email": "a@b.fr", "telephone": "01\x0023"}}, "contact.telephone"),
        ({"modeles_ia": ["Mistral\x9b"]}, "modeles_ia"),
        ({"references": [{"client": "Boulangerie\x00", "resultat": "ok"}]}, "references.0.client"),
        ({"site_web": "https://a.fr/\x00"}, "site_web"),
    ],
)
def test_the_format_refuses_control_characters_in_every_text(overrides, field):
    assert errors_of(make_line(**overrides))[field] == MESSAGE


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        (
            {"tarif": {"modele": "abonnement", "min_eur_mois": 10**22}},
            "tarif.min_eur_mois",
            "dépasser",
        ),
        (
            {"tarif": {"modele": "licence", "max_eur_mois": "9" * 23}},
            "tarif.max_eur_mois",
            "dépasser",
        ),
        (
            {"tarif": {"modele": "licence", "max_eur_mois": float("inf")}},
            "tarif.max_eur_mois",
            "entier",
        ),
        ({"modeles_ia": ["m"] * 21}, "modeles_ia", "20 modèles au plus"),
        ({"modeles_ia": ["m" * 101]}, "modeles_ia", "100 caractères"),
        ({"references": [{"client": "c"}] * 21}, "references", "20 références au plus"),
        ({"references": [{"client": "c" * 201}]}, "references.0.client", "200 caractères"),
        ({"secteurs": ["43"] * 101}, "secteurs", "100 codes NAF au plus"),
        ({"langues": ["fr\n"]}, "langues", "deux lettres"),
        ({"tailles": ["TPE"] * 9}, "tailles", "au plus"),
    ],
)
def test_the_format_bounds_numbers_and_lists(overrides, field, fragment):
    assert fragment in errors_of(make_line(**overrides))[field]


def test_a_full_line_within_the_bounds_is_accepted():
    line = make_line(
        modeles_ia=[f"modèle {i}" for i in range(20)],
        references=[{"client": "c" * 200, "resultat": "r" * 500}] * 20,
        tarif={"modele": "licence", "min_eur_mois": 0, "max_eur_mois": 10_000_000},
        description="Ligne 1\nLigne 2\tet tabulation",
    )
    data = fmt.validate_line(line, NAF)
    assert len(data.references) == 20 and data.tarif_max_eur_mois == 10_000_000


@pytest.fixture
def provider(make_user):
    user = make_user()
    fournisseur = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    token = services.create_token(fournisseur, user, "CI")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}"), fournisseur, user


def post(client, body, url=URL, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"nom": "Devis\x00"}, "caractères non autorisés"),
        ({"resume": "Des devis \ud800"}, "caractères non autorisés"),
        ({"nom": "Devis\nExpress"}, "caractères non autorisés"),
        ({"contact": {"email": "a@b.fr", "telephone": "\x00"}}, "caractères non autorisés"),
        ({"tarif": {"modele": "abonnement", "min_eur_mois": 10**22}}, "tarif.min_eur_mois"),
        ({"modeles_ia": ["m"] * 21}, "modeles_ia : ne doit pas compter plus de 20 éléments"),
        ({"familles": []}, "familles : doit compter au moins 1 élément"),
        ({"risque_ia_act": "inacceptable"}, "article 5"),
        ({"pratiques_interdites": ["NOTATION_SOCIALE"]}, "article 5"),
        ({"id_externe": "Pas Un Slug"}, "id_externe"),
    ],
)
def test_the_token_api_refuses_crafted_bodies_in_french(provider, overrides, fragment):
    client, _, _ = provider
    response = post(client, make_line(**overrides))
    assert response.status_code == 422, response.content
    assert fragment in response.json()["detail"]
    assert not Solution.objects.exists()


def test_a_two_megabyte_list_is_refused_before_anything_is_read(provider):
    client, _, _ = provider
    response = post(client, make_line(modeles_ia=["x" * 1000] * 2000))
    assert response.status_code == 413
    assert "trop volumineuse" in response.json()["detail"]
    assert not Solution.objects.exists()


def test_the_provider_is_the_token_s_when_the_body_does_not_name_it(provider):
    client, fournisseur, _ = provider
    line = make_line()
    del line["fournisseur"]
    assert post(client, line).status_code == 201
    assert Solution.objects.get().fournisseur == fournisseur


def test_ten_puts_leave_one_submitted_version_and_the_whole_history(provider, operator):
    client, _, _ = provider
    assert post(client, make_line()).status_code == 201
    for i in range(10):
        response = post(client, make_line(nom=f"Devis {i}"), f"{URL}/devis-express", "put")
        assert response.status_code == 200 and response.json()["statut"] == "soumise"
    solution = Solution.objects.get()
    assert VersionSolution.objects.filter(solution=solution).count() == 1
    assert solution.version_en_cours.nom == "Devis 9"
    assert EvenementSolution.objects.filter(solution=solution).count() == 11
    # Once published, an edit waits beside the published version, still one of it.
    services.publish(solution.version_en_cours, operator)
    for i in range(3):
        post(client, make_line(nom=f"Devis bis {i}"), f"{URL}/devis-express", "put")
    assert VersionSolution.objects.filter(solution=solution).count() == 2
    solution.refresh_from_db()
    assert solution.version_publiee.nom == "Devis 9"


def test_a_moderator_never_publishes_content_replaced_after_they_saw_it(provider, operator):
    client, _, _ = provider
    post(client, make_line(nom="Vu par le modérateur"))
    seen = Solution.objects.get().version_en_cours
    post(client, make_line(nom="Changé ensuite"), f"{URL}/devis-express", "put")
    assert not VersionSolution.objects.filter(pk=seen.pk).exists()
    with pytest.raises(VersionSolution.DoesNotExist):
        services.publish(seen, operator)
    assert not Solution.objects.get().est_publiee


def test_a_creation_that_loses_the_race_is_a_french_422(provider, monkeypatch):
    client, fournisseur, user = provider
    assert post(client, make_line()).status_code == 201
    # The look-up of the other request ran before this one committed: it saw nothing.
    monkeypatch.setattr(
        Solution.objects, "select_for_update", lambda *a, **k: Solution.objects.none()
    )
    response = post(client, make_line(nom="Doublon"))
    assert response.status_code == 422
    assert "Une solution porte déjà cet identifiant" in response.json()["detail"]
    assert Solution.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_of_one_identifier_give_201_and_422(make_user):
    user = make_user()
    fournisseur = services.register_provider(user, "Essai Logiciels (fictif)", siren(1))
    token = services.create_token(fournisseur, user, "CI")
    barrier = threading.Barrier(4)
    answers = []

    def create(n):
        from django.db import connections

        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait()
            # Every sector: an earlier transactional test may have emptied the NAF table.
            answers.append(post(client, make_line(nom=f"Concurrent {n}", secteurs=[])))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 422, 422, 422], [a.content for a in answers]
    for answer in answers:
        if answer.status_code == 422:
            assert "Une solution porte déjà cet identifiant" in answer.json()["detail"]
    assert Solution.objects.count() == 1 and VersionSolution.objects.count() == 1
    connection.close()


def test_the_provider_form_reports_crafted_input_on_its_fields(provider):
    _, fournisseur, user = provider
    page = Client()
    page.login(email=user.email, password=PASSWORD)
    form = {
        "id_externe": "devis-express",
        "nom": "Devis\x00",
        "resume": "Un résumé",
        "description": "Une description\x1b",
        "familles": ["REDACTION"],
        "tailles": ["TPE"],
        "tarif_modele": "abonnement",
        "tarif_min_eur_mois": "9" * 23,
        "deploiement": ["saas"],
        "hebergement": "france",
        "risque_ia_act": "minimal",
        "langues": "fr",
        "contact_email": "a@b.fr",
        "action": "soumettre",
    }
    response = page.post("/catalogue/espace-fournisseur/nouvelle/", form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["nom"] == [MESSAGE] and errors["description"] == [MESSAGE]
    assert "ne peut pas dépasser 10\u202f000\u202f000\u00a0€" in errors["tarif_min_eur_mois"][0]
    assert not Solution.objects.exists()


def test_a_refusal_reason_with_control_characters_is_refused(provider, operator):
    from django.core.exceptions import ValidationError

    client, _, _ = provider
    post(client, make_line())
    with pytest.raises(ValidationError) as error:
        services.refuse(Solution.objects.get().version_en_cours, operator, "Motif\x00")
    assert error.value.message_dict == {"motif": [MESSAGE]}


def test_the_exchange_format_schema_is_in_the_openapi_document(db):
    schema = json.loads(Client().get("/api/openapi.json").content)
    body = schema["components"]["schemas"]["SolutionIn"]
    assert body["properties"]["modeles_ia"]["maxItems"] == fmt.MAX_MODELES_IA
    assert set(body["required"]) >= {"id_externe", "nom", "resume", "familles", "tarif"}
