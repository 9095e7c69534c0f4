"""A message of a dossier's thread, with at most one attachment, and who read it when."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

MAX_LENGTH = 5000


def attachment_upload_to(instance, filename):
    """A random name: the original name is kept only for display."""
    ext = os.path.splitext(filename)[1].lower()
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Message(models.Model):
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="messages", verbose_name="dossier"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    body = models.TextField("message", max_length=MAX_LENGTH, blank=True)
    created_at = models.DateTimeField("envoyé le", default=timezone.now, db_index=True)
    file = models.FileField("pièce jointe", upload_to=attachment_upload_to, max_length=255, blank=True)
    original_name = models.CharField("nom de la pièce jointe", max_length=200, blank=True)
    size = models.PositiveIntegerField("taille (octets)", null=True, blank=True)
    content_type = models.CharField("type de contenu", max_length=100, blank=True)
    shared_with_session = models.ForeignKey(
        "jury.JurySession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partagé avec le jury de la session",
    )
    shared_with_jury_at = models.DateTimeField("partagé avec le jury le", null=True, blank=True)
    shared_with_jury_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="partagé avec le jury par",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message {self.pk} du dossier {self.dossier_id}"


class MessageRead(models.Model):
    """The read receipt of one reader (the author's own reading is not recorded)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads", verbose_name="message")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="lecteur"
    )
    read_at = models.DateTimeField("lu le", default=timezone.now)

    class Meta:
        verbose_name = "lecture d'un message"
        verbose_name_plural = "lectures des messages"
        ordering = ["read_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["message", "reader"], name="message_read_once")]

    def __str__(self):
        return f"Lu par {self.reader_id} le {self.read_at:%Y-%m-%d %H:%M}"
