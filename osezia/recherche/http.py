"""What a page or endpoint answers while the search index cannot be read."""

from . import services


def degraded(response, unavailable: bool):
    """A list page rendered without its results: 503 with Retry-After, so that clients,
    crawlers and monitoring know it is temporary (the page itself shows the notice)."""
    if unavailable:
        response.status_code = 503
        response["Retry-After"] = str(services.RETRY_AFTER)
    return response
