"""Notifications name the candidate: exported with their data (without who was told), erased by anonymisation."""

from candidates import workflow as dossier_workflow
from cqp.enums import NotificationKind
from notifications import notify
from notifications.models import Notification
from notifications.personal_data import ANONYMISED_MESSAGE
from pilotage.personal_data.anonymisation import anonymise_candidate
from pilotage.personal_data.export import build_export
from referentiels.models import Certification


def test_export_and_anonymisation(referentiels, candidat, oemm):
    dossier = dossier_workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="cos"))
    notify(
        NotificationKind.LIVRET1_RECEIVED,
        recipient_ids=[oemm.pk],
        key="p",
        message=f"Livret 1 reçu de {candidat}",
        url=dossier.get_absolute_url(),
        dossier_id=dossier.pk,
    )
    data, _ = build_export(candidat)
    (exported,) = data["staff_notifications"]
    assert exported["message"] == f"Livret 1 reçu de {candidat}" and exported["kind_label"] == "Livret 1 reçu"
    assert oemm.email not in str(data["staff_notifications"])
    dossier_workflow.close(dossier, by=oemm, reason="Abandon")
    anonymise_candidate(candidat, by=oemm, reason="Demande")
    notification = Notification.objects.get()
    assert notification.message == ANONYMISED_MESSAGE and notification.url == ""
