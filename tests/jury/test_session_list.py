"""The sessions list: filters by CQP and year, past sessions paginated, one query count whatever the number."""

import datetime

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
                planned_session(by=oemm, codes={"spsp", "gpac"}, day=datetime.date(2024, 4, 1) + datetime.timedelta(days=i))
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("jury:list"))
    assert len(many) == len(few)
