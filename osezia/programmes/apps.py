from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "osezia.programmes"
    verbose_name = "Financements et programmes"

    def ready(self):
        from . import recommandations

        recommandations.install()
