"""Migration referentiels/0008: versions already loaded get their CQP's « évaluation directe » rule and, when their
file differs only by the new key, the file's new content hash (no new version at the next load)."""

import importlib

from django.apps import apps
from django.core.management import call_command

from referentiels.loader import content_hash, read_referentiel_file
from referentiels.models import ReferentielVersion

migration = importlib.import_module("referentiels.migrations.0008_version_direct_evaluation")


def test_backfill_gives_the_rule_and_the_new_hash(referentiels, settings):
    path = settings.BASE_DIR / "fixtures" / "referentiels" / "gestionnaire_parcours.yaml"
    data = read_referentiel_file(path)
    before = {**data, "rules": {k: v for k, v in data["rules"].items() if k != "direct_evaluation"}}
    version = ReferentielVersion.objects.get(certification__code="gpac", is_current=True)
    # As loaded before the rule existed: the old hash and the field's default.
    ReferentielVersion.objects.filter(pk=version.pk).update(content_hash=content_hash(before), direct_evaluation="")
    migration.backfill(apps, None)
    version.refresh_from_db()
    assert version.direct_evaluation == "whole_unit_acquired"
    assert version.content_hash == content_hash(data)
    call_command("load_referentiels", verbosity=0)
    assert ReferentielVersion.objects.filter(certification__code="gpac").count() == 1  # no new version
