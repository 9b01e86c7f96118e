"""Quiz feedback per question, no empty quiz after success, the learner space by role, the
certificate check accepting codes as people type them, French agreement."""

from html import unescape

import pytest
from django.template import Context, Template
from django.test import Client

from osezia.academie import services
from osezia.academie.models import Inscription
from tests.academie.conftest import PREMIERS_PAS, wait_quiz
from tests.html import assert_valid_html

# PREMIERS_PAS: answers 1, 0, 2 (choices "a", "b" / "a", "b" / "a", "b", "c").
URL = "/academie/tutoriels/premiers-pas/"


@pytest.fixture
def tutorial(db):
    return services.save_tutoriel(dict(PREMIERS_PAS))


def _answer(client, answers):
    return client.post(URL, {f"q{i}": str(a) for i, a in enumerate(answers)})


def test_a_failed_attempt_says_which_answers_are_wrong_without_giving_them(make_user, tutorial):
    client = Client()
    client.force_login(make_user())
    page = _answer(client, [1, 1, 0])  # right, wrong, wrong
    text = unescape(page.text)
    assert page.status_code == 200
    assert "1 bonne réponse sur 3" in text and "au moins 2 sur 3" in text
    assert text.count("Bonne réponse.") == 1
    assert "Réponse inexacte : « b » n'est pas la bonne réponse." in text
    assert "Réponse inexacte : « a » n'est pas la bonne réponse." in text
    assert "Bonne réponse :" not in text  # the right answers are not given before a pass
    assert_valid_html(page.content)
    api = client.post(
        "/api/v1/academie/tutoriels/premiers-pas/quiz",
        {"reponses": [0, 0, 2]},
        content_type="application/json",
    )
    assert api.status_code == 429  # 30 s between two attempts
    wait_quiz(31)
    api = client.post(
        "/api/v1/academie/tutoriels/premiers-pas/quiz",
        {"reponses": [0, 0, 0]},
        content_type="application/json",
    ).json()
    assert api["corrections"][0] == {
        "question": 1,
        "reponse": 0,
        "juste": False,
        "bonne_reponse": None,
    }
    assert [c["juste"] for c in api["corrections"]] == [False, True, False]


def test_after_a_pass_the_correction_replaces_the_quiz_form(make_user, tutorial):
    client = Client()
    client.force_login(make_user())
    passed = _answer(client, [1, 0, 0])
    assert passed.status_code == 302
    page = client.get(URL)
    text = unescape(page.text)
    assert "Bravo : 2 bonnes réponses sur 3" in text
    assert "Valider mes réponses" not in text and 'name="q0"' not in text
    assert text.count("Bonne réponse :") == 3 and "Bonne réponse : c" in text
    assert "Vous aviez répondu : a" in text and text.count("Votre réponse est juste") == 2
    assert_valid_html(page.content)
    # Later visits: still no empty form, the right answers to review.
    later = unescape(client.get(URL).text)
    assert 'name="q0"' not in later and "Bonne réponse : c" in later
    assert Inscription.objects.get(tutoriel=tutorial).est_terminee


def test_one_right_answer_is_singular():
    rendered = Template(
        "{% load academie_fr %}{% for n in ns %}{{ n }} bonne{{ n|pluriel }} réponse"
        "{{ n|pluriel }} ; {% endfor %}{{ two|pluriel:'a,ont' }}"
    ).render(Context({"ns": [0, 1, 3], "two": 2}))
    assert rendered == "0 bonne réponse ; 1 bonne réponse ; 3 bonnes réponses ; ont"


def test_the_success_message_agrees_with_the_number(make_user, db):
    tutorial = services.save_tutoriel(
        {**PREMIERS_PAS, "quiz": [{"question": "Q ?", "choix": ["a", "b"], "reponse": 1}]}
    )
    client = Client()
    client.force_login(make_user())
    client.post(f"/academie/tutoriels/{tutorial.slug}/", {"q0": "1"})
    text = unescape(client.get(f"/academie/tutoriels/{tutorial.slug}/").text)
    assert "Bravo : 1 bonne réponse sur 1." in text


def test_the_certificate_check_accepts_spaces_lower_case_and_dashes(make_user, tutorial):
    person = make_user(first_name="Léa", last_name="Fabre")
    services.submit_quiz(person, tutorial, [1, 0, 2])
    code = Inscription.objects.get(apprenant=person).code_verification
    compact = code.replace("-", "")
    anonymous = Client()
    for typed in (
        code,
        code.lower(),
        code.replace("-", " "),
        f"  {compact[:4]} {compact[4:8]}  {compact[8:]} ",
        compact.lower(),
        code.replace("-", "–"),
        " ".join(compact),
    ):
        page = anonymous.get("/academie/verifier/", {"code": typed})
        assert "Attestation authentique" in page.text, typed
        api = anonymous.get(f"/api/v1/academie/attestations/{typed.strip()}")
        assert api.status_code == 200, typed
    assert "Aucune attestation" in anonymous.get("/academie/verifier/?code=ZZZZ ZZZZ ZZZZ").text


def test_the_learner_space_shows_only_the_blocks_the_person_uses(make_user, tutorial):
    client = Client()
    newcomer = make_user()
    client.force_login(newcomer)
    page = unescape(client.get("/academie/mon-espace/").text)
    assert "Mes formations" not in page and "Mes parcours" not in page
    assert "Mes tutoriels" not in page and "indiquez votre situation" in page
    # A tutorial started: that block only.
    services.submit_quiz(newcomer, tutorial, [0, 1, 0])
    page = unescape(client.get("/academie/mon-espace/").text)
    assert "Mes tutoriels" in page and "Mes formations" not in page
    # A learner (profile): the three, and their situation in words.
    services.set_profile(newcomer, "SALARIE", "69")
    page = unescape(client.get("/academie/mon-espace/").text)
    assert "Mes formations" in page and "Mes parcours" in page and "Mes tutoriels" in page
    assert "Vous êtes <strong>salarié·e</strong>, département : Rhône (69)" in page
    assert_valid_html(client.get("/academie/mon-espace/").content)
