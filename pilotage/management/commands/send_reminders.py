import datetime

from django.core.management.base import BaseCommand, CommandError

from pilotage.reminders import send_reminders


class Command(BaseCommand):
    help = "Envoie les rappels d'échéances dus (le même travail que la tâche quotidienne)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Affiche ce qui serait envoyé, sans rien enregistrer."
        )
        parser.add_argument("--date", help="Date du jour à simuler, AAAA-MM-JJ (par défaut : aujourd'hui).")

    def handle(self, *args, dry_run, date, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("--date attend une date AAAA-MM-JJ.") from exc
        report = send_reminders(today, dry_run=dry_run)
        verb = "serait envoyé" if dry_run else "à envoyer"
        for reminder, _due in report.planned:
            self.stdout.write(
                f"{reminder.get_kind_display()} — {reminder.subject_label} — échéance {reminder.due_date:%d/%m/%Y} "
                f"— seuil {reminder.threshold} — destinataire n°{reminder.recipient_id} ({verb})"
            )
        if dry_run:
            self.stdout.write(f"{len(report.planned)} rappel(s) seraient envoyés.")
        else:
            self.stdout.write(
                f"{len(report.sent)} rappel(s) envoyé(s), {len(report.failed)} échec(s), {report.superseded} "
                "remplacé(s)."
            )
