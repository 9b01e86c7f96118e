from django.contrib import admin, messages
from django.db import transaction

from .models import Diagnostic, Etape, Option, Question, Questionnaire


class FrozenWhenAnswered:
    """A questionnaire version that has diagnostics is read-only: publish a new version."""

    def _answered(self, obj) -> bool:
        questionnaire = getattr(obj, "questionnaire", obj)
        if isinstance(obj, Option):
            questionnaire = obj.question.questionnaire
        return bool(questionnaire and questionnaire.pk and questionnaire.diagnostics.exists())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._answered(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._answered(obj))


class OptionInline(FrozenWhenAnswered, admin.TabularInline):
    model = Option
    extra = 0


class QuestionInline(FrozenWhenAnswered, admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    list_display = ["version", "titre", "publie", "cree_le"]
    actions = ["new_version"]

    def has_change_permission(self, request, obj=None):
        # Publishing stays possible; the content is frozen by the inlines.
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    @admin.action(description="Créer une nouvelle version (copie modifiable, non publiée)")
    def new_version(self, request, queryset):
        from .services import copy_as_new_version

        for questionnaire in queryset:
            with transaction.atomic():
                copy = copy_as_new_version(questionnaire)
            messages.success(
                request,
                f"Version {copy.version} créée à partir de la version {questionnaire.version}.",
            )


@admin.register(Question)
class QuestionAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    list_display = ["code", "libelle", "questionnaire", "dimension", "type"]
    list_filter = ["questionnaire", "dimension"]
    inlines = [OptionInline]


admin.site.register(Etape)


@admin.register(Diagnostic)
class DiagnosticAdmin(admin.ModelAdmin):
    list_display = [
        "uuid",
        "entreprise",
        "statut",
        "categorie_taille",
        "score_global",
        "termine_le",
    ]
    list_filter = ["statut", "categorie_taille", "niveau"]
    list_select_related = ["entreprise"]
    raw_id_fields = ["entreprise", "auteur", "naf"]
    readonly_fields = [f.name for f in Diagnostic._meta.fields]

    def has_add_permission(self, request):
        return False
