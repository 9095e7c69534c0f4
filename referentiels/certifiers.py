"""The certifiers: the CPNEFP Mutualité (operated by the OEMM) and the Ucanss, each with its own rules and papers.

A certifier is data (fixtures/certifiers.yaml, loaded by ``load_referentiels``, then editable in the admin): its
names, address and contacts, the legal texts its sworn statement cites, its jury's composition, the signatory of
each kind of document and the words its letters use. Templates and messages read them from here; nothing says
« OEMM », « UGEM » or a decree by itself.
"""

from email.utils import parseaddr

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# The kinds of documents a signatory is configured for (Certifier.signatories keys).
DOCUMENT_KINDS = {
    "certificate": "certificat",
    "convocation": "convocation",
    "notification": "notification de recevabilité",
    "fiche": "fiche de décision",
}


class Certifier(models.Model):
    code = models.SlugField("code", max_length=30, unique=True)
    name = models.CharField("nom", max_length=100, help_text="ex. « CPNEFP Mutualité », « Ucanss »")
    designation = models.CharField(
        "désignation dans une phrase", max_length=120, help_text="ex. « la CPNEFP Mutualité », « l'Ucanss »"
    )
    long_name = models.CharField("nom développé", max_length=300, blank=True)
    operator = models.CharField(
        "opérateur", max_length=100, blank=True, help_text="L'organisme qui mène les opérations pour lui (ex. OEMM)."
    )
    operator_long_name = models.CharField("nom développé de l'opérateur", max_length=300, blank=True)
    contact_label = models.CharField(
        "à qui s'adresser (dans une phrase)",
        max_length=200,
        help_text="ex. « l'OEMM », « le service formation de l'Ucanss »",
    )
    address = models.TextField("adresse postale", blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    website = models.URLField("site", blank=True)
    logo = models.FileField("logo", upload_to="certifiers/", blank=True)
    legal_mentions = models.TextField("mentions légales (pied des documents)", blank=True)
    legal_basis = models.TextField(
        "textes cités par la déclaration sur l'honneur", help_text="ex. « décret n° 2002-615 du 26 avril 2002 »"
    )
    recevabilite_body = models.CharField(
        "qui instruit la recevabilité (dans une phrase)",
        max_length=200,
        help_text="ex. « l'OEMM pour la CPNEFP Mutualité »",
    )
    recevabilite_wording = models.TextField("mention de la notification de recevabilité", blank=True)
    jury_label = models.CharField("nom du jury", max_length=100, help_text="ex. « jury paritaire »")
    jury_min_members = models.PositiveIntegerField("membres du jury au moins")
    jury_max_members = models.PositiveIntegerField("membres du jury au plus")
    jury_colleges = models.JSONField(
        "collèges du jury",
        default=list,
        help_text='Liste de {"college": "employeur" ou "salarie", "label": …, "plural": …, "min": n, "max": n}.',
    )
    president_alternates = models.BooleanField("la présidence alterne entre les collèges", default=True)
    signatories = models.JSONField(
        "signataires par document", default=dict, blank=True, help_text='ex. {"certificate": {"name": …, "title": …}}'
    )
    dossier_transmission = models.TextField("qui transmet le dossier au jury", blank=True)
    reminder_sender_name = models.CharField("expéditeur des rappels", max_length=200, blank=True)
    reminder_sender_email = models.EmailField("adresse d'expédition des rappels", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "certificateur"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """« CPNEFP Mutualité (OEMM) », « Ucanss »."""
        return f"{self.name} ({self.operator})" if self.operator else self.name

    @property
    def wordmark(self) -> str:
        """The static path of the certifier's text wordmark (static/img/certifier-<code>.svg), "" when there is none.

        The seeds hold no official logo: these are plain text marks, replaced on the documents by ``logo`` once the
        certifier's real logo is uploaded in the admin."""
        name = f"img/certifier-{self.code}.svg"
        return name if (settings.BASE_DIR / "static" / name).exists() else ""

    @property
    def wordmark_file(self) -> str:
        """The wordmark's file path, for WeasyPrint (official PDFs)."""
        return str(settings.BASE_DIR / "static" / self.wordmark) if self.wordmark else ""

    def college_label(self, college: str) -> str:
        for entry in self.jury_colleges:
            if entry.get("college") == college:
                return entry.get("label", college)
        return college

    def college_rules(self) -> list[tuple[str, str, int, int]]:
        """[(college, plural label, min, max)]: the argument of jury.rules.check_composition."""
        return [(c["college"], c.get("plural", c["label"]), c["min"], c["max"]) for c in self.jury_colleges]

    def jury_rule(self) -> dict:
        return {
            "colleges": self.college_rules(),
            "min_members": self.jury_min_members,
            "max_members": self.jury_max_members,
        }

    def reminder_from(self) -> str:
        """The From of this certifier's reminders: « Ucanss — service formation <formation@ucanss.fr> »; without its
        own address, the platform's sending address under the certifier's sender name."""
        name = (self.reminder_sender_name or self.name).translate({ord(c): None for c in '<>",'})
        return f"{name} <{self.reminder_sender_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}>"

    def signatory(self, kind: str) -> dict:
        """{"name": …, "title": …} of the person who signs this kind of document (empty texts when not configured)."""
        entry = (self.signatories or {}).get(kind) or {}
        return {"name": entry.get("name", ""), "title": entry.get("title", "")}
