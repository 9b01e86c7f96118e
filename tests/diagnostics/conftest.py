from osezia.diagnostics.questionnaire import Questionnaire


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
        if q.type == "choix_multiple" and pick == "max":
            answers[q.code] = [o.code for o in options][: q.max_choix or None]
        else:
            answers[q.code] = [chosen.code] if q.type == "choix_multiple" else chosen.code
    return answers
