"""Backups: the database and the private media saved, wiped, restored, and the same dossiers, livrets, fiches and files
are there (PostgreSQL: pg_dump / pg_restore, the database dropped; SQLite: its online backup); retention; a damaged
backup is refused."""

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections

from candidates.models import Dossier
from cqp import backup
from jury import workflow as jury_workflow
from jury.enums import PdfStatus
from jury.models import Certificate, FicheDecision
from vae import workflow as vae_workflow
from vae.enums import PieceKind
from vae.models import Livret1, Piece
from vae.uploads import check_upload

from .jury.conftest import all_units, at, member, planned_session, ready_dossier
from .vae.conftest import PDF, PNG, complete, make_dossier, upload

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


@pytest.fixture
def members(transactional_db):
    from cqp.enums import College

    return {
        "emp1": member(College.EMPLOYEUR, "UGEM"),
        "emp2": member(College.EMPLOYEUR, "UGEM"),
        "sal1": member(College.SALARIE, "CFDT"),
        "sal2": member(College.SALARIE, "CGT"),
    }


def files_of(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def snapshot() -> dict:
    """The rows that matter, as values (a restore must give them back identical)."""
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values_list("pk", "number", "state", "candidate__email")),
        "livrets": list(
            Livret1.objects.order_by("pk").values_list("pk", "dossier_id", "state", "birth_name", "version")
        ),
        "pieces": list(Piece.objects.order_by("pk").values_list("pk", "file", "original_name", "size")),
        "fiches": list(
            FicheDecision.objects.order_by("pk").values_list(
                "pk", "state", "outcome", "pdf", "pdf_status", "signed_at", "mailed_at"
            )
        ),
        "certificates": list(Certificate.objects.order_by("pk").values_list("pk", "code", "pdf", "fiche_id")),
        "history": FicheDecision.history.count(),
    }


def build_world(oemm, members):
    """Two candidates: a livret 1 with uploaded pièces; a signed fiche (validation totale) with its PDF and
    certificate.
    """
    from cqp.enums import Role
    from tests.factories import user_with_role

    call_command("load_referentiels", verbosity=0)
    candidate = user_with_role(Role.CANDIDAT)
    livret = vae_workflow.start_livret1(make_dossier(candidate, "cos"), by=candidate)
    livret = complete(livret, candidate)
    vae_workflow.add_piece(livret, by=candidate, kind=PieceKind.AUTRE, checked=check_upload(upload("photo.png", PNG)))
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
    with at(2026, 11, 23, 8, 30):
        jury_workflow.open_session(session, by=oemm, president=members["emp1"])
    jury_candidate = session.candidates.get()
    with at(2026, 11, 23, 10, 0):
        fiche = jury_workflow.record_deliberation(
            jury_candidate, by=members["emp2"], decisions=all_units(jury_candidate)
        )
        jury_workflow.sign_fiche(fiche, by=members["emp1"])  # committed: built in-process on commit
    fiche.refresh_from_db()
    assert fiche.pdf_status == PdfStatus.READY and fiche.pdf and fiche.certificates.get().pdf
    return fiche


def wipe_database():
    """DROP DATABASE and CREATE DATABASE: an empty database, as after the loss of the server."""
    from psycopg2 import connect, sql

    name = connection.settings_dict["NAME"]
    params = {
        k: v
        for k, v in {
            "host": connection.settings_dict["HOST"],
            "port": connection.settings_dict["PORT"],
            "user": connection.settings_dict["USER"],
            "password": connection.settings_dict["PASSWORD"],
        }.items()
        if v
    }
    connections.close_all()
    admin = connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL (pg_dump, pg_restore, DROP DATABASE): run by .ci/run")
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_the_same_rows_and_files(media, tmp_path, oemm, members):
    fiche = build_world(oemm, members)
    before, files = snapshot(), files_of(media)
    # 5 pieces: 3 of the world, plus the CV and job description a dossier needs before the jury
    assert len(before["dossiers"]) == 2 and len(before["pieces"]) == 5 and len(before["fiches"]) == 1
    assert {Path(name).parts[0] for name in files} >= {"pieces", "jury"} and len(
        files
    ) == 7  # 5 pièces, fiche, certificate

    call_command("backup", directory=str(tmp_path / "backups"), verbosity=0)
    (made,) = backup.list_backups(tmp_path / "backups")
    manifest = json.loads((made.path / "manifest.json").read_text())
    assert (
        manifest["engine"] == "postgresql"
        and manifest["database"] == "database.pgdump"
        and manifest["media_files"] == 7
    )
    assert oct(made.path.stat().st_mode & 0o777) == "0o700"

    wipe_database()
    shutil.rmtree(media)
    from django.db.utils import ProgrammingError

    with pytest.raises(ProgrammingError):
        Dossier.objects.count()  # the tables are gone with the database

    call_command("restore", str(made.path), interactive=False, verbosity=0)
    assert snapshot() == before
    assert files_of(media) == files
    # The restored fiche still serves its PDF, byte for byte.
    restored = FicheDecision.objects.get(pk=fiche.pk)
    with restored.pdf.open("rb") as fh:
        assert fh.read().startswith(b"%PDF")
    # The signed fiche is still protected by the database after the restore (triggers restored too).
    from django.db import IntegrityError, InternalError, transaction

    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        FicheDecision.objects.filter(pk=fiche.pk).update(outcome="aucune")


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only: the restore empties the schema first")
@pytest.mark.django_db(transaction=True)
def test_a_restore_removes_what_came_after_the_backup(media, tmp_path, candidat):
    call_command("backup", directory=str(tmp_path / "backups"), verbosity=0)
    from tests.factories import UserFactory

    later = UserFactory()
    media.mkdir(parents=True, exist_ok=True)
    (media / "tard.txt").write_bytes(b"after")
    call_command("restore", str(backup.list_backups(tmp_path / "backups")[-1].path), interactive=False, verbosity=0)
    from cqp.models import User

    assert not User.objects.filter(pk=later.pk).exists() and User.objects.filter(pk=candidat.pk).exists()
    assert not (media / "tard.txt").exists()


