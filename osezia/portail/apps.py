from django.apps import AppConfig


class PortailConfig(AppConfig):
    """The site layer at the top: home and axis pages, the composition of the demo data.
    No app imports it."""

    name = "osezia.portail"
    verbose_name = "Portail"
