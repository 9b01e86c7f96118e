"""One rule for every text and number a person or a file gives the platform.

Text: no control characters (NUL, the C0 and C1 ranges, DEL), no lone UTF-16 surrogates
(U+D800–U+DFFF, which no database can store), no non-characters U+FFFE / U+FFFF. Multi-line
text may hold tabulations and line breaks; a one-line text may not. The same rule, with the
same French message, serves Django forms (`no_control_characters`, `TextFormMixin`), ninja
schemas (`TexteCourt`, `TexteLong`, `texte()`), the import formats (`forbidden_characters`,
`clean_text`) and the request filter of `osezia.socle.middleware`. The rule itself and the
number bounds live in the pure module `osezia.socle.regles` (engines and import formats use it
without Django); they are re-exported here with the schema types `Effectif`, `MontantEur`,
`PrixEurMois`.
"""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import AfterValidator, Field

from .regles import (
    MAX_EFFECTIF,
    MAX_EXTERNAL_ID,
    MAX_MONTANT_EUR,
    MAX_PAGE,
    MAX_PRIX_EUR_MOIS,
    MESSAGE,
    InvalidExternalId,
    external_id,
    forbidden_characters,
    forbidden_path,
)

__all__ = [
    "MAX_EFFECTIF",
    "MAX_EXTERNAL_ID",
    "MAX_MONTANT_EUR",
    "MAX_PAGE",
    "MAX_PRIX_EUR_MOIS",
    "MESSAGE",
    "external_id",
    "forbidden_characters",
    "forbidden_path",
]


def clean_text(
    value: Any,
    field_label: str,
    max_length: int | None = None,
    multiline: bool = False,
    required: bool = False,
) -> str:
    """A stripped text, or ValidationError with a French message naming the field."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{field_label} : doit être un texte.")
    if forbidden_characters(value, multiline):
        raise ValidationError(f"{field_label} : {MESSAGE}")
    value = value.strip()
    if required and not value:
        raise ValidationError(f"{field_label} : ce champ est obligatoire.")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(f"{field_label} : ne doit pas dépasser {max_length} caractères.")
    return value


# Django forms ---------------------------------------------------------------------------


def no_control_characters(value) -> None:
    """Django validator for one-line text."""
    if isinstance(value, str) and forbidden_characters(value, multiline=False):
        raise ValidationError(MESSAGE, code="control_characters")


def no_control_characters_multiline(value) -> None:
    """Django validator for multi-line text (tabulations and line breaks allowed)."""
    if isinstance(value, str) and forbidden_characters(value, multiline=True):
        raise ValidationError(MESSAGE, code="control_characters")


class TextFormMixin:
    """Put the rule on every text field of a form: multi-line for a Textarea, one line
    otherwise (choice fields are checked against their choices already)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms
        from django.core.validators import ProhibitNullCharactersValidator

        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                # One rule, one message: ours replaces Django's own NUL check.
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ] + [no_control_characters_multiline if multiline else no_control_characters]


# Pydantic / ninja schemas ---------------------------------------------------------------


def _one_line(value: str) -> str:
    if forbidden_characters(value, multiline=False):
        raise ValueError(MESSAGE)
    return value


def _multiline(value: str) -> str:
    if forbidden_characters(value, multiline=True):
        raise ValueError(MESSAGE)
    return value


def texte(max_length: int, multiline: bool = False, **field_kwargs):
    """A schema string of at most `max_length` characters under the rule:
    `nom: texte(200)`, `description: texte(10_000, multiline=True) = ""`."""
    check = _multiline if multiline else _one_line
    return Annotated[str, Field(max_length=max_length, **field_kwargs), AfterValidator(check)]


def _external_id(value: str) -> str:
    try:
        return external_id(value)
    except InvalidExternalId as exc:
        raise ValueError(str(exc)) from exc


# An external identifier (`regles.external_id`): surrounding whitespace removed, kept as given.
IdentifiantExterne = Annotated[
    str,
    Field(
        json_schema_extra={
            "pattern": rf"^\s*[A-Za-z0-9._:/-]{{1,{MAX_EXTERNAL_ID}}}\s*$",
            "maxLength": MAX_EXTERNAL_ID,
        }
    ),
    AfterValidator(_external_id),
]
TexteCourt = texte(255)
TexteLong = texte(10_000, multiline=True)
Effectif = Annotated[int, Field(ge=0, le=MAX_EFFECTIF)]
MontantEur = Annotated[int, Field(ge=0, le=MAX_MONTANT_EUR)]
PrixEurMois = Annotated[int, Field(ge=0, le=MAX_PRIX_EUR_MOIS)]


def report_on_form(form, exc: ValidationError) -> None:
    """Show a service's `ValidationError` on a form: each message next to its field, the others
    at the top of the form (one way for every page)."""
    if not hasattr(exc, "message_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        field = name if name in form.fields else None
        if field is not None and field in form.errors:
            continue  # the field's own check already said what is wrong
        form.add_error(field, messages)


# Honeypot ---------------------------------------------------------------------------------
# A public form open to anonymous visitors carries one field hidden from people (`HONEYPOT`):
# a robot that fills every field fills it too. The page then answers as if the form had been
# accepted and stores nothing (a robot learns nothing).

HONEYPOT = "site"


def honeypot_field():
    """The hidden field to declare on a public form as `site = honeypot_field()`."""
    from django import forms

    return forms.CharField(
        required=False,
        label="Ne pas remplir ce champ",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def is_robot(data) -> bool:
    """True when a form's data (cleaned or raw) has its honeypot filled."""
    value = data.get(HONEYPOT) if data is not None else None
    return bool(value and str(value).strip())
