"""The work queues of the OEMM, defined here (the layer that reads every app) and registered in cqp/work_queues.py.

Each queue is a queryset of the items that wait, the date its items entered the queue, an optional deadline field,
and how to show one item. Its summary is ONE aggregate query (count, oldest, nearest deadline, overdue), whatever
the number of items; its page lists the items, paginated, with a constant number of queries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, DateField, Min, Q
from django.db.models.functions import Cast
from django.urls import reverse

from candidates.enums import AWAITING_FIRST_JURY_STATES, OPEN_STATES, DossierState, LivretEvaluationState
from candidates.models import Dossier, LivretEvaluation
from cqp.models import OrganismeFormation
from cqp.work_queues import QueueSummary, WorkQueue, register_work_queue
from jury import selectors as jury_selectors
from jury.enums import FicheState, PdfStatus, SessionState
from jury.models import FicheDecision, JurySession, SessionCandidate
from vae.enums import Livret1State, Livret2State
from vae.models import Livret1, Livret2

AGREMENT_HORIZON_DAYS = 90


# The lookup from each queue's items to their certifier; the organismes' agréments are the CPNEFP's for every CQP and
# are not scoped.
CERTIFIER_PATHS = {
    "vae.Livret1": "dossier__certification__certifier_id",
    "vae.Livret2": "dossier__certification__certifier_id",
    "candidates.LivretEvaluation": "dossier__certification__certifier_id",
    "pilotage.HolderRecord": "dossier__certification__certifier_id",
    "candidates.Dossier": "certification__certifier_id",
    "jury.SessionCandidate": "session__certifier_id",
    "jury.JurySession": "certifier_id",
    "jury.FicheDecision": "session_candidate__session__certifier_id",
}


@dataclass(frozen=True)
class Item:
    """One line of a queue's page."""

    pk: int
    title: str  # dossier number and candidate, session date...
    detail: str  # CQP, state...
    url: str  # where the work on this item is done
    since: datetime.date | None  # entered the queue on
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class CockpitQueue:
    key: str
    label: str
    group: str
    action: str
    items: Callable[[datetime.date], object]  # today -> queryset (ordered: overdue / oldest first)
    since: str  # field (date or datetime) of the items: entered the queue
    make: Callable[[object], Item]
    deadline: str = ""  # date field of the items: deadline
    bulk: str = ""  # key of a bulk action of pilotage/cockpit/bulk.py offered on the queue's page
    order: int = 100

    def scoped_items(self, today: datetime.date, user=None):
        """The items, those of the staff member's certifier only (issue 16) when ``user`` is scoped to one."""
        items = self.items(today)
        scope = user.staff_certifier_ids() if user is not None else None
        path = CERTIFIER_PATHS.get(items.model._meta.label)
        if scope is not None and path:
            items = items.filter(**{f"{path}__in": scope})
        return items

    def summarize(self, today: datetime.date, user=None) -> QueueSummary:
        aggregates = {"count": Count("pk"), "oldest": Min(Cast(self.since, DateField()))}
        if self.deadline:
            aggregates["nearest"] = Min(self.deadline)
            aggregates["overdue"] = Count("pk", filter=Q(**{f"{self.deadline}__lt": today}))
        values = self.scoped_items(today, user).order_by().aggregate(**aggregates)
        return QueueSummary(
            count=values["count"],
            oldest=values["oldest"],
            deadline=values.get("nearest"),
            overdue=values.get("overdue") or 0,
        )

    def page_url(self) -> str:
        return reverse("oemm_queue", kwargs={"key": self.key})


def _dossier_title(dossier) -> str:
    return f"{dossier.number} — {dossier.candidate}"


def _livrets1(state):
    def items(today):
        return (
            Livret1.objects.active()
            .filter(state=state)
            .select_related("dossier__candidate", "dossier__certification")
            .order_by("instruction_deadline", "submitted_at", "pk")
        )

    return items


def _livret1_item(livret) -> Item:
    dossier = livret.dossier
    return Item(
        livret.pk,
        _dossier_title(dossier),
        f"{dossier.certification.title} — {livret.get_nature_display()}",
        reverse("vae:livret1", kwargs={"number": dossier.number}),
        livret.received_on or (livret.submitted_at and livret.submitted_at.date()),
        livret.instruction_deadline,
    )


def _incomplete_item(livret) -> Item:
    dossier = livret.dossier
    return Item(
        livret.pk,
        _dossier_title(dossier),
        dossier.certification.title,
        reverse("vae:livret1", kwargs={"number": dossier.number}),
        livret.decided_on,
    )


def _livrets2_to_acknowledge(today):
    return (
        Livret2.objects.filter(state=Livret2State.SOUMIS)
        .select_related("dossier__candidate", "dossier__certification")
        .order_by("submitted_at", "pk")
    )


def _livret2_item(livret) -> Item:
    dossier = livret.dossier
    return Item(
        livret.pk,
        _dossier_title(dossier),
        dossier.certification.title,
        livret.get_absolute_url(),
        livret.submitted_at and livret.submitted_at.date(),
    )


