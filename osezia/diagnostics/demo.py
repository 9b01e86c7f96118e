"""Demo diagnostics: one completed self-diagnostic for each company that has an admin,
answered with the second option of every question (a company that is starting out).
Idempotent: a company that already has a diagnostic gets no other."""

from osezia.socle.demo import DemoContext

from . import services
from .models import Diagnostic


def size() -> int:
    return 1


def _starting_out_answers() -> dict:
    data = services.questionnaire_data(services.current_questionnaire())
    answers = {}
    for question in data.questions:
        options = [o.code for o in question.options if not o.exclusif]
        choice = options[min(1, len(options) - 1)]
        answers[question.code] = [choice] if question.type == "choix_multiple" else choice
    return answers


def seed(context: DemoContext) -> None:
    from osezia.entreprises.models import Entreprise

    context.count("diagnostics", 0)
    answers = _starting_out_answers()
    for entreprise in Entreprise.objects.filter(adhesions__est_admin=True).select_related("naf"):
        if Diagnostic.objects.filter(entreprise=entreprise).exists():
            continue
        admin = entreprise.adhesions.get(est_admin=True).utilisateur
        services.submit(admin, entreprise, answers)
        context.count("diagnostics")
    context.advance()
