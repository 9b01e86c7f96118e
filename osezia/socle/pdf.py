"""PDF documents from HTML templates (WeasyPrint), rendered once per content and capped per
client.

Rendering a page to PDF takes most of a second of CPU on a web worker; a handful of
simultaneous downloads used to stall every other request. `pdf_response`:

- renders the template to HTML (cheap) and looks the PDF up in the `CACHES["pdf"]` cache under
  the caller's key (the object and its last change) and a digest of that HTML, so that the
  same document is rendered once, and any change of what it shows (a rescore, a new name, other
  peers) renders a fresh one;
- renders at most `PDF_MAX_CONCURRENT_RENDERS` documents at once across every worker and
  machine (slots in the shared cache), so that web workers stay free for other pages; past
  that the client gets a French 503 page with `Retry-After`;
- renders only within `PDF_RENDERS_PER_CLIENT` renders per `PDF_RENDER_PERIOD` seconds per
  client (account, else address), counted in the shared cache (`osezia.socle.ratelimit`); past
  that the client gets a French 429 page with `Retry-After`. Copies served from the cache are
  never held back;
- lets WeasyPrint fetch nothing but `data:` URIs: a document never makes the server call itself
  or anything else over the network.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .ratelimit import RateLimited, consume_request

CACHE_ALIAS = "pdf"
# A render slot is given back when the render ends; this is only the safety net for a worker
# killed in the middle of one.
RENDER_SLOT_SECONDS = 60
BUSY_RETRY_SECONDS = 5


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of an HTML document, with no resource fetched from outside the document."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def _store():
    return caches[CACHE_ALIAS]


def cache_key(key: str, html: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()
    return f"pdf:{key}:{digest}"


def busy_response(request, retry_after: int, message: str, status: int = 429) -> HttpResponse:
    """The French « trop de demandes » page (429, or 503 when the whole service is busy) with
    the wait in `Retry-After`."""
    response = render(
        request,
        "socle/trop_de_demandes.html",
        {
            "title": "Trop de demandes" if status == 429 else "Service très sollicité",
            "code": status,
            "message": message,
            "attente": retry_after,
        },
        status=status,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _take_render_slot() -> str | None:
    """One of the `PDF_MAX_CONCURRENT_RENDERS` render slots shared by every worker and machine
    (a key added atomically in the shared cache; it expires by itself if a worker dies)."""
    for index in range(settings.PDF_MAX_CONCURRENT_RENDERS):
        key = f"pdf-render-slot:{index}"
        if cache.add(key, 1, timeout=RENDER_SLOT_SECONDS):
            return key
    return None


def pdf_response(
    request, template_name: str, context: dict, *, key: str, filename: str
) -> HttpResponse:
    """The PDF of `template_name` rendered with `context`, as a download named `filename`.

    `key` names the object and its last change (e.g. `diagnostic:<uuid>:<rescored at>`); the
    rendered HTML's digest completes it. The caller has already checked the person may see it."""
    html = render_to_string(template_name, context, request=request)
    entry = cache_key(key, html)
    document = _store().get(entry)
    if document is None:
        slot = _take_render_slot()
        if slot is None:
            return busy_response(
                request,
                BUSY_RETRY_SECONDS,
                "De nombreux documents PDF sont en cours de préparation. Pour que le service "
                f"reste disponible pour tous, réessayez dans {BUSY_RETRY_SECONDS} secondes.",
                status=503,
            )
        try:
            try:
                consume_request(
                    request,
                    "pdf-render",
                    settings.PDF_RENDERS_PER_CLIENT,
                    settings.PDF_RENDER_PERIOD,
                )
            except RateLimited as exc:
                wait = exc.retry_after
                return busy_response(
                    request,
                    wait,
                    "Vous avez demandé plusieurs documents PDF en quelques secondes. Pour que "
                    f"le service reste disponible pour tous, patientez {wait} seconde"
                    f"{'s' if wait > 1 else ''} avant de réessayer.",
                )
            document = render_pdf(html, base_url=request.build_absolute_uri("/"))
        finally:
            cache.delete(slot)
        _store().set(entry, document)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private"
    return response
