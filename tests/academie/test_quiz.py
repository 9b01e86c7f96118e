"""Quiz rules: at most 3 attempts per tutorial per rolling hour, 30 s between two attempts; a
certificate only for a pass within these rules, on the page and in the API alike."""

import pytest
from django.test import Client

from osezia.academie import services
from osezia.academie.models import Inscription, TentativeQuiz
from tests.academie.conftest import PREMIERS_PAS, wait_quiz
from tests.html import assert_valid_html

WRONG, RIGHT = [0, 1, 0], [1, 0, 2]


@pytest.fixture
def tutorial(db):
    return services.save_tutoriel(dict(PREMIERS_PAS))


def test_attempts_are_spaced_and_capped_per_hour(make_user, tutorial):
    person = make_user()
    first = services.submit_quiz(person, tutorial, WRONG)
    assert not first.passed and first.attempts_left == 2
    with pytest.raises(services.QuizAttemptRefused) as early:
        services.submit_quiz(person, tutorial, RIGHT)
    assert 29 <= early.value.retry_after <= 30
    assert "relire le tutoriel" in early.value.messages[0] and "secondes" in early.value.messages[0]
    wait_quiz(31)
    assert services.submit_quiz(person, tutorial, WRONG).attempts_left == 1
    wait_quiz(31)
    assert services.submit_quiz(person, tutorial, WRONG).attempts_left == 0
    wait_quiz(31)
    with pytest.raises(services.QuizAttemptRefused) as capped:
        services.submit_quiz(person, tutorial, RIGHT)
    message = capped.value.messages[0]
    assert "déjà répondu 3 fois" in message and "dans 59 minutes" in message
    assert 3600 - 93 - 1 <= capped.value.retry_after <= 3600 - 93
    # Refused answers are neither graded nor stored, and complete nothing.
    assert TentativeQuiz.objects.count() == 3
    inscription = Inscription.objects.get(apprenant=person, tutoriel=tutorial)
    assert inscription.statut != "terminee" and inscription.code_verification is None
    # Once the oldest attempt leaves the hour, a pass counts and brings the certificate.
    wait_quiz(3600 - 93)
    passed = services.submit_quiz(person, tutorial, RIGHT)
    assert passed.passed and passed.inscription.statut == "terminee"
    assert services.find_attestation(passed.inscription.code_verification).nature == "tutoriel"
    assert TentativeQuiz.objects.filter(reussie=True).count() == 1


def test_another_learner_or_tutorial_is_not_held_up(make_user, tutorial):
    person, other = make_user(), make_user()
    services.submit_quiz(person, tutorial, WRONG)
    assert services.submit_quiz(other, tutorial, RIGHT).passed
    second = services.save_tutoriel({**_data(tutorial), "slug": "deuxieme", "titre": "Deuxième"})
    assert services.submit_quiz(person, second, RIGHT).passed


def _data(tutorial):
    return {
        "slug": tutorial.slug,
        "titre": tutorial.titre,
        "resume": tutorial.resume,
        "contenu": tutorial.contenu,
        "minutes": tutorial.minutes,
        "niveau": tutorial.niveau,
        "publics": tutorial.publics,
        "familles": tutorial.familles,
        "quiz": tutorial.quiz,
    }


def test_the_page_refuses_an_early_attempt_with_the_wait(make_user, tutorial):
    client = Client()
    client.force_login(make_user())
    url = "/academie/tutoriels/premiers-pas/"
    failed = client.post(url, {"q0": "0", "q1": "1", "q2": "0"})
    assert failed.status_code == 200
    assert "Il vous reste 2 essais dans l'heure." in failed.content.decode()
    early = client.post(url, {"q0": "1", "q1": "0", "q2": "2"})
    assert early.status_code == 429 and 29 <= int(early["Retry-After"]) <= 30
    assert_valid_html(early.content)
    text = early.content.decode()
    assert "Prenez le temps de relire le tutoriel" in text and "Tutoriel terminé" not in text
    # Coming back to the page before the delay says how long to wait.
    assert "vous pourrez répondre de nouveau dans" in client.get(url).content.decode()
    wait_quiz(31)
    done = client.post(url, {"q0": "1", "q1": "0", "q2": "2"}, follow=True)
    assert "Le tutoriel est terminé" in done.content.decode()
    assert "Télécharger l'attestation" in done.content.decode()


def test_the_api_obeys_the_same_rules(make_user, tutorial):
    client = Client()
    client.force_login(make_user())
    url = "/api/v1/academie/tutoriels/premiers-pas/quiz"

    def answer(reponses):
        return client.post(url, {"reponses": reponses}, content_type="application/json")

    for _ in range(3):
        response = answer(WRONG)
        assert response.status_code == 200 and response.json()["reussi"] is False
        wait_quiz(31)
    assert response.json()["essais_restants"] == 0
    refused = answer(RIGHT)
    assert refused.status_code == 429
    body = refused.json()
    assert body["attente_secondes"] == int(refused["Retry-After"]) > 3000
    assert "déjà répondu 3 fois" in body["detail"] and "minutes" in body["detail"]
    assert "code_verification" not in body
    wait_quiz(3600)
    passed = answer(RIGHT).json()
    assert passed["reussi"] is True and passed["code_verification"]


@pytest.mark.django_db(transaction=True)
def test_answers_sent_at_once_count_one_after_the_other(make_user, tutorial):
    import threading

    from django.db import connection

    person = make_user()
    services.start_tutorial(person, tutorial)  # the tutorial was opened before
    barrier = threading.Barrier(6)
    outcomes, errors = [], []

    def answer():
        try:
            barrier.wait()
            outcomes.append(services.submit_quiz(person, tutorial, RIGHT).passed)
        except services.QuizAttemptRefused:
            outcomes.append("refusée")
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes, key=str) == [True] + ["refusée"] * 5
    assert TentativeQuiz.objects.count() == 1
    assert Inscription.objects.get(apprenant=person).statut == "terminee"
