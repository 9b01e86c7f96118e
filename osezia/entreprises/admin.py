from django.contrib import admin

from .models import Entreprise


@admin.register(Entreprise)
class EntrepriseAdmin(admin.ModelAdmin):
    list_display = ["denomination", "siren", "naf", "categorie_taille", "departement"]
    list_filter = ["categorie_taille", "region"]
    search_fields = ["denomination", "siren", "siret"]
    list_select_related = ["naf", "departement"]
    # Figures that derive the NAF, size and region are edited on the site (entreprises.services),
    # where every rule applies; the admin shows them.
    readonly_fields = [
        "siren",
        "siret",
        "naf",
        "effectif",
        "chiffre_affaires_cents",
        "total_bilan_cents",
        "categorie_taille",
        "taille_estimee",
        "departement",
        "region",
        "source",
        "cree_le",
        "modifie_le",
    ]

    def has_add_permission(self, request):
        return False
