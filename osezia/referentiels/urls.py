from django.urls import path

from . import views

app_name = "referentiels"

urlpatterns = [
    path("naf/", views.naf, name="naf"),
    path("naf/<str:code>/", views.naf_detail, name="naf_detail"),
    path("territoires/", views.territoires, name="territoires"),
    path("familles/", views.familles, name="familles"),
]
