import re
from datetime import timedelta

import pytest
from django.test import Client

from osezia.academie import services
from osezia.academie.models import Inscription, Session
from osezia.recherche import services as recherche
from tests.academie.conftest import SOON, start, store, training
from tests.comptes.factories import PASSWORD
from tests.html import assert_valid_html

ONLINE = {
    "reference": "T-WEB-A",
    "publics": ["DEMANDEUR_EMPLOI"],
    "modalite": "distance",
    "lieu": None,
    "duree_heures": 6,
    "prix_ttc_centimes": 0,
    "financements": ["FRANCE_TRAVAIL"],
    "sessions": [
        {
            "reference": "W1",
            "debut": (SOON + timedelta(days=60)).isoformat(),
            "fin": (SOON + timedelta(days=61)).isoformat(),
            "places": None,
        }
    ],
}


def catalogue():
    store(
        training(),
        training(
            reference="T-WEB",
            intitule="Chercher un emploi avec l'IA : CV et entretiens",
            objectifs="Préparer sa candidature avec un assistant conversationnel.",
            contenu="CV ; lettre ; entretien.",
            familles=["RH"],
            actions=[ONLINE],
        ),
        training(
            reference="T-RNCP",
            intitule="Technicien en maintenance prédictive",
            objectifs="Surveiller les machines et anticiper les pannes.",
            contenu="Capteurs ; modèles ; alertes.",
            certifiante=True,
            certification={"code_rncp": "RNCP99123"},
            familles=["MAINTENANCE_PREDICTIVE"],
            actions=[
                {
                    **training()["actions"][0],
                    "reference": "R-A",
                    "publics": ["APPRENTI"],
                    "lieu": {"code_postal": "35000", "ville": "Rennes"},
                    "duree_heures": 400,
                    "prix_ttc_centimes": 590000,
                    "financements": ["CPF", "OPCO"],
                }
            ],
        ),
    )


