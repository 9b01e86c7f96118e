from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "osezia.comptes"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from . import signals

        signals.connect()
