"""Issue 15: the OEMM cockpit's statistics page in a real browser, checked by axe-core at desktop and phone widths,
with data and with filters. At phone width the charts and tables scroll sideways: each scrolling region is
focusable and named (axe's « scrollable-region-focusable »), so a keyboard user can scroll it too."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from candidates.models import Dossier
from cqp.enums import Role

from ..factories import user_with_role
from .conftest import MOBILE
from .test_president_journey import open_session_of_three


def test_the_statistics_page_passes_axe_with_data_and_filters(site, referentiels, members, actor, shot, axe):
    oemm = user_with_role(Role.OEMM)
    open_session_of_three(oemm, members)

    staff = actor(oemm.email)
    staff.goto(reverse("oemm_statistics"))
    staff.get_by_role("heading", name="Statistiques de la certification", level=1).wait_for()
    assert staff.locator("svg.chart").count() > 0
    assert staff.get_by_text(re.compile("Chiffres calculés le ")).is_visible()
    shot(staff, "cockpit-statistiques")
    axe(staff)

    # The same page filtered by CQP (the form's own controls).
    staff.get_by_label("CQP", exact=True).select_option(index=1)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Filtrer").click()
    assert "cqp=" in staff.url
    axe(staff)

    # At phone width the charts and the tables overflow: their scrolling regions are reachable by keyboard.
    staff.set_viewport_size(MOBILE)
    staff.reload()
    chart = staff.get_by_role("region", name=re.compile("^Graphique : Inscriptions par CQP"))
    assert chart.evaluate("el => el.scrollWidth > el.clientWidth")
    chart.focus()
    assert chart.evaluate("el => el === document.activeElement")
    axe(staff)


def test_the_sessions_list_sorts_by_a_column_header_and_passes_axe(site, referentiels, members, actor, shot, axe):
    oemm = user_with_role(Role.OEMM)
    open_session_of_three(oemm, members)

    staff = actor(oemm.email)
    staff.goto(reverse("jury:list"))
    staff.get_by_role("heading", name="Sessions de jury", level=1).wait_for()
    with staff.expect_navigation():
        staff.get_by_role("columnheader", name="Lieu").first.get_by_role("link").click()
    assert "tri=lieu" in staff.url
    assert staff.get_by_role("columnheader", name="Lieu").first.get_attribute("aria-sort") == "ascending"
    assert "tri=lieu" in staff.get_by_role("link", name="CSV").get_attribute("href")
    shot(staff, "cockpit-sessions-triees")
    axe(staff)

    # At phone width the table scrolls sideways in a named region reachable by keyboard.
    staff.set_viewport_size(MOBILE)
    staff.reload()
    table = staff.get_by_role("region", name="Sessions à venir")
    assert table.evaluate("el => el.scrollWidth > el.clientWidth")
    axe(staff)


def test_pilotage_lists_sort_by_a_column_header_export_and_pass_axe(site, referentiels, members, actor, shot, axe):
    oemm = user_with_role(Role.OEMM)
    open_session_of_three(oemm, members)
    soon = timezone.localdate() + datetime.timedelta(days=20)
    assert Dossier.objects.update(first_jury_deadline=soon)

    staff = actor(oemm.email)
    staff.goto(reverse("oemm_deadlines") + "?horizon=365")
    staff.get_by_role("heading", name="Échéances", level=1).wait_for()
    with staff.expect_navigation():
        staff.get_by_role("columnheader", name="Objet").get_by_role("link").click()
    assert "tri=objet" in staff.url and "horizon=365" in staff.url
    assert staff.get_by_role("columnheader", name="Objet").get_attribute("aria-sort") == "ascending"
    assert "tri=objet" in staff.get_by_role("link", name="CSV").get_attribute("href")
    shot(staff, "cockpit-echeances-triees")
    axe(staff)
    for name, heading in [
        ("oemm_deletion_requests", "Demandes d'effacement des données"),
        ("oemm_emails", "E-mails non remis"),
        ("oemm_register", "Registre des titulaires certifiés (accrochage)"),
    ]:
        staff.goto(reverse(name) + "?tri=-numero")
        staff.get_by_role("heading", name=heading, level=1).wait_for()
        assert staff.get_by_role("link", name="Excel").count() == 1
        axe(staff)
