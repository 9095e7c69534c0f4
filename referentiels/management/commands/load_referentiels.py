from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referentiels.loader import ReferentielFileError, load_referentiels


class Command(BaseCommand):
    help = "Charge les référentiels YAML (fixtures/referentiels/*.yaml) en une transaction, de façon idempotente."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Fichiers à charger (par défaut : tous ceux du dossier).")

    def handle(self, *args, paths, **options):
        files = [Path(p) for p in paths] or sorted(Path(settings.REFERENTIELS_DIR).glob("*.yaml"))
        if not files:
            raise CommandError(f"Aucun fichier de référentiel dans {settings.REFERENTIELS_DIR}.")
        try:
            results = load_referentiels(files, certifiers_path=settings.CERTIFIERS_FILE)
        except ReferentielFileError as exc:
            raise CommandError(f"Aucun référentiel chargé. Fichier invalide : {exc}") from exc
        for result in results:
            state = "nouvelle version" if result.created else "inchangé"
            self.stdout.write(f"{result.code} : version {result.version} ({state})")
