from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "osezia.catalogue"
    verbose_name = "Catalogue de solutions"

    def ready(self):
        from . import offres, rattachement, recommandations

        rattachement.install()
        recommandations.install()
        offres.install()
