"""Files made in code for the upload tests: valid documents of the kinds candidates send (attestations, payslips and
CVs as PDF, ODT, DOCX; scanned identity cards and photos as JPEG and PNG) and hostile ones (zip bombs, nested
archives, PDFs with hidden actions, image bombs, polyglots). Nothing binary is committed: each builder is a few lines.
"""

import io
import struct
import warnings
import zipfile
import zlib

# ----------------------------------------------------------------------------------------------- PDF

PDF_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R%s >>"
CONTENT = b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 770 Td (Attestation) Tj ET\n\nendstream"


def build_pdf(objects: dict, *, in_stream: dict | None = None, trailer: bytes = b"", root: int = 1) -> bytes:
    """A PDF with a correct cross-reference: ``objects`` {number: body} written plainly, ``in_stream`` {number: body}
    packed in one compressed object stream (then the cross-reference is an xref stream, as PDF 1.5 writers do)."""
    out = bytearray(PDF_HEADER)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    if not in_stream:
        size = max(offsets) + 1
        xref_at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer, xref_at)
        return bytes(out)
    stream_number = max([*objects, *in_stream]) + 1
    numbers = sorted(in_stream)
    body, positions = b"", []
    for number in numbers:
        positions.append(b"%d %d" % (number, len(body)))
        body += in_stream[number] + b"\n"
    head = b" ".join(positions) + b"\n"
    packed = zlib.compress(head + body, 1)
    offsets[stream_number] = len(out)
    out += (
        (
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (stream_number, len(numbers), len(head), len(packed))
        )
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_number = stream_number + 1
    size = xref_number + 1
    xref_at = len(out)
    rows = b""
    for number in range(size):
        if number in in_stream:
            rows += struct.pack(">BIH", 2, stream_number, numbers.index(number))
        elif number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number == xref_number:
            rows += struct.pack(">BIH", 1, xref_at, 0)
        else:
            rows += struct.pack(">BIH", 0, 0, 65535 if number == 0 else 0)
    out += (
        (
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d %s>>\nstream\n"
            % (xref_number, size, root, len(rows), trailer)
        )
        + rows
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_document(
    catalog: bytes = b"", page: bytes = b"", extra: dict | None = None, in_stream: dict | None = None
) -> bytes:
    """A one-page PDF with a line of text; ``catalog`` and ``page`` add entries to those dictionaries."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R%s >>" % catalog,
        2: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        3: CONTENT,
        4: PAGE % page,
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        **(extra or {}),
    }
    objects[4] = objects[4].replace(b"/Contents 3 0 R", b"/Contents 3 0 R /Resources << /Font << /F1 5 0 R >> >>")
    return build_pdf(objects, in_stream=in_stream)


def weasyprint_pdf() -> bytes:
    """What the platform itself produces: a real PDF from WeasyPrint (an attestation employeur)."""
    from weasyprint import HTML

    return HTML(
        string="<h1>Attestation employeur</h1><p>Madame Claire Fontaine est employée depuis le 1er mars "
        "2019 en qualité de conseillère.</p><p><a href='https://www.example.fr/'>site</a></p>"
    ).write_pdf()


def encrypted_pdf(user_password: str = "secret") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password, "proprietaire", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


JS = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"
LINK = b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A %s >>"


def pdf_corpus() -> dict:
    """Hostile PDFs: name -> (bytes, code of the expected refusal)."""
    deep = b"[" * 50_000 + b"]" * 50_000
    return {
        "openaction_js": (pdf_document(catalog=b" /OpenAction " + JS), "script"),
        "hex_escaped_names": (
            pdf_document(catalog=b" /OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
            "script",
        ),
        "hex_escaped_key_only": (
            pdf_document(catalog=b" /OpenAction << /S /Named /N /NextPage /#4A#53 (x) >>"),
            "script",
        ),
        "js_in_object_stream": (pdf_document(catalog=b" /OpenAction 6 0 R", in_stream={6: JS}), "script"),
        "hex_js_in_object_stream": (
            pdf_document(catalog=b" /OpenAction 6 0 R", in_stream={6: b"<< /S /J#61va#53cript /J#53 (x) >>"}),
            "script",
        ),
        "js_action_by_reference": (
            pdf_document(catalog=b" /OpenAction << /S 6 0 R /JS 7 0 R >>", extra={6: b"/JavaScript", 7: b"(x)"}),
            "script",
        ),
        "js_in_annotation": (pdf_document(page=b" /Annots [6 0 R]", extra={6: LINK % JS}), "script"),
        "js_in_annotation_aa": (
            pdf_document(
                page=b" /Annots [<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /AA << /E " + JS + b" >> >>]"
            ),
            "script",
        ),
        "js_in_page_aa": (pdf_document(page=b" /AA << /O 6 0 R >>", extra={6: JS}), "script"),
        "js_in_names_tree": (
            pdf_document(catalog=b" /Names << /JavaScript << /Names [(init) 6 0 R] >> >>", extra={6: JS}),
            "script",
        ),
        "js_in_form_field": (
            pdf_document(
                catalog=b" /AcroForm << /Fields [6 0 R] >>",
                extra={6: b"<< /FT /Tx /T (nom) /AA << /K 7 0 R >> >>", 7: JS},
            ),
            "script",
        ),
        "xfa_form": (
            pdf_document(
                catalog=b" /AcroForm << /Fields [] /XFA 6 0 R >>",
                extra={6: b"<< /Length 7 >>\nstream\n<xdp/>\n\nendstream"},
            ),
            "script",
        ),
        "launch_action": (pdf_document(catalog=b" /OpenAction << /S /Launch /F (calc.exe) >>"), "launch"),
        "launch_hex": (pdf_document(catalog=b" /OpenAction << /S /L#61unch /Win << /F (cmd.exe) >> >>"), "launch"),
        "launch_in_object_stream": (
            pdf_document(catalog=b" /OpenAction 6 0 R", in_stream={6: b"<< /S /Launch /F (calc.exe) >>"}),
            "launch",
        ),
        "file_uri": (
            pdf_document(page=b" /Annots [6 0 R]", extra={6: LINK % b"<< /S /URI /URI (file:///etc/passwd) >>"}),
            "launch",
        ),
        "unc_uri_in_object_stream": (
            pdf_document(
                page=b" /Annots [6 0 R]", in_stream={6: LINK % b"<< /S /URI /URI (\\\\\\\\serveur\\\\partage) >>"}
            ),
            "launch",
        ),
        "goto_remote": (pdf_document(catalog=b" /OpenAction << /S /GoToR /F (autre.pdf) /D [0 /Fit] >>"), "launch"),
        "submit_form": (
            pdf_document(
                catalog=b" /AcroForm << /Fields [6 0 R] >>",
                extra={
                    6: b"<< /FT /Btn /T (envoyer) /A << /S /SubmitForm /F << /FS /URL /F (https://x.example/) >> >> >>"
                },
            ),
            "launch",
        ),
        "import_data": (pdf_document(catalog=b" /OpenAction << /S /ImportData /F (donnees.fdf) >>"), "launch"),
        "embedded_file": (
            pdf_document(
                catalog=b" /Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>",
                extra={
                    6: b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                    7: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
                },
            ),
            "embedded",
        ),
        "embedded_file_in_object_stream": (
            pdf_document(
                page=b" /Annots [6 0 R]",
                in_stream={
                    6: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /Type /Filespec /F (x.exe) "
                    b"/E#46 7 0 R >> >>"
                },
                extra={7: b"<< /F 8 0 R >>", 8: b"<< /Length 2 >>\nstream\nMZ\nendstream"},
            ),
            "embedded",
        ),
        "encrypted": (encrypted_pdf(), "encrypted"),
        "encrypted_empty_user_password": (encrypted_pdf(""), "encrypted"),
        # an object stream that inflates to 32 MB (whitespace after its one object)
        "object_stream_bomb": (
            pdf_document(
                catalog=b" /OpenAction 6 0 R",
                in_stream={6: b"<< /S /GoTo /D [4 0 R /Fit] >>" + b" " * (32 * 1024 * 1024)},
            ),
            "bomb",
        ),
        "deep_nesting": (pdf_document(catalog=b" /Deep " + deep), "unreadable"),
        "pdf_zip_polyglot": (pdf_document() + zip_archive({"evil.html": b"<script>alert(1)</script>"}), "hidden"),
    }


# ----------------------------------------------------------------------------------------------- ZIP documents


def zip_archive(members: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ODT_MIME = b"application/vnd.oasis.opendocument.text"
ODT_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
    b'xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
    b'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
    b'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
ODT_CONTENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
    b'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    b'office:version="1.3"><office:body><office:text><text:p>Curriculum vitae de Claire Fontaine'
    b"</text:p></office:text></office:body></office:document-content>"
)


def odt_document(extra: dict | None = None, mimetype: bytes = ODT_MIME) -> bytes:
    """An ODT as LibreOffice writes it: ``mimetype`` stored first, then the manifest, content, styles, a picture."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST)
        archive.writestr("content.xml", ODT_CONTENT)
        archive.writestr("styles.xml", b'<?xml version="1.0" encoding="UTF-8"?><office:document-styles/>')
        archive.writestr("Pictures/photo.png", png_image())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
    b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+'
    b'xml"/></Types>'
)
DOCX_DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Bulletin de salaire</w:t></w:r></w:p>'
    b"</w:body></w:document>"
)


