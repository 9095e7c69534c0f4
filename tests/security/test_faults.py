"""Faults: the database going away during a request, and tasks run twice (a worker killed, a message redelivered).

A database error gives a clean 503 page in French (cqp/middleware.py, templates/503.html), logged, and nothing half
written. Every task is idempotent: run twice, it has the effect of one run (one PDF, one e-mail).
"""

import logging

import pytest
from django.core import mail
from django.db import InterfaceError, OperationalError, connection
from django.template import loader
from django.test import Client

from candidates import workflow as dossier_workflow
from candidates.enums import DossierState
from candidates.models import Dossier, DossierEvent
from cqp.tasks import task_send_mail
from jury import workflow as jury_workflow
from jury.enums import PdfStatus
from jury.models import Convocation, FicheDecision
from jury.tasks import task_build_fiche, task_send_convocation
from referentiels.models import Certification
from vae import workflow as vae_workflow
from vae.tasks import task_notify_recevabilite_decision

from ..jury.conftest import all_units, at
from ..vae.conftest import complete, make_dossier

FRENCH_503 = "Service momentanément indisponible"


@pytest.fixture
def dossier(referentiels, candidat):
    certification = Certification.objects.get(code="cos")
    return dossier_workflow.register_vae(
        candidate=candidat, certification=certification, mention=certification.current_version.mentions.first()
    )


def _events(dossier):
    return DossierEvent.objects.filter(dossier=dossier).count()


# ------------------------------------------------------------------------------------------ database outage


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("connection already closed")],
)
def test_a_database_error_in_the_middle_of_a_write_gives_the_503_page_and_writes_nothing(
    client, dossier, oemm, monkeypatch, caplog, error
):
    """Closing a dossier writes the state, an audit row and the reason, then queues the mail: it fails there."""
    client.force_login(oemm)
    events = _events(dossier)

    def outage(*args, **kwargs):
        assert Dossier.objects.get(pk=dossier.pk).state == DossierState.CLOS  # the first writes did happen...
        raise error

    monkeypatch.setattr("candidates.emails.send_dossier_closed", outage)
    with caplog.at_level(logging.ERROR, logger="cqp.database"):
        response = client.post(f"/dossiers/{dossier.number}/clore/", {"reason": "Abandon du candidat"})
    assert response.status_code == 503 and response["Retry-After"]
    text = response.content.decode()
    assert FRENCH_503 in text and "rien n'est enregistré à moitié" in text and "Retour à l'accueil" in text
    assert any("Base de données indisponible" in r.getMessage() for r in caplog.records)
    dossier.refresh_from_db()  # ...and were rolled back with the rest
    assert dossier.state != DossierState.CLOS and dossier.closed_reason == "" and _events(dossier) == events
    assert mail.outbox == []


