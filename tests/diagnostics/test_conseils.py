"""Advice a leader can trust (issue 11, items 5, 13–16, 18, 20): pains first, priorities that
agree with their justification, true justifications, no internal code shown, bounds."""

import pytest
from django.test import Client

from osezia.diagnostics import scoring
from osezia.diagnostics.engine import QUICK_WIN, Company, Engine
from osezia.diagnostics.secteurs import GENERIC, OTHER, OWN, fit
from osezia.diagnostics.services import parse_preferences
from osezia.diagnostics.services.resultats import validate_answers

MACHINING = Company(
    naf="25.62B",
    size="PME",
    description=(
        "Nos tours tombent en panne sans prévenir et bloquent toute la production. Les défauts "
        "sont détectés trop tard, au contrôle final. Accessoirement, les devis nous prennent "
        "du temps."
    ),
)
BAKERY = Company(
    naf="10.71C",
    size="TPE",
    description="Il reste trop de pain le soir et je fais les publications Facebook moi-même.",
)
BAKERY_CHAIN = ("10.71C", "10.71", "10.7", "10", "C")


@pytest.fixture(scope="module")
def engine():
    return Engine()


def test_the_pains_the_leader_states_come_before_a_secondary_sentence(engine):
    ranked = engine.evaluate(MACHINING)
    top2 = {u.famille for u in ranked[:2]}
    assert top2 == {"MAINTENANCE_PREDICTIVE", "CONTROLE_QUALITE"}
    assert ranked[0].famille != "VENTE"
    # No flat ceiling that leaves the order to feasibility.
    values = [u.valeur for u in ranked[:3]]
    assert max(values) < 99 and len(set(values)) == len(values)


def test_ready_to_use_tools_for_the_size_make_a_quick_win(engine):
    known = Company(**{**BAKERY.__dict__, "ready_tools": {"VISUELS": 3}})
    by_family = {u.famille: u for u in engine.evaluate(known)}
    assert by_family["VISUELS"].priorite == QUICK_WIN
    assert "3 solutions publiées au catalogue" in by_family["VISUELS"].justification
    # Without a ready tool in the catalogue the text does not claim one.
    assert "prêts à l'emploi" not in by_family["MARKETING"].justification


def test_a_justification_that_says_tools_are_ready_is_a_quick_win(engine):
    for company in (BAKERY, MACHINING):
        for use_case in engine.evaluate(company):
            if "prêts à l'emploi" in use_case.justification:
                assert use_case.priorite == QUICK_WIN, use_case


def test_a_family_foreign_to_the_sector_gets_no_first_step_and_comes_last(engine):
    ranked = engine.evaluate(BAKERY)
    names = [u.famille for u in ranked]
    farming = ranked[names.index("AGRICULTURE")]
    assert "Premier pas" not in farming.justification
    assert names.index("AGRICULTURE") > names.index("RH")
    assert "AGRICULTURE" not in names[:5]


def test_the_page_order_is_the_order_the_page_states(engine):
    ranked = engine.evaluate(BAKERY)
    relevant = [u for u in ranked if "Premier pas" in u.justification]
    assert [u.score for u in relevant] == sorted((u.score for u in relevant), reverse=True)


def test_a_family_in_test_is_only_said_so_with_the_question_answered(questionnaire, engine):
    answers = scoring.validate_answers(questionnaire, {"USAGE_PREVISION": "EN_TEST"})
    company = Company(
        naf="25.62B",
        size="PME",
        usages=scoring.usage_stages(questionnaire, answers),
        usage_labels=scoring.usage_labels(questionnaire, answers),
    )
    for use_case in engine.evaluate(company):
        assert "vous le testez déjà" not in use_case.justification
        if use_case.famille == "ENERGIE":
            assert "IA pour prévoir ou surveiller" in use_case.justification


def test_no_ai_in_production_caps_the_level_at_exploration(questionnaire):
    from tests.diagnostics.factories import all_answers

    raw = all_answers(questionnaire, "max")
    for q in questionnaire.questions:
        if q.familles_usage:
            raw[q.code] = "EN_TEST"
    maturity = scoring.maturity(questionnaire, scoring.validate_answers(questionnaire, raw))
    assert maturity.overall > 50
    assert maturity.level == "EXPLORATION"


def test_a_fourth_box_is_refused_next_to_its_question_without_codes(questionnaire):
    from django.core.exceptions import ValidationError

    question = next(q for q in questionnaire.questions if q.max_choix == 3)
    codes = [o.code for o in question.options if not o.exclusif][:4]
    with pytest.raises(ValidationError) as error:
        validate_answers(questionnaire, {question.code: codes})
    messages = error.value.message_dict
    assert set(messages) == {question.code}
    assert "au plus 3" in messages[question.code][0]
    assert question.code not in messages[question.code][0]


