from django.apps import AppConfig


class AmbassadeursConfig(AppConfig):
    name = "osezia.ambassadeurs"
    verbose_name = "Ambassadeurs IA"

    def ready(self):
        from . import recommandations

        recommandations.install()
