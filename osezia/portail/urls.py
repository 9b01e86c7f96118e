from django.urls import path

from osezia.comptes import urls as comptes_urls

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
    path("contact/", views.contact, name="contact"),
]

# « Mon espace » composes several apps, so its page lives here, in the site layer; it keeps
# its address /espace/ and its name `comptes:espace`, next to comptes' own pages under
# /espace/ (config/urls.py includes this pair).
espace_urls = (
    [path("", views.espace, name="espace"), *comptes_urls.urlpatterns],
    comptes_urls.app_name,
)
