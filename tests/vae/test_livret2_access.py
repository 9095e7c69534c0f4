"""Who reads the livret 2 and who writes in it: a role × state table; outsiders get a 404, the accompagnateur a 403."""

import pytest
from django.urls import reverse

from vae import workflow
from vae.enums import Livret2State
from vae.models import Livret2
from vae.workflow import livret2

from .conftest import PDF, check_upload, upload
from .livret2_support import accept_convention, fill, register, session_with

ROLES = [
    "candidat",
    "other_candidat",
    "accompagnateur",
    "other_centre_user",
    "entreprise_rh",
    "oemm",
    "session_member",
    "other_session_member",
    "anonymous",
]


@pytest.fixture
def setup(recevable_dossier, candidat, accompagnateur, oemm, session_member, other_session_member, other_candidat):
    """A recevable dossier accompanied by ``centre``, placed in the session of ``session_member``; another session
    holds another candidate's dossier and ``other_session_member``."""
    accept_convention(recevable_dossier, candidat, accompagnateur)
    livret = fill(livret2.start_livret2(recevable_dossier, by=candidat), candidat)
    livret2.add_livret2_piece(livret, by=candidat, kind="preuve", checked=check_upload(upload("preuve.pdf", PDF)))
    session_with(recevable_dossier, session_member, by=oemm)
    session_with(register(other_candidat), other_session_member, by=oemm)
    return livret


