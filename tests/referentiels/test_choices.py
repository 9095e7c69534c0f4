"""The CQPs of the lists' filters, read once per process (referentiels/choices.py): forgotten on a save, a delete or a
référentiel import in this process, read again after MEMO_SECONDS for the changes of other processes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referentiels import choices
from referentiels.certifiers import Certifier
from referentiels.models import Certification

pytestmark = pytest.mark.django_db


def certification_reads(queries) -> int:
    return sum('FROM "referentiels_certification"' in q["sql"] for q in queries.captured_queries)


def make(code, title):
    return Certification.objects.create(code=code, title=title, certifier=Certifier.objects.order_by("pk").first())


def test_read_once_then_from_memory():
    gpac = make("zzgpac", "Zz gestion")
    with CaptureQueriesContext(connection) as queries:
        assert ("zzgpac", "Zz gestion") in choices.certification_choices()
        assert choices.certification_id("zzgpac") == gpac.pk
        assert choices.certification_id("nope") is None
    assert certification_reads(queries) == 1


def test_choices_are_sorted_by_title():
    make("zzb", "Zz B")
    make("zza", "Zz A")
    titles = [title for _, title in choices.certification_choices()]
    assert titles == sorted(titles)


def test_a_saved_certification_is_seen_at_once():
    choices.certification_choices()
    created = make("zznew", "Zz nouveau")
    assert choices.certification_id("zznew") == created.pk
    created.title = "Zz renommé"
    created.save()
    assert ("zznew", "Zz renommé") in choices.certification_choices()


def test_a_deleted_certification_is_gone_at_once():
    gone = make("zzgone", "Zz supprimé")
    assert choices.certification_id("zzgone") == gone.pk
    gone.delete()
    assert choices.certification_id("zzgone") is None


def test_another_process_s_change_is_seen_after_the_memo_expires(monkeypatch):
    make("zzold", "Zz ancien")
    now = [1000.0]
    monkeypatch.setattr(choices, "monotonic", lambda: now[0])
    choices.certification_choices()
    Certification.objects.filter(code="zzold").update(title="Zz changé ailleurs")  # no signal: another process
    now[0] += choices.MEMO_SECONDS - 1
    assert ("zzold", "Zz ancien") in choices.certification_choices()
    now[0] += 2
    assert ("zzold", "Zz changé ailleurs") in choices.certification_choices()


def test_a_change_read_before_it_was_forgotten_is_not_kept(monkeypatch):
    """A read that started before a save finished is given to its caller but not kept for the next ones."""
    make("zzrace", "Zz course")
    real = Certification.objects.order_by

    def forgotten_meanwhile(*args):
        choices.forget()
        return real(*args)

    monkeypatch.setattr(Certification.objects, "order_by", forgotten_meanwhile)
    choices.certification_choices()
    monkeypatch.undo()
    assert choices._memo is None


def test_the_filtered_list_filters_without_joining_the_cqps(client, referentiels, oemm):
    client.force_login(oemm)
    client.get("/dossiers/?cqp=gpac")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dossiers/?cqp=gpac&path=vae").status_code == 200
    assert certification_reads(queries) == 0
    gpac = Certification.objects.get(code="gpac")
    rows = [q["sql"] for q in queries.captured_queries if 'FROM "candidates_dossier"' in q["sql"]]
    assert rows and all(f'"candidates_dossier"."certification_id" = {gpac.pk}' in sql for sql in rows)


def test_titles_and_mention_labels_are_read_again_for_an_unknown_id():
    known = make("zzknown", "Zz connu")
    assert choices.certification_title(known.pk) == "Zz connu"
    assert choices.mention_label(None) == ""
    created = Certification.objects.bulk_create(  # no signal: the memo learns of it by the unknown id
        [Certification(code="zzbulk", title="Zz en lot", certifier=known.certifier)]
    )[0]
    created = Certification.objects.get(code="zzbulk") if created.pk is None else created
    assert choices.certification_title(created.pk) == "Zz en lot"


def test_the_list_writes_the_cqp_without_joining_the_referentiels(client, referentiels, oemm):
    from candidates.models import Dossier
    from pilotage.volume import seed_volume

    seed_volume(candidates=6, sessions=0, log=lambda *args: None)
    dossier = Dossier.objects.filter(mention__isnull=False).select_related("certification", "mention").first()
    client.force_login(oemm)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/dossiers/?tri=number").content.decode()
    rows = [q["sql"] for q in queries.captured_queries if 'SELECT "candidates_dossier"."id" AS "pk"' in q["sql"]]
    assert rows and not any("referentiels_" in sql for sql in rows)
    if dossier is not None:
        assert f"{dossier.certification.title} ({dossier.mention.label})" in html
