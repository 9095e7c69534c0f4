"""Anonymise the candidates whose every dossier ended more than RETENTION_YEARS ago (also run by the daily job)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from pilotage.personal_data import anonymise_past_retention, past_retention


class Command(BaseCommand):
    help = "Anonymise les candidats dont la durée de conservation des données (RETENTION_YEARS) est échue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Jour de référence (AAAA-MM-JJ), aujourd'hui par défaut."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Affiche le nombre de comptes concernés sans rien modifier."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        from django.utils import timezone

        today = date or timezone.localdate()
        if dry_run:
            count = past_retention(today).count()
            self.stdout.write(f"{count} compte(s) à anonymiser (conservation : {settings.RETENTION_YEARS} ans).")
            return
        done = anonymise_past_retention(today)
        self.stdout.write(f"{len(done)} compte(s) anonymisé(s) (conservation : {settings.RETENTION_YEARS} ans).")
