from django.contrib import admin

from .models import Entreprise


@admin.register(Entreprise)
class EntrepriseAdmin(admin.ModelAdmin):
    list_display = ["denomination", "siren", "naf", "categorie_taille", "departement"]
    list_filter = ["categorie_taille", "region"]
    search_fields = ["denomination", "siren", "siret"]
    raw_id_fields = ["naf"]
    list_select_related = ["naf", "departement"]
    readonly_fields = ["categorie_taille", "taille_estimee", "region", "cree_le", "modifie_le"]
