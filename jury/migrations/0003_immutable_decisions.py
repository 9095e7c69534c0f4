"""Signed decisions and issued documents cannot be changed, even by raw SQL: database triggers.

- a signed fiche de décision (state « signee ») keeps its decision columns; the only state change allowed is
  « signee » → « remplacee » (rectification: the new version points to it through ``previous``); a replaced
  fiche changes no more. The PDF bookkeeping columns (pdf, pdf_status, pdf_error, pdf_built_at) and mailed_at
  stay writable (the PDF is built by a Celery task after signing, and can be rebuilt). Neither is deleted.
- the unit decisions of a signed (or replaced) fiche are neither inserted, updated nor deleted.
- a certificate is never deleted; its dossier, code and date of issue never change; its fiche changes only to
  the rectified version of that fiche (``previous`` = the old fiche) while it is valid; revocation
  (revoked_at, revoked_reason) is written once. Its PDF stays writable.
- a convocation once mailed keeps its slot, place, version and dates (its PDF may be rebuilt); it may be
  deleted with its session candidate (removal from a planned session), simple-history keeps its trace.

SQLite note: Django remakes a SQLite table to alter it, which drops its triggers; tests/security/test_immutability.py
fails if a later migration removes them (re-create them in that migration).
"""

from django.db import migrations

LOCKED = "('signee', 'remplacee')"

FICHE_DECISION_COLUMNS = [
    "id", "session_candidate_id", "version", "outcome", "experience_to_deepen", "modules_to_follow",
    "deliberated_by_id", "signed_by_id", "signed_at", "signed_for_president", "previous_id", "corrected_by_id",
    "correction_reason", "created_at",
]
CERTIFICATE_COLUMNS = ["id", "dossier_id", "code", "issued_on"]
CONVOCATION_COLUMNS = [
    "id", "session_candidate_id", "version", "starts_at", "ends_at", "location", "sent_by_id", "created_at", "mailed_at",
]

FICHE_MESSAGE = "Fiche de décision signée : elle ne se modifie plus (seuls son PDF et son envoi s''enregistrent)."
FICHE_DELETE_MESSAGE = "Fiche de décision signée : elle ne se supprime pas."
UNIT_MESSAGE = "Décisions par unité d''une fiche signée : elles ne se modifient plus."
CERTIFICATE_MESSAGE = "Certificat délivré : il ne se modifie pas (seule une annulation, une fois, est possible)."
CERTIFICATE_DELETE_MESSAGE = "Certificat délivré : il ne se supprime pas."
CONVOCATION_MESSAGE = "Convocation envoyée : elle ne se modifie plus (une nouvelle version se crée)."


def _changed(columns, *, pg):
    op = "IS DISTINCT FROM" if pg else "IS NOT"
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in columns)


def _fiche_changed(pg):
    op = "IS DISTINCT FROM" if pg else "IS NOT"
    return (f"{_changed(FICHE_DECISION_COLUMNS, pg=pg)} OR "
            f"(NEW.state {op} OLD.state AND NOT (OLD.state = 'signee' AND NEW.state = 'remplacee'))")


def _certificate_changed(pg):
    op = "IS DISTINCT FROM" if pg else "IS NOT"
    return (
        f"{_changed(CERTIFICATE_COLUMNS, pg=pg)}"
        f" OR (OLD.revoked_at IS NOT NULL AND (NEW.revoked_at {op} OLD.revoked_at OR NEW.revoked_reason {op} OLD.revoked_reason))"
        f" OR (NEW.fiche_id {op} OLD.fiche_id AND (OLD.revoked_at IS NOT NULL OR NOT EXISTS ("
        f"SELECT 1 FROM jury_fichedecision f WHERE f.id = NEW.fiche_id AND f.previous_id = OLD.fiche_id)))"
    )


POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION jury_fiche_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state IN {LOCKED} THEN
            RAISE EXCEPTION '{FICHE_DELETE_MESSAGE}' USING ERRCODE = '23000';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state IN {LOCKED} AND ({_fiche_changed(True)}) THEN
        RAISE EXCEPTION '{FICHE_MESSAGE}' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--
CREATE TRIGGER jury_fiche_immutable BEFORE UPDATE OR DELETE ON jury_fichedecision
    FOR EACH ROW EXECUTE FUNCTION jury_fiche_immutable();
--

CREATE OR REPLACE FUNCTION jury_unitdecision_immutable() RETURNS trigger AS $$
BEGIN
    IF (TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM jury_fichedecision f WHERE f.id = OLD.fiche_id AND f.state IN {LOCKED}))
       OR (TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM jury_fichedecision f WHERE f.id = NEW.fiche_id AND f.state IN {LOCKED})) THEN
        RAISE EXCEPTION '{UNIT_MESSAGE}' USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--
