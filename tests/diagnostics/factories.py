"""Diagnostics for tests, through the diagnostics services: answers to every question, a
company profile, a diagnostic walked step by step or submitted whole."""

from osezia.diagnostics import services
from osezia.diagnostics.questionnaire import MULTIPLE, Questionnaire
from tests.entreprises.factories import EntrepriseFactory


def all_answers(questionnaire: Questionnaire, pick: str = "max") -> dict:
    """Every question answered: the most mature option ('max'), the least ('min') or the 2nd."""
    answers = {}
    for q in questionnaire.questions:
        options = [o for o in q.options if not o.exclusif]
        if pick == "max":
            chosen = options[-1]
        elif pick == "min":
            chosen = q.options[0]
        else:
            chosen = options[min(1, len(options) - 1)]
        if q.type == MULTIPLE and pick == "max":
            answers[q.code] = [o.code for o in options][: q.max_choix or None]
        else:
            answers[q.code] = [chosen.code] if q.type == MULTIPLE else chosen.code
    return answers


def profil(**overrides) -> services.Profil:
    """A valid company profile (a bakery of 8 people near Lyon), validated by the service."""
    values = {
        "naf": "10.71C",
        "effectif": 8,
        "chiffre_affaires_eur": 900_000,
        "departement": "69",
        "description": "on jette trop de pain",
    }
    values.update(overrides)
    return services.validate_profile(**values)


def run_all_steps(diagnostic, answers: dict):
    """Answer every step of a started diagnostic with `answers`, then complete it."""
    data = services.questionnaire_data(diagnostic.questionnaire)
    for index, _ in enumerate(data.etapes):
        services.save_step(diagnostic, index, answers)
    return services.complete(diagnostic)


def completed_diagnostic(entreprise=None, pick: str = "max", auteur=None):
    """A finished diagnostic of `entreprise` (a new company by default) against the current
    questionnaire, every question answered the `pick` way (see `all_answers`)."""
    current = services.questionnaire_data(services.current_questionnaire())
    return services.submit(auteur, entreprise or EntrepriseFactory(), all_answers(current, pick))
