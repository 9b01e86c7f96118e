from django.urls import path

from . import views

app_name = "expertise"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("demander/", views.demander, name="demander"),
    path("demandes/<int:pk>/", views.demande, name="demande"),
    path("demandes/<int:pk>/rapport/", views.rapport, name="rapport"),
    path("demandes/<int:pk>/rapport.pdf", views.rapport_pdf, name="rapport_pdf"),
    path("espace/", views.espace, name="espace"),
    path("expert/profil/", views.profil, name="profil"),
    path("operateur/", views.operateur, name="operateur"),
]
