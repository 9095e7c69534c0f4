"""Reads of référentiels, with their whole tree in a fixed number of queries."""

from django.db.models import Prefetch

from .enums import CriterionKind
from .models import Certification, Criterion, ReferentielVersion, Unit


def catalogue():
    """Every CQP with a current version, for the public catalogue."""
    versions = ReferentielVersion.objects.filter(is_current=True).prefetch_related("mentions", "units")
    return Certification.objects.with_current_version().prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="current_versions")
    )


def version_tree(version_id: int) -> ReferentielVersion:
    """One version with mentions, prerequisites, units and every text under them."""
    units = Unit.objects.select_related("mention").prefetch_related(
        "competences",
        "knowledge",
        "livret2_questions",
        Prefetch(
            "criteria",
            queryset=Criterion.objects.filter(kind=CriterionKind.REFERENTIEL),
            to_attr="referentiel_criteria",
        ),
        Prefetch(
            "criteria", queryset=Criterion.objects.exclude(kind=CriterionKind.REFERENTIEL), to_attr="grid_criteria"
        ),
    )
    return (
        ReferentielVersion.objects.select_related("certification")
        .prefetch_related("mentions", "prerequisites", Prefetch("units", queryset=units))
        .get(pk=version_id)
    )
