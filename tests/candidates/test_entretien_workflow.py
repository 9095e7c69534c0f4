"""Entretien d'accueil et d'orientation: filling, autosave, validations, orientation or closing."""

import datetime as dt
import html
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from candidates import workflow
from candidates.entretien_rules import parcours_norm_warning
from candidates.entretien_sheet import build_sheet, guide_units
from candidates.enums import DossierState, EntretienState, scale_choices
from candidates.models import DossierEvent, Entretien
from candidates.workflow import entretien as service
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from referentiels.models import Certification

from ..autosave_support import post_as_page
from ..factories import OrganismeFactory, user_with_role

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HTMX = {"HX-Request": "true"}


def cqp(code):
    return Certification.objects.get(code=code)


def page(response) -> str:
    return html.unescape(response.content.decode())


def url(name, dossier):
    return reverse(f"candidates:{name}", args=[dossier.number])


def _rows(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def entretien_data(
    dossier,
    *,
    prereq="oui",
    orientation="formation",
    assessment=None,
    modules=None,
    periods=(),
    total_hours=300,
    competences=True,
    **header,
):
    """A complete POST of the guide: every compétence assessed, every unit oriented, one module per formation unit."""
    units = list(guide_units(dossier))
    data = {
        "held_on": "2026-11-23",
        "interviewer_function": "Responsable formation",
        "organisation": "Mutuelle test",
        "synthesis": "Candidate motivée, expérience d'accueil solide.",
        "recommendations": "Voie formative.",
        "declared_experience_months": "",
        **header,
    }
    for p in dossier.version.prerequisites.all():
        data[f"prereq_{p.pk}"] = prereq
    first = scale_choices(dossier.version.entretien_scale)[0][0]
    for unit in units:
        data[f"unit_{unit.pk}"] = orientation
        if competences:
            for comp in unit.competences.all():
                data[f"comp_{comp.pk}"] = assessment or first
            for savoir in unit.knowledge.all():
                data[f"savoir_{savoir.pk}"] = assessment or first
    if modules is None:
        modules = []
        if orientation == "formation":
            share = total_hours // len(units)
            modules = [
                {
                    "unit": str(u.pk),
                    "title": f"Module {u.number}",
                    "hours": str(share),
                    "start_on": "2027-01-04",
                    "end_on": "2027-03-26",
                }
                for u in units
            ]
    data.update(_rows("modules", modules))
    data.update(_rows("periods", list(periods)))
    return data


@pytest.fixture
def organisme(referentiels):
    organisme = OrganismeFactory(name="Institut de Formation Mutualiste")
    organisme.certifications.add(*Certification.objects.all())
    return organisme


@pytest.fixture
def organisme_staff(organisme):
    return user_with_role(Role.ORGANISME, organisme=organisme)


# --- the voie formative, from the company's inscription to the oriented dossier --------------------


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_formative_candidate_from_inscription_to_validated_entretien(
    client, referentiels, entreprise_user, oemm, on_commit
):
    entreprise = entreprise_user.roles.get().entreprise
    dossier = workflow.register_employee(
        by=entreprise_user,
        entreprise=entreprise,
        email="ines.garnier@exemple.fr",
        first_name="Inès",
        last_name="Garnier",
        certification=cqp("gpac"),
    )
    candidate = dossier.candidate
    client.force_login(entreprise_user)

    # The dossier page offers to conduct the entretien; opening the guide creates nothing.
    assert "Conduire l'entretien" in page(client.get(dossier.get_absolute_url()))
    response = client.get(url("entretien_edit", dossier))
    assert response.status_code == 200 and not Entretien.objects.exists()
    first_comp = dossier.version.units.first().competences.first()
    assert first_comp.text in page(response) and first_comp.questions[0] in page(response)
    assert 'hx-post="' in page(response) and "change delay:500ms" in page(response)

    # Autosave (htmx): stored, « Enregistré à 10:00 », total hours against the norm.
    data = entretien_data(dossier, total_hours=300)
    response = post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    assert response.status_code == 200
    content = page(response)
    assert "Enregistré à 10:00" in content and "Total du parcours : 300 h" in content and "280 à 320 h" in content
    assert "complet" in content
    entretien = Entretien.objects.get(dossier=dossier)
    assert entretien.interviewer == entreprise_user and entretien.state == EntretienState.EN_COURS
    assert entretien.modules.count() == 5 and entretien.competence_answers.count() == 23
    # Saving the same data twice changes nothing.
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    assert entretien.modules.count() == 5 and entretien.competence_answers.count() == 23

    # The interviewer validates (confirmation first), the candidate is told by e-mail.
    assert "Je confirme" in page(client.get(url("entretien_validate", dossier)))
    with on_commit():
        response = client.post(url("entretien_validate", dossier), {"confirm": "on"})
    assert response.status_code == 302
    entretien.refresh_from_db()
    assert entretien.state == EntretienState.VALIDE_INTERVIEWER
    assert entretien.interviewer_validated_at and entretien.interviewer_validated_by == entreprise_user
    assert mail.outbox[-1].to == [candidate.email] and "à valider" in mail.outbox[-1].subject

    # The candidate reads it from their account and validates it: the dossier is oriented, OEMM gets the parcours.
    client.force_login(candidate)
    section = page(client.get(dossier.get_absolute_url()))
    assert "Relire et valider mon entretien" in section and "23 novembre 2026" in section
    assert "Total du parcours : 300 h" in page(client.get(url("entretien", dossier)))
    mail.outbox.clear()
    with on_commit():
        response = client.post(url("entretien_validate_candidate", dossier), {"confirm": "on", "comment": "D'accord."})
    assert response.status_code == 302
    entretien.refresh_from_db()
    dossier.refresh_from_db()
    assert entretien.state == EntretienState.VALIDE and entretien.candidate_validated_at
    assert entretien.candidate_comment == "D'accord."
    assert dossier.state == DossierState.ORIENTE
    oemm_mail = [m for m in mail.outbox if m.to == [oemm.email]]
    assert len(oemm_mail) == 1 and "parcours" in oemm_mail[0].subject.lower()
    assert "Total : 300 h" in oemm_mail[0].body and "Module 1" in oemm_mail[0].body
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions == [
        "register",
        "entretien_start",
        "entretien_validate_interviewer",
        "entretien_validate_candidate",
        "orient",
    ]

    # Read-only for everyone from now on.
    client.force_login(entreprise_user)
    detail = page(client.get(url("entretien", dossier)))
    assert "Poursuivre la saisie" not in detail and "Rouvrir" not in detail
    response = client.get(url("entretien_edit", dossier), follow=True)
    assert "n'est plus modifiable" in page(response)


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_vae_dossier_with_organisme_and_experience_check(client, candidat, organisme, organisme_staff, oemm, on_commit):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    client.force_login(organisme_staff)
    # The organisation is prefilled with the dossier's organisme.
    assert 'value="Institut de Formation Mutualiste"' in page(client.get(url("entretien_edit", dossier)))
    data = entretien_data(
        dossier,
        orientation="vae",
        organisation="Institut de Formation Mutualiste",
        periods=[
            {
                "start_on": "2024-01-01",
                "end_on": "2025-06-30",
                "status": "salarie",
                "description": "Conseillère, Mutuelle A",
            },
            {"start_on": "2025-07-01", "end_on": "2025-12-31", "status": "stage", "description": "Stage"},
        ],
    )
    response = post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    content = page(response)
    assert "Enregistré à" in content and "au minimum 1 an" in content and "semble remplie" in content
    entretien = Entretien.objects.get()
    assert entretien.organisation == "Institut de Formation Mutualiste"  # default: the dossier's organisme
    assert entretien.experience_periods.count() == 2 and not entretien.modules.exists()
    service.validate_as_interviewer(entretien, by=organisme_staff)
    with on_commit():
        service.validate_as_candidate(entretien, by=candidat)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ORIENTE
    assert not [m for m in mail.outbox if m.to == [oemm.email]]  # no parcours, nothing to send to OEMM


def test_declared_months_are_checked_against_the_cqp_rule(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("cmi"), organisme=organisme)
    client.force_login(organisme_staff)
    data = entretien_data(dossier, orientation="vae", declared_experience_months="24")
    content = page(post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX))
    assert "au minimum 3 ans sur les 12 dernières années" in content and "il manque 1 an" in content
    assert "Expérience retenue : 2 ans" in content


