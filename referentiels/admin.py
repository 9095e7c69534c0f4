from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Certification,
    Certifier,
    Competence,
    Criterion,
    Knowledge,
    Livret2Question,
    ReferentielVersion,
    Unit,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UnitInline(ReadOnlyInline):
    model = Unit
    fields = ["number", "title", "mention", "livret2_situations"]


@admin.register(Certifier)
class CertifierAdmin(SimpleHistoryAdmin):
    """The certifiers' names, contacts, signatories, jury rule and wording (fixtures/certifiers.yaml to start)."""

    list_display = ["name", "code", "operator", "email", "jury_label"]
    readonly_fields = ["code"]


@admin.register(Certification)
class CertificationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "certifier", "rncp", "unit_kind"]
    search_fields = ["title", "code"]


@admin.register(ReferentielVersion)
class ReferentielVersionAdmin(admin.ModelAdmin):
    """Published versions are immutable: a change is a new file loaded by load_referentiels."""

    list_display = ["certification", "number", "is_current", "published_on", "loaded_at"]
    list_filter = ["certification", "is_current"]
    inlines = [UnitInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CompetenceInline(ReadOnlyInline):
    model = Competence
    fields = ["position", "activity", "text"]


class KnowledgeInline(ReadOnlyInline):
    model = Knowledge
    fields = ["position", "text"]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["kind", "position", "group", "text"]


class Livret2QuestionInline(ReadOnlyInline):
    model = Livret2Question
    fields = ["position", "text"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version"]
    list_filter = ["version__certification"]
    inlines = [CompetenceInline, KnowledgeInline, CriterionInline, Livret2QuestionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
