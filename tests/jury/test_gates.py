"""Gates of the jury (issue 14): a session opens on its date (a remote one the day before, with a recorded reason);
a fiche is signed on the session's date or later, never dated before it; the livret's timing is shown per candidate
with the word of the dossier's path."""

import datetime

import pytest

from cqp.exceptions import WorkflowError
from jury import rules, workflow
from jury.enums import SessionState
from jury.models import Certificate, SessionEvent

from .conftest import SESSION_DAY, all_units, at, on_day, planned_session, ready_dossier

DAY = datetime.date(2027, 1, 6)
DAY_BEFORE = datetime.date(2027, 1, 5)


@pytest.mark.parametrize(
    "today, remote, reason, problem",
    [
        (DAY, False, "", None),
        (DAY, True, "", None),
        (DAY_BEFORE, True, "Membres en déplacement la veille", None),
        (DAY_BEFORE, True, "  ", "indiquez le motif de l'ouverture anticipée"),
        (DAY_BEFORE, False, "Motif", "seule une session à distance"),
        (datetime.date(2026, 12, 3), True, "Motif", "s'ouvre le 6 janvier 2027, jour de sa tenue"),
        (datetime.date(2026, 12, 3), False, "", "s'ouvre le 6 janvier 2027, jour de sa tenue"),
        (datetime.date(2027, 1, 7), False, "", "était prévue le 6 janvier 2027"),
    ],
)
def test_opening_problem(today, remote, reason, problem):
    found = rules.opening_problem(DAY, today, remote=remote, early_reason=reason)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize(
    "today, refused",
    [(datetime.date(2026, 12, 3), True), (DAY_BEFORE, True), (DAY, False), (datetime.date(2027, 1, 8), False)],
)
def test_signing_problem(today, refused):
    problem = rules.signing_problem(DAY, today)
    assert bool(problem) is refused
    if refused:
        assert "avant le jour de la session (6 janvier 2027)" in problem


@pytest.mark.parametrize(
    "path, received, today, label, late",
    [
        (
            "vae",
            datetime.date(2026, 10, 1),
            None,
            "Livret 2 reçu le 1er octobre 2026 (au plus tard le 6 novembre 2026)",
            False,
        ),
        (
            "vae",
            datetime.date(2026, 11, 7),
            None,
            "Livret 2 reçu le 7 novembre 2026, après la date limite du 6 novembre 2026",
            True,
        ),
        ("vae", None, datetime.date(2026, 10, 1), "Livret 2 non reçu : attendu au plus tard le 6 novembre 2026", False),
        ("vae", None, datetime.date(2026, 11, 7), "Livret 2 non reçu : attendu au plus tard le 6 novembre 2026", True),
        (
            "formation",
            datetime.date(2026, 10, 1),
            None,
            "Livret d'évaluation finale reçu le 1er octobre 2026 (au plus tard le 6 novembre 2026)",
            False,
        ),
        (
            "formation",
            None,
            datetime.date(2026, 11, 7),
            "Livret d'évaluation finale non reçu : attendu au plus tard le 6 novembre 2026",
            True,
        ),
    ],
)
def test_livret_timing_names_the_path_livret(path, received, today, label, late):
    timing = rules.livret_timing(datetime.date(2027, 1, 6), 2, received, path=path, today=today)
    assert timing.label == label and timing.late is late
    if path == "formation":
        assert "livret 2" not in timing.label.lower()


def _session(oemm, members, *, day=SESSION_DAY, video_link=""):
    with at(2026, 9, 1):
        dossier = ready_dossier("cos", by=oemm)
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[dossier], day=day)
    if video_link:
        session.video_link = video_link
        session.save(update_fields=["video_link"])
    return session