def test_the_step_page_shows_the_error_at_the_question_and_loads_the_limiter(db):
    client = Client()
    client.post(
        "/diagnostic/", {"naf": "10.71C", "effectif": "6", "departement": "29"}, follow=True
    )
    from osezia.diagnostics.models import Diagnostic
    from osezia.diagnostics.services import current_questionnaire, questionnaire_data

    diagnostic = Diagnostic.objects.get()
    data = questionnaire_data(current_questionnaire())
    question = next(q for q in data.questions_of(data.etapes[0].code) if q.max_choix == 3)
    url = f"/diagnostic/{diagnostic.uuid}/etape/0/"
    page = client.get(url).content.decode()
    assert 'data-max-choix="3"' in page and "diagnostics/choix-limite" in page
    codes = [o.code for o in question.options if not o.exclusif][:4]
    response = client.post(url, {"action": "suivant", f"q_{question.code}": codes})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="erreurs-{question.code}"' in content
    assert "Choisissez au plus 3 réponses" in content
    assert f"« {question.code} »" not in content


def test_a_negative_budget_is_refused_in_french():
    preferences = parse_preferences("-50")
    assert preferences.budget_eur_mois is None
    assert "négatif" in preferences.errors["budget"]


@pytest.mark.parametrize("field", ["effectif", "chiffre_affaires_eur"])
def test_a_23_digit_figure_is_a_field_error_not_a_500(db, field):
    response = Client().post("/diagnostic/", {"naf": "10.71C", "effectif": "8", field: "9" * 23})
    assert response.status_code == 200
    assert "inférieure ou égale" in response.context["form"].errors[field][0]
    api = Client().post(
        "/api/v1/diagnostics/rapide",
        {"naf": "10.71C", "effectif": 8, field: int("9" * 23)},
        content_type="application/json",
    )
    assert api.status_code == 422


def test_a_training_title_naming_another_activity_is_told_apart():
    assert fit("Hôtels, campings et gîtes : fixer ses prix", BAKERY_CHAIN).kind == OTHER
    assert fit("Hôtellerie et tourisme en Corse : gérer avis", BAKERY_CHAIN).kind == OTHER
    assert fit("Écrire plus vite avec un assistant conversationnel", BAKERY_CHAIN).kind == GENERIC
    assert fit("Boulangeries-pâtisseries : prévoir sa production", BAKERY_CHAIN).rank == 0


def test_building_trades_are_another_activity_for_a_machining_pme():
    chain = ("25.62B", "25.62", "25.6", "25", "C")
    assert fit("Artisans du bâtiment : devis, factures et relances", chain).kind == OTHER
    assert fit("Premiers pas avec l'IA : outils et métiers", chain).kind == GENERIC
    assert (
        fit(
            "Maintenance prédictive : exploiter vos machines", chain, ["MAINTENANCE_PREDICTIVE"]
        ).kind
        == GENERIC
    )


def test_the_pages_name_levels_and_explain_the_order_and_the_figures(make_user, questionnaire):
    from osezia.diagnostics import services
    from tests.comptes.factories import member
    from tests.diagnostics.factories import all_answers
    from tests.entreprises.factories import EntrepriseFactory
    from tests.html import assert_valid_html

    owner = make_user()
    company = EntrepriseFactory()
    member(owner, company, admin=True)
    diagnostic = services.submit(owner, company, all_answers(questionnaire, "min"))
    client = Client()
    client.force_login(owner)
    history = client.get(f"/diagnostic/entreprise/{company.siren}/").content.decode()
    assert "<td>Découverte</td>" in history and "DECOUVERTE" not in history
    page = client.get(f"/diagnostic/{diagnostic.uuid}/resultats/?budget=-20")
    content = page.content.decode()
    assert_valid_html(content)
    assert "puis par faisabilité" not in content
    assert "la faisabilité départage" in content
    assert "Comment lire la valeur, la faisabilité et le niveau de priorité" in content
    assert "ne peut pas être négatif" in content


def test_everyday_activity_words_missing_from_the_naf_labels_name_another_activity():
    transport = ("49.41A", "49.41", "49.4", "49", "H")
    assert fit("Chefs d'entreprise du BTP : chiffrer et planifier", transport).kind == OTHER
    assert fit("Éleveurs normands : prévoir la pousse de l'herbe", transport).kind == OTHER
    assert fit("Gîtes et chambres d'hôtes : répondre aux avis", BAKERY_CHAIN).kind == OTHER
    building = ("43.22A", "43.22", "43.2", "43", "F")
    assert fit("Chefs d'entreprise du BTP : chiffrer et planifier", building).kind == OWN
