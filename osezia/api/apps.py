from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "osezia.api"
    verbose_name = "API"
