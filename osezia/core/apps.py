from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "osezia.core"
    verbose_name = "Socle"
