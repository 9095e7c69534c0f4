"""Checking an uploaded pièce justificative: size, extension, type read from the content, no PDF script."""

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError

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
CANONICAL = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
             ".docx": DOCX, ".odt": ODT}
ACCEPT_ATTRIBUTE = ",".join(ALLOWED) + ",application/pdf,image/jpeg,image/png," + DOCX + "," + ODT
PDF_SCRIPT = re.compile(rb"/(JavaScript|JS)(?![A-Za-z0-9])")


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


def _zip_holds(data: bytes, extension: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if extension == ".docx":
                return "word/document.xml" in names
            return "mimetype" in names and archive.read("mimetype").strip() == ODT.encode()
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def check_upload(uploaded) -> CheckedUpload:
    """Validate an UploadedFile; raise ValidationError (French) if it is refused."""
    name = clean_filename(getattr(uploaded, "name", ""))
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED:
        raise ValidationError(
            "Format refusé : seuls les fichiers PDF, JPEG, PNG, DOCX et ODT sont acceptés.", code="extension"
        )
    if uploaded.size > MAX_SIZE:
        raise ValidationError(
            f"Fichier trop volumineux ({uploaded.size / 1024 / 1024:.1f} Mo) : 10 Mo au maximum.", code="size"
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise ValidationError("Fichier trop volumineux : 10 Mo au maximum.", code="size")
    if not data:
        raise ValidationError("Le fichier est vide.", code="empty")
    detected = magic.from_buffer(data[:4096], mime=True)
    if detected not in ALLOWED[extension]:
        raise ValidationError(
            f"Le contenu du fichier ne correspond pas à son extension {extension} : "
            "déposez un vrai PDF, JPEG, PNG, DOCX ou ODT.", code="content",
        )
    if extension in (".docx", ".odt") and not _zip_holds(data, extension):
        raise ValidationError(f"Ce fichier n'est pas un document {extension[1:].upper()} valide.", code="content")
    if extension == ".pdf" and PDF_SCRIPT.search(data):
        raise ValidationError(
            "Ce PDF contient du code JavaScript : il est refusé pour votre sécurité. "
            "Imprimez-le en PDF ou numérisez-le, puis déposez-le de nouveau.", code="script",
        )
    return CheckedUpload(data=data, name=name, extension=extension, content_type=CANONICAL[extension], size=len(data))
