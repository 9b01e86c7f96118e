from django.contrib import admin

from .models import Demande, Enveloppe, Expert, Transition


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("utilisateur", "structure", "statut", "capacite_jours_trimestre")
    list_filter = ("statut",)
    readonly_fields = ("accredite_par", "accredite_le")


@admin.register(Enveloppe)
class EnveloppeAdmin(admin.ModelAdmin):
    list_display = ("region", "annee", "montant_cents", "engage_cents")
    readonly_fields = ("engage_cents",)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("de", "vers", "par", "partie", "motif", "commentaire", "le")


@admin.register(Demande)
class DemandeAdmin(admin.ModelAdmin):
    list_display = ("pk", "entreprise", "statut", "expert", "region", "cree_le")
    list_filter = ("statut", "region")
    readonly_fields = ("statut", "part_etat_engagee_cents", "attente_enveloppe_depuis")
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False