def test_a_session_does_not_open_before_its_date(referentiels, oemm, members):
    session = _session(oemm, members)
    with at(2026, 11, 20), pytest.raises(WorkflowError, match="s'ouvre le 23 novembre 2026, jour de sa tenue"):
        workflow.open_session(session, by=oemm, president=members["emp1"])
    # The day before, a session held in a room does not open either, even with a reason.
    with at(2026, 11, 22), pytest.raises(WorkflowError, match="seule une session à distance"):
        workflow.open_session(session, by=oemm, president=members["emp1"], early_reason="Salle prête")
    session.refresh_from_db()
    assert session.state == SessionState.PLANIFIEE and not session.events.filter(action="open_session").exists()
    with on_day(SESSION_DAY, 8, 30):
        workflow.open_session(session, by=oemm, president=members["emp1"], early_reason="ignoré le jour même")
    session.refresh_from_db()
    assert session.state == SessionState.OUVERTE and session.early_opening_reason == ""


def test_a_remote_session_opens_the_day_before_with_its_reason_kept(referentiels, oemm, members, on_commit):
    session = _session(oemm, members, video_link="https://visio.exemple.fr/jury")
    with at(2026, 11, 22, 17), pytest.raises(WorkflowError, match="indiquez le motif"):
        workflow.open_session(session, by=oemm, president=members["emp1"])
    with at(2026, 11, 22, 17):
        workflow.open_session(
            session, by=oemm, president=members["emp1"], early_reason="Jury réparti sur trois régions"
        )
    session.refresh_from_db()
    assert session.state == SessionState.OUVERTE
    assert session.early_opening_reason == "Jury réparti sur trois régions"
    event = SessionEvent.objects.get(session=session, action="open_session")
    assert event.label == "Session à distance ouverte la veille" and event.comment == "Jury réparti sur trois régions"
    assert event.data == {"early": True, "opened_on": "2026-11-22", "reason": "Jury réparti sur trois régions"}
    assert session.history.filter(early_opening_reason="Jury réparti sur trois régions").exists()
    # Deliberated the day before, the fiche is not signed before the session's date.
    candidate = session.candidates.get()
    with at(2026, 11, 22, 18):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        with pytest.raises(WorkflowError, match="avant le jour de la session \\(23 novembre 2026\\)"):
            workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    assert fiche.signed_at is None and not Certificate.objects.exists()
    with on_day(SESSION_DAY, 9, 15), on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    certificate = Certificate.objects.get(fiche=fiche)
    assert fiche.signed_at.date() == SESSION_DAY and certificate.issued_on == SESSION_DAY


def test_a_signature_is_dated_by_its_moment_never_before_the_session(open_session_with, members, on_commit):
    session, (candidate,) = open_session_with(("cos", None))
    with on_day(SESSION_DAY, 11):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    with at(2026, 11, 26, 14), on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    # Signed three days after the session: the fiche says so; the certificate is dated by the session.
    assert fiche.signed_at.date() == datetime.date(2026, 11, 26)
    assert Certificate.objects.get(fiche=fiche).issued_on == SESSION_DAY
    assert fiche.signed_at.date() >= session.date


@pytest.mark.parametrize("path, word", [("vae", "livret 2"), ("formation", "livret d'évaluation finale")])
def test_the_timing_is_on_the_session_page_and_convocation_names_the_path_livret(
    client, referentiels, oemm, members, path, word
):
    from candidates.models import Dossier

    with at(2026, 9, 1):
        dossier = ready_dossier("cos", by=oemm)
        Dossier.objects.filter(pk=dossier.pk).update(path=path)
        session = planned_session(
            by=oemm, codes=["cos"], members=members, dossiers=[dossier], day=datetime.date(2026, 9, 15)
        )
    months = dossier.version.livret2_due_months_before_session
    client.force_login(oemm)
    with at(2026, 9, 2):
        content = client.get(session.get_absolute_url()).content.decode()
        capitalised = word[0].upper() + word[1:]
        assert f"{capitalised} reçu le 1er septembre 2026, après la date limite".replace("'", "&#x27;") in content
        assert "convocation impossible" in content
        if path == "formation":
            assert "Livret 2" not in content
        with pytest.raises(WorkflowError) as exc:
            workflow.convoke(session.candidates.get(), by=oemm)
    assert str(exc.value).startswith(f"Convocation refusée : le {word} devait parvenir au plus tard le ")
    assert f"({months} mois avant la session)" in str(exc.value)
