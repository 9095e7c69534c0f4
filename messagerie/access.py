"""Who reads a dossier's thread: the candidate, the dossier's centre, the accompagnateur (open convention), the
company (voie formative only: on a VAE dossier the employer does not read) and the OEMM staff of its
certifier. A jury member reads only the messages the OEMM shared
with the jury of their session; everyone else gets a 404."""

from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404

from candidates.enums import Path
from cqp.enums import Role
from vae.models import ConventionAccompagnement
from vae.selectors import accessible_dossiers

from .models import Message, MessageRead

STAFF, PARTICIPANT, JURY = "staff", "participant", "jury"


def role_in_thread(user, dossier) -> str | None:
    roles = {(r.role, r.organisme_id, r.entreprise_id) for r in user.roles.all()}
    kinds = {r[0] for r in roles}
    if kinds & {Role.OEMM, Role.ADMIN}:
        return STAFF  # the dossier was read through dossiers_for: within the staff's certifiers
    if dossier.candidate_id == user.pk:
        return PARTICIPANT
    centres = {o for role, o, _ in roles if role == Role.ORGANISME and o}
    companies = {e for role, _, e in roles if role == Role.ENTREPRISE and e}
    if dossier.organisme_id in centres or (
        dossier.path == Path.FORMATION and dossier.entreprise_id and dossier.entreprise_id in companies
    ):
        return PARTICIPANT
    if centres and (ConventionAccompagnement.objects.open().filter(dossier=dossier, organisme_id__in=centres).exists()):
        return PARTICIPANT
    if Role.JURY in kinds and Message.objects.filter(dossier=dossier, shared_with_session__members__user=user).exists():
        return JURY
    return None


AUTHOR_LABELS = {Role.OEMM: "OEMM", Role.ADMIN: "OEMM", Role.ORGANISME: "organisme", Role.ENTREPRISE: "entreprise"}


def author_label(author, dossier) -> str:
    """What the author is to the dossier, shown beside their name: « candidat », « OEMM », « organisme »..."""
    if author.pk == dossier.candidate_id:
        return "candidat"
    kinds = {r.role for r in author.roles.all()}
    return next((label for role, label in AUTHOR_LABELS.items() if role in kinds), "")


def get_thread_for(user, number):
    """``(dossier, role)`` if the person reads the dossier's thread, else Http404."""
    dossier = get_object_or_404(accessible_dossiers(user).distinct(), number=number)
    role = role_in_thread(user, dossier)
    if role is None:
        raise Http404("Page introuvable.")
    return dossier, role


def messages_for(user, dossier, role):
    messages = Message.objects.filter(dossier=dossier)
    if role == JURY:
        messages = messages.filter(shared_with_session__members__user=user).distinct()
    return messages.select_related("author", "shared_with_jury_by", "shared_with_session").prefetch_related(
        "reads__reader", "author__roles"
    )


# Written out: the ORM's ``.exclude(author=user).exclude(reads__reader=user).count()`` spent ~0.5 ms building this
# query (its multi-valued exclude), for every page showing a dossier's header; the SQL is plain and portable.
_UNREAD_SQL = (
    "SELECT COUNT(*) FROM {message} m WHERE m.dossier_id = %s AND m.author_id <> %s"
    " AND NOT EXISTS (SELECT 1 FROM {read} r WHERE r.message_id = m.id AND r.reader_id = %s)"
)


def unread_count(user, dossier) -> int:
    """Messages of others the person has not read (0 for a jury member: they read shared messages only)."""
    if not user.is_authenticated:
        return 0
    quote = connection.ops.quote_name
    sql = _UNREAD_SQL.format(message=quote(Message._meta.db_table), read=quote(MessageRead._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier.pk, user.pk, user.pk])
        return cursor.fetchone()[0]
