from django.urls import path

from . import views

app_name = "evenements"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("calendrier.ics", views.flux_ics, name="flux_ics"),
    path("nouvelle/", views.creer, name="creer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/inscription/", views.inscrire, name="inscrire"),
    path("<int:pk>/interets/", views.interets, name="interets"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:pk>/rendez-vous/<int:rdv>/retour/", views.retour, name="retour"),
    path("<int:pk>/organisation/", views.organisation, name="organisation"),
    path("<int:pk>/organisation/emargement/", views.emargement, name="emargement"),
    path("<int:pk>/organisation/grille/", views.grille, name="grille"),
]
