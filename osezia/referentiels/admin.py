from django.contrib import admin

from . import models


@admin.register(models.Naf)
class NafAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "niveau", "section"]
    list_filter = ["niveau", "section"]
    search_fields = ["code", "recherche"]
    readonly_fields = ["parent"]


@admin.register(models.Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "region"]
    list_filter = ["region"]


for model in [
    models.Region,
    models.FamilleCasUsage,
    models.Dimension,
    models.NiveauMaturite,
    models.Public,
    models.CategorieTaille,
    models.TypeAmbassadeur,
    models.ReseauPartenaire,
    models.NiveauRisqueIA,
]:
    admin.site.register(model)
