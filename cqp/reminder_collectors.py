"""What each kind of deadline is, for whom: one collector per kind, a bounded number of queries each."""

import datetime

from django.urls import reverse

from .enums import Role
from .models import OrganismeFormation, ReminderKind, User
from .reminder_rules import horizon, threshold_date


def _oemm_ids():
    return list(User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("pk", flat=True).distinct())


def agrement(today: datetime.date):
    from .reminders import Due

    last = _farthest_due(today, ReminderKind.AGREMENT)
    organismes = OrganismeFormation.objects.filter(agrement_to__gte=today, agrement_to__lte=last).prefetch_related("certifications")
    oemm = _oemm_ids()
    for organisme in organismes:
        yield Due(
            kind=ReminderKind.AGREMENT, subject_key=f"organisme:{organisme.pk}", due_date=organisme.agrement_to,
            label=f"Agrément de {organisme.name}", url=reverse("oemm_organisme_edit", args=[organisme.pk]),
            recipient_ids=oemm, context={"organisme": organisme},
        )


def _farthest_due(today, kind) -> datetime.date:
    """The latest deadline whose farthest threshold is already crossed today."""
    probe = today
    # threshold_date(due, horizon) <= today  <=>  due <= today + horizon; find it by stepping (at most 12 months).
    step = datetime.timedelta(days=1)
    candidate = today + datetime.timedelta(days=400)
    while threshold_date(candidate, horizon(kind)) > today:
        candidate -= step
    return max(candidate, probe)


def first_jury(today: datetime.date):
    """Inscription + the CQP's window (or its extension): candidate, OEMM, and the company for the voie formative."""
    from candidates.enums import Path
    from candidates.models import Dossier

    from .reminders import Due

    last = _farthest_due(today, ReminderKind.FIRST_JURY)
    oemm = _oemm_ids()
    dossiers = (
        Dossier.objects.open().filter(first_jury_deadline__gte=today, first_jury_deadline__lte=last)
        .select_related("certification", "candidate")
        .only("pk", "number", "first_jury_deadline", "path", "registered_by_id", "candidate_id",
              "certification__title", "candidate__first_name", "candidate__last_name", "candidate__email")
    )
    for dossier in dossiers.iterator(chunk_size=2000):
        recipients = [dossier.candidate_id, *oemm]
        if dossier.path == Path.FORMATION and dossier.registered_by_id:
            recipients.append(dossier.registered_by_id)
        yield Due(
            kind=ReminderKind.FIRST_JURY, subject_key=f"dossier:{dossier.pk}", due_date=dossier.first_jury_deadline,
            label=f"{dossier.number} — {dossier.candidate} ({dossier.certification.title})",
            url=dossier.get_absolute_url(), recipient_ids=recipients, context={"dossier": dossier},
        )


def instruction(today: datetime.date):
    """Recevabilité instruction deadline: OEMM, at 2 weeks and 3 days."""
    from vae.models import Livret1

    from .reminders import Due

    last = _farthest_due(today, ReminderKind.INSTRUCTION)
    oemm = _oemm_ids()
    livrets = (
        Livret1.objects.active().awaiting_decision()
        .filter(instruction_deadline__gte=today, instruction_deadline__lte=last)
        .select_related("dossier__candidate", "dossier__certification", "referentiel")
    )
    for livret in livrets.iterator(chunk_size=2000):
        dossier = livret.dossier
        yield Due(
            kind=ReminderKind.INSTRUCTION, subject_key=f"livret1:{livret.pk}", due_date=livret.instruction_deadline,
            label=f"{dossier.number} — {dossier.candidate} ({dossier.certification.title})",
            url=dossier.get_absolute_url(), recipient_ids=oemm,
            context={"dossier": dossier, "silence": livret.referentiel.silence_is_acceptance},
        )


def recevabilite_validity(today: datetime.date):
    """End of a favourable recevabilité: the candidate, with the demand to make (prorogation or renouvellement)."""
    from vae.models import Livret1
    from vae.rules import renewal_kind

    from .reminders import Due

    last = _farthest_due(today, ReminderKind.RECEVABILITE_VALIDITY)
    livrets = (
        Livret1.objects.active().filter(state="recevable", valid_until__gte=today, valid_until__lte=last,
                                        dossier__state__in=["recevable", "oriente", "inscrit"])
        .select_related("dossier__candidate", "dossier__certification", "referentiel")
    )
    current = {}
    for livret in livrets.iterator(chunk_size=2000):
        dossier = livret.dossier
        if dossier.certification_id not in current:
            current[dossier.certification_id] = dossier.certification.current_version
        yield Due(
            kind=ReminderKind.RECEVABILITE_VALIDITY, subject_key=f"livret1:{livret.pk}", due_date=livret.valid_until,
            label=f"{dossier.number} ({dossier.certification.title})", url=dossier.get_absolute_url(),
            recipient_ids=[dossier.candidate_id],
            context={"dossier": dossier, "renewal": renewal_kind(livret.referentiel, current[dossier.certification_id])},
        )


COLLECTORS = [agrement, first_jury, instruction, recevabilite_validity]


def collect(today: datetime.date):
    for collector in COLLECTORS:
        yield from collector(today)
