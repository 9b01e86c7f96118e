"""An edit of the questionnaire made in the admin shows on the next page load (the
questionnaire caches follow every edit of a version, a step, a question or an option)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from osezia.diagnostics.models import Etape, Question, Questionnaire
from tests.conftest import TOTP_SECRET, login_with_code


def change_form_data(response) -> dict:
    """What the admin change form would send back unchanged (main form and inlines)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.fixture
def superuser_client(make_user):
    boss = make_user(is_staff=True, is_superuser=True)
    TOTP.activate(boss, TOTP_SECRET)
    return login_with_code(Client(), boss)


def edit(client, obj, **changes):
    url = f"/admin/diagnostics/{obj._meta.model_name}/{obj.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = change_form_data(form)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_an_introduction_edited_in_the_admin_shows_on_the_next_start_page(superuser_client):
    assert "Nouvelle introduction" not in Client().get("/diagnostic/").content.decode()
    edit(
        superuser_client, Questionnaire.objects.get(version=1), introduction="Nouvelle introduction"
    )
    assert "Nouvelle introduction" in Client().get("/diagnostic/").content.decode()


def test_step_question_and_option_edits_show_in_the_next_questionnaire_read(superuser_client):
    api = Client()
    api.get("/api/v1/diagnostics/questionnaire")  # the version is now cached
    etape = Etape.objects.filter(questionnaire__version=1).first()
    question = Question.objects.filter(questionnaire__version=1).first()
    edit(superuser_client, etape, titre="Étape renommée")
    # The question's first option is the first form of its inline.
    edit(
        superuser_client,
        question,
        libelle="Question reformulée ?",
        **{"options-0-libelle": "Option reformulée"},
    )
    after = api.get("/api/v1/diagnostics/questionnaire").json()
    assert after["etapes"][0]["titre"] == "Étape renommée"
    edited = next(q for q in after["questions"] if q["code"] == question.code)
    assert edited["libelle"] == "Question reformulée ?"
    assert edited["options"][0]["libelle"] == "Option reformulée"


def test_an_edit_saved_by_another_process_shows_here_within_the_delay(db, monkeypatch):
    from django.core.cache import cache

    from osezia.diagnostics.services import questionnaires

    api = Client()
    api.get("/api/v1/diagnostics/questionnaire")  # cached in this process
    # Another process edits the introduction and, once committed, bumps the shared stamp.
    Questionnaire.objects.filter(version=1).update(introduction="Modifiée ailleurs")
    cache.set(questionnaires.STAMP_KEY, "autre-processus", timeout=None)
    later = questionnaires.time.monotonic() + questionnaires.CURRENT_TTL_SECONDS + 1
    monkeypatch.setattr(questionnaires.time, "monotonic", lambda: later)
    assert api.get("/api/v1/diagnostics/questionnaire").json()["introduction"] == (
        "Modifiée ailleurs"
    )


def test_a_committed_edit_bumps_the_shared_stamp(db, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from osezia.diagnostics.services import questionnaires

    before = cache.get(questionnaires.STAMP_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        question = Question.objects.filter(questionnaire__version=1).first()
        question.aide = "Une aide nouvelle"
        question.save()
    assert cache.get(questionnaires.STAMP_KEY) not in (None, before)
