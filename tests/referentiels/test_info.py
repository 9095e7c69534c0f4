"""Informational content quoted from the seeds (referentiels/info.py, issue 17): the public CQP page and the candidate's
dossier tell the 120-point gratification and the absence of diploma equivalence; the tutor's page tells the tutor's
missions and the phases of progression; a page whose content the platform wrote says so in one line."""

import html
import re

import pytest
from django.urls import reverse

from candidates import workflow as candidates_workflow
from referentiels import info
from referentiels.models import Certification

from ..autosave_support import post_as_page
from ..candidates.test_entretien_workflow import entretien_data
from ..factories import OrganismeFactory, user_with_role
from ..vae.test_livret2_every_question import open_livret2


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


GRATIFICATION = (
    "une gratification de 120 points […] serait attribuée à toute personne ayant obtenu un CQP de la branche"
)
NO_EQUIVALENCE = "ne permet pas de bénéficier d'une équivalence avec un niveau de la nomenclature du Ministère"
POINT_NOTE = "La valeur du point n'est pas indiquée : elle est révisée chaque année"


@pytest.mark.parametrize("code, shown", [("gpac", True), ("cmi", True), ("spsp", True), ("cos", False)])
def test_public_cqp_page_tells_gratification_and_no_equivalence(client, referentiels, code, shown):
    content = text(client.get(reverse("referentiels:detail", args=[code])))
    for expected in (
        GRATIFICATION,
        NO_EQUIVALENCE,
        POINT_NOTE,
        "Source : Guides des CQP de la CPNEFP Mutualité (éditions 2013 et 2014)",
    ):
        assert (expected in content) is shown
    assert "7,99 €)" not in content and "1 point correspond" not in content  # no euro value quoted as current


def test_every_quoted_text_has_a_source():
    entries = [*info.CANDIDATE_INFO, *info.TUTOR_INFO, info.VAE_REMINDER]
    assert all(entry.source and entry.lines for entry in entries)
    assert len(info.TUTOR_MISSIONS.items) == 7 and len(info.TUTOR_PHASES.items) == 6


def test_the_candidate_reads_it_on_their_dossier_not_the_staff(client, referentiels, candidat):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role_organisme(organisme)
    dossier = candidates_workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme
    )
    client.force_login(candidat)
    content = text(client.get(dossier.get_absolute_url()))
    assert "À savoir sur le CQP" in content and GRATIFICATION in content and NO_EQUIVALENCE in content
    client.force_login(staff)
    assert "À savoir sur le CQP" not in text(client.get(dossier.get_absolute_url()))


def user_with_role_organisme(organisme):
    from cqp.enums import Role

    return user_with_role(Role.ORGANISME, organisme=organisme)


def test_the_tutor_reads_missions_and_phases_on_the_tutorat_page(client, designated, tutor):
    client.force_login(tutor)
    content = text(client.get(reverse("candidates:formation_tutorat", args=[designated.number])))
    assert "Le rôle du tuteur : missions et phases de progression" in content
    for item in (*info.TUTOR_MISSIONS.items, *info.TUTOR_PHASES.items):
        assert item in content
    assert "A partir de la phase 6, le candidat peut être présenté pour une évaluation finale en entreprise" in content
    assert "Source : Guide des CQP de la CPNEFP Mutualité (édition 2014), « guide du tuteur »" in content


@pytest.mark.parametrize("code, note", [("cos", True), ("gpac", False)])
def test_the_cos_entretien_says_the_platform_wrote_its_scale(client, referentiels, candidat, code, note):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role_organisme(organisme)
    dossier = candidates_workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code=code), organisme=organisme
    )
    client.force_login(staff)
    expected = "Le guide de ce CQP ne comporte pas de guide d'entretien"
    assert (expected in text(client.get(reverse("candidates:entretien_edit", args=[dossier.number])))) is note
    post_as_page(client, reverse("candidates:entretien_edit", args=[dossier.number]), entretien_data(dossier))
    assert (expected in text(client.get(reverse("candidates:entretien", args=[dossier.number])))) is note


@pytest.mark.parametrize(
    "code, expected",
    [
        ("cmi", "(« Comment avez-vous procédé pour … ? ») ont été rédigées pour la plateforme"),
        ("spsp", "ont été rédigées pour la plateforme à partir du référentiel"),
        ("cos", "Les deux questions posées pour chaque situation ont été rédigées pour la plateforme"),
    ],
)
def test_the_livret2_says_which_questions_the_platform_wrote(client, referentiels, oemm, code, expected):
    candidate, livret = open_livret2(code, oemm)
    client.force_login(candidate)
    assert expected in text(client.get(reverse("vae:livret2", args=[livret.dossier.number])))


def test_gpac_livret2_has_no_platform_note(client, referentiels, oemm):
    candidate, livret = open_livret2("gpac", oemm)
    client.force_login(candidate)
    assert "rédigées pour la plateforme" not in text(client.get(reverse("vae:livret2", args=[livret.dossier.number])))
