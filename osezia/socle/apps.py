from django.apps import AppConfig


class SocleConfig(AppConfig):
    """The kernel every app may use; it imports no app of the platform."""

    name = "osezia.socle"
    label = "socle"
    verbose_name = "Socle"
