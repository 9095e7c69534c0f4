"""Read the facts of many dossiers at once: the same number of queries for 1 or 1 000 dossiers."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from candidates.enums import DossierState, Path, SlotState
from candidates.models import EntretienSlot, EvaluationFormative, SuiviModule, UnitAssessment
from cqp.compiled_queries import rows as compiled_rows
from cqp.models import OrganismeFormation
from jury.enums import FicheState
from jury.models import FicheDecision, SessionCandidate
from referentiels.models import ReferentielVersion, Unit
from vae.enums import CONVENTION_OPEN_STATES
from vae.models import ConventionAccompagnement, Livret1, Livret2
from vae.page_cache import ACTIVE_LIVRETS1, LIVRETS1, OPEN_CONVENTIONS

from .facts import DossierFacts, PassageFact, UnitFact


def _day(moment):
    return timezone.localdate(moment) if moment else None


# The rows ``facts_of`` reads with the dossier: joined for many dossiers, fetched onto a loaded one when missing.
FACT_JOINS = (
    "candidate",
    "certification",
    "version",
    "entretien",
    "livret2",
    "formation_designation",
    "livret_suivi",
    "livret_evaluation",
)


def fact_prefetches(*, slots=True, one=False) -> list:
    """What ``facts_of`` reads beside the joined rows. The units and the jury passages are the related managers'
    own caches (``version.units.all()``, ``jury_passages.all()``): the dossier page's other sections read them too.
    ``slots``: the booked créneau too; ``one``: for one dossier, without what ``load_facts_onto`` reads itself (the
    livrets 1, the open conventions, the units, the passages and their fiches)."""
    booked = Prefetch(
        "entretien_slots", queryset=EntretienSlot.objects.filter(state=SlotState.RESERVE), to_attr="active_slots"
    )
    fiches = Prefetch(
        "fiches",
        # The model's order within a passage (its own order joins the passage and its session).
        queryset=FicheDecision.objects.exclude(state=FicheState.REMPLACEE).order_by("session_candidate_id", "-version"),
        to_attr="current_fiches",
    )
    return [
        *([booked] if slots else []),
        *(
            []
            if one
            else [
                Prefetch("livrets1", queryset=Livret1.objects.filter(is_active=True), to_attr=ACTIVE_LIVRETS1),
                Prefetch("version__units", queryset=Unit.objects.order_by("number")),
            ]
        ),
        *([] if one else [Prefetch("accompagnements", queryset=_open_conventions(), to_attr=OPEN_CONVENTIONS)]),
        Prefetch("livret_suivi__modules", queryset=SuiviModule.objects.all(), to_attr="all_modules"),
        Prefetch(
            "livret_suivi__evaluations",
            queryset=EvaluationFormative.objects.exclude(signed_at=None),
            to_attr="signed_evaluations",
        ),
        Prefetch(
            "livret_evaluation__assessments",
            queryset=UnitAssessment.objects.exclude(signed_at=None),
            to_attr="signed_assessments",
        ),
        *([] if one else [Prefetch("jury_passages", queryset=_passages().prefetch_related(fiches))]),
    ]


def _open_conventions():
    return (
        ConventionAccompagnement.objects.filter(state__in=CONVENTION_OPEN_STATES)
        .select_related("organisme")
        .order_by("-created_at")
    )


def _passages():
    return SessionCandidate.objects.select_related("session").order_by("-session__date", "-pk")


def with_facts(dossiers):
    """``dossiers`` (a queryset) with everything ``facts_of`` reads, joined or prefetched."""
    return dossiers.select_related(*FACT_JOINS).prefetch_related(*fact_prefetches())


def load_facts_onto(dossier, *, slots=True):
    """The same for one dossier already loaded (the dossier page's): what it lacks is fetched onto it, what it holds
    (joined rows, caches) is not read again; the page's other sections then find it there (every livret 1 too, for
    the livret 1 section: vae/page_cache.py). ``slots=False``: the créneau facts are left empty (only the
    candidate's own actions read them). A dossier of the voie formative has no livret 2 (VAE only): not looked up."""
    livret2 = type(dossier).livret2
    if not livret2.is_cached(dossier):
        row = next(iter(compiled_rows(_livret2_of, dossier.pk)), None) if dossier.path == Path.VAE else None
        if row is not None:
            row.dossier = dossier
        livret2.related.set_cached_value(dossier, row)
    prefetch_related_objects([dossier], *FACT_JOINS, *fact_prefetches(slots=slots, one=True))
    livrets = compiled_rows(_livrets1_of, dossier.pk)
    for livret in livrets:
        livret.dossier = dossier
    _bind_referentiels(dossier, livrets)
    setattr(dossier, LIVRETS1, livrets)
    setattr(dossier, ACTIVE_LIVRETS1, [livret for livret in livrets if livret.is_active])
    conventions = compiled_rows(_open_conventions_of, dossier.pk)
    for convention in conventions:
        convention.dossier = dossier
    setattr(dossier, OPEN_CONVENTIONS, conventions)
    _units_onto(dossier.version)
    _passages_onto(dossier)
    return dossier


# The queries of one dossier's page, compiled once (cqp/compiled_queries.py): the same rows as the prefetches above.
def _livret2_of(dossier_id):
    return Livret2.objects.filter(dossier_id=dossier_id)


def _livrets1_of(dossier_id):
    return Livret1.objects.filter(dossier_id=dossier_id)


def _open_conventions_of(dossier_id):
    return _open_conventions().filter(dossier_id=dossier_id)


def _passages_of(dossier_id):
    return _passages().filter(dossier_id=dossier_id)


def _units_of(version_id):
    return Unit.objects.filter(version_id=version_id).order_by("number")


def _current_fiches_of(dossier_id):
    return (
        FicheDecision.objects.filter(session_candidate__dossier_id=dossier_id)
        .exclude(state=FicheState.REMPLACEE)
        .order_by("session_candidate_id", "-version")
    )


def _units_onto(version) -> None:
    """The version's units as its ``units`` manager's prefetched rows (``version.units.all()``), unless read."""
    cache = version.__dict__.setdefault("_prefetched_objects_cache", {})
    if "units" in cache:
        return
    queryset = version.units.get_queryset()
    units = compiled_rows(_units_of, version.pk)
    for unit in units:
        unit.version = version
    queryset._result_cache, queryset._prefetch_done = units, True
    cache["units"] = queryset


def _passages_onto(dossier) -> None:
    """The passages (each with its session) as the ``jury_passages`` manager's prefetched rows, and the current
    fiches (the replaced ones left out) of each as ``current_fiches``: read when there is a passage only."""
    passages = compiled_rows(_passages_of, dossier.pk)
    queryset = dossier.jury_passages.get_queryset()
    queryset._result_cache, queryset._prefetch_done = passages, True
    dossier.__dict__.setdefault("_prefetched_objects_cache", {})["jury_passages"] = queryset
    if not passages:
        return
    fiches = compiled_rows(_current_fiches_of, dossier.pk)
    for passage in passages:
        passage.dossier = dossier
        passage.current_fiches = [fiche for fiche in fiches if fiche.session_candidate_id == passage.pk]
        for fiche in passage.current_fiches:
            fiche.session_candidate = passage


def _bind_referentiels(dossier, livrets) -> None:
    """The référentiel version of each livret 1: the dossier's own (already read, its certification bound) when it
    is the same, else read in one query (a livret of an earlier version, rare)."""
    others = {livret.referentiel_id for livret in livrets if livret.referentiel_id != dossier.version_id}
    versions = ReferentielVersion.objects.select_related("certification").in_bulk(others) if others else {}
    versions[dossier.version_id] = dossier.version
    for livret in livrets:
        livret.referentiel = versions[livret.referentiel_id]


def _passage(dossier) -> PassageFact | None:
    passages = list(dossier.jury_passages.all())
    if not passages:
        return None
    latest = passages[0]
    fiche = latest.current_fiches[0] if latest.current_fiches else None
    session = latest.session
    return PassageFact(
        session_id=session.pk,
        session_candidate_id=latest.pk,
        date=session.date,
        start_time=session.start_time,
        session_state=session.state,
        president_id=session.president_id,
        attendance=latest.attendance,
        fiche_id=fiche.pk if fiche else None,
        fiche_state=fiche.state if fiche else "",
        fiche_outcome=fiche.outcome if fiche else "",
        fiche_outcome_label=fiche.get_outcome_display() if fiche and fiche.outcome else "",
        fiche_signed_on=_day(fiche.signed_at) if fiche else None,
        commission=session.kind == "commission",
    )


def _related(dossier, name):
    try:
        return getattr(dossier, name)
    except ObjectDoesNotExist:  # a reverse one-to-one without its row
        return None


def free_slots() -> tuple[set, set]:
    """(centres with a free future créneau d'entretien, CQP served by one of them): two queries at most."""
    centres = set(EntretienSlot.objects.free(timezone.now()).values_list("organisme_id", flat=True).distinct())
    if not centres:
        return set(), set()
    through = OrganismeFormation.certifications.through
    return centres, set(
        through.objects.filter(organismeformation_id__in=centres).values_list("certification_id", flat=True)
    )


def _free_slot_for(dossier) -> bool:
    """Whether a centre of the dossier (its own, else one serving its CQP) has a free future créneau: one query."""
    free = EntretienSlot.objects.free(timezone.now())
    if dossier.organisme_id:
        return free.filter(organisme_id=dossier.organisme_id).exists()
    return free.filter(organisme__certifications=dossier.certification_id).exists()


def _slot_facts(dossier, free) -> dict:
    """``free``: ``free_slots()`` read once for many dossiers; None for one dossier, whose free créneaux are then
    looked up only when the candidate's actions read them (« Réservez votre entretien », candidate.py)."""
    if not hasattr(dossier, "active_slots"):  # not read (load_facts_onto(slots=False)): nobody's actions use them
        return {}
    booking = dossier.active_slots[0] if dossier.active_slots else None
    if free is not None:
        centres, certifications = free
        open_ = dossier.organisme_id in centres if dossier.organisme_id else dossier.certification_id in certifications
    else:
        entretien = _related(dossier, "entretien")
        wanted = dossier.state == DossierState.INSCRIT and not (entretien.state if entretien else "") and not booking
        open_ = wanted and _free_slot_for(dossier)
    return {
        "entretien_slot_at": timezone.localtime(booking.starts_at) if booking else None,
        "entretien_slot_organisme_id": booking.organisme_id if booking else None,
        "entretien_slots_open": open_,
    }


def facts_of(dossier, free=None) -> DossierFacts:
    """The plain facts of a dossier loaded through ``with_facts`` (``free``: ``free_slots()`` read once for many)."""
    entretien = _related(dossier, "entretien")
    livret1 = next(iter(getattr(dossier, ACTIVE_LIVRETS1)), None)
    livret2 = _related(dossier, "livret2")
    convention = next(iter(getattr(dossier, OPEN_CONVENTIONS)), None)
    designation = _related(dossier, "formation_designation")
    suivi = _related(dossier, "livret_suivi")
    evaluation = _related(dossier, "livret_evaluation")
    units = tuple(
        UnitFact(u.pk, u.number, u.title)
        for u in dossier.version.units.all()
        if u.mention_id is None or u.mention_id == dossier.mention_id
    )
    modules = suivi.all_modules if suivi else []
    formative = suivi.signed_evaluations if suivi else []
    assessments = evaluation.signed_assessments if evaluation else []
    return DossierFacts(
        number=dossier.number,
        path=dossier.path,
        state=dossier.state,
        inscription_date=dossier.inscription_date,
        first_jury_deadline=dossier.first_jury_deadline,
        candidate_id=dossier.candidate_id,
        candidate_name=str(dossier.candidate),
        organisme_id=dossier.organisme_id,
        entreprise_id=dossier.entreprise_id,
        unit_label=dossier.certification.unit_label,
        target_units=tuple(dossier.target_units or ()),
        to_commission=dossier.goes_to_commission,
        livret2_due_months=dossier.version.livret2_due_months_before_session,
        entretien_state=entretien.state if entretien else "",
        entretien_held_on=entretien.held_on if entretien else None,
        entretien_validated_on=_day(entretien.candidate_validated_at) if entretien else None,
        entretien_before_livret1=dossier.version.entretien_before_livret1,
        livret1_state=livret1.state if livret1 else "",
        livret1_sent_on=livret1.received_on or _day(livret1.submitted_at) if livret1 else None,
        livret1_instruction_deadline=livret1.instruction_deadline if livret1 else None,
        livret1_decided_on=livret1.decided_on if livret1 else None,
        livret1_valid_until=livret1.valid_until if livret1 else None,
        livret2_state=livret2.state if livret2 else "",
        livret2_sent_on=_day(livret2.submitted_at) if livret2 else None,
        convention_state=convention.state if convention else "",
        convention_organisme_id=convention.organisme_id if convention else None,
        convention_organisme_accepted=bool(convention and convention.organisme_accepted_at),
        units=units,
        tutor_id=designation.tutor_id if designation else None,
        evaluator_ids={1: designation.evaluator1_id, 2: designation.evaluator2_id} if designation else {},
        suivi_started_on=min((m.start_on for m in modules if m.start_on), default=None),
        suivi_hours=sum(m.hours for m in modules),
        formative_signed=frozenset(e.unit_id for e in formative),
        formative_last_on=max((_day(e.signed_at) for e in formative), default=None),
        livret_evaluation_state=evaluation.state if evaluation else "",
        candidate_part_signed_on=_day(evaluation.candidate_signed_at) if evaluation else None,
        evaluator_signed={1: bool(evaluation.evaluator1_signed_at), 2: bool(evaluation.evaluator2_signed_at)}
        if evaluation
        else {},
        assessments_signed=frozenset((a.unit_id, a.slot) for a in assessments),
        livret_evaluation_transmitted_on=_day(evaluation.transmitted_at) if evaluation else None,
        passage=_passage(dossier),
        **_slot_facts(dossier, free),
    )


def load_facts(dossiers) -> list[DossierFacts]:
    free = free_slots()
    return [facts_of(d, free) for d in with_facts(dossiers)]
