"""A notification to one person, and each person's choice of e-mail delivery.

Mostly for staff; candidates get them too (a message on their dossier, a piece to replace).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from cqp.enums import NotificationKind, Role

from .enums import Delivery


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's own notifications: nobody sees another's (a 404 through get_object_or_404)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def awaiting_digest(self):
        """Not yet e-mailed: what the next daily digest of their recipient carries."""
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="destinataire"
    )
    kind = models.CharField("type", max_length=40, choices=NotificationKind.choices)
    key = models.CharField("clé", max_length=200, help_text="L'événement notifié : une notification par personne.")
    dossier = models.ForeignKey(
        "candidates.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="dossier",
    )
    session = models.ForeignKey(
        "jury.JurySession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="session de jury",
    )
    message = models.CharField("message", max_length=500)
    url = models.CharField("lien", max_length=300, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyée par e-mail le", null=True, blank=True)
    email_key = models.CharField(
        "e-mail", max_length=200, blank=True, help_text="Clé de l'e-mail (immédiat ou récapitulatif) qui l'a portée."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message

    def get_absolute_url(self):
        return reverse("notifications:open", kwargs={"pk": self.pk})


class NotificationPreference(models.Model):
    """A person's choice; without one, the default of ``default_delivery``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name="personne",
    )
    delivery = models.CharField("notifications par e-mail", max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self):
        return f"{self.user} : {self.get_delivery_display()}"


def default_delivery(role_set) -> str:
    """The OEMM's staff receive many notifications: a daily digest; everyone else: at once."""
    return Delivery.DIGEST if Role.OEMM in role_set else Delivery.IMMEDIATE


def delivery_of(user) -> str:
    chosen = NotificationPreference.objects.filter(user=user).values_list("delivery", flat=True).first()
    return chosen or default_delivery(user.role_set)
