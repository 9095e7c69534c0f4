"""Server-side previews of a piece: the first page of a PDF (poppler's ``pdftoppm``) or an image (Pillow).

Only pieces already stored are previewed, i.e. uploads that passed ``vae.uploads.check_upload`` (type sniffed,
size ≤ 10 Mo, PDF and image structure checked). Even so ``pdftoppm`` runs in a subprocess with a timeout, without
a shell, on one page at a small size, and Pillow keeps its decompression-bomb guard; any failure gives no preview
(the page shows « Aperçu indisponible ») rather than an error. A preview is made on first view and stored with the
piece (``Piece.thumbnail``); a replacement clears it.
"""

import io
import logging
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image

from .file_checks import MAX_PIXELS

logger = logging.getLogger(__name__)

WIDTH = 360  # pixels: the preview is shown at most 180 px wide, twice for sharp screens
PDFTOPPM_TIMEOUT = 10  # seconds
PREVIEWABLE = {"application/pdf", "image/jpeg", "image/png"}


def _pdf_first_page(data: bytes) -> bytes | None:
    with tempfile.TemporaryDirectory() as work:
        source, target = Path(work) / "piece.pdf", Path(work) / "apercu"
        source.write_bytes(data)
        command = ["pdftoppm", "-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to", str(WIDTH), source, target]
        try:
            subprocess.run(command, capture_output=True, timeout=PDFTOPPM_TIMEOUT, check=True)  # noqa: S603
        except (subprocess.SubprocessError, OSError) as exc:
            logger.warning("Aperçu PDF impossible : %s", exc.__class__.__name__)
            return None
        produced = target.with_suffix(".png")
        return produced.read_bytes() if produced.exists() else None


def _image(data: bytes) -> bytes | None:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((WIDTH, WIDTH * 2))
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG")
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        logger.warning("Aperçu image impossible : %s", exc.__class__.__name__)
        return None


def render_preview(content_type: str, data: bytes) -> bytes | None:
    """PNG bytes of the preview, or None when the type has no preview or the file cannot be rendered."""
    if content_type == "application/pdf":
        return _pdf_first_page(data)
    if content_type in ("image/jpeg", "image/png"):
        return _image(data)
    return None


def preview_of(piece) -> bytes | None:
    """The stored preview of a piece, made and stored on first call (None: no preview for this piece)."""
    if piece.thumbnail:
        with piece.thumbnail.open("rb") as stored:
            return stored.read()
    if piece.content_type not in PREVIEWABLE:
        return None
    with piece.file.open("rb") as source:
        png = render_preview(piece.content_type, source.read())
    if png is None:
        return None
    piece.thumbnail.save("apercu.png", ContentFile(png), save=False)
    type(piece).objects.filter(pk=piece.pk).update(thumbnail=piece.thumbnail.name)
    return png