# --- prerequisites ----------------------------------------------------------------------------------


def test_a_prerequisite_answered_non_closes_the_dossier(client, candidat, organisme, organisme_staff, oemm, on_commit):
    spsp = cqp("spsp")
    dossier = workflow.register_vae(
        candidate=candidat, certification=spsp, organisme=organisme, mention=spsp.current_version.mentions.first()
    )
    prerequisites = list(dossier.version.prerequisites.all())
    assert len(prerequisites) == 6
    client.force_login(organisme_staff)
    assert prerequisites[0].text in page(client.get(url("entretien_edit", dossier)))
    # Only the prerequisites, header and synthesis are needed when one is « Non ».
    data = entretien_data(dossier, orientation="", competences=False, synthesis="Réorientation vers un CQP GPAC.")
    data[f"prereq_{prerequisites[0].pk}"] = "non"
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    entretien = Entretien.objects.get()
    assert build_sheet(dossier, entretien).missing == []
    with on_commit():
        client.post(url("entretien_validate", dossier), {"confirm": "on"})
    client.force_login(candidat)
    assert "sera clos" in page(client.get(url("entretien_validate_candidate", dossier)))
    with on_commit():
        response = client.post(url("entretien_validate_candidate", dossier), {"confirm": "on"}, follow=True)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CLOS
    assert prerequisites[0].text in dossier.closed_reason and "Réorientation vers un CQP GPAC" in dossier.closed_reason
    assert "le dossier est clos" in page(response)
    assert any("clos" in m.subject for m in mail.outbox if m.to == [candidat.email])
    assert not [m for m in mail.outbox if m.to == [oemm.email]]