CREATE TRIGGER jury_unitdecision_immutable BEFORE INSERT OR UPDATE OR DELETE ON jury_unitdecision
    FOR EACH ROW EXECUTE FUNCTION jury_unitdecision_immutable();
--

CREATE OR REPLACE FUNCTION jury_certificate_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{CERTIFICATE_DELETE_MESSAGE}' USING ERRCODE = '23000';
    END IF;
    IF {_certificate_changed(True)} THEN
        RAISE EXCEPTION '{CERTIFICATE_MESSAGE}' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--
CREATE TRIGGER jury_certificate_immutable BEFORE UPDATE OR DELETE ON jury_certificate
    FOR EACH ROW EXECUTE FUNCTION jury_certificate_immutable();
--

CREATE OR REPLACE FUNCTION jury_convocation_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.mailed_at IS NOT NULL AND ({_changed(CONVOCATION_COLUMNS, pg=True)}) THEN
        RAISE EXCEPTION '{CONVOCATION_MESSAGE}' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--
CREATE TRIGGER jury_convocation_immutable BEFORE UPDATE ON jury_convocation
    FOR EACH ROW EXECUTE FUNCTION jury_convocation_immutable();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS jury_fiche_immutable ON jury_fichedecision;
DROP FUNCTION IF EXISTS jury_fiche_immutable();
DROP TRIGGER IF EXISTS jury_unitdecision_immutable ON jury_unitdecision;
DROP FUNCTION IF EXISTS jury_unitdecision_immutable();
DROP TRIGGER IF EXISTS jury_certificate_immutable ON jury_certificate;
DROP FUNCTION IF EXISTS jury_certificate_immutable();
DROP TRIGGER IF EXISTS jury_convocation_immutable ON jury_convocation;
DROP FUNCTION IF EXISTS jury_convocation_immutable();
"""

SQLITE = [
    f"""CREATE TRIGGER jury_fiche_no_update BEFORE UPDATE ON jury_fichedecision
    FOR EACH ROW WHEN OLD.state IN {LOCKED} AND ({_fiche_changed(False)})
    BEGIN SELECT RAISE(ABORT, '{FICHE_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_fiche_no_delete BEFORE DELETE ON jury_fichedecision
    FOR EACH ROW WHEN OLD.state IN {LOCKED}
    BEGIN SELECT RAISE(ABORT, '{FICHE_DELETE_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_unitdecision_no_insert BEFORE INSERT ON jury_unitdecision
    FOR EACH ROW WHEN EXISTS (SELECT 1 FROM jury_fichedecision f WHERE f.id = NEW.fiche_id AND f.state IN {LOCKED})
    BEGIN SELECT RAISE(ABORT, '{UNIT_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_unitdecision_no_update BEFORE UPDATE ON jury_unitdecision
    FOR EACH ROW WHEN EXISTS (SELECT 1 FROM jury_fichedecision f WHERE f.id IN (OLD.fiche_id, NEW.fiche_id) AND f.state IN {LOCKED})
    BEGIN SELECT RAISE(ABORT, '{UNIT_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_unitdecision_no_delete BEFORE DELETE ON jury_unitdecision
    FOR EACH ROW WHEN EXISTS (SELECT 1 FROM jury_fichedecision f WHERE f.id = OLD.fiche_id AND f.state IN {LOCKED})
    BEGIN SELECT RAISE(ABORT, '{UNIT_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_certificate_no_update BEFORE UPDATE ON jury_certificate
    FOR EACH ROW WHEN {_certificate_changed(False)}
    BEGIN SELECT RAISE(ABORT, '{CERTIFICATE_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_certificate_no_delete BEFORE DELETE ON jury_certificate
    FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{CERTIFICATE_DELETE_MESSAGE}'); END""",
    f"""CREATE TRIGGER jury_convocation_no_update BEFORE UPDATE ON jury_convocation
    FOR EACH ROW WHEN OLD.mailed_at IS NOT NULL AND ({_changed(CONVOCATION_COLUMNS, pg=False)})
    BEGIN SELECT RAISE(ABORT, '{CONVOCATION_MESSAGE}'); END""",
]

SQLITE_TRIGGERS = [
    "jury_fiche_no_update", "jury_fiche_no_delete", "jury_unitdecision_no_insert", "jury_unitdecision_no_update",
    "jury_unitdecision_no_delete", "jury_certificate_no_update", "jury_certificate_no_delete", "jury_convocation_no_update",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL.split("\n--\n"):
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)
    else:  # pragma: no cover - the project runs on PostgreSQL (SQLite for tests and development)
        raise NotImplementedError(f"Immutabilité des décisions : base « {vendor} » non prise en charge.")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE.strip().splitlines():
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("jury", "0002_history"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
