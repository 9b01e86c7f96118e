"""Operators' back office for the Académie. Trainings come from LHEO imports and keep their
seat counts and completions under the services' rules: those fields are read-only here."""

from django.contrib import admin

from .models import EtapeParcours, Formation, OrganismeFormation, Parcours, Session, Tutoriel
from .services.trainings import schedule_index


@admin.register(OrganismeFormation)
class OrganismeFormationAdmin(admin.ModelAdmin):
    list_display = ("nom", "siret", "numero_activite", "ville")
    search_fields = ("nom", "siret")
    filter_horizontal = ("membres",)


@admin.register(Formation)
class FormationAdmin(admin.ModelAdmin):
    list_display = ("intitule", "reference", "organisme", "certifiante", "publiee", "source")
    list_filter = ("publiee", "certifiante", "source")
    search_fields = ("intitule", "reference", "organisme__nom")
    list_select_related = ("organisme",)
    fields = ("reference", "intitule", "organisme", "publiee", "source", "modifie_le")
    readonly_fields = ("reference", "intitule", "organisme", "source", "modifie_le")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schedule_index([obj.reference])  # published or withdrawn: the search follows


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("action", "debut", "fin", "places", "places_prises", "etat_recrutement")
    list_filter = ("etat_recrutement",)
    list_select_related = ("action__formation",)
    readonly_fields = ("action", "reference", "places", "places_prises")
    fields = ("action", "reference", "debut", "fin", "places", "places_prises", "etat_recrutement")


@admin.register(Tutoriel)
class TutorielAdmin(admin.ModelAdmin):
    """Content comes checked through `services.tutorials.save_tutoriel`; here, only publication."""

    list_display = ("titre", "niveau", "minutes", "publie")
    list_filter = ("niveau", "publie")
    search_fields = ("titre", "slug")
    fields = ("slug", "titre", "niveau", "minutes", "publie")
    readonly_fields = ("slug", "titre", "niveau", "minutes")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schedule_index([obj.slug], "tutoriel")


class EtapeInline(admin.TabularInline):
    model = EtapeParcours
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ("ordre", "tutoriel", "formation")


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    """Paths come checked through `services.paths.save_parcours`; here, only publication."""

    list_display = ("titre", "public", "ordre", "publie")
    list_filter = ("public", "publie")
    fields = ("slug", "titre", "public", "ordre", "publie")
    readonly_fields = ("slug", "titre", "public")
    inlines = [EtapeInline]

    def has_add_permission(self, request):
        return False
