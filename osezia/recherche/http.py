"""How a list page reads its search and answers while the search index cannot be read."""

from django.core.exceptions import ValidationError

from . import services
from .requete import SearchRequest, SearchSpec, default_request, parse


def read(params, spec: SearchSpec) -> tuple[SearchRequest, str | None]:
    """The search a list page answers, and the French reason when its parameters are refused
    (the page then shows the reason over the unfiltered first page, with status 400)."""
    try:
        return parse(params, spec), None
    except ValidationError as exc:
        reasons = [f"{name} : {' '.join(messages)}" for name, messages in exc.message_dict.items()]
        return default_request(spec), "Recherche refusée — " + " ; ".join(reasons) + "."


def degraded(response, unavailable: bool, refused: bool = False):
    """A list page rendered without its results: 503 with Retry-After, so that clients,
    crawlers and monitoring know it is temporary (the page itself shows the notice); 400 when
    its parameters were refused (the page says why)."""
    if unavailable:
        response.status_code = 503
        response["Retry-After"] = str(services.RETRY_AFTER)
    elif refused:
        response.status_code = 400
    return response
