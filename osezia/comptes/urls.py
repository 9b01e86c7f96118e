from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("", views.espace, name="espace"),
    path("operateur/rattachements/", views.rattachements, name="rattachements"),
    path(
        "operateur/rattachements/<int:pk>/",
        views.decider_rattachement,
        name="decider_rattachement",
    ),
]
