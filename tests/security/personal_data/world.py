"""Helpers of the personal-data tests: a VAE dossier, the zip of an export, posting and reading the messages shown,
what a refused action must leave as it was."""

import html
import io
import zipfile

from django.contrib.messages import get_messages

from candidates import workflow as dossier_workflow
from candidates.models import DossierEvent
from cqp.models import DeletionRequest, User
from referentiels.models import Certification


def vae_dossier(candidate, code="cos"):
    certification = Certification.objects.get(code=code)
    mention = certification.current_version.mentions.first()
    return dossier_workflow.register_vae(candidate=candidate, certification=certification, mention=mention)


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def post_and_show(client, url, data=None):
    """POST, then open the page it redirects to: the messages are shown there (and so consumed)."""
    response = client.post(url, data or {})
    if response.status_code == 302:
        shown = client.get(response["Location"])
        assert shown.status_code == 200
        page = html.unescape(shown.content.decode())
        assert all(message in page for message in messages_of(response))
    return response


def written():
    """What a refused action must leave as it was: deletion requests, accounts, audit events (rows, as values)."""
    return (
        list(DeletionRequest.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "email", "first_name", "is_active", "anonymised_at")),
        list(DossierEvent.objects.order_by("pk").values_list("pk", "action")),
    )


def closed_dossier(candidate, oemm):
    dossier = vae_dossier(candidate)
    dossier_workflow.close(dossier, by=oemm, reason="Abandon")
    return dossier
