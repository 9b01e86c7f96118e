from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue, name="liste"),
    path("comparer/", views.comparer, name="comparer"),
    path("export.<str:kind>", views.export, name="export"),
    path("solutions/<str:id_externe>/", views.solution, name="solution"),
    path("solutions/<str:id_externe>/historique/", views.historique, name="historique"),
    path("espace-fournisseur/", views.espace, name="espace"),
    path("espace-fournisseur/nouvelle/", views.editer, name="nouvelle"),
    path("espace-fournisseur/jetons/", views.jeton, name="jeton"),
    path("espace-fournisseur/jetons/<int:pk>/revoquer/", views.revoquer, name="revoquer"),
    path("espace-fournisseur/<str:id_externe>/", views.editer, name="editer"),
    path("espace-fournisseur/<str:id_externe>/soumettre/", views.soumettre, name="soumettre"),
    path("espace-fournisseur/<str:id_externe>/retirer/", views.retirer, name="retirer"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.decider, name="decider"),
    path(
        "moderation/contacts/<int:pk>/renvoyer/",
        views.renvoyer_contact,
        name="renvoyer_contact",
    ),
]
