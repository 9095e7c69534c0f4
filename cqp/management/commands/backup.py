import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cqp.backup import BackupError, create_backup, list_backups, prune


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers privés (pièces, PDF) dans un dossier daté de BACKUP_DIR, "
        "puis supprime les sauvegardes de plus de BACKUP_KEEP_DAYS jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=settings.BACKUP_DIR, help="Dossier des sauvegardes (BACKUP_DIR).")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=settings.BACKUP_KEEP_DAYS,
            help="Durée de conservation en jours (BACKUP_KEEP_DAYS) ; la plus récente reste toujours.",
        )
        parser.add_argument(
            "--if-older-than-hours",
            type=float,
            default=None,
            help="Ne rien faire si la dernière sauvegarde a moins de ce nombre d'heures.",
        )

    def handle(self, *args, directory, keep_days, if_older_than_hours, **options):
        if keep_days < 1:
            raise CommandError("--keep-days doit valoir au moins 1.")
        directory = Path(directory)
        now = dt.datetime.now(dt.UTC)
        existing = list_backups(directory)
        if (
            if_older_than_hours is not None
            and existing
            and now - existing[-1].created_at < dt.timedelta(hours=if_older_than_hours)
        ):
            self.stdout.write(f"Dernière sauvegarde récente ({existing[-1].path.name}) : rien à faire.")
            return
        try:
            backup = create_backup(directory, now=now)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {backup.path}"))
        for path in prune(directory, keep_days=keep_days, now=now):
            self.stdout.write(f"Sauvegarde ancienne supprimée : {path.name}")
