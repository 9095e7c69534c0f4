import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from candidates import workflow as dossier_workflow
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from jury import workflow as jury_workflow
from referentiels.models import Certification
from vae.enums import ConventionState
from vae.models import ConventionAccompagnement

from ..factories import OrganismeFactory, give_jury_documents, user_with_role
from .run import send_reminders

D = dt.date


@pytest.fixture
def placed(referentiels, candidat, oemm):
    cos = Certification.objects.get(code="cos")
    dossier = dossier_workflow.register_vae(candidate=candidat, certification=cos)
    dossier_workflow.declare_recevable(dossier, by=oemm)
    give_jury_documents(dossier)
    session = jury_workflow.create_session(
        by=oemm,
        certifications=Certification.objects.filter(code="cos"),
        date=D(2027, 3, 15),
        start_time=dt.time(9),
        place="Ucanss, Paris",
        capacity=8,
    )
    passage = jury_workflow.add_candidate(session, by=oemm, dossier=dossier)
    centre = OrganismeFactory()
    centre.certifications.add(cos)
    accompagnateur = user_with_role(Role.ORGANISME, organisme=centre)
    ConventionAccompagnement.objects.create(
        dossier=dossier,
        organisme=centre,
        state=ConventionState.ACCEPTEE,
        requested_by=candidat,
        candidate_accepted_at=timezone.now(),
        organisme_accepted_at=timezone.now(),
    )
    return dossier, session, passage, accompagnateur


def test_livret2_due_reminds_candidate_and_accompagnateur_at_two_weeks_and_three_days(placed, candidat):
    dossier, session, passage, accompagnateur = placed
    # Session 15 March 2027, livret 2 due one month before: 15 February 2027.
    assert send_reminders(D(2027, 1, 31)).sent == []
    assert len(send_reminders(D(2027, 2, 1)).sent) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([candidat.email, accompagnateur.email])
    assert all("15 février 2027" in m.body for m in mail.outbox)
    assert len(send_reminders(D(2027, 2, 12)).sent) == 2
    assert send_reminders(D(2027, 2, 16)).sent == []


def test_a_recevable_dossier_cannot_be_convoked_before_its_livret2(placed, oemm):
    dossier, session, passage, _ = placed
    with pytest.raises(WorkflowError, match="au plus tard le 15/02/2027"):
        jury_workflow.convoke(passage, by=oemm)
