"""The outbox: every e-mail of the platform, written in the transaction of the change that causes it (cqp/outbox.py).

Imported by cqp/models.py (the app's models module), so that Django finds the model.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import OutboundEmailState


class OutboundEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=OutboundEmailState.EN_ATTENTE)

    def failed(self):
        return self.filter(state=OutboundEmailState.EN_ECHEC)

    def due(self, now):
        """Pending e-mails whose next attempt has come."""
        return self.pending().filter(next_attempt_at__lte=now)

    def late(self, now, after):
        """Pending e-mails whose attempt should have happened ``after`` ago (a lost task, a mail server down)."""
        return self.pending().filter(next_attempt_at__lte=now - after)


class OutboundEmail(models.Model):
    """One e-mail to send, sent once (its idempotence key is unique; the sending locks the row and checks its state).

    ``attachments``: a list of ``{"filename", "mimetype", "path"}`` (a file of the default storage, read when the
    e-mail is sent: a fiche de décision's PDF) or ``{"filename", "mimetype", "content"}`` (small generated content,
    base64: a calendar invitation).
    """

    key = models.CharField("clé d'idempotence", max_length=200, unique=True)
    to = models.JSONField("destinataires", default=list)
    from_email = models.CharField(
        "expéditeur", max_length=300, blank=True, help_text="Vide : l'adresse d'envoi de la plateforme."
    )
    subject = models.CharField("objet", max_length=500)
    text_body = models.TextField("texte")
    html_body = models.TextField("texte HTML", blank=True)
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    state = models.CharField(
        "état", max_length=20, choices=OutboundEmailState.choices, default=OutboundEmailState.EN_ATTENTE
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative le", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    failed_at = models.DateTimeField("en échec depuis le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    # Who is told of failures may not be told through the failing path: the admins' daily summary of failures is
    # never itself listed in the next summary (cqp/outbox_report.py).
    is_failure_report = models.BooleanField("récapitulatif des échecs", default=False)

    # Audited: each change of state (sent, retry planned, failed, sent again by the OEMM) with who and why; the
    # bodies are not copied into the history.
    history = HistoricalRecords(excluded_fields=["text_body", "html_body", "attachments"])

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "e-mail sortant"
        verbose_name_plural = "e-mails sortants"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="en_attente"), name="outbound_email_due_idx"),
            models.Index(fields=["failed_at"], condition=Q(state="en_echec"), name="outbound_email_failed_idx"),
        ]

    def __str__(self):
        return f"E-mail n° {self.pk} ({self.get_state_display()}) : {self.subject}"

    @property
    def recipients(self) -> str:
        return ", ".join(self.to)
