"""Writes on a dossier's thread: post a message (and notify the others), record its reading, share it with the jury
of the dossier's session."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidates.enums import Path
from cqp.enums import NotificationKind, Role
from cqp.exceptions import WorkflowError
from cqp.models import UserRole
from jury.models import JurySession
from notifications.delivery import notify
from notifications.recipients import centre_ids, staff_ids
from vae.models import ConventionAccompagnement

from .models import Message, MessageRead


def participant_ids(dossier) -> set[int]:
    """Everyone who reads the thread in full: candidate, centre, accompagnateur, company, OEMM staff."""
    ids = {dossier.candidate_id, *staff_ids(dossier.certification.certifier_id)}
    if dossier.organisme_id:
        ids |= set(centre_ids(dossier.organisme_id))
    for organisme_id in (
        ConventionAccompagnement.objects.open().filter(dossier=dossier).values_list("organisme_id", flat=True)
    ):
        ids |= set(centre_ids(organisme_id))
    if dossier.path == Path.FORMATION and dossier.entreprise_id:
        ids |= set(
            UserRole.objects.filter(
                role=Role.ENTREPRISE, entreprise_id=dossier.entreprise_id, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    return ids


@transaction.atomic
def post_message(dossier, *, by, body: str, checked=None) -> Message:
    """A message of ``by`` on the dossier's thread (``checked``: an upload checked by vae.uploads.check_upload)."""
    body = (body or "").strip()
    if not body and checked is None:
        raise WorkflowError("Écrivez un message ou joignez une pièce.")
    message = Message(dossier=dossier, author=by, body=body, created_at=timezone.now())
    message._change_reason = "Message envoyé"
    if checked is not None:
        message.original_name, message.size, message.content_type = checked.name, checked.size, checked.content_type
        message.file.save(f"piece{checked.extension}", ContentFile(checked.data), save=False)
        stored = message.file.name
        try:
            message.save()
        except Exception:
            message.file.storage.delete(stored)
            raise
    else:
        message.save()
    notify(
        NotificationKind.MESSAGE_RECEIVED,
        recipient_ids=[pk for pk in participant_ids(dossier) if pk != by.pk],
        key=f"message:{message.pk}",
        message=f"Nouveau message de {by} sur le dossier {dossier.number} ({dossier.certification.title})",
        url=reverse("messagerie:thread", kwargs={"number": dossier.number}),
        dossier_id=dossier.pk,
    )
    return message


def mark_read(messages, user) -> int:
    """Record that ``user`` read the messages of others among ``messages`` (already read ones are kept)."""
    rows = [MessageRead(message=m, reader=user) for m in messages if m.author_id != user.pk]
    return len(MessageRead.objects.bulk_create(rows, ignore_conflicts=True))


def jury_session_of(dossier):
    """The session the dossier is placed in (the latest if several)."""
    return JurySession.objects.filter(candidates__dossier=dossier).order_by("-date", "-pk").first()


@transaction.atomic
def share_with_jury(message, *, by) -> Message:
    """The OEMM shares one message with the jury of the dossier's session (recorded: who, when)."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.shared_with_session_id:
        raise WorkflowError("Ce message est déjà partagé avec le jury.")
    session = jury_session_of(message.dossier)
    if session is None:
        raise WorkflowError("Le dossier n'est inscrit dans aucune session de jury : rien à partager.")
    message.shared_with_session = session
    message.shared_with_jury_at = timezone.now()
    message.shared_with_jury_by = by
    message._change_reason = "Message partagé avec le jury"
    message.save(update_fields=["shared_with_session", "shared_with_jury_at", "shared_with_jury_by"])
    return message
