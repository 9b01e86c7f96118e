from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "osezia.expertise"
    verbose_name = "Diagnostic Data IA"
