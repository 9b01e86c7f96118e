"""Database constraints built from the declared code lists and workflows.

A field holding a shared code (`codes.py`) or a status (`models.TextChoices`) gets a
CheckConstraint whose allowed values come from that one declaration, with a French message
shown when a form or `full_clean` meets a value outside it.
"""

from django.db import models

from . import codes


def _message(field: str, values) -> str:
    return f"Valeur de « {field} » inconnue ; valeurs possibles : {', '.join(values)}."


def code_constraint(
    field: str, kind: str, name: str, blank: bool = False
) -> models.CheckConstraint:
    """`field` holds a code of the list `kind` (or is empty, with `blank`)."""
    condition = models.Q(**{f"{field}__in": list(codes.codes(kind))})
    if blank:
        condition |= models.Q(**{field: ""})
    return models.CheckConstraint(
        condition=condition, name=name, violation_error_message=_message(field, codes.codes(kind))
    )


def choices_constraint(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """`field` holds one of the values declared by `choices`."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": list(choices.values)}),
        name=name,
        violation_error_message=_message(field, choices.values),
    )
