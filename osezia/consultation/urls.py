from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<slug:slug>/", views.accueil, name="accueil"),
    path("<slug:slug>/participer/", views.participer, name="participer"),
    path("<slug:slug>/voter/", views.voter, name="voter"),
    path("<slug:slug>/proposer/", views.proposer, name="proposer"),
    path("<slug:slug>/similaires/", views.similaires, name="similaires"),
    path("<slug:slug>/resultats/", views.resultats_page, name="resultats"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/oublier/", views.oublier, name="oublier"),
]
