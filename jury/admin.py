from django.contrib import admin
from django.db import models

from .models import (
    Certificate,
    ConflictOfInterest,
    Convocation,
    FicheDecision,
    JurySession,
    SessionCandidate,
    SessionEvent,
    SessionMember,
    UnitDecision,
    ValidatedUnit,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MemberInline(ReadOnlyInline):
    model = SessionMember


class CandidateInline(ReadOnlyInline):
    model = SessionCandidate


class EventInline(ReadOnlyInline):
    model = SessionEvent


@admin.register(JurySession)
class JurySessionAdmin(admin.ModelAdmin):
    """Sessions change through the OEMM pages (workflow functions); the admin is for reading."""

    list_display = ["date", "start_time", "place", "state", "president"]
    list_filter = ["state", "certifications"]
    inlines = [MemberInline, CandidateInline, EventInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the OEMM session form

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class UnitDecisionInline(ReadOnlyInline):
    model = UnitDecision


@admin.register(FicheDecision)
class FicheDecisionAdmin(admin.ModelAdmin):
    list_display = ["session_candidate", "version", "state", "outcome", "signed_at", "pdf_status"]
    list_filter = ["state", "outcome", "pdf_status"]
    inlines = [UnitDecisionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


for model in (ValidatedUnit, Certificate, Convocation, ConflictOfInterest):
    admin.site.register(model, list_display=["__str__"])
