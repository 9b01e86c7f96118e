from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Adhesion, AttributionRole, Utilisateur


class AttributionInline(admin.TabularInline):
    model = AttributionRole
    extra = 0


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [AttributionInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Adhesion)
class AdhesionAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "entreprise", "est_admin"]
    raw_id_fields = ["utilisateur", "entreprise"]
