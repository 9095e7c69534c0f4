"""The thread of a dossier: who writes and reads it, attachments checked and served as attachments, read receipts,
notifications to the other participants, sharing with the jury, history, export and anonymisation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from candidates import workflow as dossier_workflow
from cqp.enums import NotificationKind, Role
from cqp.exceptions import WorkflowError
from cqp.outbox_models import OutboundEmail
from messagerie import services
from messagerie.access import unread_count
from messagerie.models import Message, MessageRead
from messagerie.personal_data import ANONYMISED_BODY
from notifications.models import Notification
from vae.uploads import check_upload

from ..factories import user_with_role
from ..jury.conftest import planned_session
from ..security.test_uploads_hostile import corpus
from ..vae.conftest import PDF, upload

PARIS = ZoneInfo("Europe/Paris")


def thread_url(dossier):
    return reverse("messagerie:thread", kwargs={"number": dossier.number})


def post(dossier, user, body="Bonjour", name=None, data=PDF):
    return services.post_message(
        dossier, by=user, body=body, checked=check_upload(upload(name, data)) if name else None
    )


# ------------------------------------------------------------------------------------------------- services


def test_a_message_tells_the_other_participants_in_app_and_by_mail(dossier, candidat, organisme_staff, staff):
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 12, tzinfo=PARIS), tick=False):
        message = post(dossier, candidat, "Où en est mon dossier ?", "attestation.pdf")
    assert message.original_name == "attestation.pdf" and message.content_type == "application/pdf"
    told = Notification.objects.filter(kind=NotificationKind.MESSAGE_RECEIVED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([organisme_staff.pk, staff.pk])
    assert all(n.url == thread_url(dossier) for n in told)
    mail = OutboundEmail.objects.get(to=[organisme_staff.email])  # the centre: at once; the OEMM: daily digest
    assert thread_url(dossier) in mail.text_body and "Où en est mon dossier" not in mail.text_body
    assert candidat.pk not in told.values_list("recipient_id", flat=True)


def test_an_empty_message_is_refused(dossier, candidat):
    with pytest.raises(WorkflowError):
        services.post_message(dossier, by=candidat, body="   ")
    assert not Message.objects.exists()


def test_read_receipts_and_unread_count(client, dossier, candidat, organisme_staff):
    post(dossier, candidat, "Premier")
    post(dossier, candidat, "Second")
    assert unread_count(organisme_staff, dossier) == 2 and unread_count(candidat, dossier) == 0
    client.force_login(organisme_staff)
    page = client.get(reverse("candidates:dossier", kwargs={"number": dossier.number})).content.decode()
    assert "2 messages non lus" in page
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 12, tzinfo=PARIS), tick=False):
        assert client.get(thread_url(dossier)).status_code == 200
    assert unread_count(organisme_staff, dossier) == 0
    assert MessageRead.objects.filter(reader=organisme_staff).count() == 2
    page = client.get(reverse("candidates:dossier", kwargs={"number": dossier.number})).content.decode()
    assert "non lu" not in page.split("Messages", 1)[1].split("</a>", 1)[0]  # read with the dossier: none left
    client.force_login(candidat)
    page = client.get(reverse("candidates:dossier", kwargs={"number": dossier.number})).content.decode()
    assert "message non lu" not in page and "messages non lus" not in page  # their own messages
    page = client.get(thread_url(dossier)).content.decode()
    # the date kept on one line (no « 10 h » / « 12 » break on a phone)
    assert f'Lu par {organisme_staff} <span class="text-nowrap">le 4 décembre 2026 à 10 h 12</span>' in page


# ------------------------------------------------------------------------------------------------- views


@pytest.mark.parametrize(
    "case", ["pdf_hex_js_in_object_stream", "zip_duplicate_mimetype_bomb", "image_png_with_appended_zip"]
)
def test_a_hostile_attachment_is_refused_the_text_kept_nothing_stored(client, dossier, candidat, settings, case):
    client.force_login(candidat)
    data, extension, _ = corpus()[case]
    response = client.post(thread_url(dossier), {"body": "Mon texte gardé", "file": upload(f"piece{extension}", data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mon texte gardé" in page and f"« piece{extension} »" in page
    assert not Message.objects.exists() and not Notification.objects.exists()
    storage = settings.STORAGES["default"]["OPTIONS"]["location"]
    import pathlib

    assert not any(pathlib.Path(storage).rglob("*.*"))


def test_the_form_refuses_too_long_and_empty_messages(client, dossier, candidat):
    client.force_login(candidat)
    too_long = client.post(thread_url(dossier), {"body": "a" * 5001})
    assert too_long.status_code == 400 and "5 000 caractères" in too_long.content.decode()
    empty = client.post(thread_url(dossier), {"body": ""})
    assert empty.status_code == 400 and "message vide" in empty.content.decode()


def test_the_candidate_sends_and_the_centre_downloads(client, dossier, candidat, organisme_staff):
    client.force_login(candidat)
    response = client.post(thread_url(dossier), {"body": "Voici la pièce", "file": upload("cv.pdf", PDF)})
    assert response.status_code == 302
    message = Message.objects.get()
    client.force_login(organisme_staff)
    url = reverse("messagerie:attachment", kwargs={"number": dossier.number, "pk": message.pk})
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff" and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("who", ["other_candidate", "other_centre", "company", "jury", "anonymous"])
def test_outsiders_get_a_404(client, dossier, candidat, who, referentiels):
    message = post(dossier, candidat, "Privé", "cv.pdf")
    outsider = {
        "other_candidate": lambda: user_with_role(Role.CANDIDAT),
        "other_centre": lambda: user_with_role(Role.ORGANISME),
        "company": lambda: user_with_role(Role.ENTREPRISE),
        "jury": lambda: user_with_role(Role.JURY),
        "anonymous": lambda: None,
    }[who]()
    if outsider:
        client.force_login(outsider)
    for url in (
        thread_url(dossier),
        reverse("messagerie:attachment", kwargs={"number": dossier.number, "pk": message.pk}),
    ):
        assert client.get(url).status_code == (302 if outsider is None else 404)
    assert client.post(thread_url(dossier), {"body": "Intrus"}).status_code == (302 if outsider is None else 404)
    assert Message.objects.count() == 1


# ------------------------------------------------------------------------------------------------- the jury


def test_the_jury_reads_only_the_messages_the_oemm_shared(client, referentiels, candidat, staff):
    member, other_member = user_with_role(Role.JURY), user_with_role(Role.JURY)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0, tzinfo=PARIS), tick=False):
        from ..jury.conftest import ready_dossier

        dossier = ready_dossier("cos", by=staff, candidate=candidat)
        planned_session(by=staff, codes=["cos"], members={"sal1": member}, dossiers=[dossier])
        planned_session(by=staff, codes=["cos"], day=dt.date(2026, 11, 25), members={"x": other_member})
        shared = post(dossier, candidat, "À montrer au jury", "preuve.pdf")
        private = post(dossier, candidat, "Pas pour le jury", "prive.pdf")
    client.force_login(member)
    assert client.get(thread_url(dossier)).status_code == 404  # nothing shared yet
    client.force_login(staff)
    response = client.post(reverse("messagerie:share", kwargs={"number": dossier.number, "pk": shared.pk}))
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.shared_with_jury_by == staff and shared.shared_with_jury_at is not None
    assert shared.history.first().history_change_reason == "Message partagé avec le jury"
    client.force_login(member)
    page = client.get(thread_url(dossier)).content.decode()
    assert "À montrer au jury" in page and "Pas pour le jury" not in page and "Envoyer le message" not in page
    attachment = reverse("messagerie:attachment", kwargs={"number": dossier.number, "pk": private.pk})
    assert client.get(attachment).status_code == 404
    assert client.post(thread_url(dossier), {"body": "Réponse"}).status_code == 403
    client.force_login(other_member)
    assert client.get(thread_url(dossier)).status_code == 404
    client.force_login(candidat)  # the candidate cannot share
    assert (
        client.post(reverse("messagerie:share", kwargs={"number": dossier.number, "pk": private.pk})).status_code == 403
    )


# ------------------------------------------------------------------------------------------------- history, data


def test_history_export_and_anonymisation(client, dossier, candidat, staff):
    from pilotage.personal_data.anonymisation import anonymise_candidate
    from pilotage.personal_data.export import build_export

    message = post(dossier, candidat, "Mon adresse est 3 rue des Lilas", "cv.pdf")
    client.force_login(staff)
    history = client.get(reverse("candidates:audit", kwargs={"number": dossier.number}))
    assert history.status_code == 200 and "Message envoyé" in history.content.decode()
    data, files = build_export(candidat)
    assert "Mon adresse est 3 rue des Lilas" in str(data)
    assert any(f.path.endswith("cv.pdf") for f in files)
    stored = message.file.name
    dossier_workflow.close(dossier, by=staff, reason="Abandon")
    anonymise_candidate(candidat, by=staff, reason="Demande")
    message.refresh_from_db()
    assert message.body == ANONYMISED_BODY and not message.file and message.original_name == ""
    assert not message.file.storage.exists(stored)


def test_each_author_is_named_with_what_they_are_to_the_dossier(client, dossier, candidat, organisme_staff, staff):
    post(dossier, staff, "Votre pièce d'identité est illisible.")
    post(dossier, candidat, "Je vous en envoie une autre.")
    post(dossier, organisme_staff, "Nous aidons le candidat.")
    client.force_login(candidat)
    page = client.get(thread_url(dossier)).content.decode()
    for person, label in ((staff, "OEMM"), (candidat, "candidat"), (organisme_staff, "organisme")):
        assert f"<strong>{escape(str(person))}</strong> ({label})" in page
