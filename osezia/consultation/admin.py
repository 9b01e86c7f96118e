"""Operators' back office: consultations are created and edited here; proposals are moderated
in the moderation space (their counters and votes are the services' and stay read-only)."""

from django.contrib import admin

from .models import Consultation, Etat, Proposition


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("question", "slug", "ouverture", "cloture", "etat_affiche", "participants")
    search_fields = ("question", "slug")
    prepopulated_fields = {"slug": ("question",)}
    fields = ("slug", "question", "description", "ouverture", "cloture", "participants")
    readonly_fields = ("participants",)

    @admin.display(description="état")
    def etat_affiche(self, obj):
        return Etat(obj.etat()).label


@admin.register(Proposition)
class PropositionAdmin(admin.ModelAdmin):
    list_display = ("texte", "consultation", "statut", "masquee", "votes", "signalements")
    list_filter = ("statut", "masquee", "consultation")
    search_fields = ("texte",)
    list_select_related = ("consultation",)

    # Moderation happens in the moderation space; counters are the services'.
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Proposition._meta.fields]

    def has_add_permission(self, request):
        return False
