"""The columns of pilotage's own OEMM lists, exported as filtered and sorted on the page (pilotage/filters.py):
« Échéances » (one export per kind of deadline), the deletion requests, the candidates past retention, the e-mails
not delivered, the register of certified holders."""

from django.utils import timezone

from candidates.models import Dossier
from cqp.enums import ReminderKind

from ..deadline_overview import querysets
from ..filters import DEADLINE_FILTERS, DeletionRequestFilter, OutboundEmailFilter, RegisterFilter, RetentionFilter
from .exports import Column, ExportSpec


def _deadlines(kind):
    def queryset(user):
        return querysets(Dossier.objects.visible_to(user), include_agrement=True)[kind][0]

    return queryset


_DOSSIER = [
    Column("Dossier", lambda d: d.number),
    Column("Nom", lambda d: d.candidate.last_name),
    Column("Prénom", lambda d: d.candidate.first_name),
    Column("CQP", lambda d: d.certification.title),
]
_LIVRET = [
    Column("Dossier", lambda livret: livret.dossier.number),
    Column("Nom", lambda livret: livret.dossier.candidate.last_name),
    Column("Prénom", lambda livret: livret.dossier.candidate.first_name),
    Column("CQP", lambda livret: livret.dossier.certification.title),
]
DEADLINE_COLUMNS = {
    ReminderKind.FIRST_JURY: [
        *_DOSSIER,
        Column("État", lambda d: d.get_state_display()),
        Column("Inscription", lambda d: d.inscription_date),
        Column("Premier jury avant le", lambda d: d.first_jury_deadline),
    ],
    ReminderKind.INSTRUCTION: [
        *_LIVRET,
        Column("Reçu le", lambda livret: livret.received_on),
        Column("Date limite d'instruction", lambda livret: livret.instruction_deadline),
    ],
    ReminderKind.RECEVABILITE_VALIDITY: [
        *_LIVRET,
        Column("Décidé le", lambda livret: livret.decided_on),
        Column("Recevabilité valable jusqu'au", lambda livret: livret.valid_until),
    ],
    ReminderKind.AGREMENT: [
        Column("Organisme", lambda o: o.name),
        Column("SIRET", lambda o: o.siret),
        Column("Agrément du", lambda o: o.agrement_from),
        Column("Agrément jusqu'au", lambda o: o.agrement_to),
    ],
}
DEADLINE_TITLES = {
    ReminderKind.FIRST_JURY: "echeances-premier-jury",
    ReminderKind.INSTRUCTION: "echeances-instruction",
    ReminderKind.RECEVABILITE_VALIDITY: "echeances-validite-recevabilite",
    ReminderKind.AGREMENT: "echeances-agrements",
}
DEADLINES = [
    ExportSpec(
        key=f"echeances-{kind}",
        title=DEADLINE_TITLES[kind],
        filterset=DEADLINE_FILTERS[kind],
        queryset=_deadlines(kind),
        columns=columns,
    )
    for kind, columns in DEADLINE_COLUMNS.items()
]


def _deletion_requests(user):
    from cqp.models import DeletionRequest

    return DeletionRequest.objects.select_related("candidate", "treated_by").order_by("-pk")


DELETION_REQUESTS = ExportSpec(
    key="effacements",
    title="demandes-d-effacement",
    filterset=DeletionRequestFilter,
    queryset=_deletion_requests,
    columns=[
        Column("N°", lambda r: r.pk),
        Column("Demandée le", lambda r: r.requested_at),
        Column("Candidat", lambda r: str(r.candidate)),
        Column("E-mail", lambda r: r.candidate.email),
        Column("Motif", lambda r: r.reason),
        Column("État", lambda r: r.get_state_display()),
        Column("Traitée le", lambda r: r.treated_at),
        Column("Traitée par", lambda r: r.treated_by and str(r.treated_by)),
        Column("Réponse de l'OEMM", lambda r: r.answer),
    ],
)


def _past_retention(user):
    from ..personal_data import past_retention

    return past_retention(timezone.localdate())


RETENTION = ExportSpec(
    key="conservation",
    title="conservation-echue",
    filterset=RetentionFilter,
    queryset=_past_retention,
    columns=[
        Column("Compte", lambda u: u.pk),
        Column("Nom", lambda u: u.last_name),
        Column("Prénom", lambda u: u.first_name),
        Column("E-mail", lambda u: u.email),
        Column("Dernier dossier terminé le", lambda u: u.ended_at),
    ],
)


def _emails(user):
    from cqp.models import OutboundEmail

    return OutboundEmail.objects.only(
        "pk", "to", "subject", "state", "attempts", "last_error", "created_at", "failed_at", "next_attempt_at"
    )


EMAILS = ExportSpec(
    key="emails",
    title="e-mails-non-remis",
    filterset=OutboundEmailFilter,
    queryset=_emails,
    columns=[
        Column("N°", lambda e: e.pk),
        Column("Destinataires", lambda e: e.recipients),
        Column("Objet", lambda e: e.subject),
        Column("État", lambda e: e.get_state_display()),
        Column("Tentatives", lambda e: e.attempts),
        Column("Dernière erreur", lambda e: e.last_error),
        Column("Créé le", lambda e: e.created_at),
        Column("En échec depuis le", lambda e: e.failed_at),
        Column("Tentative prévue le", lambda e: e.next_attempt_at),
    ],
)


def _register(user):
    from ..register.views import register_rows

    return register_rows()


REGISTER = ExportSpec(  # the list as shown, for the OEMM; the file for the Caisse des Dépôts is the batch export
    key="registre",
    title="registre-des-titulaires",
    filterset=RegisterFilter,
    queryset=_register,
    columns=[
        Column("Dossier", lambda r: r.dossier.number),
        Column("Nom", lambda r: r.dossier.candidate.last_name),
        Column("Prénom", lambda r: r.dossier.candidate.first_name),
        Column("CQP", lambda r: r.dossier.certification.title),
        Column("Voie d'accès", lambda r: r.get_access_route_display()),
        Column("Obtenu le", lambda r: r.obtained_on),
        Column("Fin de validité", lambda r: r.valid_until),
        Column("À transmettre avant le", lambda r: r.due_on),
        Column("État", lambda r: r.get_state_display()),
        Column("Lot", lambda r: r.batch_id),
        Column("Remarque", lambda r: r.note),
    ],
)

PILOTAGE_SPECS = [*DEADLINES, DELETION_REQUESTS, RETENTION, EMAILS, REGISTER]
