"""The informational content of issue 17 in a real browser, at 390 and 1366 px: the public CQP page (gratification, no
diploma equivalence), the tutor's page (missions, phases of progression), the entretien screen (direct evaluation
refused next to the orientation, VAE threshold and reminder). No horizontal overflow, axe-core clean; screenshots in
tests/artifacts/screenshots/info-*.png."""

from candidates import workflow
from referentiels.models import Certification

from .conftest import DESKTOP, MOBILE, SCREENSHOTS

OVERFLOW = "() => document.documentElement.scrollWidth > window.innerWidth"


def _both_widths(page, name, axe, before_shot=None):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        if before_shot:
            before_shot(page)
        assert not page.evaluate(OVERFLOW), f"{name} déborde à {size['width']} px"
        page.screenshot(path=SCREENSHOTS / f"info-{name}-{label}.png", full_page=True)
    axe(page)


def test_public_cqp_page_shows_gratification(referentiels, anonymous, axe):
    page = anonymous()
    page.goto("/cqp/gpac/")
    section = page.locator("#a-savoir").locator("xpath=..")
    assert "120 points" in section.inner_text() and "Education Nationale" in section.inner_text()
    _both_widths(page, "public-gpac", axe)


def test_tutor_page_shows_missions_and_phases(designated, tutor, actor, axe):
    page = actor(tutor.email)
    page.goto(f"/dossiers/{designated.number}/formation/tutorat/")

    def open_guide(p):
        details = p.locator("details.card").first
        if details.get_attribute("open") is None:
            details.locator("summary").click()

    _both_widths(page, "tutorat", axe, before_shot=open_guide)
    assert "assurer la liaison avec le centre de formation" in page.inner_text("body")
    assert "6 – Les compétences acquises peuvent être évaluées" in page.inner_text("body")


def test_entretien_screen_direct_evaluation_and_vae(referentiels, candidat, actor, axe):
    from cqp.enums import Role

    from ..factories import OrganismeFactory, user_with_role

    organisme = OrganismeFactory(name="Institut de Formation Mutualiste")
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    dossier = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme
    )
    page = actor(staff.email)
    page.goto(f"/dossiers/{dossier.number}/entretien/saisie/")
    # Choose « Évaluation directe » on the first bloc with one compétence « Partiellement »: refused inline.
    first = dossier.version.units.order_by("number").first()
    comp = first.competences.first()
    page.locator(f'input[name="comp_{comp.pk}"][value="partiellement"]').check()
    page.select_option(f'select[name="unit_{first.pk}"]', "evaluation_directe")
    page.locator(f"#orientation-note-{first.pk} .alert-danger").wait_for()
    assert "Évaluation directe impossible" in page.inner_text(f"#orientation-note-{first.pk}")
    second = dossier.version.units.order_by("number")[1]
    page.select_option(f'select[name="unit_{second.pk}"]', "vae")
    page.locator(f"#orientation-note-{second.pk} .alert-warning").wait_for()
    assert "seuil du CQP : 1 an" in page.inner_text(f"#orientation-note-{second.pk}")
    assert "Vous n'êtes en aucune manière en situation" in page.inner_text("#vae-reminder")
    page.locator(f"#unit-{first.pk}").scroll_into_view_if_needed()
    _both_widths(page, "entretien", axe)


def test_candidate_dossier_shows_what_to_know(referentiels, candidat, actor, axe):
    from ..factories import OrganismeFactory

    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    dossier = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="cmi"), organisme=organisme
    )
    page = actor(candidat.email)
    page.goto(f"/dossiers/{dossier.number}/")
    assert "120 points" in page.inner_text("#a-savoir >> xpath=..")
    _both_widths(page, "dossier-candidat", axe)
