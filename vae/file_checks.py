"""Reading an uploaded pièce with real parsers, under a size and time budget (used by ``vae.uploads.check_upload``).

- PDF: opened with pypdf (decompression limits lowered); every object of the file is walked, those of compressed
  object streams included, names decoded (``/J#61vaScript`` is ``/JavaScript``): JavaScript, launch, embedded-file,
  import / submit / remote go-to and ``file:`` URI actions are refused wherever they are (catalog, names tree,
  OpenAction, AA, annotations, form fields...); encrypted PDFs are refused. The raw bytes outside streams are also
  scanned for the same names, so that an object the parser does not reach (outside the cross-reference table) is
  seen too.
- ODT / DOCX: the ZIP archive is read member by member, streamed in chunks, never a whole member in memory; caps on
  the number of members, the declared and the actual uncompressed sizes and the compression ratio; duplicate names,
  encrypted members, nested archives and macros are refused.
- JPEG / PNG: opened by Pillow, with its decompression-bomb guard set to ``MAX_PIXELS``; structure verified; no data
  hidden after the image.
- Every kind: no hidden ZIP archive (polyglot files).

Each check raises ``Refused`` with a French message (``{name}`` stands for the file's name) and a code; a check that
runs past its time budget is refused too (``Budget``, enforced inside the loops).
"""

import io
import re
import struct
import time
import warnings
import zipfile

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# ZIP-based documents (ODT, DOCX)
ZIP_MAX_MEMBERS = 1000
ZIP_MAX_TOTAL_SIZE = 50 * 1024 * 1024  # uncompressed, declared and actual
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for a member (or the whole) above ZIP_RATIO_FROM bytes
ZIP_RATIO_FROM = 1024 * 1024
CHUNK = 64 * 1024
# Magic numbers of archives and compound documents: a member that starts with one is a nested archive.
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"MSCF",
    b"%PDF-",
)
ARCHIVE_EXTENSIONS = (
    ".zip",
    ".jar",
    ".gz",
    ".tgz",
    ".7z",
    ".rar",
    ".bz2",
    ".xz",
    ".tar",
    ".cab",
    ".odt",
    ".ods",
    ".odp",
    ".docx",
    ".xlsx",
    ".pptx",
    ".docm",
    ".xlsm",
    ".pptm",
    ".exe",
    ".dll",
    ".pdf",
)
MACRO_MEMBERS = re.compile(r"^(Basic|Scripts)/|vbaProject\.bin$|vbaData\.xml$", re.IGNORECASE)

# Images
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; a decompression bomb declares far more

# PDF
PDF_MAX_OBJECTS = 200_000
PDF_MAX_NODES = 2_000_000
PDF_STREAM_LIMIT = 10_000_000  # bytes produced by decompressing one stream (object streams, xref streams)
SCRIPT_KEYS = {"/JS", "/JavaScript", "/XFA"}
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMediaContent"}
FORBIDDEN_ACTIONS = {
    "/JavaScript": "script",
    "/RichMediaExecute": "script",
    "/Launch": "launch",
    "/ImportData": "launch",
    "/SubmitForm": "launch",
    "/GoToR": "launch",
    "/GoToE": "launch",
}
ACTION_LABELS = {
    "/Launch": "lancement d'un programme",
    "/ImportData": "import de données",
    "/SubmitForm": "envoi d'un formulaire",
    "/GoToR": "ouverture d'un autre fichier",
    "/GoToE": "ouverture d'un fichier incorporé",
    "/URI": "lien vers un fichier local",
}
LOCAL_URI = re.compile(r"^\s*(file:|smb:|\\\\)", re.IGNORECASE)
# Names in the raw bytes (outside strings too: a false positive only costs a re-upload), #xx escapes decoded.
RAW_NAME = re.compile(rb"/([^\x00\t\n\f\r /<>\[\]()%{}]{1,127})")
RAW_FORBIDDEN = {
    "JS": "script",
    "JavaScript": "script",
    "XFA": "script",
    "RichMediaExecute": "script",
    "EmbeddedFiles": "embedded",
    "EmbeddedFile": "embedded",
    "RichMediaContent": "embedded",
    "Launch": "launch",
    "ImportData": "launch",
    "SubmitForm": "launch",
    "GoToR": "launch",
    "GoToE": "launch",
}

