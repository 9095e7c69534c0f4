"""Write a self-signed key and certificate for the electronic seal, for development (never for production)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cqp.seal_keys import write_self_signed_pair


class Command(BaseCommand):
    help = "Crée une paire clé / certificat auto-signé pour sceller les PDF en développement (si absente)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Remplace la paire existante.")

    def handle(self, *args, force, **options):
        key, cert = Path(settings.SEAL_KEY_FILE), Path(settings.SEAL_CERT_FILE)
        if key.exists() and cert.exists() and not force:
            self.stdout.write(f"Certificat de scellement déjà présent : {cert}")
            return
        write_self_signed_pair(key, cert, common_name=settings.SEAL_SIGNER_NAME)
        self.stdout.write(f"Certificat de scellement auto-signé créé : {cert} (développement seulement)")
