"""One « world » of real objects for the access matrix, built once per module.

The candidate owns a VAE dossier (livret 1 recevable with a pièce and its notification PDF, livret 2 received with a
pièce, accompagnement by the linked centre, passed in an open jury session: convocation, signed fiche de décision,
certificate) and a voie formative dossier (salarié of the linked entreprise: entretien, livret de suivi, tutorat,
evaluation finale). The other candidate has a VAE dossier in another session, with another jury member.

The world is written inside a transaction that is rolled back at the end of the module; each test runs in a
savepoint of it (pytest-django's ``db``), so a POST in one test never leaks into the next.
"""

import datetime as dt
import types
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import TestCase, override_settings

from candidates import workflow as dossier_workflow
from cqp.celery import app as celery_app
from cqp.enums import College, EntrepriseFunction, Role
from jury import workflow as jury_workflow
from jury.models import Certificate, Convocation
from referentiels.enums import CriterionKind
from referentiels.models import Certification
from vae import workflow as vae_workflow
from vae.enums import AccompagnementNature
from vae.workflow import accompagnement, livret2

from ..candidates.formation_support import criteria, fill_livret_evaluation, orient, units_of
from ..factories import EntrepriseFactory, OrganismeFactory, give_jury_documents, user_with_role
from ..jury.conftest import all_units, planned_session
from ..vae.conftest import PDF, complete, upload
from ..vae.livret2_support import fill, register

PARIS = ZoneInfo("Europe/Paris")
SESSION_DAY = dt.date(2026, 11, 23)
# Every request of the matrix is made at this instant: the day after the session (still open, fiche signed).
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)

PERSONAS = [
    "anonymous",
    "candidate",
    "other_candidate",
    "centre",
    "other_centre",
    "company",
    "other_company",
    "oemm",
    "jury",
    "other_jury",
    "president",
    "admin",
]


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=PARIS), tick=False)


def _member(college, union):
    return user_with_role(Role.JURY, college=college, union_name=union)


