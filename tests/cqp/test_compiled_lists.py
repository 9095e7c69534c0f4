"""A list's count and rows compiled once per combination of its filters (cqp/compiled_lists.py, issue 20): the OEMM
dossiers list shows the same page either way, a search and the staff of one certifier go through the ORM, a key that
misses what the SQL depends on is caught under tests, and the memo is bounded."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from candidates import selectors
from candidates.filters import DossierFilter
from candidates.models import Dossier
from candidates.selectors import list_values, visible_dossiers
from cqp import compiled_lists, compiled_queries
from cqp.enums import Role
from cqp.models import UserRole
from pilotage.management.commands.seed_volume import seed_volume
from referentiels.models import Certifier
from tests.factories import user_with_role


def quiet(*args):
    pass


@pytest.fixture
def volume(referentiels):
    seed_volume(candidates=40, sessions=0, log=quiet)


@pytest.fixture
def fresh_memo():
    compiled_lists.forget()
    yield
    compiled_lists.forget()


def _page(client, url, *, compiled):
    original, asked = selectors.compiled_list, []
    if not compiled:  # the page through the ORM: the list is asked for, and answers « not compiled »
        selectors.compiled_list = lambda *args, **kwargs: asked.append(args) or None
    try:
        response = client.get(url)
    finally:
        selectors.compiled_list = original
    assert compiled or asked
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, html


URLS = [
    "/dossiers/",
    "/dossiers/?page=2",
    "/dossiers/?page=99",
    "/dossiers/?path=vae",
    "/dossiers/?cqp=gpac&path=vae&tri=-candidat",
    "/dossiers/?cqp=cmi&state=inscrit",
    "/dossiers/?state=decide&tri=premier_jury&page=2",
    "/dossiers/?tri=-number,etat",
    "/dossiers/?cqp=inconnu&path=x&state=<b>&tri=-foo",  # invalid values: left out, as by django-filter
    "/dossiers/?q=a",  # a search: through the ORM
    "/dossiers/?cqp=&path=&state=&q=&tri=",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_the_oemm_list_is_the_same_page_compiled_or_not(client, oemm, volume, fresh_memo, url):
    client.force_login(oemm)
    first = _page(client, url, compiled=True)  # compiles
    again = _page(client, url, compiled=True)  # from the memo (checked against the ORM under VERIFY)
    orm = _page(client, url, compiled=False)
    assert first == again == orm
    assert first[0] == 200
    assert any(shown in first[1] for shown in ("<tbody>", "Aucun dossier", "au-delà de la dernière"))


def _filterset(user, query=""):
    return DossierFilter(QueryDict(query) or None, queryset=visible_dossiers(user).order_by("-created_at", "-pk"))


@pytest.mark.django_db
def test_a_page_reads_the_rows_values_gives(oemm, volume, fresh_memo):
    filterset = _filterset(oemm, "path=vae&tri=-inscription")
    source = compiled_lists.compiled_list(filterset, list_values, "clé")
    expected = list(list_values(filterset.qs))
    assert source.paginated_count() == (len(expected), False)
    for window in (slice(0, 25), slice(5, 9), slice(len(expected) - 3, len(expected) + 10), slice(200, 225)):
        assert source[window] == expected[window]
    assert source[slice(4, 4)] == []
    with pytest.raises(TypeError):
        source[3]


@pytest.mark.django_db
def test_compiled_once_then_run(oemm, volume, fresh_memo, monkeypatch):
    monkeypatch.setattr(compiled_queries, "VERIFY", False)
    built = []
    compile_ = compiled_lists._compile
    monkeypatch.setattr(compiled_lists, "_compile", lambda *args: built.append(1) or compile_(*args))
    for _ in range(3):
        source = compiled_lists.compiled_list(_filterset(oemm, "cqp=gpac&path=vae"), list_values, "clé")
        with CaptureQueriesContext(connection) as queries:
            source.paginated_count()
            source[0:25]
        assert len(queries) == 2
    assert built == [1]
    compiled_lists.compiled_list(_filterset(oemm, "cqp=gpac&path=formation"), list_values, "clé")
    assert built == [1, 1]  # another combination, compiled once too


@pytest.mark.django_db
def test_a_search_or_no_key_goes_through_the_orm(oemm, volume, fresh_memo):
    assert compiled_lists.compiled_list(_filterset(oemm, "q=martin"), list_values, "clé") is None
    assert compiled_lists.compiled_list(_filterset(oemm, "path=vae"), list_values, None) is None
    assert compiled_lists.compiled_list(_filterset(oemm, "q=&path=vae"), list_values, "clé") is not None


@pytest.mark.django_db
def test_who_has_a_key(oemm, admin_user, organisme_user, candidat):
    assert Dossier.objects.visibility_key(oemm) == ("staff", None)
    assert Dossier.objects.visibility_key(admin_user) == ("staff", None)
    assert Dossier.objects.visibility_key(organisme_user) is None
    assert Dossier.objects.visibility_key(candidat) is None


@pytest.mark.django_db
def test_the_staff_of_one_certifier_see_their_own_through_the_orm(client, volume, fresh_memo):
    ucanss = Certifier.objects.get(code="ucanss")
    staff = user_with_role(Role.CANDIDAT)
    UserRole.objects.filter(user=staff).delete()
    UserRole.objects.create(user=staff, role=Role.OEMM, certifier=ucanss)
    assert Dossier.objects.visibility_key(staff) == ("staff", frozenset({ucanss.pk}))
    client.force_login(staff)
    own = Dossier.objects.filter(certification__certifier=ucanss).count()
    for _ in range(2):
        status, html = _page(client, "/dossiers/?tri=number", compiled=True)
        assert status == 200
        assert f">{own} dossier" in html or "Aucun dossier" in html
    assert _page(client, "/dossiers/?tri=number", compiled=False) == (status, html)
    # a count across a join: remembered as not compiled
    assert list(compiled_lists._memo.values()) == [None]


@pytest.mark.django_db
def test_a_key_that_misses_a_dependency_is_caught_under_tests(oemm, candidat, volume, fresh_memo):
    assert compiled_queries.VERIFY
    compiled_lists.compiled_list(_filterset(oemm, "path=vae"), list_values, "même clé")
    with pytest.raises(AssertionError, match="depends on more than its key"):
        compiled_lists.compiled_list(_filterset(candidat, "path=vae"), list_values, "même clé")


@pytest.mark.django_db
def test_the_memo_keeps_the_last_used(oemm, volume, fresh_memo, monkeypatch):
    monkeypatch.setattr(compiled_lists, "MAX_ENTRIES", 2)
    for query in ("path=vae", "path=formation", "path=vae", "state=inscrit"):
        compiled_lists.compiled_list(_filterset(oemm, query), list_values, "clé")
    kept = [dict(key[3])["path"] or dict(key[3])["state"] for key in compiled_lists._memo]
    assert kept == ["vae", "inscrit"]


@pytest.mark.django_db
def test_a_change_of_the_cqps_compiles_again(client, oemm, volume, fresh_memo):
    client.force_login(oemm)
    client.get("/dossiers/?cqp=gpac")
    gpac = Dossier.objects.filter(certification__code="gpac").first().certification
    gpac.title = f"{gpac.title} (nouveau titre)"
    gpac.save()  # the référentiel memo is forgotten: the list's key changes with it
    html = client.get("/dossiers/?cqp=gpac").content.decode()
    assert "(nouveau titre)" in html
    assert len(compiled_lists._memo) == 2


@pytest.mark.django_db
def test_the_filters_choices_are_normalized_once_per_list(referentiels, monkeypatch):
    from cqp import filtering
    from referentiels import choices

    monkeypatch.setattr(filtering, "_normalized", {})
    first = DossierFilter(QueryDict("state=inscrit")).form.fields
    second = DossierFilter(QueryDict("path=vae")).form.fields
    for name in ("state", "path", "tri", "cqp"):
        assert list(first[name].choices) == list(second[name].choices)
        assert first[name].choices.choices is second[name].choices.choices  # normalized once, shared (read only)
    assert [code for code, _ in first["cqp"].choices][1:] == [code for code, _ in choices.certification_choices()]
    choices.forget()  # the CQPs read again: a new list, normalized again
    third = DossierFilter(QueryDict("cqp=gpac")).form.fields
    assert third["cqp"].choices.choices is not first["cqp"].choices.choices
    assert list(third["cqp"].choices) == list(first["cqp"].choices)
    monkeypatch.setattr(filtering, "_MAX_NORMALIZED", 1)
    choices.forget()
    assert DossierFilter(QueryDict("")).form.fields  # a new CQPs' list: the memo, full, is emptied first
    assert len(filtering._normalized) == 1
