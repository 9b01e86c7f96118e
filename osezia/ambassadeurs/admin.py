"""Operators' back office: read the network and the requests. Writes go through the pages and
the services (routing, statuses, deadlines), so the admin shows them read-only."""

from django.contrib import admin

from .models import Activite, Ambassadeur, Demande, HistoriqueStatut, MessageAmbassadeur


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ambassadeur)
class AmbassadeurAdmin(ReadOnly):
    list_display = (
        "id_externe",
        "prenom",
        "nom",
        "type_ambassadeur",
        "reseau",
        "statut",
        "capacite_mensuelle",
    )
    list_filter = ("statut", "type_ambassadeur", "reseau")
    search_fields = ("id_externe", "nom", "prenom", "email")


class HistoriqueInline(admin.TabularInline):
    model = HistoriqueStatut
    extra = 0
    can_delete = False
    readonly_fields = ("le", "avant", "apres", "ambassadeur", "par", "motif")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demande)
class DemandeAdmin(ReadOnly):
    list_display = (
        "pk",
        "cree_le",
        "naf",
        "region",
        "statut",
        "ambassadeur",
        "rang",
        "tous_complets",
    )
    list_filter = ("statut", "source", "tous_complets", "region")
    list_select_related = ("naf", "region", "ambassadeur")
    inlines = [HistoriqueInline]


@admin.register(Activite)
class ActiviteAdmin(ReadOnly):
    list_display = ("date", "type_activite", "titre", "lieu", "ambassadeur")
    list_filter = ("type_activite",)
    list_select_related = ("ambassadeur",)


@admin.register(MessageAmbassadeur)
class MessageAmbassadeurAdmin(ReadOnly):
    list_display = ("cree_le", "nom", "ambassadeur")
    list_select_related = ("ambassadeur",)
