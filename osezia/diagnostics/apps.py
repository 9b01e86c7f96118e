from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "osezia.diagnostics"
    verbose_name = "Autodiagnostic et cas d'usage"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from osezia.socle import site

        from .models import Etape, Option, Question, Questionnaire
        from .notices import pending_notice
        from .services import questionnaire_changed

        # The questionnaire caches follow every edit of a version's content (the admin
        # included), not only of the version itself.
        for model in (Questionnaire, Etape, Question, Option):
            name = model._meta.model_name
            post_save.connect(
                questionnaire_changed, sender=model, dispatch_uid=f"{name}_saved_questionnaire"
            )
            post_delete.connect(
                questionnaire_changed, sender=model, dispatch_uid=f"{name}_deleted_questionnaire"
            )
        # « Votre autodiagnostic … n'est pas encore enregistré » above every page.
        site.register_notice(pending_notice)
        # A company registered right after a diagnostic starts from it and keeps it.
        from osezia.entreprises import inscription

        from . import rattachement_entreprise

        inscription.register_prefill(rattachement_entreprise.prefill)
        inscription.entreprise_inscrite.connect(
            rattachement_entreprise.attach_after_registration,
            dispatch_uid="diagnostics_attach_after_registration",
        )