def test_formations_api_contract_and_filters(db, empty_index):
    catalogue()
    client = Client()
    page = client.get("/api/v1/academie/formations").json()
    assert page["count"] == 3
    item = next(i for i in page["items"] if i["id"] == "T-001")
    assert set(item) >= {
        "id",
        "intitule",
        "organisme",
        "publics",
        "modalite",
        "region",
        "duree_heures",
        "prix_ttc_eur",
        "financements",
        "familles",
        "prochaine_session",
    }
    assert item["organisme"] == "Centre d'essai des compétences"
    assert (item["modalite"], item["region"], item["duree_heures"]) == ("presentiel", "84", 14)
    assert item["prix_ttc_eur"] == 1180.0 and item["financements"] == ["OPCO"]
    assert item["publics"] == ["SALARIE", "DIRIGEANT"] and item["familles"] == ["REDACTION"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", item["prochaine_session"])

    def ids(query):
        response = client.get(f"/api/v1/academie/formations?{query}")
        assert response.status_code == 200, response.content
        return sorted(i["id"] for i in response.json()["items"])

    def first(query):
        return client.get(f"/api/v1/academie/formations?{query}").json()["items"][0]["id"]

    assert ids("public=DEMANDEUR_EMPLOI") == ["T-WEB"]
    assert ids("region=53") == ["T-RNCP"]
    assert ids("modalite=distance") == ["T-WEB"]
    assert ids("financement=CPF") == ["T-RNCP"]
    assert ids("famille=MAINTENANCE_PREDICTIVE") == ["T-RNCP"]
    assert ids("gratuit=true") == ["T-WEB"]
    assert ids("certifiante=true") == ["T-RNCP"]
    assert ids("duree=longue") == ["T-RNCP"]
    # Free text ranks: the training that speaks of it comes first.
    assert first("q=entretien+d%27embauche") == "T-WEB"
    assert first("q=maintenance+predictive") == "T-RNCP"
    assert first("q=redaction+de+devis") == "T-001"
    assert ids("public=SALARIE&public=APPRENTI") == ["T-001", "T-RNCP"]
    online = client.get("/api/v1/academie/formations?public=DEMANDEUR_EMPLOI").json()["items"][0]
    assert online["region"] is None and online["prix_ttc_eur"] == 0
    bad = client.get("/api/v1/academie/formations?public=ETUDIANT&region=99")
    assert bad.status_code == 422
    assert "valeur inconnue : ETUDIANT" in bad.content.decode()
    detail = client.get("/api/v1/academie/formations/T-RNCP").json()
    assert detail["code_rncp"] == "RNCP99123" and detail["actions"][0]["departement"] == "35"
    assert client.get("/api/v1/academie/formations/ABSENTE").status_code == 404


def test_enrolment_api_and_who_may_do_what(db, empty_index, make_user):
    catalogue()
    session = Session.objects.get(reference="S1", action__formation__reference="T-001")
    anonymous = Client()
    assert anonymous.post(f"/api/v1/academie/sessions/{session.pk}/inscriptions").status_code == 401
    person = make_user()
    client = Client()
    client.force_login(person)
    refused = client.post(f"/api/v1/academie/sessions/{session.pk}/inscriptions")
    assert refused.status_code == 422 and "public" in refused.json()["detail"]
    assert (
        client.put(
            "/api/v1/academie/profil",
            {"public": "SALARIE", "departement": "999"},
            content_type="application/json",
        ).status_code
        == 422
    )
    client.put(
        "/api/v1/academie/profil",
        {"public": "SALARIE", "departement": "69"},
        content_type="application/json",
    )
    created = client.post(f"/api/v1/academie/sessions/{session.pk}/inscriptions")
    assert created.status_code == 201 and created.json()["statut"] == "inscrit"
    pk = created.json()["id"]
    # Neither the learner nor another user may validate; another user does not even see it.
    assert client.post(f"/api/v1/academie/inscriptions/{pk}/validation").status_code == 403
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.post(f"/api/v1/academie/inscriptions/{pk}/validation").status_code == 404
    assert stranger.delete(f"/api/v1/academie/inscriptions/{pk}").status_code == 404
    assert client.post("/api/v1/academie/sessions/999999/inscriptions").status_code == 404
    trainer = make_user()
    session.action.formation.organisme.membres.add(trainer)
    organisation = Client()
    organisation.force_login(trainer)
    early = organisation.post(f"/api/v1/academie/inscriptions/{pk}/validation")
    assert early.status_code == 422 and "pas encore commencé" in early.json()["detail"]
    start(session)
    done = organisation.post(f"/api/v1/academie/inscriptions/{pk}/validation").json()
    assert done["statut"] == "terminee"
    code = done["code_verification"]
    assert (
        anonymous.get(f"/api/v1/academie/attestations/{code}")
        .json()["intitule"]
        .startswith("Rédiger devis")
    )
    assert anonymous.get("/api/v1/academie/attestations/AAAA-BBBB-CCCC").status_code == 404
    counters = anonymous.get("/api/v1/academie/compteurs").json()
    assert counters["professionnels_formes"] == 1 and counters["par_region"] == {"84": 1}
    assert counters["objectif_2030"] == 15_000_000
    # The certificate PDF: the learner and the organisation, never a stranger.
    assert client.get(f"/academie/attestations/{code}.pdf").content.startswith(b"%PDF")
    assert organisation.get(f"/academie/attestations/{code}.pdf").status_code == 200
    assert stranger.get(f"/academie/attestations/{code}.pdf").status_code == 404
    assert anonymous.get(f"/academie/attestations/{code}.pdf").status_code == 302


def test_pages_are_valid_html_and_the_journey_works(db, empty_index, make_user):
    catalogue()
    services.save_tutoriel(
        {
            "slug": "premiers-pas",
            "titre": "Premiers pas avec l'IA",
            "resume": "Découvrir l'IA en dix minutes.",
            "contenu": "## Ce qu'est l'IA\n\nUn outil.\n\n- utile\n- limité",
            "minutes": 10,
            "niveau": "debutant",
            "publics": ["SALARIE"],
            "familles": [],
            "quiz": [
                {"question": "L'IA est-elle infaillible ?", "choix": ["Oui", "Non"], "reponse": 1},
                {"question": "Faut-il vérifier ?", "choix": ["Oui", "Non"], "reponse": 0},
                {"question": "Données clients ?", "choix": ["Protéger", "Publier"], "reponse": 0},
            ],
        }
    )
    services.save_parcours(
        {
            "slug": "salarie-debuter",
            "titre": "Salarié : débuter",
            "public": "SALARIE",
            "etapes": [{"tutoriel": "premiers-pas"}, {"formation": "T-001"}],
        }
    )
    recherche.rebuild("tutoriel")
    client = Client()
    home = client.get("/academie/")
    assert_valid_html(home.content)
    text = home.content.decode()
    for label in (
        "Je suis apprenti·e",
        "Je suis demandeur·se",
        "Je suis salarié·e",
        "Je suis dirigeant·e",
    ):
        assert label in text
    listing = client.get("/academie/formations/?public=APPRENTI&region=53")
    assert_valid_html(listing.content)
    assert "Technicien en maintenance prédictive" in listing.content.decode()
    assert "Rédiger devis" not in listing.content.decode()
    assert "valeur inconnue" in client.get("/academie/formations/?modalite=lune").content.decode()
    for url in (
        "/academie/formations/T-001/",
        "/academie/tutoriels/",
        "/academie/tutoriels/premiers-pas/",
        "/academie/parcours/",
        "/academie/parcours/salarie-debuter/",
        "/academie/verifier/?code=ZZZZ-ZZZZ-ZZZZ",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_valid_html(response.content)
    assert client.get("/academie/formations/ABSENTE/").status_code == 404
    # A learner: profile, enrolment, path, quiz, space.
    person = make_user()
    client.login(email=person.email, password=PASSWORD)
    session = Session.objects.get(reference="S1", action__formation__reference="T-001")
    response = client.post(f"/academie/sessions/{session.pk}/inscription/")
    assert response.status_code == 302 and "/academie/profil/" in response["Location"]
    response = client.post("/academie/parcours/salarie-debuter/")
    assert response.status_code == 302 and "/academie/profil/" in response["Location"]
    response = client.post(
        "/academie/profil/",
        {
            "prenom": "Léa",
            "nom": "Fabre",
            "public": "SALARIE",
            "departement": "69",
            "next": "/academie/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/academie/"
    client.post(f"/academie/sessions/{session.pk}/inscription/")
    assert Inscription.objects.get(apprenant=person).statut == "inscrit"
    client.post("/academie/parcours/salarie-debuter/")
    client.post("/academie/tutoriels/premiers-pas/", {"q0": "1", "q1": "0", "q2": "0"})
    space = client.get("/academie/mon-espace/")
    assert_valid_html(space.content)
    page = space.content.decode()
    assert "Inscrit·e" in page and "1 étape sur 2" in page and "terminé (quiz 3/3)" in page
    # A learner with no organisation sees the claim form, never an organisation's sessions.
    claim_page = client.get("/academie/organisme/")
    assert claim_page.status_code == 200 and "Demander mon rattachement" in claim_page.text
    assert_valid_html(claim_page.content)
    assert client.get(f"/academie/organisme/sessions/{session.pk}/").status_code == 404


def test_organisation_space_lists_its_sessions_and_validates(db, empty_index, make_user):
    catalogue()
    session = Session.objects.get(reference="S1", action__formation__reference="T-001")
    learner = make_user(first_name="Inès", last_name="Roussel")
    services.set_profile(learner, "SALARIE", "69")
    inscription = services.enrol(learner, session.pk)
    trainer = make_user()
    session.action.formation.organisme.membres.add(trainer)
    client = Client()
    client.force_login(trainer)
    space = client.get("/academie/organisme/")
    assert_valid_html(space.content)
    start(session)
    participants = client.get(f"/academie/organisme/sessions/{session.pk}/")
    assert_valid_html(participants.content)
    assert "Inès Roussel" in participants.content.decode()
    # Someone who followed the session without enrolling is declared by e-mail.
    walk_in = make_user(first_name="Marc", last_name="Lenoir")
    services.set_profile(walk_in, "DIRIGEANT", "33")
    code = walk_in.profil_apprenant.code_apprenant
    client.post(
        f"/academie/organisme/sessions/{session.pk}/declarer/",
        {"email": walk_in.email, "code": code},
    )
    assert Inscription.objects.get(apprenant=walk_in).statut == "terminee"
    refused = Client()
    refused.force_login(make_user())
    response = refused.post(
        f"/academie/organisme/sessions/{session.pk}/declarer/",
        {"email": walk_in.email, "code": code},
    )
    assert response.status_code == 404
    client.post(f"/academie/inscriptions/{inscription.pk}/valider/")
    inscription.refresh_from_db()
    assert inscription.statut == "terminee"
    verified = Client().get(f"/academie/verifier/?code={inscription.code_verification}")
    assert "Attestation authentique" in verified.content.decode()
    assert "Inès Roussel" in verified.content.decode()
    observatory = Client().get("/observatoire/")
    assert_valid_html(observatory.content)
    assert "<strong>2</strong> personnes formées" in observatory.content.decode()


def writing_need(naf_chain: tuple[str, ...], public: str):
    """A company near Lyon whose first use case is writing, seen for one audience."""
    from osezia.diagnostics.recommandations import Contexte

    need = {"famille": "REDACTION", "libelle": "Rédaction", "valeur": 80, "priorite": "gain_rapide"}
    return Contexte(
        naf=naf_chain[0],
        naf_chain=naf_chain,
        section=naf_chain[-1],
        categorie_taille="PME",
        departement="69",
        region="84",
        cas_usage=(need,),
        public=public,
    )


@pytest.mark.parametrize("public", ["SALARIE", "DIRIGEANT"])
def test_the_hub_proposes_trainings_for_the_use_cases_and_audience(db, empty_index, public):
    from osezia.diagnostics.recommandations import recommend

    catalogue()
    context = writing_need(("25.62B", "25.62", "25.6", "25", "C"), public)
    answer = {r.module.code: r for r in recommend(context)}["academie"]
    assert answer.disponible
    titles = [r.titre for r in answer.recommandations]
    assert titles == ["Rédiger devis et courriels avec l'IA générative"]
    assert "dans votre région" in answer.recommandations[0].description


def test_the_training_axis_leads_to_the_academie(db):
    page = Client().get("/axes/former/").content.decode()
    assert 'href="/academie/"' in page


def test_declaring_a_participant_through_the_api(db, empty_index, make_user):
    catalogue()
    session = Session.objects.get(reference="S1", action__formation__reference="T-001")
    person = make_user()
    services.set_profile(person, "APPRENTI", "2A")
    trainer, stranger = make_user(), make_user()
    session.action.formation.organisme.membres.add(trainer)
    url = f"/api/v1/academie/sessions/{session.pk}/achevements"
    organisation, other = Client(), Client()
    organisation.force_login(trainer)
    other.force_login(stranger)
    body = {"email": person.email, "code": person.profil_apprenant.code_apprenant}
    assert other.post(url, body, content_type="application/json").status_code == 404
    early = organisation.post(url, body, content_type="application/json")
    assert early.status_code == 422
    start(session)
    done = organisation.post(url, body, content_type="application/json")
    assert done.status_code == 201 and done.json()["statut"] == "terminee"
    assert Client().get("/api/v1/academie/compteurs").json()["par_region"] == {"94": 1}


def test_list_pages_and_api_do_not_query_per_training(db, empty_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    catalogue()
    client = Client()
    urls = ("/academie/formations/", "/api/v1/academie/formations")

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    queries()  # the first call also creates the API rate counter in the shared cache
    few = queries()
    store(*[training(reference=f"T-MORE-{i}", intitule=f"Formation {i}") for i in range(8)])
    assert queries() == few


def test_the_hub_prefers_trainings_that_speak_of_the_company_activity(db, empty_index):
    from osezia.diagnostics.recommandations import recommend

    catalogue()
    bakery = training(
        reference="T-BOUL",
        intitule="Boulangerie-pâtisserie : rédiger fiches produits et commandes avec l'IA",
        objectifs="Pour les boulangers : annonces, fiches produits, réponses aux commandes.",
        actions=[{**ONLINE, "reference": "B-A", "publics": ["DIRIGEANT"]}],
        familles=["REDACTION"],
    )
    store(bakery)
    context = writing_need(("10.71C", "10.71", "10.7", "10", "C"), "DIRIGEANT")
    answer = {r.module.code: r for r in recommend(context)}["academie"]
    assert [r.details["id"] for r in answer.recommandations[:2]] == ["T-BOUL", "T-001"]


def test_participants_and_learner_space_do_not_query_per_row(db, empty_index, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    catalogue()
    session = Session.objects.get(reference="S1", action__formation__reference="T-001")
    Session.objects.filter(pk=session.pk).update(places=50)
    trainer = make_user()
    session.action.formation.organisme.membres.add(trainer)
    organisation = Client()
    organisation.force_login(trainer)
    learner = make_user()
    services.set_profile(learner, "SALARIE", "69")
    own = Client()
    own.force_login(learner)
    services.enrol(learner, session.pk)

    def queries():
        counts = []
        for client, url in (
            (organisation, f"/academie/organisme/sessions/{session.pk}/"),
            (own, "/academie/mon-espace/"),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for _ in range(6):
        other = make_user()
        services.set_profile(other, "DIRIGEANT", "75")
        services.enrol(other, session.pk)
    for reference in ("T-WEB", "T-RNCP"):
        target = Session.objects.filter(action__formation__reference=reference).first()
        services.enrol(learner, target.pk, outside_audience_confirmed=True)
    assert queries() == few
