"""The API's documentation page (`/api/docs`): Swagger UI served from the platform's own static
files (the assets django-ninja ships, `ninja/static/ninja/`), under the site's
Content-Security-Policy (no CDN, no inline script: the settings travel as JSON data and a
static script starts the UI), in a French page (`lang="fr"`, French title and introduction)."""

import json

from django.shortcuts import render
from ninja.openapi.docs import Swagger

SWAGGER_SETTINGS = {
    "layout": "BaseLayout",
    "deepLinking": True,
    "docExpansion": "list",
    "defaultModelsExpandDepth": 0,
    # No call to the public validator (validator.swagger.io): nothing leaves the platform.
    "validatorUrl": None,
}


class DocumentationFr(Swagger):
    template = "api/docs.html"

    def __init__(self):
        super().__init__(settings=SWAGGER_SETTINGS)

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            self.template,
            {
                "api": api,
                "title": f"Documentation de l'{api.title}",
                "swagger_settings": json.dumps(settings),
            },
        )