@pytest.mark.skipif(POSTGRES, reason="the SQLite path (make backup in development)")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_and_restore(media, tmp_path):
    """SQLite's online backup, both ways (a livret 1 with its pièces; no signed fiche: SQLite's triggers would refuse
    the flush that empties the test database)."""
    from cqp.enums import Role
    from tests.factories import user_with_role

    call_command("load_referentiels", verbosity=0)
    candidate = user_with_role(Role.CANDIDAT)
    complete(vae_workflow.start_livret1(make_dossier(candidate, "cos"), by=candidate), candidate)
    before, files = snapshot(), files_of(media)
    assert len(before["pieces"]) == 2 and len(files) == 2
    made = backup.create_backup(tmp_path / "backups")
    assert json.loads((made.path / "manifest.json").read_text())["database"] == "database.sqlite3"
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert Dossier.objects.count() == 0
    call_command("restore", str(made.path), interactive=False, verbosity=0)
    assert snapshot() == before and files_of(media) == files


# ------------------------------------------------------------------------------------------------- any database


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(media, tmp_path):
    (media / "pieces").mkdir(parents=True)
    (media / "pieces" / "a.pdf").write_bytes(PDF)
    made = backup.create_backup(tmp_path / "backups")
    with (made.path / backup.MEDIA_ARCHIVE).open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(CommandError, match="altéré"):
        call_command("restore", str(made.path), interactive=False)
    assert (media / "pieces" / "a.pdf").read_bytes() == PDF  # nothing touched


def test_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(tmp_path), interactive=False)


@pytest.mark.django_db(transaction=True)
def test_the_restore_asks_for_confirmation(media, tmp_path, monkeypatch):
    made = backup.create_backup(tmp_path / "backups")
    monkeypatch.setattr("builtins.input", lambda prompt: "non")
    with pytest.raises(CommandError, match="annulée"):
        call_command("restore", str(made.path))


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_backup_leaves_no_backup(media, tmp_path, monkeypatch):
    def fail(target):
        raise backup.BackupError("pg_dump a échoué (1) : disque plein")

    monkeypatch.setattr(backup, "_archive_media", fail)
    with pytest.raises(CommandError, match="disque plein"):
        call_command("backup", directory=str(tmp_path / "backups"))
    assert list((tmp_path / "backups").iterdir()) == []


def test_retention_keeps_n_days_and_always_the_newest(tmp_path):
    now = dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC)
    for days in (0, 1, 13, 14, 15, 40):
        folder = tmp_path / f"cqp-{(now - dt.timedelta(days=days, minutes=1)).strftime(backup.STAMP_FORMAT)}"
        folder.mkdir()
        (folder / backup.MANIFEST).write_text("{}")
    partial = tmp_path / "cqp-20261101T013000Z.partial"  # a backup interrupted long ago
    partial.mkdir()
    old = (now - dt.timedelta(days=2)).timestamp()
    os.utime(partial, (old, old))
    fresh = tmp_path / "cqp-20261130T012900Z.partial"  # maybe running now: kept
    fresh.mkdir()
    os.utime(fresh, (now.timestamp(), now.timestamp()))
    removed = backup.prune(tmp_path, keep_days=14, now=now)
    assert sorted(p.name for p in removed) == sorted(
        [f"cqp-{(now - dt.timedelta(days=d, minutes=1)).strftime(backup.STAMP_FORMAT)}" for d in (14, 15, 40)]
        + [partial.name]
    )
    assert len(backup.list_backups(tmp_path)) == 3
    # A single old backup is never deleted: better an old backup than none.
    for b in backup.list_backups(tmp_path)[:-1]:
        shutil.rmtree(b.path)
    removed = backup.prune(tmp_path, keep_days=1, now=now + dt.timedelta(days=365))
    assert [p.name for p in removed] == [fresh.name] and len(backup.list_backups(tmp_path)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_recent_backup_is_not_repeated(media, tmp_path, capsys):
    call_command("backup", directory=str(tmp_path / "backups"), if_older_than_hours=20)
    call_command("backup", directory=str(tmp_path / "backups"), if_older_than_hours=20)
    assert len(backup.list_backups(tmp_path / "backups")) == 1
    assert "rien à faire" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_health_probe_folder_is_not_backed_up(media, tmp_path):
    (media / "sante").mkdir(parents=True)
    (media / "sante" / "x.txt").write_bytes(b"ok")
    made = backup.create_backup(tmp_path / "backups")
    assert json.loads((made.path / "manifest.json").read_text())["media_files"] == 0
    assert mail.outbox == []
