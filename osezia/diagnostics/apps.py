from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "osezia.diagnostics"
    verbose_name = "Autodiagnostic et cas d'usage"
