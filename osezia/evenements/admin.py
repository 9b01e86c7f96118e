"""Read-mostly admin views of the business meetings (the pages and services do the writes;
operators grant the ORGANISATEUR role in the accounts' admin)."""

from django.contrib import admin

from .models import Evenement, Inscription, Planification, RendezVous


@admin.register(Evenement)
class EvenementAdmin(admin.ModelAdmin):
    list_display = ("titre", "type_evenement", "organisme", "region", "date", "organisateur")
    list_filter = ("type_evenement", "organisme", "region")
    search_fields = ("titre", "lieu")
    readonly_fields = ("sessions", "agenda_publie_le", "cree_le")


@admin.register(Inscription)
class InscriptionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "type_participant", "evenement", "max_rdv", "present_le")
    list_filter = ("type_participant",)
    search_fields = ("organisation",)
    readonly_fields = ("code_emargement", "present_le")


@admin.register(Planification)
class PlanificationAdmin(admin.ModelAdmin):
    list_display = ("evenement", "statut", "objectif", "borne", "optimal", "duree_s", "cree_le")
    list_filter = ("statut", "optimal")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RendezVous)
class RendezVousAdmin(admin.ModelAdmin):
    list_display = ("evenement", "a", "b", "creneau", "table", "verrouille", "annule", "tenu")
    list_filter = ("verrouille", "annule", "tenu")

    def has_change_permission(self, request, obj=None):
        return False
