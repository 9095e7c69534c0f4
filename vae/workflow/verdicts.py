"""The OEMM's verdict on each piece of a livret 1 being instructed, and the candidate's replacement of a piece.

A piece « à remplacer » (illisible, ne correspond pas) reopens that piece only: the livret stays « soumis » and
locked; the candidate uploads a replacement, which sends it again (the verdict goes back to « non examinée »).
The livret cannot be declared recevable while a piece is to be replaced. Every verdict is kept in the piece's
history (django-simple-history) and in the dossier's history with its reason.
"""

from django.db import transaction
from django.utils import timezone

from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit

from .. import emails
from ..enums import TO_REPLACE, PieceVerdict
from ..models import Livret1, Piece
from .livret1 import _audit, check_livret1

REASON_REQUIRED = "Indiquez le motif : le candidat doit savoir pourquoi remplacer cette pièce."
NOT_TO_REPLACE = "Cette pièce n'est pas à remplacer."


def _lock_piece(piece):
    """Lock the livret first, then the piece (always in this order)."""
    livret = Livret1.objects.select_for_update().get(pk=piece.livret1_id)
    return livret, Piece.objects.select_for_update().get(pk=piece.pk)


@transaction.atomic
def give_verdict(piece, *, by, verdict, reason="") -> Piece:
    """The OEMM accepts a piece or asks for its replacement (with a reason, which the candidate reads)."""
    if verdict not in PieceVerdict.values:
        raise WorkflowError("Choisissez un avis sur la pièce.")
    reason = (reason or "").strip()
    if verdict in TO_REPLACE and not reason:
        raise WorkflowError(REASON_REQUIRED)
    livret, locked = _lock_piece(piece)
    check_livret1(livret, "give_verdict")
    previous = locked.verdict
    locked.verdict, locked.verdict_reason = verdict, reason
    locked.verdict_by, locked.verdict_at = by, timezone.now()
    locked._change_reason = reason or locked.get_verdict_display()
    locked.save()
    _audit(
        livret,
        by=by,
        name="piece_verdict",
        label=f"Pièce « {locked.original_name} » : {locked.get_verdict_display().lower()}",
        comment=reason,
        data={"piece": locked.pk, "verdict": verdict, "previous": previous},
    )
    if verdict in TO_REPLACE:
        emails.send_piece_to_replace(locked)
        publish_on_commit(NotificationKind.PIECE_TO_REPLACE, by=by, piece=locked.pk)
    return locked


@transaction.atomic
def replace_piece(piece, *, by, checked) -> Piece:
    """The candidate replaces a piece « à remplacer » with a checked upload and sends it again to the OEMM."""
    from .pieces import store_piece

    livret, locked = _lock_piece(piece)
    check_livret1(livret, "replace_piece")
    if not locked.to_replace:
        raise WorkflowError(NOT_TO_REPLACE)
    old_files = [f.name for f in (locked.file, locked.thumbnail) if f]
    storage = locked.file.storage
    previous = locked.get_verdict_display()
    locked.verdict, locked.verdict_by, locked.verdict_at = "", None, None
    locked.thumbnail = ""
    locked.replaced_count += 1
    locked._change_reason = f"Remplacée par le candidat (avis précédent : {previous})"
    store_piece(locked, checked)
    _audit(
        livret,
        by=by,
        name="piece_replaced",
        label=f"Pièce remplacée et renvoyée : « {locked.original_name} »",
        data={"piece": locked.pk},
    )
    publish_on_commit(NotificationKind.PIECE_REPLACED, by=by, piece=locked.pk)
    transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    return locked
