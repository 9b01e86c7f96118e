from django.urls import path

from . import views

app_name = "portail"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("axes/<slug:code>/", views.axe, name="axe"),
    path("observatoire/", views.observatoire, name="observatoire"),
    path("plan-du-site/", views.plan_du_site, name="plan_du_site"),
]
