from django.apps import AppConfig


class AcademieConfig(AppConfig):
    name = "osezia.academie"
    verbose_name = "Académie de l'IA"
