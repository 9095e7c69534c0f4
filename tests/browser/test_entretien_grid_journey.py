"""The entretien's full grid in a browser (issue 17): the organisme rates each savoir of the Spécialiste prestations
next to its savoir-faire, answers the six prerequisites, and the page stays readable at 390 px."""

from candidates import workflow
from candidates.models import EntretienKnowledge, EntretienPrerequisite
from cqp.enums import Role
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role
from .formation_journey_support import autosaved, person, success


def test_organisme_rates_savoirs_and_the_six_prerequisites(referentiels, actor, shot, axe):
    organisme = OrganismeFactory(name="Institut de Formation Mutualiste")
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    candidate = user_with_role(Role.CANDIDAT)
    spsp = Certification.objects.get(code="spsp")
    dossier = workflow.register_vae(
        candidate=candidate, certification=spsp, organisme=organisme, mention=spsp.current_version.mentions.first()
    )
    prerequisites = list(dossier.version.prerequisites.all())
    assert len(prerequisites) == 6
    savoir = dossier.version.units.get(number=1).knowledge.first()

    page = person(actor(staff.email))
    page.goto(f"/dossiers/{dossier.number}/entretien/saisie/")
    page.get_by_role("heading", name="Prérequis").wait_for()
    for p in prerequisites:
        page.locator(f"input[name='prereq_{p.pk}'][value='oui']").check()
    page.locator(f"input[name='savoir_{savoir.pk}'][value='partiellement']").check()
    autosaved(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    success(page, "Enregistré à")
    assert EntretienPrerequisite.objects.filter(entretien__dossier=dossier, answer="oui").count() == 6
    assert EntretienKnowledge.objects.get(entretien__dossier=dossier, knowledge=savoir).assessment == "partiellement"

    page.goto(f"/dossiers/{dossier.number}/entretien/saisie/")
    page.get_by_text("Savoirs").first.wait_for()
    assert page.locator(f"input[name='savoir_{savoir.pk}'][value='partiellement']").is_checked()
    axe(page)
    shot(page, "entretien-grid")
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"débordement horizontal de {overflow} px à 390 px"
