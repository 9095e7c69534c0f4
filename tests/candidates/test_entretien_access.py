"""Who may read, fill, validate and export the entretien d'accueil: persona x page x state tables."""

import pytest
import rules
from django.urls import reverse

from candidates import workflow
from candidates.enums import EntretienState
from candidates.models import Entretien
from candidates.workflow import entretien as service
from cqp.enums import Role
from referentiels.models import Certification

from ..autosave_support import post_as_page
from ..factories import OrganismeFactory, user_with_role
from .test_entretien_workflow import entretien_data

PERSONAS = [
    "anonymous",
    "candidate",
    "other_candidate",
    "organisme_of_dossier",
    "other_organisme",
    "entreprise_of_dossier",
    "other_entreprise",
    "oemm",
    "jury",
]


def login(client, who, setup, candidat, other_candidat, entreprise_user, oemm, jury_member):
    user = {
        "anonymous": None,
        "candidate": candidat,
        "other_candidate": other_candidat,
        "organisme_of_dossier": setup["organisme_staff"],
        "other_organisme": user_with_role(Role.ORGANISME),
        "entreprise_of_dossier": entreprise_user,
        "other_entreprise": user_with_role(Role.ENTREPRISE),
        "oemm": oemm,
        "jury": jury_member,
    }[who]
    if user:
        client.force_login(user)


# Expected status per persona while the entretien is being filled in (en_cours).
#                       detail edit  validate  pdf
EN_COURS = {
    "anonymous": (302, 302, 302, 302),
    "candidate": (200, 403, 403, 200),
    "other_candidate": (404, 404, 404, 404),
    "organisme_of_dossier": (200, 200, 200, 200),
    "other_organisme": (404, 404, 404, 404),
    "entreprise_of_dossier": (200, 200, 200, 200),
    "other_entreprise": (404, 404, 404, 404),
    "oemm": (200, 403, 403, 200),
    "jury": (404, 404, 404, 404),
}


@pytest.mark.parametrize("who", PERSONAS)
def test_pages_while_filling_in(client, setup, candidat, other_candidat, entreprise_user, oemm, jury_member, who):
    login(client, who, setup, candidat, other_candidat, entreprise_user, oemm, jury_member)
    number = setup["dossier"].number
    names = ["entretien", "entretien_edit", "entretien_validate", "entretien_pdf"]
    got = tuple(client.get(reverse(f"candidates:{n}", args=[number])).status_code for n in names)
    assert got == EN_COURS[who]
    if who == "anonymous":
        assert client.get(reverse("candidates:entretien", args=[number])).url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who, expected",
    [
        # Anonymous (expired session): 401 with a message, never the login page (candidates/autosave.py).
        ("anonymous", 401),
        ("candidate", 403),
        ("other_candidate", 404),
        ("organisme_of_dossier", 200),
        ("other_organisme", 404),
        ("entreprise_of_dossier", 200),
        ("other_entreprise", 404),
        ("oemm", 403),
        ("jury", 404),
    ],
)
def test_autosave_post_per_persona(
    client, setup, candidat, other_candidat, entreprise_user, oemm, jury_member, who, expected
):
    login(client, who, setup, candidat, other_candidat, entreprise_user, oemm, jury_member)
    dossier = setup["dossier"]
    data = entretien_data(dossier, synthesis="Écrit par " + who)
    response = post_as_page(
        client, reverse("candidates:entretien_edit", args=[dossier.number]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == expected
    assert (Entretien.objects.get().synthesis == "Écrit par " + who) == (expected == 200)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", 302),
        ("candidate", 200),
        ("other_candidate", 404),
        ("organisme_of_dossier", 403),
        ("other_organisme", 404),
        ("entreprise_of_dossier", 403),
        ("other_entreprise", 404),
        ("oemm", 403),
        ("jury", 404),
    ],
)
def test_candidate_validation_page_per_persona(
    client, setup, candidat, other_candidat, entreprise_user, oemm, jury_member, who, expected
):
    service.validate_as_interviewer(Entretien.objects.get(), by=setup["organisme_staff"])
    login(client, who, setup, candidat, other_candidat, entreprise_user, oemm, jury_member)
    number = setup["dossier"].number
    assert client.get(reverse("candidates:entretien_validate_candidate", args=[number])).status_code == expected
    # Nobody but the candidate gets the entretien validated by a POST.
    client.post(reverse("candidates:entretien_validate_candidate", args=[number]), {"confirm": "on"})
    state = Entretien.objects.get().state
    assert state == (EntretienState.VALIDE if who == "candidate" else EntretienState.VALIDE_INTERVIEWER)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("candidate", 403),
        ("oemm", 403),
        ("jury", 404),
        ("other_organisme", 404),
        ("organisme_of_dossier", 302),
    ],
)
def test_reopen_per_persona(client, setup, candidat, other_candidat, entreprise_user, oemm, jury_member, who, expected):
    service.validate_as_interviewer(Entretien.objects.get(), by=setup["organisme_staff"])
    login(client, who, setup, candidat, other_candidat, entreprise_user, oemm, jury_member)
    response = client.post(reverse("candidates:entretien_reopen", args=[setup["dossier"].number]))
    assert response.status_code == expected


def test_wrong_state_pages_answer_with_a_french_message(client, setup, candidat):
    number = setup["dossier"].number
    client.force_login(candidat)  # nothing to validate yet
    response = client.get(reverse("candidates:entretien_validate_candidate", args=[number]), follow=True)
    assert "L'entretien n'est pas à valider : il est « En cours de saisie »" in response.content.decode().replace(
        "&#x27;", "'"
    )
    service.validate_as_interviewer(Entretien.objects.get(), by=setup["organisme_staff"])
    client.force_login(setup["organisme_staff"])
    response = client.get(reverse("candidates:entretien_validate", args=[number]), follow=True)
    assert "n'est pas à valider" in response.content.decode().replace("&#x27;", "'")


def test_vae_dossier_is_conducted_by_its_organisme_only(referentiels, candidat, entreprise_user, oemm):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    dossier = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme
    )
    # An entreprise conducts only on the voie formative (an entreprise sharing the dossier would still be refused).
    dossier.entreprise = entreprise_user.roles.get().entreprise
    assert rules.has_perm("candidates.conduct_entretien", staff, dossier)
    assert not rules.has_perm("candidates.conduct_entretien", entreprise_user, dossier)
    assert not rules.has_perm("candidates.conduct_entretien", oemm, dossier)
    assert not rules.has_perm("candidates.conduct_entretien", candidat, dossier)
    assert rules.has_perm("candidates.view_entretien", oemm, dossier)
