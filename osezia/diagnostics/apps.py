from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "osezia.diagnostics"
    verbose_name = "Autodiagnostic et cas d'usage"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Questionnaire
        from .services import forget_current_questionnaire

        post_save.connect(
            forget_current_questionnaire, sender=Questionnaire, dispatch_uid="questionnaire_saved"
        )
        post_delete.connect(
            forget_current_questionnaire, sender=Questionnaire, dispatch_uid="questionnaire_deleted"
        )
