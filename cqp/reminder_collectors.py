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


def unit_validity(today: datetime.date):
    """First expiry of a candidate's partially validated units: the candidate, with the missing units and the centres."""
    from jury.enums import Outcome
    from jury.models import ValidatedUnit
    from referentiels.models import Certification

    from .reminders import Due

    last = _farthest_due(today, ReminderKind.UNIT_VALIDITY)
    expiring = (
        ValidatedUnit.objects.filter(valid_until__gte=today, valid_until__lte=last)
        .exclude(fiche__outcome=Outcome.TOTALE).exclude(fiche__state="remplacee")
        .values_list("candidate_id", "certification_id", "valid_until")
    )
    first = {}
    for candidate_id, certification_id, until in expiring:
        key = (candidate_id, certification_id)
        first[key] = min(until, first.get(key, until))
    if not first:
        return
    held = {}
    for candidate_id, certification_id, number in ValidatedUnit.objects.valid_on(today).filter(
        candidate_id__in={c for c, _ in first}
    ).exclude(fiche__state="remplacee").values_list("candidate_id", "certification_id", "unit_number"):
        held.setdefault((candidate_id, certification_id), set()).add(number)
    certifications = {
        c.pk: c for c in Certification.objects.filter(pk__in={k for _, k in first}).prefetch_related("versions__units", "organismes")
    }
    for (candidate_id, certification_id), due in first.items():
        certification = certifications[certification_id]
        version = next((v for v in certification.versions.all() if v.is_current), None)
        units = list(version.units.all()) if version else []
        missing = [str(u) for u in units if u.number not in held.get((candidate_id, certification_id), set())]
        centres = [o.name for o in certification.organismes.all() if o.agrement_valid_on(today)]
        yield Due(
            kind=ReminderKind.UNIT_VALIDITY, subject_key=f"units:{candidate_id}:{certification_id}", due_date=due,
            label=f"{certification}", url=reverse("jury:my_jury"), recipient_ids=[candidate_id],
            context={"missing_units": missing, "centres": centres},
        )


def livret2_due(today: datetime.date):
    """Livret 2 due before a session (session date minus the CQP's delay): the candidate and the accompagnateur."""
    from candidates.deadlines import add_months, livret2_due as due_for
    from cqp.models import UserRole
    from jury.models import SessionCandidate
    from vae.enums import ConventionState

    from .reminders import Due

    last = _farthest_due(today, ReminderKind.LIVRET2_DUE)
    passages = (
        SessionCandidate.objects.filter(
            session__date__gte=today, session__date__lte=add_months(last, 12),
            dossier__path="vae", dossier__state__in=["recevable", "oriente", "inscrit"],
        )
        .exclude(dossier__livret2__state__in=["soumis", "recu"])
        .select_related("session", "dossier__version", "dossier__candidate", "dossier__certification")
    )
    rows = []
    for passage in passages:
        due = due_for(passage.session.date, passage.dossier.version.livret2_due_months_before_session)
        if today <= due <= last:
            rows.append((passage, due))
    if not rows:
        return
    from vae.models import ConventionAccompagnement

    centres = dict(
        ConventionAccompagnement.objects.filter(dossier_id__in=[p.dossier_id for p, _ in rows], state=ConventionState.ACCEPTEE)
        .values_list("dossier_id", "organisme_id")
    )
    staff = {}
    for organisme_id, user_id in UserRole.objects.filter(role=Role.ORGANISME, organisme_id__in=set(centres.values())).values_list(
        "organisme_id", "user_id"
    ):
        staff.setdefault(organisme_id, []).append(user_id)
    for passage, due in rows:
        dossier = passage.dossier
        yield Due(
            kind=ReminderKind.LIVRET2_DUE, subject_key=f"passage:{passage.pk}", due_date=due,
            label=f"{dossier.number} — {dossier.candidate} ({dossier.certification.title})", url=dossier.get_absolute_url(),
            recipient_ids=[dossier.candidate_id, *staff.get(centres.get(dossier.pk), [])],
            context={"dossier": dossier, "session": passage.session},
        )


COLLECTORS = [agrement, first_jury, instruction, recevabilite_validity, unit_validity, livret2_due]


def collect(today: datetime.date):
    for collector in COLLECTORS:
        yield from collector(today)
