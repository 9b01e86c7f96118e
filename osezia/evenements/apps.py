from django.apps import AppConfig


class EvenementsConfig(AppConfig):
    name = "osezia.evenements"
    verbose_name = "Rencontres d'affaires"

    def ready(self):
        from . import recommandations

        recommandations.install()
