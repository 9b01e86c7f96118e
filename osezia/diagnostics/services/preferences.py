"""The leader's preferences for the recommendations of the results page: the monthly budget
and the accepted hosting, checked with bounds and French errors."""

from dataclasses import dataclass, field

from osezia.referentiels import codes

MAX_BUDGET_EUR_MOIS = 1_000_000
MAX_BUDGET_DIGITS = 12
HOSTING_CHOICES = codes.field("hebergement", "lieu")


@dataclass(frozen=True)
class Preferences:
    budget_eur_mois: int | None = None
    hebergements: tuple[str, ...] = ()
    # French messages by field, for what was given but cannot be used (then ignored).
    errors: dict[str, str] = field(default_factory=dict)


def parse_preferences(budget: str | int | None, hebergements=()) -> Preferences:
    """Preferences from what a page or a client sent: an empty budget means none; a malformed
    or out-of-bounds budget, or an unknown hosting code, is ignored with a French message."""
    errors: dict[str, str] = {}
    value = None
    text = "" if budget is None else str(budget).strip()
    if text:
        if text.startswith("-") and text[1:].strip().isdigit():
            errors["budget"] = "Le budget mensuel ne peut pas être négatif : indiquez 0 ou plus."
        elif len(text) > MAX_BUDGET_DIGITS or not text.isdigit():
            errors["budget"] = "Le budget mensuel s'écrit en euros, en chiffres (par exemple 300)."
        elif int(text) > MAX_BUDGET_EUR_MOIS:
            errors["budget"] = (
                f"Le budget mensuel ne peut pas dépasser {MAX_BUDGET_EUR_MOIS:_} euros.".replace(
                    "_", "\u202f"
                )
            )
        else:
            value = int(text)
    chosen = []
    unknown = []
    for code in hebergements or ():
        code = str(code).strip()
        if code in HOSTING_CHOICES:
            if code not in chosen:
                chosen.append(code)
        else:
            unknown.append(code)
    if unknown:
        errors["hebergement"] = (
            "Hébergement inconnu : choisissez la France, l'Union européenne ou hors Union "
            "européenne."
        )
    return Preferences(value, tuple(chosen), errors)
