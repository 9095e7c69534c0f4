"""Who may read and write the voie formative: persona x page table (404 outsiders, 403 insiders without the right)."""

import pytest
from django.urls import reverse

from candidates.formation_file import build_file
from candidates.models import LivretEvaluation, TutorReview
from cqp.enums import EntrepriseFunction, Role

from ..autosave_support import post_as_page
from ..factories import user_with_role
from .formation_support import assessment_post, units_of

PERSONAS = [
    "anonymous",
    "candidate",
    "other_candidate",
    "organisme_of_dossier",
    "other_organisme",
    "rh",
    "tutor",
    "evaluator1",
    "evaluator2",
    "entreprise_colleague",
    "other_entreprise",
    "oemm",
    "jury",
]


@pytest.fixture
def people(candidat, other_candidat, organisme_staff, rh, tutor, manager, evaluator2, entreprise, oemm, jury_member):
    return {
        "anonymous": None,
        "candidate": candidat,
        "other_candidate": other_candidat,
        "organisme_of_dossier": organisme_staff,
        "other_organisme": user_with_role(Role.ORGANISME),
        "rh": rh,
        "tutor": tutor,
        "evaluator1": manager,
        "evaluator2": evaluator2,
        # A member of the same entreprise with no role on this dossier: sees it (entreprise-wide), writes nothing.
        "entreprise_colleague": user_with_role(
            Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.TUTEUR
        ),
        "other_entreprise": user_with_role(Role.ENTREPRISE, entreprise_function=EntrepriseFunction.RH),
        "oemm": oemm,
        "jury": jury_member,
    }


def _login(client, people, who):
    if people[who]:
        client.force_login(people[who])


def _pages(dossier):
    unit = units_of(dossier)[0].pk
    n = dossier.number
    return [
        reverse("candidates:formation", args=[n]),
        reverse("candidates:formation_suivi", args=[n]),
        reverse("candidates:formation_tutorat", args=[n]),
        reverse("candidates:formation_livret", args=[n]),
        reverse("candidates:formation_designations", args=[n]),
        reverse("candidates:formation_suivi_edit", args=[n]),
        reverse("candidates:formation_formative", args=[n, unit]),
        reverse("candidates:formation_review_new", args=[n]),
        reverse("candidates:formation_intermediate_new", args=[n, unit]),
        reverse("candidates:formation_candidate", args=[n]),
        reverse("candidates:formation_assessment", args=[n, unit, 1]),
        reverse("candidates:formation_assessment", args=[n, unit, 2]),
        reverse("candidates:formation_synthesis", args=[n]),
        reverse("candidates:formation_evaluator_sign", args=[n, 1]),
        reverse("candidates:formation_transmit", args=[n]),
    ]


# Expected GET status per persona, the dossier oriented and its actors designated.
# read: detail suivi tutorat livret | designate suivi_edit formative review interm. candidate ev1  ev2  synth sign1
# transmit
OUT = (404,) * 15
EXPECTED = {
    "anonymous": (302,) * 15,
    "candidate": (200, 200, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    "other_candidate": OUT,
    "organisme_of_dossier": (200, 200, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    "other_organisme": OUT,
    "rh": (200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    "tutor": (200, 200, 200, 200, 403, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    "evaluator1": (200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200, 403),
    "evaluator2": (200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403),
    "entreprise_colleague": (200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "other_entreprise": OUT,
    "oemm": (200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "jury": OUT,
}


@pytest.mark.parametrize("who", PERSONAS)
def test_pages_per_persona(client, designated, people, who):
    _login(client, people, who)
    got = tuple(client.get(page).status_code for page in _pages(designated))
    assert got == EXPECTED[who]
    if who == "anonymous":
        assert client.get(_pages(designated)[0]).url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", 401),
        ("candidate", 200),
        ("other_candidate", 404),
        ("organisme_of_dossier", 403),
        ("rh", 403),
        ("tutor", 403),
        ("evaluator1", 403),
        ("oemm", 403),
        ("jury", 404),
        ("other_entreprise", 404),
    ],
)
def test_only_the_candidate_writes_their_part(client, designated, people, who, expected):
    _login(client, people, who)
    data = {"activities": f"Écrit par {who}"}
    response = post_as_page(
        client,
        reverse("candidates:formation_candidate", args=[designated.number]),
        data,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == expected
    written = LivretEvaluation.objects.filter(candidate_activities=f"Écrit par {who}").exists()
    assert written == (expected == 200)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("candidate", 403),
        ("rh", 403),
        ("evaluator1", 403),
        ("organisme_of_dossier", 403),
        ("oemm", 403),
        ("other_entreprise", 404),
        ("tutor", 302),
    ],
)
def test_only_the_tutor_writes_tutor_entries(client, designated, people, who, expected):
    _login(client, people, who)
    response = client.post(
        reverse("candidates:formation_review_new", args=[designated.number]),
        {"held_on": "2026-11-02", "with_whom": "La candidate"},
    )
    assert response.status_code == expected
    assert TutorReview.objects.exists() == (who == "tutor")


@pytest.mark.parametrize(
    "who, slot, expected",
    [
        ("evaluator1", 1, 200),
        ("evaluator1", 2, 403),
        ("evaluator2", 2, 200),
        ("evaluator2", 1, 403),
        ("tutor", 1, 403),
        ("rh", 2, 403),
        ("candidate", 1, 403),
        ("oemm", 1, 403),
        ("jury", 1, 404),
    ],
)
def test_each_evaluator_writes_only_their_own_part(client, designated, people, who, slot, expected):
    _login(client, people, who)
    unit = units_of(designated)[0]
    response = post_as_page(
        client,
        reverse("candidates:formation_assessment", args=[designated.number, unit.pk, slot]),
        assessment_post(unit),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == expected
    file = build_file(designated)
    assert file.units[0].assessments[slot - 1].started == (expected == 200)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", 302),
        ("candidate", 403),
        ("rh", 403),
        ("tutor", 403),
        ("evaluator1", 403),
        ("other_candidate", 404),
        ("jury", 404),
        ("oemm", 302),
    ],
)
def test_only_oemm_marks_ready_for_jury(client, designated, people, who, expected):
    _login(client, people, who)
    response = client.post(reverse("candidates:formation_ready", args=[designated.number]))
    assert response.status_code == expected
    designated.refresh_from_db()
    assert designated.state == "oriente"  # the livret is not transmitted: OEMM is refused with a message


def test_the_dossier_page_section_shows_actions_per_persona(client, designated, people):
    client.force_login(people["rh"])
    content = client.get(designated.get_absolute_url()).content.decode()
    assert "Modifier les désignations" in content
    client.force_login(people["tutor"])
    content = client.get(designated.get_absolute_url()).content.decode()
    assert "Voie formative" in content and "Modifier les désignations" not in content
