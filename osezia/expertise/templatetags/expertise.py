from django import template

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Cents as French euros: 1440000 → « 14 400,00 € » (narrow no-break spaces)."""
    try:
        cents = int(cents)
    except (TypeError, ValueError):
        return ""
    sign = "−" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:_},{rest:02d} €".replace("_", "\u202f")


@register.filter
def get(mapping, key):
    """`{{ labels|get:code }}`: a dict's value ("" when absent)."""
    return mapping.get(key, "")


@register.filter
def milliers(value) -> str:
    """A whole number with French thousands separators: 25000 → « 25 000 »."""
    try:
        return f"{int(value):_}".replace("_", "\u202f")
    except (TypeError, ValueError):
        return ""
