"""Operators see the search index's backlog (read-only: the applier empties it)."""

from django.contrib import admin

from .models import ChangementIndex


@admin.register(ChangementIndex)
class ChangementIndexAdmin(admin.ModelAdmin):
    list_display = ("type_document", "cle", "cree_le")
    list_filter = ("type_document",)
    search_fields = ("cle",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
