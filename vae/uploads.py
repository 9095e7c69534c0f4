"""Checking an uploaded pièce justificative before anything is stored: size, extension, type read from the content,
then the content parsed under a time budget (vae/file_checks.py: PDF actions, archive members, images)."""

import os
import re
import unicodedata
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError

from . import file_checks

MAX_SIZE = 10 * 1024 * 1024  # 10 Mo

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

# extension -> mime types accepted for that extension (read from the content by libmagic)
ALLOWED = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".docx": {DOCX, "application/zip"},
    ".odt": {ODT, "application/zip"},
}
# the type recorded (and served) for each extension
CANONICAL = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": DOCX,
    ".odt": ODT,
}
ACCEPT_ATTRIBUTE = ",".join(ALLOWED) + ",application/pdf,image/jpeg,image/png," + DOCX + "," + ODT
# Seconds one file may take to be checked (settings.UPLOAD_CHECK_SECONDS); past it, the file is refused.
DEFAULT_CHECK_SECONDS = 5


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    name: str
    extension: str
    content_type: str
    size: int


def clean_filename(name: str) -> str:
    """The original name, made safe for display and for a Content-Disposition header."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*;')
    name = re.sub(r"\s+", " ", name).strip()
    stem, ext = os.path.splitext(name)
    if not ext and stem.startswith("."):
        stem, ext = "", stem
    stem = stem.strip(" .")
    return (stem[:150] or "piece") + ext[:10].lower()


def check_upload(uploaded) -> CheckedUpload:
    """Validate an UploadedFile; raise ValidationError (French) if it is refused."""
    name = clean_filename(getattr(uploaded, "name", ""))
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED:
        raise ValidationError(
            f"Format refusé pour « {name} » : seuls les fichiers PDF, JPEG, PNG, DOCX et ODT sont acceptés.",
            code="extension",
        )
    if uploaded.size > MAX_SIZE:
        raise ValidationError(
            f"« {name} » est trop volumineux ({uploaded.size / 1024 / 1024:.1f} Mo) : 10 Mo au maximum.", code="size"
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise ValidationError(f"« {name} » est trop volumineux : 10 Mo au maximum.", code="size")
    if not data:
        raise ValidationError(f"« {name} » est vide.", code="empty")
    detected = magic.from_buffer(data[:4096], mime=True)
    if detected not in ALLOWED[extension]:
        raise ValidationError(
            f"Le contenu de « {name} » ne correspond pas à son extension {extension} : "
            "déposez un vrai PDF, JPEG, PNG, DOCX ou ODT.",
            code="content",
        )
    try:
        _check_content(data, extension)
    except file_checks.Refused as refused:
        raise ValidationError(refused.message(name), code=refused.code) from None
    return CheckedUpload(data=data, name=name, extension=extension, content_type=CANONICAL[extension], size=len(data))


def _check_content(data: bytes, extension: str):
    """Parse the file with the checker of its kind; raise file_checks.Refused."""
    budget = file_checks.Budget(getattr(settings, "UPLOAD_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    if extension in (".docx", ".odt"):
        if not file_checks.check_zip_document(data, extension, budget):
            raise file_checks.Refused("not_document", extension[1:].upper())
        return
    kind = "pdf" if extension == ".pdf" else "image"
    file_checks.check_no_hidden_archive(data, kind)
    if kind == "pdf":
        file_checks.check_pdf(data, budget)
    else:
        file_checks.check_image(data, extension, budget)
