"""The back office of the site layer: contact messages (read, marked as handled) and the
legal information shown on the legal pages."""

from django.contrib import admin

from .models import InformationsLegales, MessageContact


@admin.register(MessageContact)
class MessageContactAdmin(admin.ModelAdmin):
    list_display = ("cree_le", "sujet", "nom", "email", "traite")
    list_filter = ("traite", "sujet")
    search_fields = ("nom", "email", "message")
    readonly_fields = ("nom", "email", "sujet", "message", "emetteur", "cree_le")
    fields = ("cree_le", "sujet", "nom", "email", "emetteur", "message", "traite")

    def has_add_permission(self, request):
        return False


@admin.register(InformationsLegales)
class InformationsLegalesAdmin(admin.ModelAdmin):
    fields = (
        "editeur",
        "directeur_publication",
        "hebergeur",
        "contact_dpo",
        "durees_conservation",
        "mention_cnil",
    )

    def has_add_permission(self, request):
        return not InformationsLegales.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