def _late_livret2_ids(today) -> list[int]:
    """Session candidates of planned sessions whose livret 2 is not received and whose due date has passed.

    One query: the due date (the CQP's months before the session, bounded at the end of a month) is computed in
    Python over the candidates of planned sessions, which are few (capacity of each session).
    """
    from jury.rules import livret2_late

    rows = SessionCandidate.objects.filter(
        session__state=SessionState.PLANIFIEE, dossier__path="vae", dossier__state__in=OPEN_STATES
    ).values_list(
        "pk", "session__date", "dossier__version__livret2_due_months_before_session", "dossier__livret2__received_on"
    )
    return [pk for pk, day, months, received in rows if received is None and (livret2_late(day, months, None) < today)]


def _livrets2_late(today):
    return (
        SessionCandidate.objects.filter(pk__in=_late_livret2_ids(today))
        .select_related("session", "dossier__candidate", "dossier__certification")
        .order_by("session__date", "pk")
    )


def _late_item(candidate) -> Item:
    dossier = candidate.dossier
    return Item(
        candidate.pk,
        _dossier_title(dossier),
        f"{dossier.certification.title} — session du {candidate.session.date:%d/%m/%Y}",
        reverse("vae:livret2", kwargs={"number": dossier.number}),
        candidate.added_at.date(),
    )


def _evaluations(today):
    return (
        LivretEvaluation.objects.filter(state=LivretEvaluationState.TRANSMIS, dossier__state=DossierState.ORIENTE)
        .select_related("dossier__candidate", "dossier__certification")
        .order_by("transmitted_at", "pk")
    )


def _evaluation_item(livret) -> Item:
    dossier = livret.dossier
    return Item(
        livret.pk,
        _dossier_title(dossier),
        dossier.certification.title,
        dossier.get_absolute_url(),
        livret.transmitted_at and livret.transmitted_at.date(),
    )


def _dossiers_to_place(today):
    return jury_selectors.dossiers_ready_for_jury().order_by("first_jury_deadline", "inscription_date", "pk")


def _dossier_item(dossier) -> Item:
    again = " — nouvelle présentation : unités manquantes" if getattr(dossier, "presented_before", False) else ""
    return Item(
        dossier.pk,
        _dossier_title(dossier),
        f"{dossier.certification.title} — {dossier.get_state_display()}{again}",
        dossier.get_absolute_url(),
        dossier.inscription_date,
        dossier.first_jury_deadline,
    )


def _first_jury_passed(today):
    return (
        Dossier.objects.all()
        .filter(state__in=AWAITING_FIRST_JURY_STATES, first_jury_deadline__lt=today)
        .select_related("candidate", "certification")
        .order_by("first_jury_deadline", "pk")
    )


def _sessions(*conditions, state=SessionState.PLANIFIEE):
    def items(today):
        query = Q(state=state)
        for condition in conditions:
            query &= condition(today)
        return JurySession.objects.filter(query).order_by("date", "start_time", "pk")

    return items


def _to_compose(today):
    thin = (
        JurySession.objects.filter(state=SessionState.PLANIFIEE)
        .annotate(seats=Count("members", distinct=True), placed=Count("candidates", distinct=True))
        .filter(Q(seats__lt=2) | Q(placed=0))
        .values("pk")
    )
    return Q(date__gte=today, pk__in=thin)


def _to_convoke(today):
    unconvoked = SessionCandidate.objects.filter(
        session__state=SessionState.PLANIFIEE, convocations__isnull=True, attendance="attendu"
    ).values("session_id")
    return Q(date__gte=today, pk__in=unconvoked)


def _session_item(session) -> Item:
    return Item(
        session.pk,
        f"Session du {session.date:%d/%m/%Y} à {session.start_time:%H:%M}",
        session.location_label,
        session.get_absolute_url(),
        session.created_at.date(),
        session.date,
    )


def _fiches(*, failed):
    def items(today):
        fiches = FicheDecision.objects.exclude(state=FicheState.REMPLACEE)
        if failed:
            fiches = fiches.filter(pdf_status=PdfStatus.FAILED)
        else:
            fiches = fiches.filter(
                state=FicheState.BROUILLON, session_candidate__session__state=SessionState.OUVERTE
            ).exclude(outcome="")
        return fiches.select_related(
            "session_candidate__session",
            "session_candidate__dossier__candidate",
            "session_candidate__dossier__certification",
        ).order_by("created_at", "pk")

    return items


def _fiche_item(fiche) -> Item:
    candidate = fiche.session_candidate
    return Item(
        fiche.pk,
        _dossier_title(candidate.dossier),
        f"Session du {candidate.session.date:%d/%m/%Y} — fiche v{fiche.version}",
        candidate.get_absolute_url(),
        fiche.created_at.date(),
    )


def _agrements(today):
    return OrganismeFormation.objects.filter(
        agrement_to__isnull=False, agrement_to__lte=today + datetime.timedelta(days=AGREMENT_HORIZON_DAYS)
    ).order_by("agrement_to", "pk")


