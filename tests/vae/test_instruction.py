"""Instruction by OEMM: queue, decisions (recevable, non recevable, incomplet), silence, validity and renewal."""

import datetime as dt
import html
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from candidates.enums import DossierState
from cqp.exceptions import WorkflowError
from referentiels.models import ReferentielVersion
from vae import workflow
from vae.enums import DemandNature, Livret1State
from vae.models import Livret1

from .conftest import complete, make_dossier


def decide_url(livret):
    return reverse("vae:livret1_decide", args=[livret.dossier.number])


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def submitted(complete_livret, candidat):
    return workflow.submit_livret1(complete_livret, by=candidat)


def test_queue_lists_submitted_livrets_with_deadlines_overdue_first_and_filters(
    client, referentiels, candidat, other_candidat, oemm
):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0), tick=False):
        old = workflow.submit_livret1(
            complete(workflow.start_livret1(make_dossier(candidat, "gpac"), by=candidat), candidat), by=candidat
        )
    new = workflow.submit_livret1(
        complete(workflow.start_livret1(make_dossier(other_candidat, "cos"), by=other_candidat), other_candidat),
        by=other_candidat,
    )
    draft = workflow.start_livret1(make_dossier(other_candidat, "cmi"), by=other_candidat)
    client.force_login(oemm)
    page = html.unescape(client.get(reverse("vae:queue")).content.decode())
    assert old.dossier.number in page and new.dossier.number in page and draft.dossier.number not in page
    assert page.index(old.dossier.number) < page.index(new.dossier.number)
    assert "5 janvier 2026" in page and "5 mars 2026" in page and "délai dépassé" in page and "table-danger" in page
    page = client.get(reverse("vae:queue"), {"cqp": "cos"}).content.decode()
    assert new.dossier.number in page and old.dossier.number not in page


@time_machine.travel(dt.datetime(2026, 8, 31, 10, 0), tick=False)
def test_recevable_decision_makes_the_dossier_recevable_with_validity_and_pdf_notification(
    client, submitted, oemm, on_commit
):
    client.force_login(oemm)
    page = html.unescape(client.get(decide_url(submitted)).content.decode())
    assert "Martin" in page and "Conseillère offres de services" in page and "cni.pdf" in page
    assert "Expérience prise en compte" in page and "Je confirme cette décision" in page
    response = client.post(decide_url(submitted), {"decision": "recevable", "gap_analysis": "Peu d'écarts."})
    assert "Cochez la case pour confirmer la décision." in html.unescape(response.content.decode())
    with on_commit():
        response = client.post(
            decide_url(submitted),
            {
                "decision": "recevable",
                "gap_analysis": "Activité 3 peu développée.",
                "recommended_training": "Module « Conduite d'entretien ».",
                "confirm": "on",
            },
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == Livret1State.RECEVABLE and submitted.decided_by == oemm and not submitted.tacit
    assert submitted.decided_on == dt.date(2026, 8, 31) and submitted.valid_until == dt.date(2028, 2, 29)
    assert submitted.dossier.state == DossierState.RECEVABLE
    labels = list(submitted.dossier.events.values_list("label", "from_state", "to_state"))
    assert ("Livret 1 : demande recevable", "soumis", "recevable") in labels
    assert ("Demande recevable", "inscrit", "recevable") in labels
    message = mail.outbox[-1]
    assert "est recevable" in message.subject and "29 février 2028" in message.body
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    text = pdf_text(content)
    assert "RECEVABLE" in text and "Activité 3 peu développée." in text and "Conduite d'entretien" in text
    # No second decision.
    assert client.get(decide_url(submitted)).status_code == 302
    with pytest.raises(WorkflowError, match="Recevable"):
        workflow.declare_non_recevable(submitted, by=oemm, reason="x")


def test_non_recevable_closes_the_dossier_with_the_reason(client, submitted, oemm, on_commit):
    client.force_login(oemm)
    response = client.post(decide_url(submitted), {"decision": "non_recevable", "confirm": "on"})
    assert "Indiquez le motif" in html.unescape(response.content.decode())
    with on_commit():
        client.post(
            decide_url(submitted),
            {"decision": "non_recevable", "comment": "Expérience sans rapport avec le CQP.", "confirm": "on"},
        )
    submitted.refresh_from_db()
    assert submitted.state == Livret1State.NON_RECEVABLE
    assert submitted.dossier.state == DossierState.CLOS
    assert "Expérience sans rapport avec le CQP." in submitted.dossier.closed_reason
    decision_mail = [m for m in mail.outbox if "pas recevable" in m.subject][0]
    assert "NE PAS" in pdf_text(decision_mail.attachments[0][1]).upper() or "PAS RECEVABLE" in pdf_text(
        decision_mail.attachments[0][1]
    )


def test_incomplete_goes_back_to_the_candidate_and_the_delay_restarts(client, referentiels, candidat, oemm, on_commit):
    dossier = make_dossier(candidat, "cos")
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0), tick=False):
        livret = workflow.submit_livret1(complete(workflow.start_livret1(dossier, by=candidat), candidat), by=candidat)
        assert livret.instruction_deadline == dt.date(2026, 5, 2)
        client.force_login(oemm)
        with on_commit():
            client.post(
                decide_url(livret),
                {"decision": "incomplet", "comment": "Attestation employeur illisible.", "confirm": "on"},
            )
    livret.refresh_from_db()
    assert livret.state == Livret1State.INCOMPLET and livret.is_editable
    assert "à compléter" in mail.outbox[-1].subject
    client.force_login(candidat)
    page = html.unescape(client.get(reverse("vae:livret1", args=[dossier.number])).content.decode())
    assert 'id="livret1-form"' in page and "Attestation employeur illisible." in page
    # OEMM cannot edit the candidate's livret.
    client.force_login(oemm)
    assert (
        client.post(reverse("vae:livret1_save", args=[dossier.number]), {"version": livret.version}).status_code == 403
    )
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0), tick=False):
        livret = workflow.submit_livret1(livret, by=candidat)
    assert livret.received_on == dt.date(2026, 4, 20) and livret.instruction_deadline == dt.date(2026, 6, 20)
    assert dossier.events.filter(label="Livret 1 complété et envoyé de nouveau").exists()