# --- scale of each CQP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, shown, absent",
    [
        ("gpac", ["Oui", "Non", "Partiellement"], ["En totalité", "Pas du tout"]),
        ("spsp", ["Pas du tout", "Partiellement", "En totalité"], []),
        ("cmi", ["Pas du tout", "Partiellement", "En totalité"], []),
    ],
)
def test_the_guide_uses_the_scale_of_the_cqp(client, candidat, organisme, organisme_staff, code, shown, absent):
    certification = cqp(code)
    mention = certification.current_version.mentions.first()
    dossier = workflow.register_vae(
        candidate=candidat, certification=certification, organisme=organisme, mention=mention
    )
    client.force_login(organisme_staff)
    content = page(client.get(url("entretien_edit", dossier)))
    comp = dossier.version.units.first().competences.first()
    radios = re.findall(rf'name="comp_{comp.pk}" value="([a-z_]+)"', content)
    assert radios == [value for value, _ in scale_choices(dossier.version.entretien_scale)]
    for label in shown:
        assert label in content
    for label in absent:
        assert label not in content


def test_a_value_outside_the_scale_is_refused_in_french(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    client.force_login(organisme_staff)
    data = entretien_data(dossier, orientation="vae", assessment="en_totalite")
    content = page(post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX))
    assert "Non enregistré" in content and "Sélectionnez un choix valide" in content
    assert not Entretien.objects.exists()


# --- completeness, bad input, norm ----------------------------------------------------------------


def test_interviewer_validation_refused_lists_what_is_missing(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    client.force_login(organisme_staff)
    data = entretien_data(dossier, orientation="", competences=False, synthesis="", interviewer_function="")
    unit = dossier.version.units.first()
    data[f"unit_{unit.pk}"] = "formation"  # oriented to formation but no module
    post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX)
    response = client.post(url("entretien_validate", dossier), {"confirm": "on"})
    content = page(response)
    assert response.status_code == 200 and "Validation refusée" in content
    comp = unit.competences.first()
    assert f"L'appréciation de la compétence « {comp.text} »" in content
    assert "La fonction de l'intervieweur" in content and "La synthèse de l'entretien" in content
    assert "Au moins un module du parcours de formation pour : Bloc 1" in content
    assert "L'orientation (VAE, évaluation directe ou formation) de : Bloc 2" in content
    assert Entretien.objects.get().state == EntretienState.EN_COURS
    with pytest.raises(service.EntretienIncomplete) as exc:
        service.validate_as_interviewer(Entretien.objects.get(), by=organisme_staff)
    assert len(exc.value.missing) == 23 + 4 + 1 + 2


