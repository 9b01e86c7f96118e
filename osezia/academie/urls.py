from django.urls import path

from osezia.socle import converters  # noqa: F401 (registers <ident:…>)

from . import views

app_name = "academie"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("formations/", views.formations, name="formations"),
    path("formations/<ident:reference>/", views.formation, name="formation"),
    path("sessions/<int:session_id>/inscription/", views.inscrire, name="inscrire"),
    path("inscriptions/<int:pk>/annuler/", views.annuler, name="annuler"),
    path("inscriptions/<int:pk>/valider/", views.valider, name="valider"),
    path("profil/", views.profil, name="profil"),
    path("mon-espace/", views.mon_espace, name="mon_espace"),
    path("tutoriels/", views.tutoriels, name="tutoriels"),
    path("tutoriels/<slug:slug>/", views.tutoriel, name="tutoriel"),
    path("parcours/", views.parcours_liste, name="parcours_liste"),
    path("parcours/<slug:slug>/", views.parcours, name="parcours"),
    path("organisme/", views.organisme, name="organisme"),
    path("organisme/sessions/<int:pk>/", views.session_gestion, name="session_gestion"),
    path("organisme/sessions/<int:pk>/declarer/", views.declarer, name="declarer"),
    path("attestations/<str:code>.pdf", views.attestation_pdf, name="attestation_pdf"),
    path("verifier/", views.verifier, name="verifier"),
]
