"""Personas and builders shared by the livret 2 and accompagnement tests (no tests here)."""

import datetime as dt

import pytest

from candidates import workflow as dossier_workflow
from cqp.enums import College, Role
from jury.models import JurySession, SessionCandidate, SessionMember
from referentiels.models import Certification
from vae import workflow
from vae.enums import AccompagnementNature
from vae.models import Livret2
from vae.workflow import accompagnement, livret2

from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role, validated_entretien
from .conftest import complete


def approved_centre(code="cos"):
    centre = OrganismeFactory(agrement_from=dt.date(2020, 1, 1), agrement_to=dt.date(2099, 12, 31))
    centre.certifications.add(Certification.objects.get(code=code))
    return centre


@pytest.fixture
def centre(referentiels):
    return approved_centre()


@pytest.fixture
def accompagnateur(centre):
    return user_with_role(Role.ORGANISME, organisme=centre)


@pytest.fixture
def other_centre_user(referentiels):
    return user_with_role(Role.ORGANISME, organisme=approved_centre())


@pytest.fixture
def entreprise_rh(db):
    return user_with_role(Role.ENTREPRISE, entreprise=EntrepriseFactory())


def register(candidate, code="cos"):
    certification = Certification.objects.get(code=code)
    dossier = dossier_workflow.register_vae(
        candidate=candidate, certification=certification, mention=certification.current_version.mentions.first()
    )
    if dossier.version.entretien_before_livret1:  # the entretien d'accueil comes first (seeds 001 to 003)
        validated_entretien(dossier)
    return dossier


@pytest.fixture
def recevable_dossier(referentiels, candidat, oemm, entreprise_rh):
    """A cos dossier whose livret 1 was declared recevable (the candidate's employer is known to the platform)."""
    dossier = register(candidat)
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat)
    workflow.submit_livret1(livret, by=candidat)
    workflow.declare_recevable(livret, by=oemm)
    dossier.refresh_from_db()
    dossier.entreprise_id = entreprise_rh.roles.get().entreprise_id
    dossier.save(update_fields=["entreprise"])
    return dossier


def accept_convention(dossier, candidate, member):
    convention = accompagnement.request_accompagnement(dossier, by=candidate, organisme=member.roles.get().organisme)
    accompagnement.set_terms(
        convention,
        by=member,
        nature=AccompagnementNature.MIXTE,
        sessions_count=6,
        session_hours=2,
        start_on=dt.date(2026, 9, 1),
        end_on=dt.date(2026, 11, 30),
    )
    accompagnement.accept_convention(convention, by=member, party="organisme")
    return accompagnement.accept_convention(convention, by=candidate, party="candidate")


def answer(unit_number, position, index):
    return f"Reponse{unit_number}x{position}x{index} : j'ai accueilli l'assure et analyse sa demande."


def fill(livret: Livret2, candidate, *, competences=2) -> Livret2:
    """Answer every question of the livret 2 through the service (``competences`` ticked where a minimum is asked)."""
    livret.refresh_from_db()
    situations = {}
    for situation in livret.situations.select_related("unit"):
        unit = situation.unit
        count = len(unit.livret2_questions.all())
        ticked = [c.pk for c in unit.competences.all()][:competences] if unit.livret2_min_competences else []
        situations[situation.pk] = {
            "title": f"Titre{unit.number}x{situation.position}",
            "answers": [answer(unit.number, situation.position, i) for i in range(count)],
            "free_answer": answer(unit.number, situation.position, "libre"),
            "competences": ticked,
        }
    motivation = [
        f"Motivation{i} : je souhaite faire reconnaitre mon experience."
        for i in range(max(len(livret.referentiel.livret2_motivation), 1))
    ]
    return livret2.save_livret2_draft(
        livret,
        by=candidate,
        motivation=motivation,
        context="Je travaille dans une caisse primaire.",
        situations=situations,
        bloc_answers={
            u.number: [answer(u.number, 0, f"bloc{i}") for i in range(len(u.livret2_bloc_questions))]
            for u in livret.referentiel.units.all()
        },
    )


def livret2_post(livret, *, competences=2, **overrides):
    """The livret 2 form as the browser posts it, every field answered."""
    livret.refresh_from_db()
    data = {"version": str(livret.version), "context": "Je travaille dans une caisse primaire."}
    for i in range(max(len(livret.referentiel.livret2_motivation), 1)):
        data[f"motivation-{i}"] = f"Motivation{i} : je souhaite faire reconnaitre mon experience."
    for situation in livret.situations.select_related("unit"):
        unit, pk = situation.unit, situation.pk
        data[f"s-{pk}-title"] = f"Titre{unit.number}x{situation.position}"
        for i in range(len(unit.livret2_questions.all())):
            data[f"s-{pk}-q-{i}"] = answer(unit.number, situation.position, i)
        if unit.livret2_min_competences:
            data[f"s-{pk}-competences"] = [str(c.pk) for c in unit.competences.all()][:competences]
    for unit in livret.referentiel.units.all():
        for i in range(len(unit.livret2_bloc_questions)):
            data[f"b-{unit.number}-{i}"] = answer(unit.number, 0, f"bloc{i}")
    data.update(overrides)
    return data


def session_with(dossier, member, *, by):
    from referentiels.models import Certifier

    certifier = (
        dossier.certification.certifier if dossier is not None else Certifier.objects.get(code="cpnefp_mutualite")
    )
    session = JurySession.objects.create(
        certifier=certifier, date=dt.date(2027, 3, 15), start_time=dt.time(9, 0), place="OEMM, Paris", created_by=by
    )
    SessionMember.objects.create(session=session, user=member, college=College.EMPLOYEUR)
    if dossier is not None:
        SessionCandidate.objects.create(session=session, dossier=dossier)
    return session


@pytest.fixture
def session_member(db):
    return user_with_role(Role.JURY)


@pytest.fixture
def other_session_member(db):
    return user_with_role(Role.JURY)