AGAIN = "Imprimez-le en PDF ou numérisez-le, puis déposez-le de nouveau."
MESSAGES = {
    "script": "« {name} » contient du code JavaScript : il est refusé pour votre sécurité. " + AGAIN,
    "launch": "« {name} » contient une action qui ouvre un autre fichier, lance un programme ou envoie des données "
    "({detail}) : il est refusé pour votre sécurité. " + AGAIN,
    "embedded": "« {name} » contient des fichiers incorporés : il est refusé pour votre sécurité. " + AGAIN,
    "encrypted": "« {name} » est protégé par un mot de passe ou chiffré : enregistrez-le sans protection "
    "(ou imprimez-le en PDF), puis déposez-le de nouveau.",
    "unreadable": "« {name} » est endommagé ou illisible ({detail}) : enregistrez-le de nouveau depuis le logiciel "
    "qui l'a créé, puis déposez-le.",
    "bomb": "« {name} » est trop volumineux une fois décompressé ({detail}) : allégez-le (images réduites, "
    "moins de pages) ou numérisez-le, puis déposez-le de nouveau.",
    "nested": "« {name} » contient une archive, un programme ou un document incorporé ({detail}) : il est refusé "
    "pour votre sécurité. Enregistrez le document sans objet incorporé, ou en PDF.",
    "macro": "« {name} » contient des macros ({detail}) : il est refusé pour votre sécurité. Enregistrez-le sans "
    "macro, ou en PDF.",
    "hidden": "« {name} » contient des données cachées en plus du document ({detail}) : il est refusé pour votre "
    "sécurité. " + AGAIN,
    "not_document": "« {name} » n'est pas un document {detail} valide : enregistrez-le de nouveau depuis votre "
    "traitement de texte, ou en PDF.",
    "timeout": "« {name} » n'a pas pu être contrôlé dans le temps imparti (document trop complexe) : "
    "enregistrez-le en PDF plus simple ou numérisez-le, puis déposez-le de nouveau.",
}


