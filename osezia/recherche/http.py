"""What a page or endpoint answers while the search index cannot be read."""

from . import services


def degraded(response, unavailable: bool):
    """A list page rendered without its results: 503 with Retry-After, so that clients,
    crawlers and monitoring know it is temporary (the page itself shows the notice)."""
    if unavailable:
        response.status_code = 503
        response["Retry-After"] = str(services.RETRY_AFTER)
    return response


def results_or_unavailable(run, *args, **kwargs):
    """`run(*args, **kwargs)` and whether the index could be read: `(results, False)`, or
    `(no results, True)` when the search is unavailable (the page then shows its notice)."""
    try:
        return run(*args, **kwargs), False
    except services.SearchUnavailable:
        return services.Results(0, []), True
