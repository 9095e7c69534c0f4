"""Official documents: one rendering for every PDF a certifier issues (convocation, fiche de décision, certificate,
notification de recevabilité, livret 2).

Each is a Django template extending ``official/base.html`` (the certifier's letterhead and footer), rendered by
WeasyPrint as PDF/A-3b (archived acts), with its metadata: title, author = the certifier,
subject.
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

PDF_VARIANT = "pdf/a-3b"
# PDF/A-3b does not require a structure tree, but allows one: WeasyPrint (≥ 63) writes it with ``pdf_tags`` (headings,
# paragraphs, lists, tables and their headers, images with their alternative text), so that screen readers read the
# acts in order. PDF/A-3a would demand it, with constraints WeasyPrint does not guarantee for every document.
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}


def css_string(text: str):
    """``text`` as a quoted CSS string, safe inside a <style> element (the footer's ``content``): not HTML-escaped
    (« d'évaluation », not « d&#x27;évaluation »), with backslashes, quotes, line breaks and « < » escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return mark_safe(f'"{escaped}"')


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url`` (the certificate's verification page)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def render_official_pdf(
    template: str, context: dict, *, certifier, title: str, subject: str, keywords: tuple[str, ...] = ()
) -> bytes:
    """The PDF/A-3b bytes of ``template`` with the certifier's letterhead; ``title`` and ``subject`` go to the
    document's metadata (and the HTML <title>), the certifier's name is its author."""
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            "site_url": settings.SITE_URL,
            "generated_at": timezone.localtime(),
            "issued_on": timezone.localdate(),
            "certifier": certifier,
            "doc_title": title,
            "doc_subject": subject,
            "footer_css": css_string(f"{certifier.name} — {title}"),
            **context,
        },
    )
    options = dict(PDF_OPTIONS)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(**options)
    document.metadata.title = title
    document.metadata.authors = [certifier.display_name]
    document.metadata.description = subject
    document.metadata.lang = "fr"
    document.metadata.keywords = [certifier.name, "CQP", *keywords]
    document.metadata.generator = "CQP Mutualité (WeasyPrint)"
    document.metadata.created = document.metadata.modified = timezone.now().isoformat(timespec="seconds")
    return document.write_pdf(**options)
