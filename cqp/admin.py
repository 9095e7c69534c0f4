from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Entreprise, OrganismeFormation, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name", "phone")}),
        ("Statut", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "email_confirmed_at")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [UserRoleInline]


@admin.register(OrganismeFormation)
class OrganismeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "siret", "agrement_from", "agrement_to"]
    search_fields = ["name", "siret"]
    filter_horizontal = ["certifications"]


@admin.register(Entreprise)
class EntrepriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "siret"]
    search_fields = ["name", "siret"]