def test_tacit_acceptance_where_silence_means_acceptance_only_and_idempotent(
    referentiels, candidat, other_candidat, on_commit
):
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0), tick=False):
        cos = workflow.submit_livret1(
            complete(workflow.start_livret1(make_dossier(candidat, "cos"), by=candidat), candidat), by=candidat
        )
        gpac = workflow.submit_livret1(
            complete(workflow.start_livret1(make_dossier(other_candidat, "gpac"), by=other_candidat), other_candidat),
            by=other_candidat,
        )
    assert workflow.apply_tacit_acceptance(dt.date(2027, 1, 24)) == 0  # deadline day: still within the delay
    sent = len(mail.outbox)
    with on_commit():
        assert workflow.apply_tacit_acceptance(dt.date(2027, 1, 25)) == 1
    assert workflow.apply_tacit_acceptance(dt.date(2027, 1, 26)) == 0  # idempotent
    cos.refresh_from_db()
    gpac.refresh_from_db()
    assert cos.state == Livret1State.RECEVABLE and cos.tacit and cos.decided_by is None
    assert cos.decided_on == dt.date(2027, 1, 24) and cos.valid_until == dt.date(2028, 7, 24)
    assert cos.dossier.state == DossierState.RECEVABLE
    event = cos.dossier.events.get(action="livret1_tacit_acceptance")
    assert event.label == "Recevabilité tacite (silence de 2 mois)" and event.actor is None
    assert gpac.state == Livret1State.SOUMIS  # Mutualité: no silence rule
    assert len(mail.outbox) == sent + 1 and "tacite" in mail.outbox[-1].body


def _recevable(candidat, oemm, code="cos"):
    dossier = make_dossier(candidat, code)
    livret = workflow.submit_livret1(complete(workflow.start_livret1(dossier, by=candidat), candidat), by=candidat)
    return workflow.declare_recevable(livret, by=oemm)


@pytest.mark.parametrize("new_version, kind", [(False, DemandNature.PROROGATION), (True, DemandNature.RENOUVELLEMENT)])
def test_expired_recevabilite_offers_the_right_new_demand(client, referentiels, candidat, oemm, new_version, kind):
    with time_machine.travel(dt.datetime(2026, 8, 31, 10, 0), tick=False):
        old = _recevable(candidat, oemm)
    assert old.valid_until == dt.date(2028, 2, 29)
    if new_version:
        current = old.referentiel
        ReferentielVersion.objects.filter(pk=current.pk).update(is_current=False)
        clone = ReferentielVersion.objects.get(pk=current.pk)
        clone.pk = clone.id = None
        clone.number, clone.is_current, clone._state.adding = 2, True, True
        clone.save()
    with time_machine.travel(dt.datetime(2028, 2, 29, 10, 0), tick=False):
        client.force_login(candidat)
        page = html.unescape(client.get(old.dossier.get_absolute_url()).content.decode())
        assert "a expiré" not in page and "jusqu'au 29 février 2028" in page
        assert client.post(reverse("vae:livret1_renew", args=[old.dossier.number])).status_code == 403
    with time_machine.travel(dt.datetime(2028, 3, 1, 10, 0), tick=False):
        client.force_login(candidat)
        page = html.unescape(client.get(old.dossier.get_absolute_url()).content.decode())
        assert "La recevabilité a expiré le 29 février 2028" in page and kind.label.lower() in page
        response = client.post(reverse("vae:livret1_renew", args=[old.dossier.number]))
        assert response.status_code == 302
    new = Livret1.objects.get(dossier=old.dossier, is_active=True)
    old.refresh_from_db()
    assert new.nature == kind and new.previous == old and not old.is_active and new.state == Livret1State.BROUILLON
    assert new.birth_name == "Martin" and new.experiences.count() == 1 and not new.declaration_accepted
    assert new.referentiel.number == (2 if new_version else 1)
    client.force_login(candidat)
    page = html.unescape(client.get(old.dossier.get_absolute_url()).content.decode())
    assert "Demandes précédentes" in page and "Première demande" in page
    assert client.get(reverse("vae:livret1_archive", args=[old.dossier.number, old.pk])).status_code == 200
    # The new demand is decided without moving the dossier (already recevable).
    with time_machine.travel(dt.datetime(2028, 3, 2, 10, 0), tick=False):
        new = workflow.submit_livret1(complete(new, candidat), by=candidat)
        new = workflow.declare_recevable(new, by=oemm)
    assert new.valid_until == dt.date(2029, 9, 2) and new.dossier.state == DossierState.RECEVABLE


def test_mutualite_recevabilite_is_not_limited(referentiels, candidat, oemm):
    livret = _recevable(candidat, oemm, "gpac")
    assert livret.valid_until is None and not livret.is_expired(dt.date(2099, 1, 1))
