from django.urls import path

from . import views

app_name = "entreprises"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("inscrire/", views.creer, name="creer"),
    path("categorie-taille/", views.categorie_taille, name="categorie_taille"),
    path("invitations/<int:pk>/repondre/", views.repondre_invitation, name="repondre_invitation"),
    path("<str:siren>/", views.detail, name="detail"),
    path("<str:siren>/modifier/", views.modifier, name="modifier"),
    path("<str:siren>/membres/", views.ajouter_membre, name="ajouter_membre"),
    path(
        "<str:siren>/membres/<int:adhesion_id>/retirer/",
        views.retirer_membre,
        name="retirer_membre",
    ),
    path(
        "<str:siren>/invitations/<int:invitation_id>/annuler/",
        views.annuler_invitation,
        name="annuler_invitation",
    ),
]