def test_a_database_error_before_the_view_is_also_the_503_page(dossier, candidat, monkeypatch):
    """The session (and the user) are read by the middlewares: the 500 handler turns that outage into the 503 page."""
    client = Client(raise_request_exception=False)
    client.force_login(candidat)

    def outage(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", outage)
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 503 and FRENCH_503 in response.content.decode()


def test_other_errors_keep_the_500_page(dossier, oemm, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(oemm)
    monkeypatch.setattr("candidates.emails.send_dossier_closed", lambda *a, **k: 1 / 0)
    response = client.post(f"/dossiers/{dossier.number}/clore/", {"reason": "Abandon"})
    assert response.status_code == 500 and "Une erreur est survenue" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state != DossierState.CLOS


def test_the_503_page_needs_no_database():
    """No ``db`` fixture: pytest-django refuses any query, so rendering proves the page reads nothing there."""
    text = loader.get_template("503.html").render({})
    assert FRENCH_503 in text and 'lang="fr"' in text and "bootstrap" in text


@pytest.mark.django_db(transaction=True)
def test_postgresql_connection_killed_mid_request_commits_nothing(referentiels, candidat, oemm, monkeypatch):
    """On PostgreSQL: a second connection terminates the request's backend between its writes and its commit."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    import psycopg2

    certification = Certification.objects.get(code="cos")
    dossier = dossier_workflow.register_vae(
        candidate=candidat, certification=certification, mention=certification.current_version.mentions.first()
    )
    events = _events(dossier)
    settings_dict = connection.settings_dict

    def kill_my_backend(*args, **kwargs):
        pid = connection.connection.info.backend_pid
        killer = psycopg2.connect(
            dbname=settings_dict["NAME"],
            user=settings_dict["USER"],
            host=settings_dict["HOST"],
            port=settings_dict["PORT"],
            password=settings_dict["PASSWORD"],
        )
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        killer.close()

    monkeypatch.setattr("candidates.emails.send_dossier_closed", kill_my_backend)
    client = Client(raise_request_exception=False)
    client.force_login(oemm)
    response = client.post(f"/dossiers/{dossier.number}/clore/", {"reason": "Abandon du candidat"})
    assert response.status_code == 503 and FRENCH_503 in response.content.decode()
    connection.close()  # the test's own connection was the one killed: reconnect
    dossier.refresh_from_db()
    assert dossier.state != DossierState.CLOS and dossier.closed_reason == "" and _events(dossier) == events
    # The next request works again on a fresh connection.
    assert client.get(dossier.get_absolute_url()).status_code == 200


# ------------------------------------------------------------------------------------------ idempotent tasks

MAIL = {"subject": "Objet", "text": "Bonjour", "html": "<p>Bonjour</p>", "to": ["claire@exemple.fr"]}


def test_the_mail_task_run_twice_with_one_key_sends_once(db):
    """The task carries the outbox row's id (cqp/outbox.py): run twice (redelivered after a kill), it sends once."""
    from cqp.outbox import enqueue

    pk = enqueue(key="test:once", **MAIL)
    assert enqueue(key="test:once", **MAIL) == pk  # one row per key
    assert task_send_mail.apply(kwargs={"email_id": pk}).get() == "sent"
    assert task_send_mail.apply(kwargs={"email_id": pk}).get() == "skipped"
    assert len(mail.outbox) == 1


def test_a_mail_that_failed_is_sent_on_the_retry(db, monkeypatch):
    """A failed send is recorded (attempts, error) and not marked as sent: the retry sends it."""
    import datetime

    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from cqp.outbox import enqueue

    original = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("SMTP indisponible")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    pk = enqueue(key="test:retry", **MAIL)
    assert task_send_mail.run(email_id=pk) == "retry"
    later = timezone.now() + datetime.timedelta(hours=1)
    from cqp.outbox import deliver

    assert deliver(pk, now=later) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_queue_mail_gives_each_mail_its_own_key(candidat):
    from cqp.mail import queue_mail

    for _ in range(2):
        queue_mail(
            "role_granted",
            {"user": candidat, "role_label": "Candidat", "invited_by": "OEMM", "link": "x"},
            [candidat.email],
        )
    assert len(mail.outbox) == 2  # two mails queued: two keys, two sendings


def test_the_recevabilite_notification_task_run_twice_sends_one_notification(
    referentiels, candidat, oemm, on_commit, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    livret = complete(vae_workflow.start_livret1(make_dossier(candidat), by=candidat), candidat)
    vae_workflow.submit_livret1(livret, by=candidat)
    mail.outbox.clear()
    with on_commit():
        vae_workflow.declare_recevable(livret, by=oemm)
    assert len(mail.outbox) == 1
    with on_commit():
        task_notify_recevabilite_decision.apply(kwargs={"livret_id": livret.pk})
    assert len(mail.outbox) == 1


@pytest.fixture
def jury_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def _files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def test_the_fiche_task_run_twice_stores_one_pdf_and_mails_once(open_session_with, members, on_commit, jury_storage):
    session, (candidate,) = open_session_with(("cos", None))
    fiche = jury_workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    mail.outbox.clear()
    with on_commit():
        jury_workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    assert fiche.pdf_status == PdfStatus.READY
    first_files, first_mails = _files(jury_storage), len(mail.outbox)
    assert first_mails == 1 and any(name.endswith(".pdf") for name in first_files)
    with on_commit():
        task_build_fiche.apply(kwargs={"fiche_id": fiche.pk})
    assert _files(jury_storage) == first_files and len(mail.outbox) == 1
    assert FicheDecision.objects.get(pk=fiche.pk).pdf.name == fiche.pdf.name


def test_the_convocation_task_run_twice_stores_one_pdf_and_mails_once(
    referentiels, oemm, members, on_commit, jury_storage
):
    from ..jury.conftest import planned_session, ready_dossier

    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
        candidate = session.candidates.get()
        mail.outbox.clear()
        with on_commit():
            jury_workflow.convoke(candidate, by=oemm)
    convocation = Convocation.objects.get(session_candidate=candidate)
    first_files = _files(jury_storage)

    def convocations_mailed():  # the members are also told, by their own e-mail, that the dossiers are ready to read
        return [m for m in mail.outbox if m.to == [candidate.dossier.candidate.email]]

    assert len(convocations_mailed()) == 1 and convocation.pdf and convocation.mailed_at
    with on_commit():
        task_send_convocation.apply(kwargs={"convocation_id": convocation.pk})
    assert _files(jury_storage) == first_files and len(convocations_mailed()) == 1


def test_a_fiche_mail_lost_between_the_commit_and_the_queue_is_queued_by_the_redelivered_task(
    open_session_with, members, on_commit, jury_storage, monkeypatch
):
    """The worker dies right after the commit that set mailed_at: the mail was never queued. The redelivered task
    queues it, once."""
    from jury import documents

    session, (candidate,) = open_session_with(("cos", None))
    fiche = jury_workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    mail.outbox.clear()
    with monkeypatch.context() as patched:
        patched.setattr(documents.emails, "send_fiche", lambda *args, **kwargs: None)  # killed before queueing
        with on_commit():
            jury_workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    assert fiche.mailed_at is not None and mail.outbox == []
    for _ in range(2):  # the redelivery, then another run (a retry, a rebuild): one mail
        with on_commit():
            task_build_fiche.apply(kwargs={"fiche_id": fiche.pk})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [candidate.dossier.candidate.email]


def test_a_convocation_mail_lost_after_the_commit_is_queued_again_once(
    referentiels, oemm, members, on_commit, jury_storage, monkeypatch
):
    from jury import documents

    from ..jury.conftest import planned_session, ready_dossier

    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
        candidate = session.candidates.get()
        mail.outbox.clear()
        with monkeypatch.context() as patched:
            patched.setattr(documents.emails, "send_convocation", lambda *args, **kwargs: None)
            with on_commit():
                jury_workflow.convoke(candidate, by=oemm)
        convocation = Convocation.objects.get(session_candidate=candidate)
        to_candidate = [candidate.dossier.candidate.email]  # the members are told by their own e-mails
        assert convocation.mailed_at is not None and [m for m in mail.outbox if m.to == to_candidate] == []
        for _ in range(2):
            with on_commit():
                task_send_convocation.apply(kwargs={"convocation_id": convocation.pk})
    assert len([m for m in mail.outbox if m.to == to_candidate]) == 1
