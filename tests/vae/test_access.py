"""Who may see and do what, per view and per persona: outsiders get a 404, insiders without the right a 403."""

import pytest
from django.urls import reverse

from cqp.enums import Role
from vae import workflow

from ..factories import user_with_role
from .conftest import PDF, complete, post_data, upload

PERSONAS = [
    "candidate",
    "other_candidate",
    "organisme_of_dossier",
    "other_organisme",
    "entreprise",
    "oemm",
    "jury",
    "anonymous",
]


@pytest.fixture
def people(candidat, other_candidat, organisme_staff, entreprise_user, oemm, jury_member):
    return {
        "candidate": candidat,
        "other_candidate": other_candidat,
        "organisme_of_dossier": organisme_staff,
        "other_organisme": user_with_role(Role.ORGANISME),
        "entreprise": entreprise_user,
        "oemm": oemm,
        "jury": jury_member,
        "anonymous": None,
    }


def login(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])


def request(client, method, url, **kwargs):
    return client.post(url, **kwargs) if method == "post" else client.get(url, **kwargs)


# expected status per persona, in the order of PERSONAS
DRAFT_TABLE = [
    ("livret1", "get", [200, 404, 200, 404, 404, 200, 404, 302]),
    ("livret1_start", "post", [302, 404, 403, 404, 404, 403, 404, 302]),  # already started: back to the livret
    ("livret1_save", "post", [200, 404, 403, 404, 404, 403, 404, 401]),
    ("livret1_submit", "get", [200, 404, 403, 404, 404, 403, 404, 302]),
    ("piece_upload", "post", [302, 404, 403, 404, 404, 403, 404, 302]),
    ("piece_download", "get", [200, 404, 200, 404, 404, 200, 404, 302]),
    ("piece_delete", "post", [302, 404, 403, 404, 404, 403, 404, 302]),
    ("livret1_decide", "get", [403, 404, 403, 404, 404, 302, 404, 302]),  # OEMM: wrong state, back to the livret
    ("livret1_renew", "post", [403, 404, 403, 404, 404, 403, 404, 302]),  # not expired
    ("livret1_archive", "get", [200, 404, 200, 404, 404, 200, 404, 302]),
]


@pytest.mark.parametrize("view, method, expected", DRAFT_TABLE)
@pytest.mark.parametrize("who", PERSONAS)
def test_views_on_a_draft_livret(client, people, livret, candidat, view, method, expected, who):
    livret = complete(livret, candidat)
    piece = livret.pieces.first()
    number = livret.dossier.number
    args = {
        "piece_download": [number, piece.pk],
        "piece_delete": [number, piece.pk],
        "livret1_archive": [number, livret.pk],
    }.get(view, [number])
    kwargs = {}
    if view == "livret1_save":
        kwargs = {"data": post_data(livret), "HTTP_HX_REQUEST": "true"}
    if view == "piece_upload":
        kwargs = {"data": {"kind": "autre", "file": upload("autre.pdf", PDF)}}
    login(client, people, who)
    response = request(client, method, reverse(f"vae:{view}", args=args), **kwargs)
    assert response.status_code == expected[PERSONAS.index(who)]


SUBMITTED_TABLE = [
    ("livret1", "get", [200, 404, 200, 404, 404, 200, 404, 302]),
    ("livret1_save", "post", [403, 404, 403, 404, 404, 403, 404, 401]),
    ("livret1_submit", "get", [403, 404, 403, 404, 404, 403, 404, 302]),
    ("livret1_decide", "get", [403, 404, 403, 404, 404, 200, 404, 302]),
    ("notification_pdf", "get", [403, 404, 403, 404, 404, 403, 404, 302]),  # no decision yet
]


@pytest.mark.parametrize("view, method, expected", SUBMITTED_TABLE)
@pytest.mark.parametrize("who", PERSONAS)
def test_views_on_a_submitted_livret(client, people, complete_livret, candidat, view, method, expected, who):
    livret = workflow.submit_livret1(complete_livret, by=candidat)
    number = livret.dossier.number
    args = [number, livret.pk] if view == "notification_pdf" else [number]
    kwargs = {"data": post_data(livret), "HTTP_HX_REQUEST": "true"} if view == "livret1_save" else {}
    login(client, people, who)
    response = request(client, method, reverse(f"vae:{view}", args=args), **kwargs)
    assert response.status_code == expected[PERSONAS.index(who)]


@pytest.mark.parametrize("who, expected", list(zip(PERSONAS, [200, 404, 200, 404, 404, 200, 404, 302], strict=False)))
def test_notification_pdf_after_decision(client, people, complete_livret, candidat, oemm, who, expected):
    livret = workflow.declare_recevable(workflow.submit_livret1(complete_livret, by=candidat), by=oemm)
    login(client, people, who)
    response = client.get(reverse("vae:notification_pdf", args=[livret.dossier.number, livret.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("who, expected", list(zip(PERSONAS, [403, 403, 403, 403, 403, 200, 403, 302], strict=False)))
def test_instruction_queue_is_oemm_only(client, people, referentiels, who, expected):
    login(client, people, who)
    assert client.get(reverse("vae:queue")).status_code == expected


def test_start_creates_the_draft_once_and_only_for_the_candidate(client, dossier, candidat, oemm):
    client.force_login(candidat)
    url = reverse("vae:livret1_start", args=[dossier.number])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # already started: back to it, still one livret
    assert dossier.livrets1.count() == 1
    livret = dossier.livrets1.get()
    assert livret.birth_name == candidat.last_name and livret.email == candidat.email
    assert dossier.events.filter(action="livret1_start").exists()


def test_dossier_page_section_per_persona(client, people, livret, who="organisme_of_dossier"):
    client.force_login(people["organisme_of_dossier"])
    page = client.get(livret.dossier.get_absolute_url()).content.decode()
    assert "Consulter le livret 1" in page and "Compléter mon livret 1" not in page
    client.force_login(people["candidate"])
    page = client.get(livret.dossier.get_absolute_url()).content.decode()
    assert "Compléter mon livret 1" in page


def test_organisme_reads_the_livret_without_any_form(client, people, complete_livret):
    client.force_login(people["organisme_of_dossier"])
    page = client.get(reverse("vae:livret1", args=[complete_livret.dossier.number])).content.decode()
    assert 'id="livret1-form"' not in page and "Supprimer" not in page and "Martin" in page


def test_no_livret1_on_a_formation_dossier(client, referentiels, entreprise_user, oemm):
    from candidates import workflow as dossier_workflow
    from referentiels.models import Certification

    dossier = dossier_workflow.register_employee(
        by=entreprise_user,
        entreprise=entreprise_user.roles.get().entreprise,
        email="salarie@exemple.fr",
        first_name="S",
        last_name="A",
        certification=Certification.objects.get(code="gpac"),
    )
    client.force_login(oemm)
    assert client.get(reverse("vae:livret1", args=[dossier.number])).status_code == 404
    client.force_login(dossier.candidate)
    assert client.post(reverse("vae:livret1_start", args=[dossier.number])).status_code == 404


def test_start_is_refused_on_a_closed_dossier(client, dossier, candidat, oemm):
    from candidates import workflow as dossier_workflow

    dossier_workflow.close(dossier, by=oemm, reason="Abandon")
    client.force_login(candidat)
    assert client.post(reverse("vae:livret1_start", args=[dossier.number])).status_code == 403
    assert not dossier.livrets1.exists()
