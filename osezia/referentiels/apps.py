from django.apps import AppConfig


class ReferentielsConfig(AppConfig):
    name = "osezia.referentiels"
    verbose_name = "Référentiels"
