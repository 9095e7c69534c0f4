"""Backups of the database and of the private media (uploaded pièces, fiches de décision, certificates, convocations).

One backup is a folder ``<BACKUP_DIR>/cqp-<UTC time>/`` holding:

* ``database.pgdump`` (``pg_dump --format=custom``, PostgreSQL) or ``database.sqlite3`` (SQLite's online backup);
* ``private-media.tar.gz``, the whole ``PRIVATE_MEDIA_ROOT``;
* ``manifest.json``: when, which engine, how many files, and the SHA-256 of both files (checked before a restore).

It is written under a ``.partial`` name and renamed when complete: a backup interrupted half-way is never taken for a
good one. Backups hold personal data: folders are ``0700``, files ``0600``. ``prune`` keeps ``keep_days`` days of
backups (always the newest one). ``restore`` replaces the database (PostgreSQL: the ``public`` schema is emptied,
then ``pg_restore`` in one transaction) and the private media (emptied, then extracted) with the backup's.

Used by ``manage.py backup`` / ``manage.py restore`` (``make backup`` / ``make restore``) and by the ``backup``
service of docker-compose.yml (deploy/backup-loop.sh, once a day).
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

PREFIX = "cqp-"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "private-media.tar.gz"
PG_DUMP, SQLITE_DUMP = "database.pgdump", "database.sqlite3"
SKIPPED_MEDIA = {"sante"}  # the health probe's scratch folder (cqp/health.py)
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message is in French, for the operator."""


@dataclass
class Backup:
    path: Path
    created_at: dt.datetime


def _engine(alias="default") -> str:
    engine = settings.DATABASES[alias]["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Moteur de base non pris en charge : {engine}")


def _pg_command(program: str, alias="default") -> tuple[list[str], dict]:
    db = settings.DATABASES[alias]
    if not shutil.which(program):
        raise BackupError(f"{program} introuvable : installez le client PostgreSQL (paquet postgresql-client).")
    args = [program, "--dbname", db["NAME"], "--no-password"]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(args, env):
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} a échoué ({result.returncode}) : {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path:
    """Where the private media live: the default storage's folder (PRIVATE_MEDIA_ROOT)."""
    from django.core.files.storage import default_storage

    return Path(getattr(default_storage, "location", settings.MEDIA_ROOT))


def _dump_database(target: Path, alias="default") -> str:
    engine = _engine(alias)
    if engine == "postgresql":
        args, env = _pg_command("pg_dump", alias)
        _run(args + ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target / PG_DUMP)], env)
        return PG_DUMP
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target / SQLITE_DUMP)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return SQLITE_DUMP


def _archive_media(target: Path) -> int:
    root, count = _media_root(), 0
    with tarfile.open(target / MEDIA_ARCHIVE, "w:gz") as archive:
        if root.exists():
            for child in sorted(root.iterdir()):
                if child.name in SKIPPED_MEDIA:
                    continue
                archive.add(child, arcname=child.name)
            count = sum(1 for m in archive.getmembers() if m.isfile())
    return count


def create_backup(directory: Path, *, now: dt.datetime | None = None) -> Backup:
    """Dump the database and archive the private media into a new backup folder of ``directory``."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{PREFIX}{now.strftime(STAMP_FORMAT)}"
    if final.exists():
        raise BackupError(f"La sauvegarde {final} existe déjà.")
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    old_umask = os.umask(0o077)
    try:
        partial.mkdir(mode=0o700)
        database_file = _dump_database(partial)
        media_files = _archive_media(partial)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": _engine(),
            "database": database_file,
            "media": MEDIA_ARCHIVE,
            "media_files": media_files,
            "sha256": {name: _sha256(partial / name) for name in (database_file, MEDIA_ARCHIVE)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    return Backup(final, now)


def list_backups(directory: Path) -> list[Backup]:
    """The complete backups of ``directory``, oldest first."""
    backups = []
    directory = Path(directory)
    if not directory.exists():
        return backups
    for path in directory.iterdir():
        if not path.is_dir() or not path.name.startswith(PREFIX) or not (path / MANIFEST).exists():
            continue
        try:
            created = dt.datetime.strptime(path.name[len(PREFIX) :], STAMP_FORMAT).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        backups.append(Backup(path, created))
    return sorted(backups, key=lambda b: b.created_at)


def prune(directory: Path, *, keep_days: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups older than ``keep_days`` days (never the newest) and any ``.partial`` left a day ago."""
    now = now or dt.datetime.now(dt.UTC)
    limit = now - dt.timedelta(days=keep_days)
    backups = list_backups(directory)
    removed = []
    for backup in backups[:-1]:
        if backup.created_at < limit:
            shutil.rmtree(backup.path)
            removed.append(backup.path)
    for partial in Path(directory).glob(f"{PREFIX}*.partial"):
        if dt.datetime.fromtimestamp(partial.stat().st_mtime, dt.UTC) < now - dt.timedelta(days=1):
            shutil.rmtree(partial, ignore_errors=True)
            removed.append(partial)
    return removed


def read_manifest(path: Path) -> dict:
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} n'est pas une sauvegarde lisible ({MANIFEST} : {exc}).") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Format de sauvegarde inconnu : {manifest.get('format')!r}.")
    for name, expected in manifest["sha256"].items():
        if not (path / name).exists() or _sha256(path / name) != expected:
            raise BackupError(f"{name} est absent ou altéré (somme SHA-256 différente) : restauration refusée.")
    return manifest


def _restore_database(path: Path, manifest: dict, alias="default") -> None:
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"Sauvegarde {manifest['engine']}, base {engine} : restauration impossible.")
    connection = connections[alias]
    if engine == "postgresql":
        # Emptied first, so that nothing newer than the backup remains (a table, a row of a later migration).
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
        connections.close_all()
        args, env = _pg_command("pg_restore", alias)
        _run(
            args
            + [
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path / manifest["database"]),
            ],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(path / manifest["database"])
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_media(path: Path, manifest: dict) -> int:
    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():  # the root may be a mounted volume: emptied, not replaced
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(path / manifest["media"], "r:gz") as archive:
        archive.extractall(root, filter="data")
        return sum(1 for m in archive.getmembers() if m.isfile())


def restore_backup(path: Path) -> dict:
    """Replace the database and the private media with the backup's (checksums checked first)."""
    manifest = read_manifest(path)
    _restore_database(Path(path), manifest)
    files = _restore_media(Path(path), manifest)
    return {"engine": manifest["engine"], "created_at": manifest["created_at"], "media_files": files}
