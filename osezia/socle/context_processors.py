from django.conf import settings

from . import plan
from . import site as shell


def site(request):
    """What every page needs: the site name, the skip links, and what the apps registered in
    `socle.site` (home link, main navigation, account link, footer links, notices)."""
    # Generate the Content-Security-Policy nonce now: the DSFR script tags carry it, and
    # django-csp only sends a nonce in the header once it has been generated.
    csp_nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return {
        "csp_nonce": csp_nonce,
        # The platform's name and public address, for e-mails rendered with the request
        # (allauth's): « Osez l'IA », never the host the request came through.
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL.rstrip("/"),
        "SITE_CONFIG": {
            "site_title": plan.PLAN_NAME,
            "site_tagline": "Le plan national pour diffuser l'intelligence artificielle dans "
            "toutes les entreprises françaises",
            "header_brand_html": "République<br>française",
            "footer_description": "Plateforme du plan national « Osez l'IA », lancé le "
            f"{plan.PLAN_LAUNCH}.",
        },
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#fr-navigation", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
        "nav_current": request.resolver_match.namespace if request.resolver_match else "",
        "nav_home_url": shell.home_url(),
        "site_navigation": shell.navigation(request),
        "site_account": shell.account(),
        "site_footer_links": shell.footer_links(),
        "site_notices": shell.notices(request),
    }