def _as(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


# Reading the livret 2 (page, PDF, an attached piece), draft then submitted.
READ = {
    # role: (draft, submitted)
    "candidat": (200, 200),
    "other_candidat": (404, 404),
    "accompagnateur": (200, 200),
    "other_centre_user": (404, 404),
    "entreprise_rh": (404, 404),
    "oemm": (200, 200),
    "session_member": (404, 200),
    "other_session_member": (404, 404),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("submitted", [False, True], ids=["brouillon", "soumis"])
@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_livret2(client, request, setup, candidat, role, submitted):
    livret = setup
    if submitted:
        livret2.submit_livret2(livret, by=candidat)
    _as(client, request, role)
    number = livret.dossier.number
    expected = READ[role][1 if submitted else 0]
    piece = livret.pieces.get()
    for url in (
        reverse("vae:livret2", args=[number]),
        reverse("vae:livret2_pdf", args=[number]),
        reverse("vae:piece_download", args=[number, piece.pk]),
    ):
        assert client.get(url).status_code == expected, url


def test_pdf_and_piece_downloads_are_attachments(client, setup, oemm):
    client.force_login(oemm)
    number = setup.dossier.number
    response = client.get(reverse("vae:piece_download", args=[number, setup.pieces.get().pk]))
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]


def _livret1_writes(number, piece_pk):
    return [
        reverse("vae:livret1_start", args=[number]),
        reverse("vae:livret1_save", args=[number]),
        reverse("vae:livret1_submit", args=[number]),
        reverse("vae:piece_upload", args=[number]),
        reverse("vae:piece_delete", args=[number, piece_pk]),
        reverse("vae:livret1_renew", args=[number]),
        reverse("vae:livret1_decide", args=[number]),
    ]


def _livret2_writes(number, piece_pk):
    return [
        reverse("vae:livret2_start", args=[number]),
        reverse("vae:livret2_save", args=[number]),
        reverse("vae:livret2_submit", args=[number]),
        reverse("vae:livret2_piece_upload", args=[number]),
        reverse("vae:livret2_piece_delete", args=[number, piece_pk]),
        reverse("vae:livret2_acknowledge", args=[number]),
    ]


def test_the_accompagnateur_never_writes_in_the_livrets(client, setup, accompagnateur):
    """Seed 001 L550: the centre does not fill the livret for the candidate. Every write endpoint answers 403."""
    livret = setup
    number = livret.dossier.number
    livret1_piece = livret.dossier.pieces.filter(section="livret1").first()
    client.force_login(accompagnateur)
    for url in _livret1_writes(number, livret1_piece.pk) + _livret2_writes(number, livret.pieces.get().pk):
        response = client.post(
            url,
            {"version": "1", "confirm": "on", "kind": "preuve", "file": upload("x.pdf", PDF)},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 403, url
    livret.refresh_from_db()
    assert livret.state == Livret2State.BROUILLON and livret.pieces.count() == 1
    assert livret.dossier.pieces.filter(section="livret1").count() == 2


@pytest.mark.parametrize("role", ["other_candidat", "other_centre_user", "entreprise_rh", "other_session_member"])
def test_outsiders_cannot_write_either(client, request, setup, role):
    number = setup.dossier.number
    client.force_login(request.getfixturevalue(role))
    for url in _livret2_writes(number, setup.pieces.get().pk):
        assert client.post(url, {"version": "1", "confirm": "on"}).status_code == 404, url


def test_the_accompagnateur_reads_only_once_the_convention_is_accepted(
    client, recevable_dossier, candidat, accompagnateur
):
    from vae.workflow import accompagnement

    convention = accompagnement.request_accompagnement(
        recevable_dossier, by=candidat, organisme=accompagnateur.roles.get().organisme
    )
    livret2.start_livret2(recevable_dossier, by=candidat)
    client.force_login(accompagnateur)
    number = recevable_dossier.number
    assert client.get(reverse("vae:accompagnement", args=[number])).status_code == 200
    assert client.get(reverse("vae:livret1", args=[number])).status_code == 404
    assert client.get(reverse("vae:livret2", args=[number])).status_code == 404
    accompagnement.cancel_convention(convention, by=candidat)
    assert client.get(reverse("vae:accompagnement", args=[number])).status_code == 404


def test_livret2_refused_before_recevabilite(client, referentiels, candidat):
    dossier = register(candidat)
    workflow.start_livret1(dossier, by=candidat)
    client.force_login(candidat)
    response = client.post(reverse("vae:livret2_start", args=[dossier.number]))
    assert response.url == dossier.get_absolute_url()
    assert not Livret2.objects.filter(dossier=dossier).exists()
    assert "Remplir mon livret 2" not in client.get(dossier.get_absolute_url()).content.decode()
    with pytest.raises(Exception, match="recevable"):
        livret2.start_livret2(dossier, by=candidat)


def test_submitted_livret2_is_read_only_for_the_candidate(client, setup, candidat):
    livret2.submit_livret2(setup, by=candidat)
    client.force_login(candidat)
    number = setup.dossier.number
    assert (
        client.post(reverse("vae:livret2_save", args=[number]), {"version": "99"}, HTTP_HX_REQUEST="true").status_code
        == 403
    )
    assert client.post(reverse("vae:livret2_submit", args=[number]), {"confirm": "on"}).status_code == 403
    assert client.post(reverse("vae:livret2_piece_upload", args=[number]), {}).status_code == 403


def test_autosave_expired_session_and_stale_version(client, setup, candidat):
    number = setup.dossier.number
    assert (
        client.post(reverse("vae:livret2_save", args=[number]), {"version": "1"}, HTTP_HX_REQUEST="true").status_code
        == 401
    )
    client.force_login(candidat)
    setup.refresh_from_db()
    response = client.post(
        reverse("vae:livret2_save", args=[number]), {"version": str(setup.version - 1)}, HTTP_HX_REQUEST="true"
    )
    assert (
        response.status_code == 409 and "version plus récente a été enregistrée ailleurs" in response.content.decode()
    )


def test_the_session_member_finds_the_livret2_on_the_dossier_page(client, setup, candidat, session_member):
    livret2.submit_livret2(setup, by=candidat)
    client.force_login(session_member)
    response = client.get(setup.dossier.get_absolute_url())
    text = response.content.decode()
    assert "Consulter le livret 2" in text and 'id="accompagnement-title"' not in text