class Refused(Exception):
    """A file refused: ``code`` (one of MESSAGES) and the detail put in the message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code, self.detail = code, detail

    def message(self, name: str) -> str:
        return MESSAGES[self.code].format(name=name, detail=self.detail)


_clock = time.monotonic


class Budget:
    """A deadline checked inside the loops of the checks: past it, the file is refused."""

    def __init__(self, seconds: float):
        self.deadline = _clock() + seconds

    def check(self):
        if _clock() > self.deadline:
            raise Refused("timeout")


def _short(text, limit=60) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return text if len(text) <= limit else text[:limit] + "…"


# ----------------------------------------------------------------------------------------------- every kind


def check_no_hidden_archive(data: bytes, kind: str):
    """Polyglots: a PDF or an image that is also a ZIP archive (the archive's directory at the end of the file), or an
    image with a PDF header where readers look for one."""
    if kind != "zip" and zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused("hidden", "une archive ZIP")
    if kind == "image" and b"%PDF-" in data[:1024]:
        raise Refused("hidden", "un en-tête PDF")


# ----------------------------------------------------------------------------------------------- PDF


def check_pdf(data: bytes, budget: Budget):
    _scan_raw_names(data, budget)
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

    limits = dict(
        zlib_maximum_output_length=PDF_STREAM_LIMIT,
        lzw_maximum_output_length=PDF_STREAM_LIMIT,
        run_length_maximum_output_length=PDF_STREAM_LIMIT,
        brotli_maximum_output_length=PDF_STREAM_LIMIT,
        array_based_stream_maximum_output_length=PDF_STREAM_LIMIT,
        maximum_declared_stream_length=len(data),
        stream_decoding_work_maximum_length=5 * PDF_STREAM_LIMIT,
        jbig2dec_binary=None,
    )
    try:
        with apply_configuration(**limits), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused("encrypted")
            _walk_pdf(reader, budget)
    except Refused:
        raise
    except LimitReachedError as exc:
        raise Refused("bomb", "flux compressé démesuré") from exc
    except FileNotDecryptedError as exc:
        raise Refused("encrypted") from exc
    except (
        PyPdfError,
        DependencyError,
        RecursionError,
        MemoryError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        AssertionError,
        OverflowError,
        UnicodeError,
        OSError,
        EOFError,
    ) as exc:
        raise Refused("unreadable", "structure PDF invalide") from exc


STREAM_START = re.compile(rb"\bstream(?:\r\n|\n|\r)")


def _outside_streams(data: bytes):
    """The parts of the file that are not stream contents (compressed or binary data, where a name like ``/JS``
    can occur by chance: about once in 300 MB of random bytes)."""
    position = 0
    for match in STREAM_START.finditer(data):
        if match.start() < position:
            continue
        yield data[position : match.end()]
        end = data.find(b"endstream", match.end())
        if end == -1:
            return
        position = end
    yield data[position:]


def _scan_raw_names(data: bytes, budget: Budget):
    matches = (match for part in _outside_streams(data) for match in RAW_NAME.finditer(part))
    for count, match in enumerate(matches):
        if count % 20_000 == 0:
            budget.check()
        raw = match.group(1)
        if b"#" in raw:
            try:
                raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
            except ValueError:
                continue
        kind = RAW_FORBIDDEN.get(raw.decode("latin-1"))
        if kind:
            raise Refused(kind, ACTION_LABELS.get("/" + raw.decode("latin-1"), "/" + raw.decode("latin-1")))


def _walk_pdf(reader, budget: Budget):
    """Every indirect object (plain and in object streams) and the trailer, each scanned without following references
    (every object is reached through the cross-reference table anyway)."""
    from pypdf.generic import IndirectObject

    references = [(idnum, gen) for gen, entries in reader.xref.items() for idnum in entries]
    references += [(idnum, 0) for idnum in reader.xref_objStm]
    if len(references) > PDF_MAX_OBJECTS:
        raise Refused("bomb", f"{len(references)} objets")
    nodes = [0]
    _scan_pdf_object(reader.trailer, reader, budget, nodes)
    for idnum, gen in references:
        budget.check()
        obj = reader.get_object(IndirectObject(idnum, gen, reader))
        if obj is not None:
            _scan_pdf_object(obj, reader, budget, nodes)


def _resolved(value, reader):
    from pypdf.generic import IndirectObject

    return reader.get_object(value) if isinstance(value, IndirectObject) else value


def _scan_pdf_object(root, reader, budget: Budget, nodes: list):
    from pypdf.generic import ArrayObject, DictionaryObject

    stack = [root]
    while stack:
        obj = stack.pop()
        nodes[0] += 1
        if nodes[0] % 5000 == 0:
            budget.check()
            if nodes[0] > PDF_MAX_NODES:
                raise Refused("bomb", "structure démesurée")
        if isinstance(obj, DictionaryObject):  # stream dictionaries included (StreamObject is one)
            _check_pdf_dictionary(obj, reader)
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _check_pdf_dictionary(obj, reader):
    keys = set(obj.keys())
    if keys & SCRIPT_KEYS:
        raise Refused("script")
    if keys & EMBEDDED_KEYS:
        raise Refused("embedded")
    kind = _resolved(obj.get("/Type"), reader)
    if kind == "/EmbeddedFile":
        raise Refused("embedded")
    action = _resolved(obj.get("/S"), reader)
    if isinstance(action, str) and action in FORBIDDEN_ACTIONS:
        code = FORBIDDEN_ACTIONS[action]
        raise Refused(code, ACTION_LABELS.get(action, ""))
    if action == "/URI":
        target = _resolved(obj.get("/URI"), reader)
        if isinstance(target, (str, bytes)):
            text = target.decode("latin-1") if isinstance(target, bytes) else str(target)
            if LOCAL_URI.match(text):
                raise Refused("launch", ACTION_LABELS["/URI"])


# ----------------------------------------------------------------------------------------------- ODT, DOCX


def check_zip_document(data: bytes, extension: str, budget: Budget) -> bool:
    """Inspect the archive member by member; return whether it holds the document the extension promises."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused("unreadable", f"archive {extension[1:].upper()} invalide") from exc
    with archive:
        members = archive.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            raise Refused("bomb", f"{len(members)} éléments dans l'archive")
        names = [info.filename for info in members]
        if len(set(names)) != len(names):
            duplicate = next(n for n in names if names.count(n) > 1)
            raise Refused("hidden", f"élément « {_short(duplicate)} » en double")
        declared = sum(info.file_size for info in members)
        if declared > ZIP_MAX_TOTAL_SIZE:
            raise Refused("bomb", f"{declared / 1024 / 1024:.0f} Mo annoncés")
        for info in members:
            _check_member_entry(info)
        total = 0
        mimetype = b""
        for info in members:
            if info.is_dir():
                continue
            size, head = _read_member(archive, info, budget, ZIP_MAX_TOTAL_SIZE - total)
            total += size
            if info.filename == "mimetype":
                mimetype = head[:100]
            elif head.startswith(ARCHIVE_MAGIC):
                raise Refused("nested", _short(info.filename))
        if total > ZIP_RATIO_FROM and total > ZIP_MAX_RATIO * max(1, sum(i.compress_size for i in members)):
            raise Refused("bomb", "taux de compression anormal")
        if extension == ".docx":
            return "word/document.xml" in names and "[Content_Types].xml" in names
        return mimetype.strip() == ODT_MIMETYPE


def _check_member_entry(info: zipfile.ZipInfo):
    name = info.filename
    if info.flag_bits & 0x1:
        raise Refused("encrypted")
    if MACRO_MEMBERS.search(name):
        raise Refused("macro", _short(name))
    if name.lower().endswith(ARCHIVE_EXTENSIONS):
        raise Refused("nested", _short(name))
    if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(1, info.compress_size):
        raise Refused("bomb", f"« {_short(name)} » compressé {info.file_size // max(1, info.compress_size)} fois")


def _read_member(archive, info, budget: Budget, room: int) -> tuple[int, bytes]:
    """Stream one member in chunks: its actual size (refused past the declared size or the room left) and its first
    bytes. The CRC is checked by zipfile at the end of the member."""
    size, head = 0, b""
    try:
        with archive.open(info) as member:
            while True:
                budget.check()
                chunk = member.read(CHUNK)
                if not chunk:
                    break
                if not head:
                    head = chunk[:64]
                size += len(chunk)
                if size > info.file_size or size > room:
                    raise Refused("bomb", f"« {_short(info.filename)} » plus grand qu'annoncé")
    except Refused:
        raise
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError, RuntimeError) as exc:
        # bad CRC, unknown compression method, truncated data, encrypted member, zlib error
        raise Refused("unreadable", f"élément « {_short(info.filename)} » illisible") from exc
    return size, head