def test_bad_input_without_js_keeps_everything_typed(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    client.force_login(organisme_staff)
    data = entretien_data(
        dossier,
        synthesis="Une synthèse à ne pas perdre",
        modules=[
            {
                "unit": str(dossier.version.units.first().pk),
                "title": "Accueil",
                "hours": "trente",
                "start_on": "2027-02-01",
                "end_on": "2027-01-01",
            },
        ],
    )
    data["held_on"] = "31/02/2026"
    response = post_as_page(client, url("entretien_edit", dossier), data)
    content = page(response)
    assert response.status_code == 200 and "Non enregistré" in content
    assert "La durée s'écrit en heures entières" in content and "Saisissez une date valide" in content
    assert 'value="trente"' in content and "Une synthèse à ne pas perdre" in content and 'value="31/02/2026"' in content
    assert not Entretien.objects.exists()


def test_plain_post_without_js_saves_and_redirects(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    client.force_login(organisme_staff)
    response = post_as_page(
        client, url("entretien_edit", dossier), entretien_data(dossier, orientation="vae"), follow=True
    )
    assert "Enregistré à" in page(response)
    assert Entretien.objects.get().synthesis.startswith("Candidate motivée")
    response = post_as_page(
        client, url("entretien_edit", dossier), {**entretien_data(dossier, orientation="vae"), "then_validate": ""}
    )
    assert response.url == url("entretien_validate", dossier)


def test_total_outside_the_norm_is_a_warning_not_a_block(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    client.force_login(organisme_staff)
    content = page(
        post_as_page(client, url("entretien_edit", dossier), entretien_data(dossier, total_hours=100), headers=HTMX)
    )
    assert "Total du parcours : 100 h" in content and "en dessous de la durée de référence" in content
    service.validate_as_interviewer(Entretien.objects.get(), by=organisme_staff)
    assert Entretien.objects.get().state == EntretienState.VALIDE_INTERVIEWER


@pytest.mark.parametrize(
    "total, minimum, maximum, expected",
    [
        (300, 280, 320, ""),
        (280, 280, 320, ""),
        (320, 280, 320, ""),
        (279, 280, 320, "en dessous"),
        (321, 280, 320, "au-dessus"),
        (50, None, None, ""),
    ],
)
def test_parcours_norm_warning(total, minimum, maximum, expected):
    warning = parcours_norm_warning(total, minimum, maximum)
    assert (expected in warning) if expected else warning == ""


# --- editing after validation, reopening ----------------------------------------------------------


def _validated_by_interviewer(client, dossier, staff):
    client.force_login(staff)
    post_as_page(client, url("entretien_edit", dossier), entretien_data(dossier, orientation="vae"), headers=HTMX)
    entretien = Entretien.objects.get(dossier=dossier)
    service.validate_as_interviewer(entretien, by=staff)
    return entretien


def test_editing_after_interviewer_validation_is_refused(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    entretien = _validated_by_interviewer(client, dossier, organisme_staff)
    data = entretien_data(dossier, orientation="vae", synthesis="Modifiée après coup")
    content = page(post_as_page(client, url("entretien_edit", dossier), data, headers=HTMX))
    assert "n'est plus modifiable" in content
    response = post_as_page(client, url("entretien_edit", dossier), data, follow=True)
    assert "n'est plus modifiable" in page(response)
    entretien.refresh_from_db()
    assert entretien.synthesis != "Modifiée après coup"
    with pytest.raises(WorkflowError, match="plus modifiable"):
        service.save_entretien(dossier, by=organisme_staff, data={})


def test_interviewer_reopens_before_the_candidate_validated_but_not_after(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    entretien = _validated_by_interviewer(client, dossier, organisme_staff)
    response = client.post(url("entretien_reopen", dossier))
    assert response.url == url("entretien_edit", dossier)
    entretien.refresh_from_db()
    assert entretien.state == EntretienState.EN_COURS and entretien.interviewer_validated_at is None
    # The candidate cannot validate a reopened entretien.
    with pytest.raises(WorkflowError, match="pas encore validé"):
        service.validate_as_candidate(entretien, by=candidat)
    service.validate_as_interviewer(entretien, by=organisme_staff)
    service.validate_as_candidate(entretien, by=candidat)
    response = client.post(url("entretien_reopen", dossier), follow=True)
    assert "ne peut plus être rouvert" in page(response)
    entretien.refresh_from_db()
    assert entretien.state == EntretienState.VALIDE


def test_a_closed_dossier_entretien_cannot_be_edited(client, candidat, organisme, organisme_staff, oemm):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    workflow.close(dossier, by=oemm, reason="Abandon")
    client.force_login(organisme_staff)
    response = client.get(url("entretien_edit", dossier), follow=True)
    assert "le dossier est « Clos »" in page(response)


def test_the_candidate_validation_needs_the_confirmation(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"), organisme=organisme)
    entretien = _validated_by_interviewer(client, dossier, organisme_staff)
    client.force_login(candidat)
    response = client.post(url("entretien_validate_candidate", dossier), {})
    assert response.status_code == 200 and "Cochez la case" in page(response)
    entretien.refresh_from_db()
    assert entretien.state == EntretienState.VALIDE_INTERVIEWER
