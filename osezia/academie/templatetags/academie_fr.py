"""French agreement in the Académie's pages: « 0 bonne réponse », « 1 place libre »,
« 3 bonnes réponses » (French takes the singular below 2, unlike Django's `pluralize`)."""

from django import template

from .. import format as fmt

register = template.Library()


@register.filter
def pluriel(value, suffixes: str = "s") -> str:
    """`{{ n|pluriel }}` → "" or "s"; `{{ n|pluriel:"al,aux" }}` → one of the two."""
    one, many = suffixes.split(",", 1) if "," in suffixes else ("", suffixes)
    return many if fmt.is_plural(value) else one


@register.filter
def get_item(mapping, key):
    """`{{ corrections|get_item:forloop.counter }}`: a dict's value, None when absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
