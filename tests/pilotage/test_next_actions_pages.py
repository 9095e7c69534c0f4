"""« Prochaine action » and the step tracker on the pages: each role's dashboard and the dossier page show them, and
the number of queries does not grow with the number of dossiers (12, then 72 dossiers)."""

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.enums import DossierState
from candidates.models import Dossier, FormationDesignation, LivretSuivi, SuiviModule
from cqp.enums import College, EntrepriseFunction, Role
from jury import workflow as jury_workflow
from jury.models import JurySession
from pilotage.volume import add_candidates, seed_volume
from referentiels.models import Certification
from vae.models import ConventionAccompagnement

from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role

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
    return len(ctx.captured_queries), response.content.decode()


@pytest.fixture
def world(referentiels, oemm, candidat):
    organisme = OrganismeFactory()
    entreprise = EntrepriseFactory()
    people = {
        "candidate": candidat,
        "oemm": oemm,
        "centre": user_with_role(Role.ORGANISME, organisme=organisme),
        "rh": user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.RH),
        "evaluator": user_with_role(
            Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR
        ),
        "president": user_with_role(Role.JURY, college=College.EMPLOYEUR, union_name="UGEM"),
        "member": user_with_role(Role.JURY, college=College.SALARIE, union_name="CFDT"),
    }
    certifications = Certification.objects.filter(certifier__code="cpnefp_mutualite")
    today = timezone.localdate()
    sessions = []
    for days in (30, 0):
        session = jury_workflow.create_session(
            by=oemm,
            certifications=certifications,
            date=today + datetime.timedelta(days=days),
            start_time=datetime.time(9, 0),
            place="OEMM, Paris",
            capacity=200,
        )
        for key in ("president", "member"):
            jury_workflow.add_member(session, by=oemm, user=people[key])
        sessions.append(session)
    coming, open_session = sessions
    JurySession.objects.filter(pk=open_session.pk).update(state="ouverte", president=people["president"])

    def grow(n):
        before = set(Dossier.objects.values_list("pk", flat=True))
        seed_volume(candidates=n, sessions=0, states=STATES, log=quiet)
        new = list(Dossier.objects.exclude(pk__in=before).select_related("version").order_by("pk"))
        ids = [d.pk for d in new]
        Dossier.objects.filter(pk__in=ids).update(organisme=organisme)
        Dossier.objects.filter(pk__in=ids, path="formation").update(entreprise=entreprise)
        Dossier.objects.filter(pk__in=ids[: n // 2]).update(candidate=candidat)
        formation = [d for d in new if d.path == "formation"]
        FormationDesignation.objects.filter(dossier__in=formation).update(evaluator1=people["evaluator"])
        have = set(FormationDesignation.objects.filter(dossier__in=formation).values_list("dossier_id", flat=True))
        FormationDesignation.objects.bulk_create(
            [FormationDesignation(dossier=d, evaluator1=people["evaluator"]) for d in formation if d.pk not in have]
        )
        for d in formation:
            livret, _ = LivretSuivi.objects.get_or_create(dossier=d)
            SuiviModule.objects.create(
                livret=livret, position=1, unit=d.version.units.first(), title="Module", hours=35
            )
        ConventionAccompagnement.objects.bulk_create(
            [
                ConventionAccompagnement(dossier=d, organisme=organisme, requested_by=d.candidate)
                for d in new
                if d.path == "vae"
            ]
        )
        ready = [d for d in new if d.state == DossierState.PRET_JURY]
        add_candidates(coming, ready[: len(ready) // 2], by=oemm)
        add_candidates(open_session, ready[len(ready) // 2 :], by=oemm)

    return {"people": people, "grow": grow, "coming": coming}


PAGES = {
    "candidate dashboard": ("candidate", "/candidat/"),
    "centre dashboard": ("centre", "/organisme/"),
    "RH dashboard": ("rh", "/entreprise/"),
    "evaluator dashboard": ("evaluator", "/entreprise/"),
    "president dashboard": ("president", "/jury/"),
    "member dashboard": ("member", "/jury/"),
    "OEMM dashboard": ("oemm", "/oemm/"),
}


def test_dashboards_and_dossier_page_show_next_actions_in_constant_queries(client, world):
    people = world["people"]
    world["grow"](12)
    mine = Dossier.objects.filter(candidate=people["candidate"]).order_by("pk").first()
    formation = Dossier.objects.filter(path="formation", entreprise__isnull=False).order_by("pk").first()
    pages = dict(PAGES)
    for key in ("candidate", "oemm", "centre"):
        pages[f"dossier page ({key})"] = (key, f"/dossiers/{mine.number}/")
    pages["dossier page (RH)"] = ("rh", f"/dossiers/{formation.number}/")

    def measure():
        counts = {}
        for name, (key, url) in pages.items():
            client.force_login(people[key])
            count_queries(client, url)  # warm caches
            counts[name], html = count_queries(client, url)
            assert 'id="prochaine-action"' in html, name
            if name.startswith("dossier page"):
                assert 'aria-current="step"' in html or "Décision" in html, name
        return counts

    small = measure()
    world["grow"](60)
    assert Dossier.objects.count() >= 72
    large = measure()
    # The OEMM's actions read the cockpit's summaries, already computed for its dashboard (no query of their own);
    # the cockpit's queries are held constant by tests/pilotage/test_cockpit_queues.py on data that fills every queue.
    different = {
        name: (small[name], large[name]) for name in pages if small[name] != large[name] and name != "OEMM dashboard"
    }
    assert not different, f"query counts grow with the data (small, large): {different}"


def test_each_dashboard_names_an_action_with_its_link(client, world):
    people = world["people"]
    world["grow"](12)
    expected = {
        "centre": "Conduire l'entretien d'accueil",
        "president": "Délibérer",
        "member": "Siéger à la session",
        "oemm": "Dossiers prêts, à placer dans une session",
    }
    for key, text in expected.items():
        client.force_login(people[key])
        url = {who: url for who, url in PAGES.values()}[key]
        html = client.get(url).content.decode()
        section = unescape(html.split('id="prochaine-action"', 1)[1].split("</section>", 1)[0])
        assert text in section, (key, section)
        assert "Rien à faire pour le moment" not in section


def test_dossier_page_shows_each_person_their_own_action(client, world):
    people = world["people"]
    world["grow"](12)
    placed = world["coming"].candidates.select_related("dossier").first().dossier
    client.force_login(people["member"])
    html = unescape(client.get(f"/dossiers/{placed.number}/").content.decode())
    assert "Lire ce dossier avant la session" in html
    assert 'aria-current="step"' in html
    client.force_login(people["oemm"])
    html = unescape(client.get(f"/dossiers/{placed.number}/").content.decode())
    assert "Lire ce dossier avant la session" not in html
