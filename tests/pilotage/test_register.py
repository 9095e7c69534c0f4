"""The register of certified holders: filled from signed total validations, exported, transmission tracked and
audited, late ones against the three-month limit, a rectified fiche followed."""

import csv
import datetime
import io

from candidates.models import Dossier
from jury import workflow
from jury.enums import Outcome
from pilotage.cockpit.queues import BY_KEY
from pilotage.models import HolderRecord, RegisterState, TransmissionBatch
from pilotage.register.sync import sync_register
from tests.jury.conftest import all_units, at


def _sign(session, candidate, members, *, outcome_all=True):
    workflow.record_attendance(candidate, by=members["emp1"], attendance="present")
    workflow.record_deliberation(
        candidate,
        by=members["emp1"],
        decisions=all_units(candidate, validated=outcome_all),
        experience_to_deepen="" if outcome_all else "Conduite d'entretien",
        modules_to_follow="" if outcome_all else "Module 2",
    )
    fiche = candidate.current_fiche
    workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    return fiche


def _csv(response):
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_register_fills_exports_and_tracks_transmission(client, referentiels, oemm, members, open_session_with):
    session, candidates = open_session_with(("gpac", None), ("gpac", None))
    with at(2026, 11, 23, 11):
        total = _sign(session, candidates[0], members)
        _sign(session, candidates[1], members, outcome_all=False)
    assert total.outcome == Outcome.TOTALE
    with at(2026, 11, 24):
        assert sync_register() == {"created": 1, "changed": 0}
        assert sync_register() == {"created": 0, "changed": 0}  # idempotent
        record = HolderRecord.objects.get()
        assert record.dossier == candidates[0].dossier and record.due_on == datetime.date(2027, 2, 23)
        assert BY_KEY["accrochage-a-transmettre"].summarize(datetime.date(2026, 11, 24)).count == 1
        client.force_login(oemm)
        page = client.get("/oemm/registre/").content.decode()
        assert candidates[0].dossier.number in page and "À transmettre" in page
        response = client.post("/oemm/registre/exporter/", {"format": "csv"})
        lines = _csv(response)
        assert lines[0][:3] == ["Identifiant du certificateur", "Certificateur", "Nom de naissance"]
        assert lines[1][lines[0].index("Dossier")] == candidates[0].dossier.number
        assert lines[1][lines[0].index("Voie d'accès")] == "VAE"
        record.refresh_from_db()
        assert record.state == RegisterState.EXPORTE
        batch = TransmissionBatch.objects.get()
        assert (batch.created_by, batch.count) == (oemm, 1)
        client.post(f"/oemm/registre/lots/{batch.pk}/transmis/")
        record.refresh_from_db()
        batch.refresh_from_db()
        assert record.state == RegisterState.TRANSMIS and batch.transmitted_by == oemm
        assert batch.history.count() == 2 and batch.history.first().history_user == oemm  # audited
        assert BY_KEY["accrochage-a-transmettre"].summarize(datetime.date(2026, 11, 24)).count == 0


def test_xml_is_refused_until_configured(client, referentiels, oemm, members, open_session_with):
    session, candidates = open_session_with(("gpac", None))
    with at(2026, 11, 23, 11):
        _sign(session, candidates[0], members)
        client.force_login(oemm)
        response = client.post("/oemm/registre/exporter/", {"format": "xml"}, follow=True)
    assert "pas encore configuré" in response.content.decode()
    assert HolderRecord.objects.get().state == RegisterState.A_TRANSMETTRE


def test_late_lines_after_three_months(referentiels, oemm, members, open_session_with):
    session, candidates = open_session_with(("gpac", None))
    with at(2026, 11, 23, 11):
        _sign(session, candidates[0], members)
        sync_register()
    summary = BY_KEY["accrochage-a-transmettre"].summarize(datetime.date(2027, 3, 1))
    assert summary.count == 1 and summary.overdue == 1


def test_a_rectified_fiche_is_followed(referentiels, oemm, members, open_session_with):
    session, candidates = open_session_with(("gpac", None))
    with at(2026, 11, 23, 11):
        fiche = _sign(session, candidates[0], members)
        sync_register()
        HolderRecord.objects.update(state=RegisterState.TRANSMIS)
        workflow.correct_fiche(
            fiche,
            by=oemm,
            reason="Erreur matérielle sur une unité",
            decisions={unit: False for unit in list(all_units(candidates[0]))[:1]}
            | {unit: True for unit in list(all_units(candidates[0]))[1:]},
            experience_to_deepen="Conduite d'entretien",
            modules_to_follow="Module 2",
        )
        assert sync_register()["changed"] == 1
    record = HolderRecord.objects.get()
    assert record.fiche.version == 2
    assert record.state == RegisterState.ANNULE and "rectifiée" in record.note


def test_register_is_for_the_oemm_only(client, referentiels, candidat, jury_member):
    assert client.get("/oemm/registre/").status_code == 302
    for user in (candidat, jury_member):
        client.force_login(user)
        assert client.get("/oemm/registre/").status_code == 403
        assert client.post("/oemm/registre/exporter/").status_code == 403
    assert Dossier.objects.count() == 0