def docx_document(extra: dict | None = None) -> bytes:
    return zip_archive(
        {
            "[Content_Types].xml": DOCX_TYPES,
            "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"/>',
            "word/document.xml": DOCX_DOCUMENT,
            "word/media/image1.jpeg": jpeg_image(),
            **(extra or {}),
        }
    )


def _patch_sizes(data: bytes, name: bytes, *, declared: int | None = None, flags: int | None = None) -> bytes:
    """Rewrite the uncompressed size (and/or the flag bits) of ``name`` in its local header and central entry."""
    out = bytearray(data)
    for signature, size_at, flag_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 6, 26, 30),
        (b"PK\x01\x02", 24, 8, 28, 46),
    ):
        start = 0
        while (start := out.find(signature, start)) != -1:
            length = struct.unpack_from("<H", out, start + name_len_at)[0]
            if bytes(out[start + name_at : start + name_at + length]) == name:
                if declared is not None:
                    struct.pack_into("<I", out, start + size_at, declared)
                if flags is not None:
                    struct.pack_into("<H", out, start + flag_at, flags)
            start += 4
    return bytes(out)


def _overlapping_entries(copies: int) -> bytes:
    """One deflated member of 1 MB, listed ``copies`` times in the central directory (David Fifield's overlap bomb)."""
    single = zip_archive({"content.xml": b"\x00" * (1024 * 1024)})
    directory_at = single.find(b"PK\x01\x02")
    end_at = single.find(b"PK\x05\x06")
    entry = single[directory_at:end_at]
    directory = entry * copies
    end = bytearray(single[end_at:])
    struct.pack_into("<HHII", end, 8, copies, copies, len(directory), directory_at)
    return single[:directory_at] + directory + bytes(end)


