"""Orientation checks of the entretien (issue 17): « évaluation directe » only where the CQP's rule allows it, the
experience counted next to a « VAE » orientation, the seed's reminder to the interviewer."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from candidates import workflow
from candidates.entretien_rules import (
    direct_evaluation_refusal,
    direct_evaluation_rule,
    vae_experience_line,
    vae_experience_warning,
)
from candidates.entretien_sheet import build_sheet
from candidates.experience import Duration, ExperienceCheck
from candidates.models import Entretien
from candidates.workflow import entretien as service
from cqp.enums import Role
from referentiels.enums import DirectEvaluation

from ..autosave_support import post_as_page
from ..factories import OrganismeFactory, user_with_role
from .test_entretien_workflow import HTMX, cqp, entretien_data, page, url

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REMINDER = (
    "Vous n'êtes en aucune manière en situation d'inciter le candidat à ne pas déposer sa demande de VAE, dès lors "
    "que celui-ci répond aux critères de recevabilité."
)
WHOLE, UNIT, NONE = DirectEvaluation.WHOLE_UNIT_ACQUIRED, DirectEvaluation.UNIT_ACQUIRED, DirectEvaluation.NOT_ALLOWED


@pytest.mark.parametrize(
    "rule, assessments, refused, named",
    [
        # GPAC (seed 003 L78): every compétence « Oui ».
        (WHOLE, [("A", "oui"), ("B", "oui")], False, []),
        (WHOLE, [("A", "oui"), ("B", "partiellement")], True, ["« B » (Partiellement)"]),
        (WHOLE, [("A", "non"), ("B", "oui")], True, ["« A » (Non)"]),
        (WHOLE, [("A", "en_totalite"), ("B", "en_totalite")], False, []),
        (WHOLE, [("A", "oui"), ("B", "")], False, []),  # not yet appreciated: the completeness check asks for it
        (WHOLE, [], False, []),
        # Seeds 001/002 « qui correspondent à ses acquis »: no compétence at the bottom of the scale.
        (UNIT, [("A", "en_totalite"), ("B", "partiellement")], False, []),
        (UNIT, [("A", "en_totalite"), ("B", "pas_du_tout")], True, ["« B » (Pas du tout)"]),
        (UNIT, [("A", "non"), ("B", "pas_du_tout")], True, ["« A » (Non)", "« B » (Pas du tout)"]),
        (UNIT, [("A", "partiellement"), ("B", "partiellement")], False, []),
        # Ucanss COS: the seed describes the VAE only.
        (NONE, [("A", "oui")], True, []),
        (NONE, [], True, []),
    ],
)
def test_direct_evaluation_refusal(rule, assessments, refused, named):
    text = direct_evaluation_refusal(rule, "Bloc 1 : Accueil", assessments, ["oui", "partiellement", "non"])
    assert bool(text) is refused
    if refused:
        assert text.startswith("Évaluation directe impossible pour « Bloc 1 : Accueil » :")
    for name in named:
        assert name in text


@pytest.mark.parametrize(
    "rule, expected",
    [
        (WHOLE, "toutes les compétences de l'unité sont acquises"),
        (UNIT, "aucune compétence appréciée « Non » ou « Pas du tout »"),  # scale unknown: both words
        (NONE, "Ce CQP ne prévoit pas d'évaluation directe"),
        ("", ""),
    ],
)
def test_direct_evaluation_rule_in_french(rule, expected):
    assert expected in direct_evaluation_rule(rule)


def test_the_rule_speaks_the_words_of_the_cqp_scale():
    assert direct_evaluation_rule(WHOLE, {"oui": "Oui", "partiellement": "Partiellement", "non": "Non"}).endswith(
        "acquises (« Oui »)."
    )
    assert direct_evaluation_rule(UNIT, ["pas_du_tout", "partiellement", "en_totalite"]).endswith("« Pas du tout ».")


@pytest.mark.parametrize(
    "check, rule, line, warning",
    [
        (
            ExperienceCheck(Duration(28, 0), 36, 12, Duration(8, 0)),
            "au minimum 3 ans sur les 12 dernières années",
            "Expérience comptée : 2 ans et 4 mois — seuil du CQP : 3 ans sur les 12 dernières années",
            "il manque 8 mois",
        ),
        (
            ExperienceCheck(Duration(14, 0), 12, None),
            "au minimum 1 an",
            "Expérience comptée : 1 an et 2 mois — seuil du CQP : 1 an",
            "",
        ),
        (None, "au minimum 1 an", "Expérience comptée : aucune expérience saisie — seuil du CQP : 1 an", "Aucune"),
    ],
)
def test_vae_experience_line_and_warning(check, rule, line, warning):
    assert vae_experience_line(check, rule) == line
    text = vae_experience_warning(check)
    assert (warning in text) if warning else text == ""
    if check is not None and not check.sufficient:
        assert "reste possible" in text  # a warning, never a refusal


def test_each_cqp_carries_its_rule(referentiels):
    assert {code: cqp(code).current_version.direct_evaluation for code in ("gpac", "spsp", "cmi", "cos")} == {
        "gpac": WHOLE,
        "spsp": UNIT,
        "cmi": UNIT,
        "cos": NONE,
    }


@pytest.fixture
def organisme_staff(referentiels):
    organisme = OrganismeFactory(name="Institut de Formation Mutualiste")
    organisme.certifications.add(*cqp("gpac").__class__.objects.all())
    return user_with_role(Role.ORGANISME, organisme=organisme)


def _vae(candidat, staff, code):
    return workflow.register_vae(candidate=candidat, certification=cqp(code), organisme=staff.roles.get().organisme)


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_gpac_direct_evaluation_refused_unless_the_whole_bloc_is_acquired(client, candidat, organisme_staff):
    dossier = _vae(candidat, organisme_staff, "gpac")
    client.force_login(organisme_staff)
    data = entretien_data(dossier, orientation="evaluation_directe", assessment="partiellement")
    content = page(post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX))
    # Inline, next to the orientation choice (updated out of band by the autosave).
    first = dossier.version.units.order_by("number").first()
    assert f'id="orientation-note-{first.pk}" hx-swap-oob="true"' in content
    assert "Évaluation directe impossible pour « Bloc 1 : " in content
    assert "toutes les compétences de l'unité sont acquises" in content
    assert "Une orientation n'est pas permise par le CQP" in content
    entretien = Entretien.objects.get()
    with pytest.raises(service.OrientationRefused) as refused:
        service.validate_as_interviewer(entretien, by=organisme_staff)
    assert "(Partiellement)" in str(refused.value)
    # The confirmation page says it and offers no validation; a POST is refused in French.
    confirm = page(client.get(url("entretien_validate", dossier)))
    assert "Corriger l'orientation" in confirm and "Je confirme" not in confirm
    response = client.post(url("entretien_validate", dossier), {"confirm": "on"}, follow=True)
    assert "une orientation n'est pas permise par le CQP" in page(response)
    entretien.refresh_from_db()
    assert entretien.state == "en_cours"
    # The edit page shows it too (no JS).
    assert "Évaluation directe impossible" in page(client.get(url("entretien_edit", dossier)))

    # Every compétence « Oui »: allowed.
    data = entretien_data(dossier, orientation="evaluation_directe", assessment="oui")
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    service.validate_as_interviewer(entretien, by=organisme_staff)
    entretien.refresh_from_db()
    assert entretien.state == "valide_interviewer"


@pytest.mark.parametrize(
    "code, assessment, refused",
    [
        ("cmi", "partiellement", False),
        ("cmi", "en_totalite", False),
        ("cmi", "pas_du_tout", True),
        ("cos", "oui", True),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_direct_evaluation_per_cqp(client, candidat, organisme_staff, code, assessment, refused):
    dossier = _vae(candidat, organisme_staff, code)
    client.force_login(organisme_staff)
    data = entretien_data(dossier, orientation="evaluation_directe", assessment=assessment)
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    sheet = build_sheet(dossier, Entretien.objects.get())
    assert not sheet.missing
    assert bool(sheet.refusals) is refused
    assert all(u.direct_evaluation_refusal for u in sheet.units) is refused


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_vae_orientation_shows_experience_threshold_warning_and_reminder(client, candidat, organisme_staff):
    dossier = _vae(candidat, organisme_staff, "cmi")
    client.force_login(organisme_staff)
    edit = page(client.get(url("entretien_edit", dossier)))
    assert REMINDER in edit  # a VAE dossier: the VAE is offered
    data = entretien_data(dossier, orientation="vae", declared_experience_months="28")
    content = page(post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX))
    assert "Expérience comptée : 2 ans et 4 mois — seuil du CQP : 3 ans sur les 12 dernières années" in content
    assert "Expérience sous le seuil du CQP (il manque 8 mois)" in content
    assert REMINDER in content and "Source : Guide d'entretien d'accueil et d'orientation" in content
    assert 'id="vae-reminder" hx-swap-oob="true"' in content
    # A warning, not a refusal: the interviewer validates.
    entretien = Entretien.objects.get()
    service.validate_as_interviewer(entretien, by=organisme_staff)
    entretien.refresh_from_db()
    assert entretien.state == "valide_interviewer"


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_no_reminder_on_a_formation_orientation_of_the_voie_formative(client, referentiels, entreprise_user):
    entreprise = entreprise_user.roles.get().entreprise
    dossier = workflow.register_employee(
        by=entreprise_user,
        entreprise=entreprise,
        email="ines.garnier@exemple.fr",
        first_name="Inès",
        last_name="Garnier",
        certification=cqp("gpac"),
    )
    client.force_login(entreprise_user)
    assert REMINDER not in page(client.get(url("entretien_edit", dossier)))
    content = page(post_as_page(client, url("entretien_edit", dossier), entretien_data(dossier), headers=HTMX))
    assert REMINDER not in content and "Évaluation directe impossible" not in content
    data = entretien_data(dossier, orientation="vae", declared_experience_months="6")
    content = page(post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX))
    assert REMINDER in content and "seuil du CQP : 1 an" in content  # VAE chosen on one unit
