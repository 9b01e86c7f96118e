from django.apps import AppConfig


class EntreprisesConfig(AppConfig):
    name = "osezia.entreprises"
    verbose_name = "Entreprises"

    def ready(self):
        from .rattachement import install

        install()
