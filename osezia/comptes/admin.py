from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Adhesion, AttributionRole, Role, Utilisateur

# The admin has no login form of its own: it sends to the site's login (allauth), which asks
# operators for their second factor and counts failed attempts in the shared cache.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Administration d'Osez l'IA"
admin.site.site_title = "Osez l'IA"


# Roles an operator may grant in the admin; the operator role itself is a superuser's grant
# (an operator who could make operators could make their own accounts operators).
OPERATOR_GRANTABLE = [choice for choice in Role.choices if choice[0] != Role.OPERATEUR]


class AttributionInline(admin.TabularInline):
    model = AttributionRole
    extra = 0

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = OPERATOR_GRANTABLE
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [AttributionInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    # Who may grant admin powers: superusers only. An operator manages people's identity,
    # activity and roles, never the flags that open the admin or every permission.
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return tuple(
            (
                name,
                {
                    **options,
                    "fields": tuple(f for f in options["fields"] if f not in self.PRIVILEGE_FIELDS),
                },
            )
            for name, options in fieldsets
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not request.user.is_superuser:
            kwargs["exclude"] = [*(kwargs.get("exclude") or []), *self.PRIVILEGE_FIELDS]
        return super().get_form(request, obj, change=change, **kwargs)

    def _touches_a_superuser(self, request, obj) -> bool:
        """Superusers, staff and operator accounts are managed by superusers only: an operator
        who could change them could take them over (password, e-mail)."""
        return (
            obj is not None
            and not request.user.is_superuser
            and obj.pk != request.user.pk
            and (obj.is_superuser or obj.is_staff or Role.OPERATEUR in obj.roles)
        )

    def has_change_permission(self, request, obj=None):
        if self._touches_a_superuser(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._touches_a_superuser(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_inline_instances(self, request, obj=None):
        own = obj is not None and obj.pk == request.user.pk
        if self._touches_a_superuser(request, obj) or (own and not request.user.is_superuser):
            return []  # nobody changes their own roles
        return super().get_inline_instances(request, obj)


def _privileged(user) -> bool:
    return bool(user and (user.is_staff or user.is_superuser or Role.OPERATEUR in user.roles))


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    """An e-mail address opens an account (password reset): operators never add one, never
    move one to another account or rewrite it, and never touch the addresses of staff and
    operator accounts; they may mark a person's address verified (support)."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("user", "email", "primary")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and _privileged(obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and _privileged(obj.user):
            return False
        return super().has_delete_permission(request, obj)

    def make_verified(self, request, queryset):
        if not request.user.is_superuser:
            queryset = (
                queryset.exclude(user__is_staff=True)
                .exclude(user__is_superuser=True)
                .exclude(user__attributions__role=Role.OPERATEUR)
            )
        return super().make_verified(request, queryset)

    make_verified.short_description = AllauthEmailAddressAdmin.make_verified.short_description


@admin.register(Adhesion)
class AdhesionAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "entreprise", "est_admin"]
    raw_id_fields = ["utilisateur", "entreprise"]