def _agrement_item(organisme) -> Item:
    return Item(
        organisme.pk,
        organisme.name,
        "Agrément",
        reverse("oemm_organisme_edit", args=[organisme.pk]),
        organisme.agrement_from,
        organisme.agrement_to,
    )


def _register(today):
    from ..models import HolderRecord, RegisterState

    return (
        HolderRecord.objects.filter(state__in=[RegisterState.A_TRANSMETTRE, RegisterState.EXPORTE])
        .select_related("dossier__candidate", "dossier__certification")
        .order_by("due_on", "pk")
    )


def _register_item(record) -> Item:
    return Item(
        record.pk,
        _dossier_title(record.dossier),
        f"{record.dossier.certification.title} — {record.get_state_display()}",
        reverse("oemm_register"),
        record.obtained_on,
        record.due_on,
    )


RECEVABILITE, VOIES, JURY, ECHEANCES = "Recevabilité", "Livrets 2 et voie formative", "Jury", "Échéances"

QUEUES = [
    CockpitQueue(
        "livrets1-a-instruire", "Livrets 1 à instruire", RECEVABILITE, "Instruire",
        _livrets1(Livret1State.SOUMIS), "submitted_at", _livret1_item, deadline="instruction_deadline", order=10,
    ),
    CockpitQueue(
        "livrets1-incomplets", "Livrets 1 incomplets, en attente du candidat", RECEVABILITE, "Suivre",
        _livrets1(Livret1State.INCOMPLET), "decided_on", _incomplete_item, order=11,
    ),
    CockpitQueue(
        "livrets2-recus", "Livrets 2 envoyés, réception à enregistrer", VOIES, "Accuser réception",
        _livrets2_to_acknowledge, "submitted_at", _livret2_item, bulk="acknowledge_livrets2", order=20,
    ),
    CockpitQueue(
        "livrets2-en-retard", "Livrets 2 en retard pour leur session", VOIES, "Relancer",
        _livrets2_late, "added_at", _late_item, deadline="session__date", order=21,
    ),
    CockpitQueue(
        "livrets-evaluation-transmis", "Livrets d'évaluation finale transmis", VOIES, "Déclarer prêt pour le jury",
        _evaluations, "transmitted_at", _evaluation_item, bulk="mark_ready", order=22,
    ),
    CockpitQueue(
        "dossiers-a-placer", "Dossiers prêts, à placer dans une session", JURY, "Placer dans une session",
        _dossiers_to_place, "inscription_date", _dossier_item, deadline="first_jury_deadline", bulk="place", order=30,
    ),
    CockpitQueue(
        "sessions-a-composer", "Sessions à composer (jury ou candidats)", JURY, "Composer",
        _sessions(_to_compose), "created_at", _session_item, deadline="date", order=31,
    ),
    CockpitQueue(
        "sessions-a-convoquer", "Sessions avec des candidats à convoquer", JURY, "Convoquer",
        _sessions(_to_convoke), "created_at", _session_item, deadline="date", order=32,
    ),
    CockpitQueue(
        "sessions-a-ouvrir", "Sessions du jour ou passées, à ouvrir", JURY, "Ouvrir",
        _sessions(lambda today: Q(date__lte=today)), "created_at", _session_item, deadline="date", order=33,
    ),
    CockpitQueue(
        "sessions-a-clore", "Sessions ouvertes, à clore", JURY, "Clore",
        _sessions(lambda today: Q(date__lt=today), state=SessionState.OUVERTE), "opened_at", _session_item,
        order=34,
    ),
    CockpitQueue(
        "fiches-a-signer", "Fiches de décision délibérées, à signer", JURY, "Faire signer",
        _fiches(failed=False), "created_at", _fiche_item, order=35,
    ),
    CockpitQueue(
        "fiches-pdf-echec", "Fiches dont le PDF a échoué", JURY, "Régénérer le PDF",
        _fiches(failed=True), "created_at", _fiche_item, order=36,
    ),
    CockpitQueue(
        "premier-jury-depasse", "Délais de premier jury dépassés", ECHEANCES, "Prolonger ou clore",
        _first_jury_passed, "inscription_date", _dossier_item, deadline="first_jury_deadline", order=40,
    ),
    CockpitQueue(
        "agrements-a-renouveler", "Agréments échus ou échéant sous 3 mois", ECHEANCES, "Renouveler",
        _agrements, "agrement_from", _agrement_item, deadline="agrement_to", order=41,
    ),
    CockpitQueue(
        "accrochage-a-transmettre", "Titulaires à transmettre à la Caisse des Dépôts", ECHEANCES, "Transmettre",
        _register, "obtained_on", _register_item, deadline="due_on", order=42,
    ),
]  # fmt: skip
BY_KEY = {queue.key: queue for queue in QUEUES}


def register_queues() -> None:
    for queue in QUEUES:
        register_work_queue(
            WorkQueue(
                key=queue.key,
                label=queue.label,
                group=queue.group,
                summarize=queue.summarize,
                url=queue.page_url,
                action=queue.action,
                order=queue.order,
            )
        )
