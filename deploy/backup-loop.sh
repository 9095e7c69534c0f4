#!/bin/sh
# The backup service of docker-compose.yml: a backup at start when the last one is older than 20 hours, then one
# every day at BACKUP_TIME (HH:MM, UTC), keeping BACKUP_KEEP_DAYS days (python manage.py backup, cqp/backup.py).
# A failed backup is logged (and reported to Sentry when SENTRY_DSN is set) and tried again the next day; the
# service's healthcheck turns unhealthy when no backup is younger than 26 hours.
set -u
BACKUP_TIME="${BACKUP_TIME:-01:30}"
python manage.py backup --if-older-than-hours 20 || echo "Sauvegarde en échec : nouvel essai à ${BACKUP_TIME} UTC." >&2
while true; do
  now=$(date -u +%s)
  next=$(date -u -d "today ${BACKUP_TIME}" +%s) || { echo "BACKUP_TIME invalide : ${BACKUP_TIME} (HH:MM attendu)" >&2; exit 2; }
  [ "$next" -le "$now" ] && next=$((next + 86400))
  sleep $((next - now))
  python manage.py backup || echo "Sauvegarde en échec : nouvel essai demain à ${BACKUP_TIME} UTC." >&2
done
