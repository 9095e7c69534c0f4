"""The voie formative's test world: personas (entreprise, RH, tutor, evaluators, centre), a formative dossier oriented
by its entretien, form data of the pages and a helper completing the livret d'évaluation finale. Shared by the
voie formative tests and the security tests."""

import datetime as dt
import html
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import workflow
from candidates.entretien_forms import EntretienForm
from candidates.entretien_sheet import build_sheet
from candidates.enums import DossierState
from candidates.formation_file import formation_units
from cqp.enums import EntrepriseFunction, Role
from referentiels.enums import CriterionKind
from referentiels.models import Certification

from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role
from .test_entretien_workflow import entretien_data

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HTMX = {"HX-Request": "true"}


def page(response) -> str:
    return html.unescape(response.content.decode())


def url(name, dossier, **kwargs):
    return reverse(f"candidates:{name}", kwargs={"number": dossier.number, **kwargs})


def spsp():
    return Certification.objects.get(code="spsp")


def criteria(unit, kind):
    return list(unit.criteria.filter(kind=kind))


# --- personas ----------------------------------------------------------------------------------------------


@pytest.fixture
def entreprise(referentiels):
    return EntrepriseFactory(name="Mutuelle Solidaire")


@pytest.fixture
def organisme(referentiels):
    organisme = OrganismeFactory(name="Institut de Formation Mutualiste")
    organisme.certifications.add(*Certification.objects.all())
    return organisme


@pytest.fixture
def organisme_staff(organisme):
    return user_with_role(Role.ORGANISME, organisme=organisme)


@pytest.fixture
def rh(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.RH)


@pytest.fixture
def manager(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.MANAGER)


@pytest.fixture
def tutor(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.TUTEUR)


@pytest.fixture
def evaluator2(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR)


def orient(dossier, conductor):
    """The entretien d'accueil filled in (one module per unit), validated by both: the dossier is « oriente »."""
    form = EntretienForm(entretien_data(dossier), sheet=build_sheet(dossier), user=conductor)
    assert form.is_valid(), form.error_lines()
    entretien = workflow.save_entretien(dossier, by=conductor, data=form.get_data())
    workflow.validate_as_interviewer(entretien, by=conductor)
    workflow.validate_as_candidate(entretien, by=dossier.candidate)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ORIENTE
    return dossier


@pytest.fixture
def dossier(candidat, rh, entreprise, organisme, organisme_staff):
    """A formative SPSP dossier of ``candidat`` (entreprise + organisme), oriented."""
    certification = spsp()
    dossier = workflow.register_employee(
        by=rh,
        entreprise=entreprise,
        email=candidat.email,
        first_name=candidat.first_name,
        last_name=candidat.last_name,
        certification=certification,
        organisme=organisme,
        mention=certification.current_version.mentions.first(),
    )
    return orient(dossier, organisme_staff)


@pytest.fixture
def designated(dossier, rh, tutor, manager, evaluator2):
    workflow.designate(
        dossier,
        by=rh,
        tutor=tutor,
        evaluator1=manager,
        evaluator1_function="Responsable du service prestations",
        evaluator2=evaluator2,
        evaluator2_function="Formatrice interne",
    )
    return dossier


# --- form data -----------------------------------------------------------------------------------------------


def _days_ago(days: int) -> str:
    """A date that took place (the forms refuse future dates), relative to the (possibly frozen) clock."""
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def formative_post(unit, *, rating="acquis", **extra):
    data = {
        "held_on": _days_ago(2),
        "result": "atteint",
        "trainer_name": "Claire Martin",
        "progress_objectives": "Consolider l'analyse des contrats collectifs.",
        **extra,
    }
    data.update({f"crit_{c.pk}": rating for c in criteria(unit, CriterionKind.FORMATIVE)})
    return data


def assessment_post(unit, *, answer="oui", mastery="maitrise", **extra):
    data = {
        "evaluated_on": _days_ago(1),
        "modality_used": "Entretien sur trois dossiers complexes.",
        "mastery": mastery,
        "comments": "Très bonne maîtrise.",
        **extra,
    }
    data.update({f"crit_{c.pk}": answer for c in criteria(unit, CriterionKind.FINAL)})
    return data


def synthesis_post(units):
    data = {}
    for u in units:
        data.update(
            {
                f"exercised_{u.pk}": "oui",
                f"from_{u.pk}": _days_ago(10),
                f"to_{u.pk}": _days_ago(1),
                f"conditions_{u.pk}": "Observation et entretien sur dossiers",
            }
        )
    return data


def units_of(dossier):
    return list(formation_units(dossier))


# --- service-level helpers to complete a livret (used by other test modules) ----------------------------------


