"""The key pages make the same number of SQL queries at small and larger sizes (no N+1 query).

Each page is requested once on a small data set, then again after the data grew (more dossiers, events,
livrets, session candidates with convocations, fiches and conflicts): the counts must be equal.
The data comes from the bulk seeder used by the benchmark (pilotage/volume/).
"""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.enums import DossierState
from candidates.models import Dossier, DossierEvent
from cqp.enums import College, Role
from jury import workflow
from jury.enums import Outcome
from jury.models import ConflictOfInterest, Convocation, FicheDecision
from pilotage.cockpit.queues import QUEUES
from pilotage.volume import add_candidates, seed_volume
from referentiels.models import Certification
from vae.models import Livret1

from ..factories import user_with_role

STATES = [
    DossierState.INSCRIT,
    DossierState.ORIENTE,
    DossierState.RECEVABLE,
    DossierState.PRET_JURY,
    DossierState.DECIDE,
    DossierState.CLOS,
]


def quiet(*args):
    pass


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def world(referentiels, oemm, candidat):
    """The personas, a session with its jury (the president chairs), and a growing volume of dossiers."""
    members = [
        user_with_role(Role.JURY, college=c, union_name=u)
        for c, u in [
            (College.EMPLOYEUR, "UGEM"),
            (College.EMPLOYEUR, "UGEM"),
            (College.SALARIE, "CFDT"),
            (College.SALARIE, "CGT"),
        ]
    ]
    session = workflow.create_session(
        by=oemm,
        certifications=Certification.objects.filter(certifier__code="cpnefp_mutualite"),
        date=timezone.localdate() + datetime.timedelta(days=30),
        start_time=datetime.time(9, 0),
        place="OEMM, Paris",
        capacity=20,
    )
    for member in members:
        workflow.add_member(session, by=oemm, user=member)

    # The jury's outcomes drawn from a fixed seed: add_candidates' default seed is the session's id, which on
    # PostgreSQL depends on the tests run before (its sequences are not rolled back).
    outcomes = random.Random(2026)

    def grow(n, *, in_session, for_candidate):
        """n more dossiers in every state (with events and livrets 1); some go to the session, some to the candidate."""
        before = set(Dossier.objects.values_list("pk", flat=True))
        seed_volume(candidates=n, sessions=0, states=STATES, log=quiet)
        new = Dossier.objects.exclude(pk__in=before).select_related("version").order_by("pk")
        mine = [d.pk for d in new if d.state != DossierState.PRET_JURY][:for_candidate]
        Dossier.objects.filter(pk__in=mine).update(candidate=candidat)
        ready = [d for d in new if d.state == DossierState.PRET_JURY][:in_session]
        add_candidates(session, ready, by=oemm, decided=True, president=members[0], rng=outcomes)
        latest = session.candidates.order_by("-pk").first()
        ConflictOfInterest.objects.create(
            member=session.members.order_by("pk").last(), session_candidate=latest, reason="Collègue"
        )
        Convocation.objects.create(
            session_candidate=latest,
            version=2,
            starts_at=timezone.now(),
            ends_at=timezone.now(),
            location="OEMM",
            sent_by=oemm,
        )
        # Every tab of the deadlines page has rows at both sizes (an empty page skips a query).
        Livret1.objects.filter(state="recevable").update(valid_until=timezone.localdate() + datetime.timedelta(days=60))

    return {"session": session, "members": members, "grow": grow}


def test_key_pages_make_constant_queries(client, world, oemm, candidat):
    session = world["session"]
    grow = world["grow"]
    grow(12, in_session=1, for_candidate=2)  # 2 dossiers per state: one ready dossier stays unplaced
    dossier = Dossier.objects.filter(candidate=candidat).order_by("pk").first()
    pages = {
        "candidate dashboard": (candidat, "/candidat/"),
        "OEMM dossier list": (oemm, "/dossiers/"),
        "OEMM dossier list, filtered": (oemm, "/dossiers/?path=vae&page=1"),
        "dossier page (OEMM)": (oemm, f"/dossiers/{dossier.number}/"),
        "dossier page (candidate)": (candidat, f"/dossiers/{dossier.number}/"),
        "OEMM deadlines": (oemm, "/oemm/echeances/?horizon=365"),
        "OEMM deadlines, instruction": (oemm, "/oemm/echeances/?kind=instruction&horizon=365"),
        "OEMM deadlines, recevabilité": (oemm, "/oemm/echeances/?kind=recevabilite_validity&horizon=365"),
        "jury session page (OEMM)": (oemm, f"/jury/sessions/{session.pk}/"),
        "jury session page (member)": (world["members"][1], f"/jury/sessions/{session.pk}/"),
        "OEMM cockpit": (oemm, "/oemm/"),
        **{f"cockpit queue {queue.key}": (oemm, f"/oemm/files/{queue.key}/") for queue in QUEUES},
    }

    def measure():
        result = {}
        for name, (user, url) in pages.items():
            client.force_login(user)
            count_queries(client, url)  # warm caches (session, content types)
            result[name] = count_queries(client, url)
        return result

    small = measure()
    grow(60, in_session=8, for_candidate=6)
    DossierEvent.objects.bulk_create(
        [DossierEvent(dossier=dossier, actor=oemm, action="note", label=f"Note {i}") for i in range(10)]
    )
    assert Dossier.objects.count() >= 72 and session.candidates.count() >= 5
    large = measure()
    different = {name: (small[name], large[name]) for name in pages if small[name] != large[name]}
    assert not different, f"query counts grow with the data (small, large): {different}"


# The dossier page reads each row once (the next actions' loader fills the dossier the page loaded, the sections read
# it from there): at most these budgets, and the same count whatever the data around (the same on SQLite and
# PostgreSQL).
DOSSIER_PAGE_QUERIES = {"VAE, livret 1": 13, "in a jury session, with a fiche": 15, "voie formative": 15}


def test_dossier_page_reads_each_row_once(client, world, oemm):
    grow = world["grow"]
    grow(12, in_session=2, for_candidate=0)
    client.force_login(oemm)
    fiche = FicheDecision.objects.filter(outcome=Outcome.TOTALE).order_by("pk").first()  # a partial one reads more
    dossiers = {
        "VAE, livret 1": Dossier.objects.filter(path="vae", livrets1__isnull=False)
        .exclude(jury_passages__isnull=False)
        .order_by("pk")
        .first(),
        "in a jury session, with a fiche": fiche.session_candidate.dossier,
        "voie formative": Dossier.objects.filter(path="formation", state=DossierState.DECIDE).order_by("pk").first(),
    }

    def measure():
        result = {}
        for name, dossier in dossiers.items():
            url = f"/dossiers/{dossier.number}/"
            count_queries(client, url)  # warm caches (session, content types)
            result[name] = count_queries(client, url)
        return result

    small = measure()
    grow(30, in_session=4, for_candidate=0)
    for dossier in dossiers.values():
        DossierEvent.objects.bulk_create(
            [DossierEvent(dossier=dossier, actor=oemm, action="note", label=f"Note {i}") for i in range(10)]
        )
    assert measure() == small  # constant whatever the data around
    over = {name: count for name, count in small.items() if count > DOSSIER_PAGE_QUERIES[name]}
    assert not over, f"over budget {DOSSIER_PAGE_QUERIES}: {over}"
