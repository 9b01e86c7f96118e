from django.apps import AppConfig


class AcademieConfig(AppConfig):
    name = "osezia.academie"
    verbose_name = "Académie de l'IA"

    def ready(self):
        from . import rattachement, recommandations, signals  # noqa: F401

        rattachement.install()
        recommandations.install()
