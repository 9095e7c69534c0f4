"""``python manage.py seed_volume``: realistic volume for benchmarks (see pilotage/volume/)."""

import time

from django.core.management.base import BaseCommand

from pilotage.volume import seed_volume


class Command(BaseCommand):
    help = "Crée en masse des candidats, dossiers, livrets, sessions de jury et décisions (mesures de performance)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=10000, help="nombre de candidats (et de dossiers)")
        parser.add_argument("--sessions", type=int, default=None, help="sessions de jury (défaut : candidats / 50)")
        parser.add_argument("--light", action="store_true", help="candidats et dossiers ouverts seulement")

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = seed_volume(
            candidates=options["candidates"],
            sessions=options["sessions"],
            light=options["light"],
            log=self.stdout.write,
        )
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(f"Volume créé en {time.monotonic() - started:.1f} s : {detail}")
