"""The livret 2 as its référentiel version shapes it (units, situations, questions) and what it still misses, for the
pages, the PDF and the transitions of ``vae/workflow/livret2.py``; and whether a dossier may start one."""

from django.db.models import Q

from candidates.enums import DossierState, Path

from . import livret2_rules
from .enums import Livret1State
from .models import Livret1, Livret2
from .page_cache import ACTIVE_LIVRETS1, prefetched


def units_of(version, mention_id):
    """Units of the version asked in the livret 2 (those of the dossier's mention, if the CQP has mentions)."""
    return (
        version.units.filter(Q(mention__isnull=True) | Q(mention_id=mention_id))
        .prefetch_related("competences", "livret2_questions")
        .order_by("number")
    )


def unit_key(unit) -> str:
    return f"unite-{unit.number}"


def unit_label(dossier, unit) -> str:
    return f"{dossier.certification.unit_label.capitalize()} {unit.number} : {unit.title}"


def unit_spec(dossier, unit) -> livret2_rules.UnitSpec:
    return livret2_rules.UnitSpec(
        key=unit_key(unit),
        label=unit_label(dossier, unit),
        situations=unit.livret2_situations,
        questions=len(unit.livret2_questions.all()),
        min_competences=unit.livret2_min_competences,
        competences=len(unit.competences.all()),
        bloc_questions=len(unit.livret2_bloc_questions or []),
    )


def situation_values(situation) -> livret2_rules.SituationValues:
    return livret2_rules.SituationValues(
        unit_key=unit_key(situation.unit),
        position=situation.position,
        title=situation.title,
        answers=situation.answers,
        free_answer=situation.free_answer,
        competences=len(situation.competences.all()),
    )


def missing_of(livret) -> dict[str, list[str]]:
    dossier = livret.dossier
    units = list(units_of(livret.referentiel, dossier.mention_id))
    situations = livret.situations.select_related("unit").prefetch_related("competences")
    return livret2_rules.missing_items(
        motivation_questions=len(livret.referentiel.livret2_motivation or []),
        motivation=livret.motivation,
        units=[unit_spec(dossier, u) for u in units],
        situations=[situation_values(s) for s in situations],
        bloc_answers={unit_key(u): (livret.bloc_answers or {}).get(str(u.number)) for u in units},
    )


def progress_of(livret) -> dict:
    dossier = livret.dossier
    specs = [unit_spec(dossier, u) for u in units_of(livret.referentiel, dossier.mention_id)]
    missing = missing_of(livret)
    sections = livret2_rules.section_progress(units=specs, missing=missing)
    return {"missing": missing, "sections": sections, "progress": livret2_rules.progress_percent(sections)}


def recevabilite_obtained(dossier) -> bool:
    """Seed 000 L105, seed 004 L39: the livret 2 starts once the recevabilité is favourable (and still valid)."""
    if dossier.state == DossierState.RECEVABLE:
        return True
    cached = prefetched(dossier, ACTIVE_LIVRETS1)
    if cached is not None:
        active = next((livret for livret in cached if livret.state == Livret1State.RECEVABLE), None)
    else:
        active = Livret1.objects.filter(dossier=dossier, is_active=True, state=Livret1State.RECEVABLE).first()
    return active is not None and not active.is_expired()


def can_start(dossier) -> bool:
    return (
        dossier.path == Path.VAE
        and dossier.is_open
        and recevabilite_obtained(dossier)
        and not Livret2.objects.filter(dossier=dossier).exists()
    )
