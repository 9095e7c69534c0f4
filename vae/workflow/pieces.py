"""Storing a checked upload (``vae.uploads.check_upload``) as the file of a piece, for the livrets 1 and 2."""

from django.core.files.base import ContentFile

from ..models import Piece


def store_piece(piece, checked) -> Piece:
    """Save a checked upload under a random name with the piece (file removed again if the row cannot be saved)."""
    piece.original_name, piece.size, piece.content_type = checked.name, checked.size, checked.content_type
    piece.file.save(f"piece{checked.extension}", ContentFile(checked.data), save=False)
    stored_name = piece.file.name
    try:
        piece.save()
    except Exception:
        piece.file.storage.delete(stored_name)
        raise
    return piece
