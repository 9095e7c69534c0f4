from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cqp.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (manage.py backup) : REMPLACE la base de données et les fichiers privés. "
        "Arrêtez d'abord le serveur web et les workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Dossier de la sauvegarde, par exemple var/backups/cqp-20261123T013000Z.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Ne pas demander de confirmation."
        )

    def handle(self, *args, path, interactive, **options):
        path = Path(path)
        try:
            manifest = read_manifest(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            answer = input(
                f"La base et les fichiers privés actuels seront remplacés par la sauvegarde du "
                f"{manifest['created_at']} ({manifest['media_files']} fichiers). Tapez « oui » pour continuer : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée.")
        try:
            result = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde du {result['created_at']} restaurée : base {result['engine']}, {result['media_files']} "
                "fichiers."
            )
        )
