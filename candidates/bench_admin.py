"""Benchmark only (settings.BENCH_VIEWS, make bench): the dossiers in Django's admin, with the OEMM list's columns,
filters, search and 25 rows a page, so that bench/run.py measures the OEMM list against Django's own changelist of
the same data, served by the same gunicorn in the same run (issue 20). Never registered in production."""

from django.contrib import admin

from .models import Dossier


@admin.register(Dossier)
class BenchDossierAdmin(admin.ModelAdmin):
    list_display = ["number", "candidate", "certification", "mention", "path", "state", "inscription_date"]
    list_display += ["first_jury_deadline"]
    list_filter = ["certification", "path", "state"]
    search_fields = ["number", "candidate__last_name", "candidate__email"]
    list_select_related = ["candidate", "certification", "mention"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 25
