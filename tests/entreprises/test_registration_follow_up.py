"""Registering a company right after a diagnostic: the form starts from the diagnostic's
profile, and the diagnostic is kept in the company at once (no extra click, no notice left
on every page). entreprises sends a signal; diagnostics answers it (registered from ready())."""

import pytest
from django.test import Client

from osezia.diagnostics import services as diagnostics
from osezia.diagnostics.models import Diagnostic
from osezia.diagnostics.permissions import SESSION_KEY
from osezia.entreprises import inscription
from osezia.entreprises.models import Entreprise
from tests.comptes.factories import PASSWORD
from tests.diagnostics.factories import all_answers, profil, run_all_steps

FORM = {
    "identifiant": "81234567600017",
    "denomination": "Le Fournil de Gwen",
    "naf": "10.71C",
    "effectif": "6",
    "departement": "29",
    "chiffre_affaires_eur": "480000",
}


def anonymous_diagnostic(**profile):
    diagnostic = diagnostics.start(profil(**profile))
    current = diagnostics.questionnaire_data(diagnostics.current_questionnaire())
    return run_all_steps(diagnostic, all_answers(current))


def browser_holding(user, *held):
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    session = client.session
    session[SESSION_KEY] = [d.jeton for d in held]
    session.save()
    return client


def test_the_company_form_starts_from_the_diagnostic_just_completed(make_user, questionnaire):
    diagnostic = anonymous_diagnostic(
        naf="96.02A", effectif=3, chiffre_affaires_eur=150_000, departement="29"
    )
    page = browser_holding(make_user(), diagnostic).get("/entreprises/inscrire/")
    form = page.context["form"]
    assert form.initial["naf"] == "96.02A"
    assert form.initial["effectif"] == 3
    assert form.initial["chiffre_affaires_eur"] == 150_000
    assert form.initial["departement"] == "29"
    assert "repris de votre autodiagnostic" in page.content.decode()


def test_no_diagnostic_no_prefill(make_user):
    page = browser_holding(make_user()).get("/entreprises/inscrire/")
    assert "naf" not in page.context["form"].initial
    assert "repris de votre autodiagnostic" not in page.content.decode()


def test_registering_keeps_the_diagnostic_in_the_company_at_once(
    transactional_db, make_user, questionnaire
):
    """On a real commit (as in production): the follow-up runs when the registration is
    committed, inside the request, so its message reaches the next page."""
    user = make_user()
    diagnostic = anonymous_diagnostic()
    client = browser_holding(user, diagnostic)
    assert "pas encore enregistré" in client.get("/espace/").content.decode()
    response = client.post(
        f"/entreprises/inscrire/?next=/diagnostic/{diagnostic.uuid}/resultats/", FORM
    )
    assert response.status_code == 302
    entreprise = Entreprise.objects.get(siren="812345676")
    diagnostic.refresh_from_db()
    assert diagnostic.entreprise == entreprise and diagnostic.auteur == user
    page = client.get(response.url).content.decode()
    assert "enregistré dans l&#x27;espace du Fournil de Gwen" in page
    assert "pas encore enregistré" not in client.get("/espace/").content.decode()


def test_only_this_browser_s_diagnostics_are_attached(
    make_user, questionnaire, django_capture_on_commit_callbacks
):
    mine, someone_elses = anonymous_diagnostic(), anonymous_diagnostic()
    client = browser_holding(make_user(), mine)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/entreprises/inscrire/", FORM)
    assert Diagnostic.objects.get(pk=mine.pk).entreprise is not None
    assert Diagnostic.objects.get(pk=someone_elses.pk).entreprise is None


def test_a_failing_follow_up_never_undoes_the_registration(
    make_user, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("suite en panne")

    inscription.entreprise_inscrite.connect(broken, dispatch_uid="test_broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = browser_holding(make_user()).post("/entreprises/inscrire/", FORM)
    finally:
        inscription.entreprise_inscrite.disconnect(dispatch_uid="test_broken")
    assert response.status_code == 302
    assert Entreprise.objects.filter(siren="812345676").exists()


def test_the_signal_is_sent_after_the_commit_only(make_user, django_capture_on_commit_callbacks):
    from osezia.entreprises import services
    from tests.entreprises.test_services import data

    received = []

    def receiver(entreprise, user, request, **kwargs):
        received.append(entreprise.siren)

    inscription.entreprise_inscrite.connect(receiver, dispatch_uid="test_receiver")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.create_entreprise(make_user(), data())
            assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        inscription.entreprise_inscrite.disconnect(dispatch_uid="test_receiver")
    assert received == ["812345676"]


@pytest.mark.parametrize("connector", [False, True])
def test_the_axis_page_says_what_registering_really_does(db, settings, connector):
    settings.RECHERCHE_ENTREPRISES_ENABLED = connector
    page = Client().get("/axes/accompagner/").content.decode()
    assert "déterminés automatiquement" not in page
    assert "décret n° 2008-1354" in page
    assert ("repris du répertoire des entreprises" in page) is connector
    assert ("vous indiquez le nom et le code NAF" in page) is not connector
