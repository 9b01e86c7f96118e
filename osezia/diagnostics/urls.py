from django.urls import path

from . import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.demarrer, name="demarrer"),
    path("reprendre/<str:jeton>/", views.reprendre, name="reprendre"),
    path("<uuid:uuid>/etape/<int:index>/", views.etape, name="etape"),
    path("<uuid:uuid>/resultats/", views.resultats, name="resultats"),
    path("<uuid:uuid>/pdf/", views.pdf, name="pdf"),
    path("<uuid:uuid>/rattacher/", views.rattacher, name="rattacher"),
    path("entreprise/<str:siren>/", views.historique, name="historique"),
]
