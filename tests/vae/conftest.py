import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import workflow as dossier_workflow
from cqp.enums import Role
from referentiels.models import Certification
from vae import workflow
from vae.enums import ExperienceStatus, PieceKind, Situation
from vae.uploads import check_upload

from ..factories import OrganismeFactory, user_with_role, validated_entretien
from ..security.crafted_files import jpeg_image, pdf_document, png_image

# Real documents (the upload checks parse them): a one-page PDF, a PNG and a JPEG made by Pillow.
PDF = pdf_document()
PNG = png_image((1, 1))
JPEG = jpeg_image((64, 48))


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


def cqp(code):
    return Certification.objects.get(code=code)


def mention_for(code):
    version = cqp(code).current_version
    return version.mentions.first()


@pytest.fixture
def organisme(referentiels):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    return organisme


@pytest.fixture
def organisme_staff(organisme):
    return user_with_role(Role.ORGANISME, organisme=organisme)


def make_dossier(candidate, code="cos", organisme=None):
    """A VAE dossier ready for its livret 1: with its entretien d'accueil validated when its CQP asks it first."""
    dossier = dossier_workflow.register_vae(
        candidate=candidate, certification=cqp(code), mention=mention_for(code), organisme=organisme
    )
    if dossier.version.entretien_before_livret1:
        validated_entretien(dossier)
    return dossier


@pytest.fixture
def dossier(referentiels, candidat, organisme):
    return make_dossier(candidat, "cos", organisme)


@pytest.fixture
def livret(dossier, candidat):
    return workflow.start_livret1(dossier, by=candidat)


COMPLETE_VALUES = {
    "birth_name": "Martin",
    "usage_name": "",
    "first_names": "Claire Anne",
    "sex": "F",
    "birth_date": dt.date(1985, 4, 12),
    "birth_place": "Lyon (France)",
    "nationality": "française",
    "address": "3 rue des Lilas\n69003 Lyon",
    "phone": "06 12 34 56 78",
    "email": "claire@exemple.fr",
    "situation": Situation.SALARIE,
    "situation_detail": "Conseillère, CPAM du Rhône",
    "last_class": "Terminale",
    "highest_diploma": "BTS Assurance",
    "certifications_held": "",
    "declaration_accepted": True,
    "declaration_place": "Lyon",
    "declaration_date": dt.date(2026, 11, 20),
}
EXPERIENCE = {
    "function": "Conseillère offres de services",
    "organisation": "CPAM du Rhône",
    "status": ExperienceStatus.SALARIE,
    "start": dt.date(2020, 1, 1),
    "end": None,
    "hours_per_week": 35,
    "activities": "Accueil, information et orientation des assurés.",
}


def complete(livret, candidate, *, pieces=True):
    """Fill every section of the livret (through the workflow) so that it can be submitted."""
    from django.utils import timezone

    # The declaration is dated the day it is made: never in the future of the (frozen) day the livret is completed.
    today = timezone.localdate()
    values = {**COMPLETE_VALUES, "declaration_date": min(COMPLETE_VALUES["declaration_date"], today)}
    livret = workflow.save_draft(
        livret,
        by=candidate,
        values=values,
        experiences=[EXPERIENCE],
        unsaved={},
    )
    if pieces:
        for kind, name in ((PieceKind.IDENTITE, "cni.pdf"), (PieceKind.ATTESTATION_EMPLOYEUR, "attestation.pdf")):
            workflow.add_piece(livret, by=candidate, kind=kind, checked=check_upload(upload(name, PDF)))
    return livret


@pytest.fixture
def complete_livret(livret, candidat):
    return complete(livret, candidat)


def post_data(livret, **overrides):
    """A POST of the livret 1 form as the browser sends it (one experience row)."""
    data = {
        "version": str(livret.version),
        "experiences-TOTAL_FORMS": "1",
        "experiences-INITIAL_FORMS": "0",
        "experiences-MIN_NUM_FORMS": "0",
        "experiences-MAX_NUM_FORMS": "40",
    }
    for key, value in COMPLETE_VALUES.items():
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        else:
            data[key] = value
    for key, value in EXPERIENCE.items():
        data[f"experiences-0-{key}"] = (
            value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
        )
    data.update(overrides)
    return data
