"""The sessions list: filters by CQP and year, past sessions paginated, one query count whatever the number."""

import datetime

import pytest
from django.urls import reverse

from .conftest import at, planned_session


def test_filters_by_cqp_and_year_and_paginates_past_sessions(client, referentiels, oemm):
    with at(2024, 1, 10):
        for i in range(22):
            planned_session(by=oemm, codes={"spsp"}, day=datetime.date(2024, 3, 1) + datetime.timedelta(days=i))
        planned_session(by=oemm, codes={"gpac"}, day=datetime.date(2025, 5, 20))
    client.force_login(oemm)
    with at(2026, 11, 24):
        page1 = client.get(reverse("jury:list"))
        page2 = client.get(reverse("jury:list"), {"page": 2})
        spsp_2024 = client.get(reverse("jury:list"), {"cqp": "spsp", "annee": "2024"})
        gpac = client.get(reverse("jury:list"), {"cqp": "gpac"})
    assert page1.status_code == 200
    assert len(page1.context["past"]) == 20 and page1.context["past"].paginator.count == 23
    assert "Page 1 sur 2" in page1.content.decode()
    assert len(page2.context["past"]) == 3
    assert spsp_2024.context["past"].paginator.count == 22
    assert gpac.context["past"].paginator.count == 1
    assert "20 mai 2025" in gpac.content.decode()
    assert "Tout afficher" in gpac.content.decode()


def test_empty_filter_result_says_so(client, referentiels, oemm):
    client.force_login(oemm)
    response = client.get(reverse("jury:list"), {"annee": "1999"})
    assert "Aucune session passée." in response.content.decode()
    assert "Aucune session à venir." in response.content.decode()


def test_query_count_does_not_grow_with_sessions(client, referentiels, oemm):
    with at(2024, 1, 10):
        planned_session(by=oemm, codes={"spsp"}, day=datetime.date(2024, 3, 1))
    with at(2026, 11, 24):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(oemm)
        client.get(reverse("jury:list"))  # the session's first activity stamp is written here, not below
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("jury:list"))
        with at(2024, 1, 10):
            for i in range(10):
                planned_session(
                    by=oemm, codes={"spsp", "gpac"}, day=datetime.date(2024, 4, 1) + datetime.timedelta(days=i)
                )
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("jury:list"))
    assert len(many) == len(few)


def _sessions(oemm):
    """Three past sessions: (day, CQP, place) chosen so that each column gives a different order."""
    with at(2024, 1, 10):
        a = planned_session(by=oemm, codes={"spsp"}, day=datetime.date(2024, 3, 1), place="Bordeaux")
        b = planned_session(by=oemm, codes={"gpac"}, day=datetime.date(2024, 5, 1), place="Caen")
        c = planned_session(by=oemm, codes={"cmi", "spsp"}, day=datetime.date(2024, 4, 1), place="Arras")
    return a, b, c


@pytest.mark.parametrize(
    ("tri", "expected"),
    [
        ("date", "acb"),
        ("-date", "bca"),
        ("lieu", "cab"),
        ("-lieu", "bac"),
        # CQP: the first title of the session's CQPs (cmi « Chargé... » < gpac « Gestionnaire... » < spsp)
        ("cqp", None),
        ("candidats", "abc"),  # all equal: the primary key breaks ties, same direction
        ("-candidats", "cba"),
        ("etat", "abc"),
    ],
)
def test_sorts_by_each_column(client, referentiels, oemm, tri, expected):
    sessions = dict(zip("abc", _sessions(oemm), strict=True))
    if expected is None:
        titles = {k: min(c.title for c in s.certifications.all()) for k, s in sessions.items()}
        expected = "".join(sorted(titles, key=lambda k: (titles[k], sessions[k].pk)))
    client.force_login(oemm)
    with at(2026, 11, 24):
        response = client.get(reverse("jury:list"), {"tri": tri})
    assert [s.pk for s in response.context["past"]] == [sessions[k].pk for k in expected]
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html if not tri.startswith("-") else 'aria-sort="descending"' in html
    assert f'name="tri" value="{tri}"' in html  # the filter form keeps the sort


@pytest.mark.parametrize(
    "params",
    [
        {"tri": "password"},
        {"tri": "--date"},
        {"tri": "²"},
        {"tri": "date;DROP TABLE jury_jurysession"},
        {"tri": ["date", "-lieu"]},
        {"tri": "x" * 5000},
        {"annee": "²"},
        {"annee": "9" * 20},
        {"cqp": "inconnu"},
        {"page": "²"},
    ],
)
def test_a_hostile_parameter_is_ignored(client, referentiels, oemm, params):
    a, b, c = _sessions(oemm)
    client.force_login(oemm)
    with at(2026, 11, 24):
        response = client.get(reverse("jury:list"), params)
    assert response.status_code == 200
    if "tri" in params and params["tri"] != ["date", "-lieu"]:
        assert [s.pk for s in response.context["past"]] == [b.pk, c.pk, a.pk]  # the default: latest first
    else:
        assert response.context["past"].paginator.count == 3


def test_a_sorted_and_filtered_list_keeps_its_query_count(client, referentiels, oemm):
    params = {"tri": "-cqp", "cqp": "spsp", "annee": "2024"}
    with at(2024, 1, 10):
        planned_session(by=oemm, codes={"spsp"}, day=datetime.date(2024, 3, 1))
    with at(2026, 11, 24):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(oemm)
        client.get(reverse("jury:list"))
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(reverse("jury:list"), params).context["past"]) == 1
        with at(2024, 1, 10):
            for i in range(10):
                planned_session(
                    by=oemm, codes={"spsp", "gpac"}, day=datetime.date(2024, 4, 1) + datetime.timedelta(days=i)
                )
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(reverse("jury:list"), params).context["past"]) == 11
    assert len(many) == len(few)


def test_the_oemm_sees_the_export_links_with_the_filters_and_a_jury_member_does_not(client, referentiels, oemm):
    from cqp.enums import College

    from .conftest import member

    juror = member(College.SALARIE, "CFDT")
    client.force_login(oemm)
    html = client.get(reverse("jury:list"), {"cqp": "spsp", "tri": "-date"}).content.decode()
    assert "/oemm/exports/sessions.csv?cqp=spsp&amp;tri=-date" in html
    assert "/oemm/exports/sessions.xlsx?cqp=spsp&amp;tri=-date" in html
    client.force_login(juror)
    assert "/oemm/exports/sessions" not in client.get(reverse("jury:list")).content.decode()
