"""The NAF field of every form where a person types their activity (the company form, the
diagnostic's profile): a plain text field that works without JavaScript, enhanced into an
accessible autocomplete by `static/referentiels/naf-suggestions.js` (ARIA combobox)."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from osezia.socle.regles import forbidden_characters

from .naf import normalize_code
from .queries import naf_index, suggest_naf

SUGGESTIONS_URL = reverse_lazy("api-1.0.0:naf_suggestions")
SCRIPT = "referentiels/naf-suggestions.js"
STYLESHEET = "referentiels/naf-suggestions.css"


def unknown_code_message(typed: str) -> str:
    """Why a typed NAF is refused and, when the words tell a trade, the codes that fit."""
    suggestions = suggest_naf(typed, 3)
    if not suggestions:
        return (
            f"« {typed} » n'est pas un code de la NAF rév. 2 (par exemple 10.71C) : décrivez "
            "votre métier en un ou deux mots pour voir les codes proposés."
        )
    proposals = " ; ".join(f"{s.code} ({s.libelle})" for s in suggestions)
    return f"« {typed} » n'est pas un code NAF. Codes possibles : {proposals}."


class NafField(forms.CharField):
    """Cleans to the code as the nomenclature writes it (« 1071 c » → « 10.71C »). A text that
    is not a known code is refused with the codes its words suggest (`sous_classe` asks for
    the most detailed level, otherwise any level is accepted)."""

    def __init__(self, *, sous_classe: bool = True, **kwargs):
        self.sous_classe = sous_classe
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "spellcheck": "false",
                    "data-naf-suggestions": SUGGESTIONS_URL,
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_code(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values or forbidden_characters(value):
            return  # the text rule's own message says why (TextFormMixin)
        known = naf_index().get(value)
        if known is None or (self.sous_classe and known[0] != "sous_classe"):
            raise ValidationError(unknown_code_message(self._typed or value), code="naf")

    def clean(self, value):
        self._typed = (value or "").strip() if isinstance(value, str) else ""
        return super().clean(value)
