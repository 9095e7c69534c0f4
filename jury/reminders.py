"""The reminder collectors of the jury's deadlines: validity of acquired units and the livret 2 due before a session
(registered in apps.py)."""

import datetime

from django.urls import reverse

from candidates.deadlines import add_months
from candidates.deadlines import livret2_due as due_for
from cqp.enums import ReminderKind, Role
from cqp.models import UserRole
from cqp.reminder_registry import Due, register_reminder_collector
from referentiels.models import Certification
from vae.enums import ConventionState
from vae.models import ConventionAccompagnement

from .enums import Outcome
from .models import SessionCandidate, ValidatedUnit


def unit_validity(today: datetime.date, until: datetime.date):
    """First expiry of a candidate's partially validated units: the candidate, with the missing units and the
    centres, and the link to the dossier that goes back before a jury for them (jury/partial.py).
    """
    expiring = (
        ValidatedUnit.objects.filter(valid_until__gte=today, valid_until__lte=until)
        .exclude(fiche__outcome=Outcome.TOTALE)
        .exclude(fiche__state="remplacee")
        .values_list("candidate_id", "certification_id", "valid_until", "fiche__session_candidate__dossier__number")
    )
    first, numbers = {}, {}
    for candidate_id, certification_id, valid_until, number in expiring:
        key = (candidate_id, certification_id)
        first[key] = min(valid_until, first.get(key, valid_until))
        numbers[key] = max(number, numbers.get(key, number))  # the latest dossier (numbers grow with time)
    if not first:
        return
    held = {}
    for candidate_id, certification_id, number in (
        ValidatedUnit.objects.valid_on(today)
        .filter(candidate_id__in={c for c, _ in first})
        .exclude(fiche__state="remplacee")
        .values_list("candidate_id", "certification_id", "unit_number")
    ):
        held.setdefault((candidate_id, certification_id), set()).add(number)
    certifications = {
        c.pk: c
        for c in Certification.objects.filter(pk__in={k for _, k in first}).prefetch_related(
            "versions__units", "organismes"
        )
    }
    for (candidate_id, certification_id), due in first.items():
        certification = certifications[certification_id]
        version = next((v for v in certification.versions.all() if v.is_current), None)
        units = list(version.units.all()) if version else []
        missing = [str(u) for u in units if u.number not in held.get((candidate_id, certification_id), set())]
        centres = [o.name for o in certification.organismes.all() if o.agrement_valid_on(today)]
        yield Due(
            kind=ReminderKind.UNIT_VALIDITY,
            subject_key=f"units:{candidate_id}:{certification_id}",
            due_date=due,
            label=f"{certification}",
            url=reverse("candidates:dossier", kwargs={"number": numbers[(candidate_id, certification_id)]}),
            recipient_ids=[candidate_id],
            context={
                "missing_units": missing,
                "centres": centres,
                "dossier_number": numbers[(candidate_id, certification_id)],
            },
            certifier_id=certification.certifier_id,
        )


def livret2_due(today: datetime.date, until: datetime.date):
    """Livret 2 due before a session (session date minus the CQP's delay): the candidate and the accompagnateur."""
    passages = (
        SessionCandidate.objects.filter(
            session__date__gte=today,
            session__date__lte=add_months(until, 12),
            dossier__path="vae",
            dossier__state__in=["recevable", "oriente", "inscrit", "complement"],
        )
        .exclude(dossier__livret2__state__in=["soumis", "recu"])
        .select_related("session", "dossier__version", "dossier__candidate", "dossier__certification")
    )
    rows = []
    for passage in passages:
        due = due_for(passage.session.date, passage.dossier.version.livret2_due_months_before_session)
        if today <= due <= until:
            rows.append((passage, due))
    if not rows:
        return
    centres = dict(
        ConventionAccompagnement.objects.filter(
            dossier_id__in=[p.dossier_id for p, _ in rows], state=ConventionState.ACCEPTEE
        ).values_list("dossier_id", "organisme_id")
    )
    staff = {}
    for organisme_id, user_id in UserRole.objects.filter(
        role=Role.ORGANISME, organisme_id__in=set(centres.values())
    ).values_list("organisme_id", "user_id"):
        staff.setdefault(organisme_id, []).append(user_id)
    for passage, due in rows:
        dossier = passage.dossier
        yield Due(
            kind=ReminderKind.LIVRET2_DUE,
            subject_key=f"passage:{passage.pk}",
            due_date=due,
            label=f"{dossier.number} — {dossier.candidate} ({dossier.certification.title})",
            url=dossier.get_absolute_url(),
            recipient_ids=[dossier.candidate_id, *staff.get(centres.get(dossier.pk), [])],
            context={"dossier": dossier, "session": passage.session},
            certifier_id=dossier.certification.certifier_id,
        )


register_reminder_collector(ReminderKind.UNIT_VALIDITY, unit_validity)
register_reminder_collector(ReminderKind.LIVRET2_DUE, livret2_due)
