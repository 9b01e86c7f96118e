from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "osezia.consultation"
    verbose_name = "Consultation citoyenne"
