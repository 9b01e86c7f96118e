from django.contrib import admin
from django.urls import include, path

from osezia.api.api import api
from osezia.portail.urls import espace_urls

urlpatterns = [
    path("", include("osezia.portail.urls")),
    path("referentiels/", include("osezia.referentiels.urls")),
    path("entreprises/", include("osezia.entreprises.urls")),
    path("diagnostic/", include("osezia.diagnostics.urls")),
    path("catalogue/", include("osezia.catalogue.urls")),
    path("academie/", include("osezia.academie.urls")),
    path("consultations/", include("osezia.consultation.urls")),
    path("ambassadeurs/", include("osezia.ambassadeurs.urls")),
    path("expertise/", include("osezia.expertise.urls")),
    path("rencontres/", include("osezia.evenements.urls")),
    path("espace/", include(espace_urls)),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler400 = "osezia.socle.views.bad_request"
handler404 = "osezia.socle.views.page_not_found"
handler403 = "osezia.socle.views.permission_denied"
handler500 = "osezia.socle.views.server_error"
