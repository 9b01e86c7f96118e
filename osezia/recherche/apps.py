from django.apps import AppConfig


class RechercheConfig(AppConfig):
    name = "osezia.recherche"
    verbose_name = "Recherche"
