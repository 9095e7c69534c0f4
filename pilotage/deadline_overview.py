"""Coming deadlines, for dashboards: one query per kind, paginated in the OEMM page."""

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.urls import reverse

from candidates.enums import AWAITING_FIRST_JURY_STATES
from cqp.enums import ReminderKind
from cqp.models import OrganismeFormation
from vae.models import Livret1

HORIZONS = [(30, "30 jours"), (90, "3 mois"), (180, "6 mois"), (365, "1 an")]
OEMM_KINDS = [
    ReminderKind.FIRST_JURY,
    ReminderKind.INSTRUCTION,
    ReminderKind.RECEVABILITE_VALIDITY,
    ReminderKind.AGREMENT,
]


@dataclass
class DeadlineRow:
    kind: str
    date: datetime.date
    label: str
    url: str
    today: datetime.date

    @property
    def kind_label(self):
        return ReminderKind(self.kind).label

    @property
    def overdue(self) -> bool:
        return self.date < self.today

    @property
    def soon(self) -> bool:
        return not self.overdue and (self.date - self.today).days <= 30


def _first_jury(dossiers):
    return dossiers.filter(state__in=AWAITING_FIRST_JURY_STATES).annotate(deadline=F("first_jury_deadline"))


def _livrets(dossiers, state):
    return Livret1.objects.active().filter(dossier__in=dossiers, state=state)


def querysets(dossiers, *, include_agrement=False):
    """Per kind, a queryset whose rows carry a `deadline` date, and a function making a row."""
    result = {
        ReminderKind.FIRST_JURY: (
            _first_jury(dossiers).select_related("candidate", "certification").order_by("first_jury_deadline", "pk"),
            lambda d: (
                d.first_jury_deadline,
                f"{d.number} — {d.candidate} ({d.certification.title})",
                d.get_absolute_url(),
            ),
            "first_jury_deadline",
        ),
        ReminderKind.INSTRUCTION: (
            _livrets(dossiers, "soumis")
            .select_related("dossier__candidate", "dossier__certification")
            .exclude(instruction_deadline=None)
            .order_by("instruction_deadline", "pk"),
            lambda livret: (
                livret.instruction_deadline,
                f"{livret.dossier.number} — {livret.dossier.candidate} : décision de recevabilité",
                livret.dossier.get_absolute_url(),
            ),
            "instruction_deadline",
        ),
        ReminderKind.RECEVABILITE_VALIDITY: (
            _livrets(dossiers, "recevable")
            .select_related("dossier__candidate", "dossier__certification")
            .exclude(valid_until=None)
            .order_by("valid_until", "pk"),
            lambda livret: (
                livret.valid_until,
                f"{livret.dossier.number} — {livret.dossier.candidate} : fin de validité de la recevabilité",
                livret.dossier.get_absolute_url(),
            ),
            "valid_until",
        ),
    }
    if include_agrement:
        result[ReminderKind.AGREMENT] = (
            OrganismeFormation.objects.exclude(agrement_to=None).order_by("agrement_to", "pk"),
            lambda o: (o.agrement_to, f"Agrément de {o.name}", reverse("oemm_organisme_edit", args=[o.pk])),
            "agrement_to",
        )
    return result


def within(queryset, field, today, horizon_days):
    """Overdue ones (still open) and those within the horizon."""
    return queryset.filter(**{f"{field}__lte": today + datetime.timedelta(days=horizon_days)})


def rows(dossiers, today, horizon_days=365, *, include_agrement=False, limit=50) -> list[DeadlineRow]:
    """All kinds merged and sorted, for a person's few dossiers (candidate, centre, company)."""
    out = []
    for kind, (queryset, make, field) in querysets(dossiers, include_agrement=include_agrement).items():
        for obj in within(queryset, field, today, horizon_days)[:limit]:
            date, label, url = make(obj)
            out.append(DeadlineRow(kind=kind, date=date, label=label, url=url, today=today))
    return sorted(out, key=lambda r: r.date)[:limit]