def build_world():
    """Create every object; return a namespace (personas in ``people``, objects as attributes)."""
    from django.core.management import call_command

    w = types.SimpleNamespace()
    with at(2026, 1, 5):
        call_command("load_referentiels", verbosity=0)
        cos = Certification.objects.get(code="cos")
        spsp = Certification.objects.get(code="spsp")
        centre = OrganismeFactory(
            name="Institut de Formation Mutualiste",
            agrement_from=dt.date(2020, 1, 1),
            agrement_to=dt.date(2099, 12, 31),
        )
        centre.certifications.add(*Certification.objects.all())
        other_centre = OrganismeFactory(
            name="Autre centre", agrement_from=dt.date(2020, 1, 1), agrement_to=dt.date(2099, 12, 31)
        )
        other_centre.certifications.add(*Certification.objects.all())
        entreprise = EntrepriseFactory(name="Mutuelle Solidaire")
        people = {
            "anonymous": None,
            "candidate": user_with_role(Role.CANDIDAT),
            "other_candidate": user_with_role(Role.CANDIDAT),
            "centre": user_with_role(Role.ORGANISME, organisme=centre),
            "other_centre": user_with_role(Role.ORGANISME, organisme=other_centre),
            "company": user_with_role(
                Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.RH
            ),
            "other_company": user_with_role(Role.ENTREPRISE, entreprise_function=EntrepriseFunction.RH),
            "oemm": user_with_role(Role.OEMM),
            "president": _member(College.EMPLOYEUR, "UGEM"),
            "jury": _member(College.SALARIE, "CGT"),
            "other_jury": _member(College.SALARIE, "FO"),
            "admin": user_with_role(Role.ADMIN),
        }
        from cqp.accounts import ensure_oemm_group

        people["oemm"].groups.add(ensure_oemm_group())  # as accounts.grant_role does: the referentiels in the admin
        members = {
            "emp1": people["president"],
            "emp2": _member(College.EMPLOYEUR, "UGEM"),
            "sal1": _member(College.SALARIE, "CFDT"),
            "sal2": people["jury"],
        }
        tutor = user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.TUTEUR)
        evaluator1 = user_with_role(
            Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.MANAGER
        )
        evaluator2 = user_with_role(
            Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR
        )
        candidate, oemm = people["candidate"], people["oemm"]

        # --- VAE dossier: livret 1 (pièces), recevable (notification PDF), accompagnement by the centre.
        vae = register(candidate, "cos")
        vae.organisme, vae.entreprise = centre, entreprise
        vae.save(update_fields=["organisme", "entreprise"])
        livret1 = complete(vae_workflow.start_livret1(vae, by=candidate), candidate)
        vae_workflow.submit_livret1(livret1, by=candidate)
        with TestCase.captureOnCommitCallbacks(execute=True):
            livret1 = vae_workflow.declare_recevable(livret1, by=oemm)
    with at(2026, 2, 1):
        convention = accompagnement.request_accompagnement(vae, by=candidate, organisme=centre)
        accompagnement.set_terms(
            convention,
            by=people["centre"],
            nature=AccompagnementNature.MIXTE,
            sessions_count=6,
            session_hours=2,
            start_on=dt.date(2026, 3, 1),
            end_on=dt.date(2026, 5, 31),
        )
        accompagnement.accept_convention(convention, by=people["centre"], party="organisme")
        convention = accompagnement.accept_convention(convention, by=candidate, party="candidate")
        # --- livret 2 with a pièce, sent and received: the dossier is ready for the jury.
        book2 = fill(livret2.start_livret2(vae, by=candidate), candidate)
        livret2_piece = livret2.add_livret2_piece(
            book2, by=candidate, kind="preuve", checked=vae_workflow_check(upload("preuve.pdf", PDF))
        )
        book2 = livret2.submit_livret2(book2, by=candidate)
        book2 = livret2.acknowledge_livret2(book2, by=oemm)

        # --- the other candidate: a VAE dossier declared ready (no livrets), in another session.
        other_vae = register(people["other_candidate"], "cos")
        dossier_workflow.declare_recevable(other_vae, by=oemm)
        dossier_workflow.mark_ready_for_jury(other_vae, by=oemm)

    # --- voie formative dossier of the same candidate, salarié of the entreprise, trained by the centre.
    with at(2026, 11, 23, 9, 0):
        formative = dossier_workflow.register_employee(
            by=people["company"],
            entreprise=entreprise,
            email=candidate.email,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            certification=spsp,
            organisme=centre,
            mention=spsp.current_version.mentions.first(),
        )
        orient(formative, people["centre"])
        dossier_workflow.designate(
            formative,
            by=people["company"],
            tutor=tutor,
            evaluator1=evaluator1,
            evaluator1_function="Responsable du service prestations",
            evaluator2=evaluator2,
            evaluator2_function="Formatrice interne",
        )
        units = units_of(formative)
        unit = units[0]
        dossier_workflow.save_livret_suivi(
            formative,
            by=people["centre"],
            training_manager="Claire Martin",
            modules=[
                {
                    "unit_id": unit.pk,
                    "title": "Processus santé",
                    "hours": 60,
                    "start_on": dt.date(2027, 1, 4),
                    "end_on": dt.date(2027, 1, 29),
                    "content": "Études de cas.",
                }
            ],
        )
        dossier_workflow.save_evaluation_formative(
            formative,
            unit,
            by=people["centre"],
            data={
                "held_on": dt.date(2027, 2, 15),
                "result": "atteint",
                "trainer_name": "Claire Martin",
                "progress_objectives": "",
                "ratings": {c.pk: "acquis" for c in criteria(unit, CriterionKind.FORMATIVE)},
            },
        )
        intermediate = dossier_workflow.save_intermediate_evaluation(
            formative, unit, by=tutor, data={"held_on": dt.date(2027, 2, 1)}
        )
        review = dossier_workflow.save_tutor_review(
            formative, by=tutor, data={"held_on": dt.date(2027, 2, 2), "with_whom": "La candidate"}
        )
        fill_livret_evaluation(
            formative,
            candidate=candidate,
            evaluator1=evaluator1,
            evaluator2=evaluator2,
            sign_candidate=False,
            sign_evaluators=False,
            parcours=False,
        )

    # --- jury: the candidate's session (convocation, deliberation, fiche signed: PDF and certificate), another session.
    vae.refresh_from_db()
    other_vae.refresh_from_db()
    give_jury_documents(vae)
    give_jury_documents(other_vae)
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[vae])
        seat = session.candidates.get()
        with TestCase.captureOnCommitCallbacks(execute=True):
            convocation = jury_workflow.convoke(seat, by=oemm)
        other_session = planned_session(
            by=oemm, codes=["cos"], day=dt.date(2026, 11, 25), members={"x": people["other_jury"]}, dossiers=[other_vae]
        )
        other_seat = other_session.candidates.get()
    with at(2026, 11, 23, 8, 30):
        jury_workflow.open_session(session, by=oemm, president=people["president"])
    with at(2026, 11, 23, 11, 0):
        seat.refresh_from_db()
        fiche = jury_workflow.record_deliberation(seat, by=members["emp2"], decisions=all_units(seat))
        with TestCase.captureOnCommitCallbacks(execute=True):
            jury_workflow.sign_fiche(fiche, by=people["president"])
    fiche.refresh_from_db()
    convocation = Convocation.objects.get(pk=convocation.pk)
    assert fiche.pdf, "the fiche PDF was not generated"
    assert convocation.pdf, "the convocation PDF was not generated"
    certificate = Certificate.objects.get(fiche=fiche)

    livret1.refresh_from_db()
    vae.refresh_from_db()
    w.people = people
    w.centre, w.other_centre, w.entreprise = centre, other_centre, entreprise
    w.vae, w.livret1, w.livret1_piece = vae, livret1, livret1.pieces.first()
    w.livret2, w.livret2_piece, w.convention = book2, livret2_piece, convention
    w.formative, w.unit, w.intermediate, w.review = formative, unit, intermediate, review
    w.tutor, w.evaluator1, w.evaluator2 = tutor, evaluator1, evaluator2
    w.session, w.seat, w.convocation, w.fiche, w.certificate = session, seat, convocation, fiche, certificate
    w.other_session, w.other_seat, w.other_vae = other_session, other_seat, other_vae
    w.member = session.members.get(user=members["sal1"])
    w.cos = cos
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cqp.models import DeletionRequest

    # An unconfirmed authenticator of a persona that does not use two-factor: the admin's device pages resolve.
    w.totp_device = TOTPDevice.objects.create(user=people["other_company"], name="Téléphone", confirmed=False)
    w.deletion_request = DeletionRequest.objects.create(
        candidate=people["other_candidate"], reason="Je quitte le secteur."
    )
    from cqp.enums import OutboundEmailState
    from cqp.models import OutboundEmail

    # An e-mail of the outbox that failed after its last attempt (the OEMM's « E-mails non remis » page).
    w.failed_email = OutboundEmail.objects.create(
        key="access:failed",
        to=[people["other_candidate"].email],
        subject="Votre dossier",
        text_body="Bonjour",
        state=OutboundEmailState.EN_ECHEC,
        attempts=9,
        last_error="ConnectionRefusedError : [Errno 111] Connection refused",
        failed_at=NOW,
    )
    from pilotage.models import TransmissionBatch

    w.register_batch = TransmissionBatch.objects.create(created_by=people["oemm"], format="csv", count=0)
    from cqp.enums import NotificationKind
    from notifications.models import Notification

    # A notification of the jury member (their own only: everyone else gets a 404).
    w.notification = Notification.objects.create(
        recipient=people["jury"],
        kind=NotificationKind.JURY_APPOINTED,
        key="access:appointed",
        message="Vous siégez au jury de la session",
        url=session.get_absolute_url(),
        session=session,
    )
    from messagerie import services as messagerie

    # A message of the candidate with an attachment, shared by the OEMM with the jury of the candidate's session.
    w.message = messagerie.post_message(
        vae, by=candidate, body="Bonjour, voici mon attestation.", checked=vae_workflow_check(upload("att.pdf", PDF))
    )
    messagerie.share_with_jury(w.message, by=oemm)
    from candidates.enums import SlotState
    from candidates.models import EntretienSlot

    # Créneaux d'entretien of the centre: one free, one booked for the candidate's VAE dossier (written directly: the
    # dossier is past the booking step).
    w.slot = EntretienSlot.objects.create(
        organisme=centre,
        starts_at=dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS),
        place="Salle 1",
        created_by=people["centre"],
    )
    w.booked_slot = EntretienSlot.objects.create(
        organisme=centre,
        starts_at=dt.datetime(2026, 12, 2, 10, 0, tzinfo=PARIS),
        place="Salle 1",
        created_by=people["centre"],
        state=SlotState.RESERVE,
        booked_by=vae,
        uid="entretien-access@cqp-mutualite",
    )
    return w


def vae_workflow_check(uploaded):
    from vae.uploads import check_upload

    return check_upload(uploaded)


@pytest.fixture(scope="module")
def access_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module; requests are then made at ``NOW``."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("private")), "base_url": None},
    }
    from django.conf import settings

    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={**settings.STORAGES, "default": storage},
        CELERY_TASK_ALWAYS_EAGER=True,
    )
    previous_eager = celery_app.conf.task_always_eager
    overrides.enable()
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            world = build_world()
            with time_machine.travel(NOW, tick=False):
                yield world
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = previous_eager
        overrides.disable()
