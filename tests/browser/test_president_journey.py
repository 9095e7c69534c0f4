"""Issue 15: the president of an open session goes from one candidate to the next without the session page.

The president opens the session's first candidate, deliberates, follows « Candidat suivant » to the second candidate
(never through the session page), then comes back with « Candidat précédent »: the first candidate's deliberation is
there. axe-core on each candidate page.
"""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cqp.enums import Role
from jury import workflow

from ..factories import user_with_role
from ..jury.conftest import planned_session, ready_dossier

NAMES = [("Alice", "Arnaud"), ("Bruno", "Bernard"), ("Chloé", "Charpentier")]


def open_session_of_three(oemm, members):
    """An open session (president emp1) of three ready VAE candidates, passing in the order of NAMES."""
    dossiers = []
    for first_name, last_name in NAMES:
        candidate = user_with_role(Role.CANDIDAT)
        candidate.first_name, candidate.last_name = first_name, last_name
        candidate.save(update_fields=["first_name", "last_name"])
        dossiers.append(ready_dossier("cos", by=oemm, candidate=candidate))
    day = timezone.localdate()  # a session opens on its date (issue 14)
    session = planned_session(by=oemm, codes={"cos"}, day=day, members=members, dossiers=dossiers)
    workflow.open_session(session, by=oemm, president=members["emp1"])
    return session, list(session.ordered_candidates())


def test_the_president_deliberates_and_goes_to_the_next_candidate_and_back(
    site, referentiels, members, actor, axe, browser_errors
):
    oemm = user_with_role(Role.OEMM)
    session, candidates = open_session_of_three(oemm, members)
    session_url = reverse("jury:session", args=[session.pk])
    first, second = candidates[0], candidates[1]

    president = actor(members["emp1"].email)
    visited = []
    president.on("framenavigated", lambda frame: frame == president.main_frame and visited.append(frame.url))

    # 1. The first candidate of the open session: no « précédent », a « suivant ».
    president.goto(reverse("jury:candidate", args=[session.pk, first.pk]))
    president.get_by_role("heading", name="Alice Arnaud", level=1).wait_for()
    nav = president.get_by_role("navigation", name="Candidats de la session")
    expect(nav).to_contain_text("Candidat 1 sur 3")
    expect(nav.get_by_role("link", name=re.compile("Candidat précédent"))).to_have_count(0)
    axe(president)

    # 2. The president deliberates: every unit validated.
    radios = president.get_by_label("Validé", exact=True)
    assert radios.count() > 0
    for radio in radios.all():
        radio.check()
    with president.expect_navigation():
        president.get_by_role("button", name="Enregistrer la délibération").click()
    president.get_by_text("Délibération enregistrée").wait_for()
    assert president.url.split("#")[0].endswith(reverse("jury:candidate", args=[session.pk, first.pk]))

    # 3. « Candidat suivant »: the second candidate, straight from the first one's page.
    with president.expect_navigation():
        president.get_by_role("navigation", name="Candidats de la session").get_by_role(
            "link", name=re.compile("Candidat suivant")
        ).click()
    president.get_by_role("heading", name="Bruno Bernard", level=1).wait_for()
    assert president.url.endswith(reverse("jury:candidate", args=[session.pk, second.pk]) + "#deliberation")
    nav = president.get_by_role("navigation", name="Candidats de la session")
    expect(nav).to_contain_text("Candidat 2 sur 3")
    expect(nav.get_by_role("link", name=re.compile("Candidat précédent"))).to_have_count(1)
    expect(nav.get_by_role("link", name=re.compile("Candidat suivant"))).to_have_count(1)
    expect(president.get_by_role("button", name="Enregistrer la délibération")).to_be_visible()
    axe(president)

    # 4. « Candidat précédent »: back to the first candidate, whose deliberation is kept.
    with president.expect_navigation():
        president.get_by_role("navigation", name="Candidats de la session").get_by_role(
            "link", name=re.compile("Candidat précédent")
        ).click()
    president.get_by_role("heading", name="Alice Arnaud", level=1).wait_for()
    for radio in president.get_by_label("Validé", exact=True).all():
        expect(radio).to_be_checked()
    axe(president)

    # The session page was never on the way.
    assert visited, "aucune navigation enregistrée"
    assert not [url for url in visited if url.split("#")[0].endswith(session_url)], visited
    first.refresh_from_db()
    assert first.current_fiche is not None
    assert not first.current_fiche.unit_decisions.filter(validated=False).exists()
