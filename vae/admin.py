from django.contrib import admin

from .models import ConventionAccompagnement, Experience, Livret1, Livret2, Piece


class ExperienceInline(admin.TabularInline):
    model = Experience
    extra = 0
    can_delete = False
    readonly_fields = ["function", "organisation", "status", "start", "end", "hours_per_week", "activities"]
    fields = readonly_fields


@admin.register(Livret1)
class Livret1Admin(admin.ModelAdmin):
    """Read-only: livrets change only through their workflow (candidate and OEMM pages)."""

    list_display = [
        "dossier",
        "nature",
        "state",
        "received_on",
        "instruction_deadline",
        "decided_on",
        "valid_until",
        "is_active",
    ]
    list_filter = ["state", "nature", "dossier__certification"]
    search_fields = ["dossier__number", "birth_name", "usage_name", "email"]
    inlines = [ExperienceInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Piece)
class PieceAdmin(admin.ModelAdmin):
    list_display = ["dossier", "section", "kind", "original_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["section", "kind"]
    search_fields = ["dossier__number", "original_name"]
    exclude = ["file"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Livrets 2 and conventions change only through their workflow (vae.workflow.livret2,
    vae.workflow.accompagnement).
    """

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Livret2)
class Livret2Admin(ReadOnlyAdmin):
    list_display = ["dossier", "state", "submitted_at", "received_on"]
    list_filter = ["state", "dossier__certification"]
    search_fields = ["dossier__number"]


@admin.register(ConventionAccompagnement)
class ConventionAccompagnementAdmin(ReadOnlyAdmin):
    list_display = [
        "dossier",
        "organisme",
        "state",
        "nature",
        "sessions_count",
        "session_hours",
        "candidate_accepted_at",
        "organisme_accepted_at",
    ]
    list_filter = ["state", "nature"]
    search_fields = ["dossier__number", "organisme__name"]
