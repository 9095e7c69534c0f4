"""A filtered OEMM list makes no more queries than the unfiltered one, and no query for the CQP choices (read once per
process): 5 queries (7 before issue 20's second round)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.management.commands.seed_volume import seed_volume


@pytest.mark.django_db
def test_the_filtered_list_reads_the_cqp_choices_once(client, referentiels, oemm):
    seed_volume(candidates=30, sessions=0, log=lambda *args: None)
    client.force_login(oemm)
    counts = {}
    for url in ("/dossiers/?cqp=gpac", "/dossiers/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        certification_reads = [q for q in queries.captured_queries if 'FROM "referentiels_certification"' in q["sql"]]
        assert len(certification_reads) == 0, url  # referentiels/choices.py: read once per process
        counts[url] = len(queries.captured_queries)
    assert counts["/dossiers/?cqp=gpac"] == counts["/dossiers/"]
    # session, the person with their roles, the count, the rows, the bell (issue 20: 7 before)
    assert counts["/dossiers/"] == 5