def zip_corpus(mimetype_bomb_size: int = 200 * 1024 * 1024) -> dict:
    """Hostile ODT / DOCX files: name -> (bytes, extension, code of the expected refusal)."""
    # The attack of issue 19: a small stored « mimetype » first (what libmagic reads), a second deflated « mimetype »
    # of 200 MB (what the old check read whole).
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compresslevel=1) as archive:
        warnings.simplefilter("ignore")  # « Duplicate name »: that is the point
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MIME, compress_type=zipfile.ZIP_STORED)
        second = zipfile.ZipInfo("mimetype")
        second.compress_type = zipfile.ZIP_DEFLATED
        second._compresslevel = 1  # what writestr(compresslevel=1) sets; fast to build
        with archive.open(second, "w", force_zip64=True) as member:
            chunk = b"\x00" * (4 * 1024 * 1024)
            for _ in range(mimetype_bomb_size // len(chunk)):
                member.write(chunk)
    duplicate_mimetype = buffer.getvalue()
    zeros = b"\x00" * (5 * 1024 * 1024)
    many = {f"Pictures/{i}.xml": b"<p/>" for i in range(3000)}
    big_declared = _patch_sizes(
        odt_document({"content2.xml": b"<x/>" * 10}), b"content2.xml", declared=60 * 1024 * 1024
    )
    lying = _patch_sizes(odt_document({"content2.xml": b"<texte>" * 50_000}), b"content2.xml", declared=1000)
    encrypted = _patch_sizes(docx_document(), b"word/document.xml", flags=0x1)
    return {
        "duplicate_mimetype_bomb": (duplicate_mimetype, ".odt", "hidden"),
        "high_ratio_member": (odt_document({"content2.xml": zeros}), ".odt", "bomb"),
        "declared_size_over_cap": (big_declared, ".odt", "bomb"),
        "actual_size_over_declared": (lying, ".odt", "unreadable"),  # read up to the declared size: bad CRC
        "too_many_members": (docx_document(many), ".docx", "bomb"),
        "overlapping_entries": (_overlapping_entries(60), ".odt", "hidden"),
        "nested_zip_by_name": (
            docx_document({"word/embeddings/archive.zip": zip_archive({"a.txt": b"a"})}),
            ".docx",
            "nested",
        ),
        "nested_zip_by_content": (
            odt_document({"Pictures/image2.png": zip_archive({"a.txt": b"a"})}),
            ".odt",
            "nested",
        ),
        "nested_docx_in_odt": (odt_document({"Object 1/document.docx": docx_document()}), ".odt", "nested"),
        "nested_gzip": (
            docx_document({"word/media/image2.png": b"\x1f\x8b\x08\x00" + b"\x00" * 40}),
            ".docx",
            "nested",
        ),
        "ole_object": (
            docx_document({"word/embeddings/oleObject1.dat": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64}),
            ".docx",
            "nested",
        ),
        "odt_macro": (odt_document({"Basic/Standard/Module1.xml": b"<script:module/>"}), ".odt", "macro"),
        "docx_macro": (docx_document({"word/vbaProject.bin": b"\x00" * 64}), ".docx", "macro"),
        "encrypted_member": (encrypted, ".docx", "encrypted"),
    }


# ----------------------------------------------------------------------------------------------- images


def jpeg_image(size=(640, 480)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png_image(size=(320, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, (20, 120, 200, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header declaring a huge image, with a few bytes of pixel data (the image bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(jpeg_image((16, 16)))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def image_corpus() -> dict:
    """Hostile images: name -> (bytes, extension, code of the expected refusal)."""
    jpeg = jpeg_image()
    comment = b"%PDF-1.7 1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >> endobj"
    jpeg_pdf = jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + jpeg[2:]
    return {
        "png_bomb": (png_declaring(100_000, 100_000), ".png", "bomb"),
        "png_over_our_cap": (png_declaring(8000, 8000), ".png", "bomb"),
        "jpeg_bomb": (jpeg_declaring(65_000, 65_000), ".jpg", "bomb"),
        "png_with_appended_zip": (png_image() + zip_archive({"evil.html": b"<script>x</script>"}), ".png", "hidden"),
        "png_with_trailing_data": (png_image() + b"<script>alert(1)</script>", ".png", "hidden"),
        "jpeg_with_appended_zip": (jpeg + zip_archive({"evil.jar": b"x" * 10}), ".jpg", "hidden"),
        "jpeg_pdf_polyglot": (jpeg_pdf, ".jpg", "hidden"),
        "jpeg_header_only": (
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 200 + b"\xff\xd9",
            ".jpg",
            "unreadable",
        ),
        "png_bad_crc": (png_image()[:-5] + b"\x00\x00\x00\x00\x00", ".png", "unreadable"),
    }
