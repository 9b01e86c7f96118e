"""French phrasing filters: `{% load francais %}` then « l'espace {{ nom|de }} »."""

from django import template

from osezia.socle.texte import de as _de

register = template.Library()


@register.filter
def de(nom) -> str:
    """« de » + an organisation's name, contracted: « Le Fournil » → « du Fournil »."""
    return _de(str(nom or ""))