# ----------------------------------------------------------------------------------------------- images


def check_image(data: bytes, extension: str, budget: Budget):
    """Pillow reads the header (its decompression-bomb guard on, as an error); our pixel cap is stricter. A PNG's
    chunks are verified (CRC); a JPEG is decoded at 1/8 scale (draft mode: little memory), which reads all its data."""
    from PIL import Image, UnidentifiedImageError

    formats = ["PNG"] if extension == ".png" else ["JPEG"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Refused("bomb", f"{width} × {height} pixels")
                budget.check()
                if extension == ".png":
                    image.verify()
                else:
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refused("bomb", "image démesurée") from exc
    except (
        UnidentifiedImageError,
        SyntaxError,
        OSError,
        ValueError,
        TypeError,
        IndexError,
        struct.error,
        EOFError,
        MemoryError,
    ) as exc:
        raise Refused("unreadable", "image invalide") from exc
    budget.check()
    if extension == ".png":
        _check_png_end(data)


def _check_png_end(data: bytes):
    """Nothing after the IEND chunk (data appended to an image is how polyglots are made)."""
    position = 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            if data[position:].strip(b"\x00"):
                raise Refused("hidden", f"{len(data) - position} octets après l'image")
            return
    raise Refused("unreadable", "image PNG tronquée")
