from django.urls import path

from osezia.socle import converters  # noqa: F401 - registers <ident:>

from . import views

app_name = "ambassadeurs"

urlpatterns = [
    path("", views.annuaire, name="annuaire"),
    path("devenir/", views.devenir, name="devenir"),
    path("demander/", views.demander, name="demander"),
    path("demandes/<int:pk>/", views.demande, name="demande"),
    path("espace/", views.espace, name="espace"),
    path("operateur/", views.operateur, name="operateur"),
    path("<ident:id_externe>/", views.fiche, name="fiche"),
]
