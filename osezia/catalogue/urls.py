from django.urls import path

from osezia.socle import converters  # noqa: F401 (registers <ident:…>)

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue, name="liste"),
    path("comparer/", views.comparer, name="comparer"),
    path("export.<str:kind>", views.export, name="export"),
    path("solutions/<ident:id_externe>/", views.solution, name="solution"),
    path("solutions/<ident:id_externe>/historique/", views.historique, name="historique"),
    path("espace-fournisseur/", views.espace, name="espace"),
    path("espace-fournisseur/nouvelle/", views.editer, name="nouvelle"),
    path("espace-fournisseur/jetons/", views.jeton, name="jeton"),
    path("espace-fournisseur/jetons/<int:pk>/revoquer/", views.revoquer, name="revoquer"),
    path("espace-fournisseur/<ident:id_externe>/", views.editer, name="editer"),
    path("espace-fournisseur/<ident:id_externe>/soumettre/", views.soumettre, name="soumettre"),
    path("espace-fournisseur/<ident:id_externe>/retirer/", views.retirer, name="retirer"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.decider, name="decider"),
    path("moderation/fournisseurs/", views.fournisseurs, name="fournisseurs"),
    path("moderation/fournisseurs/<str:siren>/", views.fournisseur, name="fournisseur"),
    path(
        "moderation/fournisseurs/<str:siren>/membres/",
        views.ajouter_membre,
        name="ajouter_membre",
    ),
    path(
        "moderation/fournisseurs/<str:siren>/jetons/<int:pk>/revoquer/",
        views.revoquer_jeton_fournisseur,
        name="revoquer_jeton_fournisseur",
    ),
    path(
        "moderation/contacts/<int:pk>/renvoyer/",
        views.renvoyer_contact,
        name="renvoyer_contact",
    ),
]
