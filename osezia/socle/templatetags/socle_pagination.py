"""`{% page_hors_limites page_obj as hors_limites %}`: the notice of `socle/pagination.html`
when the request's `?page=` named no page of the list (see `pagination.out_of_range`)."""

from django import template

from osezia.socle.pagination import out_of_range

register = template.Library()


@register.simple_tag(takes_context=True)
def page_hors_limites(context, page_obj):
    request = context.get("request")
    if request is None or page_obj is None:
        return None
    return out_of_range(page_obj, request.GET.get("page"))
