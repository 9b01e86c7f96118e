from django.urls import path

from . import views

app_name = "comptes"

# Mounted under /espace/ next to « Mon espace » itself, which the site layer composes
# (`osezia.portail.urls.espace_urls` keeps its name `comptes:espace`).
urlpatterns = [
    path("operateur/rattachements/", views.rattachements, name="rattachements"),
    path(
        "operateur/rattachements/<int:pk>/",
        views.decider_rattachement,
        name="decider_rattachement",
    ),
]
