"""Issue 17: a path for one bloc of the GPAC, validated by a commission paritaire, in Chromium.

The OEMM opens the dossier of a ready GPAC candidate, chooses its target units (« CQP entier » unchecked, bloc 1
checked: the page says the path now leads to the commission paritaire) and saves; places the dossier in a commission
session of today (the candidate is told the date, not convoked) and opens it; the president of the commission decides
on bloc 1 only and signs; the candidate sees on the dossier page the partial validation by the commission and that
the other units go by a new dossier. The later dossier for the remaining units, the final jury and the certificate are
tested without the browser (tests/jury/test_commission.py). axe-core on each page; screenshots at 1366 and 390 px.
"""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cqp.enums import NotificationKind, Role
from jury import workflow
from jury.enums import SessionKind
from jury.models import Certificate, ValidatedUnit
from notifications.models import Notification
from referentiels.models import Certification

from ..factories import user_with_role
from ..jury.conftest import ready_dossier
from .test_vae_journey import choose


def commission_of_today(oemm, members):
    session = workflow.create_session(
        by=oemm,
        certifications=Certification.objects.filter(code="gpac"),
        date=timezone.localdate(),
        start_time=datetime.time(9, 0),
        place="OEMM, 255 rue de Vaugirard, Paris",
        capacity=8,
        kind=SessionKind.COMMISSION,
    )
    for user in members.values():
        workflow.add_member(session, by=oemm, user=user)
    return session


def test_one_bloc_goes_to_the_commission_paritaire_which_validates_it(
    site, referentiels, members, actor, shot, axe, browser_errors
):
    oemm = user_with_role(Role.OEMM)
    candidate_user = user_with_role(Role.CANDIDAT)
    candidate_user.first_name, candidate_user.last_name = "Claire", "Fontaine"
    candidate_user.save(update_fields=["first_name", "last_name"])
    dossier = ready_dossier("gpac", by=oemm, candidate=candidate_user)
    dossier_url = dossier.get_absolute_url()

    # 1. The OEMM chooses the target units: by default the whole CQP, to the final jury.
    staff = actor(oemm.email)
    staff.goto(dossier_url)
    with staff.expect_navigation():
        staff.get_by_role("link", name="Choisir les unités visées").click()
    staff.get_by_role("heading", name="Unités visées par le parcours").wait_for()
    route = staff.locator("[data-route-label]")
    expect(route).to_have_text("Jury final")
    whole = staff.get_by_label("CQP entier (toutes les unités restant à acquérir)")
    expect(whole).to_be_checked()
    whole.uncheck()  # the shortcut unchecks every unit
    expect(route).to_have_text("choisissez au moins une unité")
    staff.get_by_label(re.compile("^Bloc 1 : ")).check()
    expect(route).to_have_text("Commission paritaire")
    shot(staff, "commission-01-unites-visees")
    axe(staff)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Enregistrer les unités visées").click()
    staff.get_by_text(re.compile(r"Unités visées enregistrées \(1\)")).wait_for()
    staff.get_by_text(re.compile("la commission paritaire valide ces unités sur dossier")).wait_for()
    shot(staff, "commission-02-dossier-oemm")
    axe(staff)

    # 2. A commission session of today: the OEMM places the dossier and opens it (2 + 2 members).
    session = commission_of_today(oemm, members)
    staff.goto(reverse("jury:session", args=[session.pk]))
    choose(staff.get_by_label("Dossier prêt pour le jury"), "Fontaine")
    staff.get_by_role("button", name=re.compile("^Ajouter")).first.click()
    staff.get_by_role("link", name=re.compile("Fontaine")).first.wait_for()
    note = Notification.objects.get(kind=NotificationKind.COMMISSION_SCHEDULED, recipient=candidate_user)
    assert "sera examiné par la commission paritaire du" in note.message
    choose(staff.get_by_label("Président(e) de séance"), str(members["emp1"]))
    staff.get_by_role("button", name="Ouvrir la session").click()
    staff.get_by_text("Présidence :").wait_for()
    shot(staff, "commission-03-session")
    axe(staff)

    # 3. The units are now read-only, with the reason.
    staff.goto(reverse("jury:choose_targets", kwargs={"number": dossier.number}))
    staff.get_by_text(re.compile("déjà été placé en session \\(la commission paritaire du")).wait_for()
    expect(staff.get_by_role("button", name="Enregistrer les unités visées")).to_have_count(0)

    # 4. The president of the commission decides on bloc 1 only and signs.
    president = actor(members["emp1"].email)
    president.goto(reverse("jury:session", args=[session.pk]))
    president.get_by_role("link", name=re.compile("Fontaine")).first.click()
    radios = president.get_by_label("Validé", exact=True)
    expect(radios).to_have_count(1)
    radios.first.check()
    axe(president)
    with president.expect_navigation():
        president.get_by_role("button", name="Enregistrer la délibération").click()
    with president.expect_navigation(timeout=90_000):
        president.get_by_role("button", name="Signer la fiche de décision").click(timeout=90_000)
    president.get_by_text(re.compile("Signée par .* verrouillée")).wait_for()
    assert list(ValidatedUnit.objects.filter(candidate=candidate_user).values_list("unit_number", flat=True)) == [1]
    assert not Certificate.objects.filter(dossier=dossier).exists()

    # 5. The candidate sees the partial validation by the commission, and the road for the other units.
    candidate = actor(candidate_user.email)
    candidate.goto(dossier_url)
    candidate.get_by_text(re.compile("La commission paritaire du .* a validé une partie du CQP")).first.wait_for()
    body = " ".join(candidate.inner_text("main").split())
    assert "par un nouveau dossier" in body and "avec ce même dossier" not in body
    expect(candidate.get_by_role("link", name="Choisir les unités visées")).to_have_count(0)
    shot(candidate, "commission-04-dossier-candidat")
    axe(candidate)