def keeper_of(dossier):
    """Who keeps the livret de suivi: a member of the dossier's organisme (else the entreprise's RH)."""
    from cqp.models import User

    if dossier.organisme_id:
        return User.objects.filter(roles__role=Role.ORGANISME, roles__organisme_id=dossier.organisme_id).first()
    return User.objects.filter(roles__role=Role.ENTREPRISE, roles__entreprise_id=dossier.entreprise_id).first()


def follow_parcours(dossier, *, keeper=None, hours=None, sign_formatives=True):
    """The parcours planned at the entretien followed: one module per planned module (its hours, ended yesterday)
    in the livret de suivi, and the évaluation formative of each unit oriented to « formation » signed.
    ``hours``: {unit number: hours followed} instead of the planned ones."""
    from django.utils import timezone

    from candidates.models import EntretienUnit, ParcoursModule

    keeper = keeper or keeper_of(dossier)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    plan = list(ParcoursModule.objects.filter(entretien__dossier=dossier).select_related("unit"))
    modules = [
        {
            "unit_id": m.unit_id,
            "title": m.title,
            "hours": m.hours if hours is None else hours.get(m.unit.number, 0),
            "start_on": yesterday - dt.timedelta(days=30),
            "end_on": yesterday,
            "content": "",
        }
        for m in plan
    ]
    workflow.save_livret_suivi(dossier, by=keeper, training_manager="Claire Martin", modules=modules)
    if sign_formatives:
        formation_units_ids = set(
            EntretienUnit.objects.filter(entretien__dossier=dossier, orientation="formation").values_list(
                "unit_id", flat=True
            )
        )
        for u in units_of(dossier):
            if u.pk not in formation_units_ids:
                continue
            workflow.save_evaluation_formative(
                dossier,
                u,
                by=keeper,
                data={
                    "held_on": yesterday,
                    "result": "atteint",
                    "trainer_name": "Claire Martin",
                    "ratings": {c.pk: "acquis" for c in criteria(u, CriterionKind.FORMATIVE)},
                },
            )
            workflow.sign_evaluation_formative(dossier, u, by=keeper)


def candidate_post(units, text=lambda u: f"Réponse pour l'unité {u.number}", activities="Mes activités.") -> dict:
    """The candidate's part as posted by the form: one field per question of the livret d'évaluation finale (the
    unit's ``final_questions``), or the free answer of a unit without questions; the comment where asked."""
    data = {"activities": activities}
    for u in units:
        if u.final_questions:
            data.update({f"answer_{u.pk}_{i}": f"{text(u)} — question {i + 1}" for i in range(len(u.final_questions))})
        else:
            data[f"answer_{u.pk}"] = text(u)
        if u.final_candidate_comment:
            data[f"comment_{u.pk}"] = f"Mon commentaire sur l'unité {u.number}"
    return data


def candidate_answers(units, text=lambda u: f"Réponse pour l'unité {u.number}") -> dict:
    """The candidate's part as given to ``workflow.save_candidate_part``."""
    return {
        u.pk: {"questions": [f"{text(u)} — question {i + 1}" for i in range(len(u.final_questions))]}
        if u.final_questions
        else text(u)
        for u in units
    }


def fill_livret_evaluation(
    dossier, *, candidate, evaluator1, evaluator2, sign_candidate=True, sign_evaluators=True, parcours=True
):
    """The livret d'évaluation finale completed (and, with ``parcours``, the parcours followed: ``follow_parcours``).
    Evaluators sign only after the candidate: without ``sign_candidate`` they only write their assessments."""
    units = units_of(dossier)
    if parcours:
        follow_parcours(dossier)
    workflow.save_candidate_part(
        dossier,
        by=candidate,
        activities="Traitement de dossiers complexes.",
        answers=candidate_answers(units),
    )
    if sign_candidate:
        workflow.sign_candidate_part(dossier, by=candidate)
    for slot, person in ((1, evaluator1), (2, evaluator2)):
        for u in units:
            workflow.save_unit_assessment(
                dossier,
                u,
                slot,
                by=person,
                data={
                    "evaluated_on": dt.date(2027, 5, 10),
                    "mastery": "maitrise",
                    "modality_used": "Entretien",
                    "comments": "",
                    "ratings": {c.pk: "oui" for c in criteria(u, CriterionKind.FINAL)},
                },
            )
            if sign_candidate:
                workflow.sign_unit_assessment(dossier, u, slot, by=person)
    workflow.save_synthesis(
        dossier,
        by=evaluator1,
        lines={
            u.pk: {
                "activities_exercised": True,
                "evaluated_from": dt.date(2027, 5, 10),
                "evaluated_to": None,
                "conditions": "Observation",
            }
            for u in units
        },
    )
    if sign_evaluators and sign_candidate:
        workflow.sign_as_evaluator(dossier, 1, by=evaluator1)
        workflow.sign_as_evaluator(dossier, 2, by=evaluator2)
