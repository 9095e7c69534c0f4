"""The electronic seal of the fiche de décision and the certificate (PAdES, with pyHanko), and its check.

The platform seals with the key and certificate configured in settings (``SEAL_KEY_FILE``, ``SEAL_CERT_FILE``,
``SEAL_KEY_PASSPHRASE``, read from the environment; `manage.py make_seal_certificate` writes a self-signed pair for
development, `make run` calls it). Without a configured pair, documents are built unsealed (and a warning logged).
``check_sealed_pdf(data)`` tells whether an uploaded PDF carries the platform's seal and is intact since.
"""

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FIELD_NAME = "SceauPlateforme"


def _run(coroutine_factory):
    """Run pyHanko's coroutine to completion, even when this thread already runs an event loop.

    pyHanko's synchronous functions call ``asyncio.run``, which refuses to start inside a running loop (an ASGI
    server, or Playwright's synchronous API in the browser tests): the coroutine then runs on a fresh thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_factory())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_factory())).result()


def seal_configured() -> bool:
    key, cert = settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE
    return bool(key and cert and Path(key).is_file() and Path(cert).is_file())


def _signer():
    from pyhanko.sign import signers

    passphrase = settings.SEAL_KEY_PASSPHRASE.encode() if settings.SEAL_KEY_PASSPHRASE else None
    return signers.SimpleSigner.load(settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE, key_passphrase=passphrase)


def seal_pdf(data: bytes, *, reason: str, location: str = "") -> bytes:
    """``data`` with a PAdES signature of the platform (an incremental update: the PDF/A content is kept)."""
    if not seal_configured():
        logger.warning("Aucun certificat de scellement configuré (SEAL_KEY_FILE, SEAL_CERT_FILE) : PDF non scellé.")
        return data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=settings.SEAL_SIGNER_NAME,
    )
    signer = _signer()
    out = _run(lambda: signers.async_sign_pdf(writer, meta, signer=signer))
    return out.getvalue()


@dataclass
class SealCheck:
    signed: bool  # carries a signature
    by_platform: bool  # made with the platform's certificate
    intact: bool  # the signed bytes are unchanged and nothing was added after the signature

    @property
    def verdict(self) -> str:
        if not self.signed:
            return "Ce document ne porte aucun sceau électronique : son authenticité ne peut pas être établie."
        if not self.by_platform:
            return "Ce document porte une signature qui n'est pas celle de la plateforme."
        if not self.intact:
            return "Ce document a été modifié après son scellement : il n'est pas authentique."
        return "Document intact, scellé par la plateforme."

    @property
    def ok(self) -> bool:
        return self.signed and self.by_platform and self.intact


def check_sealed_pdf(data: bytes) -> SealCheck:
    """Whether ``data`` carries the platform's seal and was not modified since (the whole file is covered)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # not a PDF, or a broken one: pyHanko's errors vary
        return SealCheck(signed=False, by_platform=False, intact=False)
    if not signatures:
        return SealCheck(signed=False, by_platform=False, intact=False)
    if not seal_configured():
        return SealCheck(signed=True, by_platform=False, intact=False)
    from asn1crypto import pem, x509

    raw = Path(settings.SEAL_CERT_FILE).read_bytes()
    if pem.detect(raw):
        raw = pem.unarmor(raw)[2]
    platform_cert = x509.Certificate.load(raw)
    signature = signatures[-1]
    by_platform = signature.signer_cert.dump() == platform_cert.dump()
    try:
        context = ValidationContext(trust_roots=[platform_cert])
        status = _run(lambda: async_validate_pdf_signature(signature, context))
    except Exception:
        return SealCheck(signed=True, by_platform=by_platform, intact=False)
    intact = bool(status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    return SealCheck(signed=True, by_platform=by_platform, intact=intact)
