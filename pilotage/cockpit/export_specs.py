"""The columns of each exportable OEMM list; filters and sort come from the list page's own FilterSet."""

from candidates.filters import DossierFilter
from candidates.models import Dossier
from cqp.filters import AccountFilter, EntrepriseFilter, OrganismeFilter
from cqp.models import Entreprise, OrganismeFormation, User
from jury.filters import SessionFilter
from jury.selectors import sessions_listed
from vae.filters import RecevabiliteFilter
from vae.selectors import queue

from .export_specs_pilotage import PILOTAGE_SPECS
from .exports import Column, ExportSpec
from .queue_lists import QUEUE_SPECS


def _dossiers(user):
    return (
        Dossier.objects.visible_to(user)
        .select_related("candidate", "certification", "mention", "entreprise", "organisme")
        .order_by("-created_at", "-pk")
    )


DOSSIERS = ExportSpec(
    key="dossiers",
    title="dossiers",
    filterset=DossierFilter,
    queryset=_dossiers,
    columns=[
        Column("Numéro", lambda d: d.number),
        Column("Nom", lambda d: d.candidate.last_name),
        Column("Prénom", lambda d: d.candidate.first_name),
        Column("E-mail", lambda d: d.candidate.email),
        Column("CQP", lambda d: d.certification.title),
        Column("Code CQP", lambda d: d.certification.code),
        Column("Mention", lambda d: d.mention and str(d.mention)),
        Column("Voie", lambda d: d.get_path_display()),
        Column("État", lambda d: d.get_state_display()),
        Column("Inscription", lambda d: d.inscription_date),
        Column("Premier jury avant le", lambda d: d.first_jury_deadline),
        Column("Entreprise", lambda d: d.entreprise and d.entreprise.name),
        Column("Organisme de formation", lambda d: d.organisme and d.organisme.name),
    ],
)


def _roles(user) -> str:
    return ", ".join(str(role) for role in user.roles.all())


COMPTES = ExportSpec(
    key="comptes",
    title="comptes",
    filterset=AccountFilter,
    queryset=lambda user: User.objects.prefetch_related("roles__organisme", "roles__entreprise").order_by(
        "last_name", "first_name", "email", "pk"
    ),
    columns=[
        Column("Nom", lambda u: u.last_name),
        Column("Prénom", lambda u: u.first_name),
        Column("E-mail", lambda u: u.email),
        Column("Rôles", _roles),
        Column("Actif", lambda u: u.is_active),
        Column("Créé le", lambda u: u.date_joined),
        Column("Dernière connexion", lambda u: u.last_login),
    ],
)

ORGANISMES = ExportSpec(
    key="organismes",
    title="organismes-de-formation",
    filterset=OrganismeFilter,
    queryset=lambda user: OrganismeFormation.objects.prefetch_related("certifications").order_by("name", "pk"),
    columns=[
        Column("Nom", lambda o: o.name),
        Column("SIRET", lambda o: o.siret),
        Column("Agrément du", lambda o: o.agrement_from),
        Column("Agrément jusqu'au", lambda o: o.agrement_to),
        Column("CQP", lambda o: ", ".join(c.title for c in o.certifications.all())),
    ],
)

ENTREPRISES = ExportSpec(
    key="entreprises",
    title="entreprises",
    filterset=EntrepriseFilter,
    queryset=lambda user: Entreprise.objects.order_by("name", "pk"),
    columns=[Column("Raison sociale", lambda e: e.name), Column("SIRET", lambda e: e.siret)],
)

RECEVABILITE = ExportSpec(
    key="recevabilite",
    title="recevabilite-a-instruire",
    filterset=RecevabiliteFilter,
    queryset=lambda user: queue(user=user),
    columns=[
        Column("Dossier", lambda livret: livret.dossier.number),
        Column("Nom", lambda livret: livret.dossier.candidate.last_name),
        Column("Prénom", lambda livret: livret.dossier.candidate.first_name),
        Column("CQP", lambda livret: livret.dossier.certification.title),
        Column("Nature", lambda livret: livret.get_nature_display()),
        Column("Reçu le", lambda livret: livret.received_on),
        Column("Date limite d'instruction", lambda livret: livret.instruction_deadline),
    ],
)

SESSIONS = ExportSpec(
    key="sessions",
    title="sessions-de-jury",
    filterset=SessionFilter,
    queryset=lambda user: sessions_listed(user).select_related("president").order_by("-date", "-start_time", "-pk"),
    columns=[
        Column("Date", lambda s: s.date),
        Column("Heure", lambda s: s.start_time.strftime("%H:%M")),
        Column("CQP", lambda s: ", ".join(c.title for c in s.certifications.all())),
        Column("Lieu", lambda s: s.place),
        Column("Lien de visioconférence", lambda s: s.video_link),
        Column("Candidats", lambda s: s.candidate_count),
        Column("Capacité", lambda s: s.capacity),
        Column("État", lambda s: s.get_state_display()),
        Column("Président(e)", lambda s: s.president and str(s.president)),
    ],
)

SPECS = {
    spec.key: spec
    for spec in [DOSSIERS, RECEVABILITE, COMPTES, ORGANISMES, ENTREPRISES, SESSIONS, *PILOTAGE_SPECS, *QUEUE_SPECS]
}
