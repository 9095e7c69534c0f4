import datetime as dt
import html

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from candidates import workflow
from candidates.enums import DossierState, Path
from candidates.models import Dossier, DossierEvent
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.models import User
from referentiels.models import Certification

from ..factories import OrganismeFactory


def cqp(code):
    return Certification.objects.get(code=code)


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0), tick=False)
def test_vae_inscription_makes_a_numbered_dossier_with_version_and_window(client, referentiels, candidat, on_commit):
    client.force_login(candidat)
    spsp = cqp("spsp")
    mention = spsp.current_version.mentions.get(code="sante")
    with on_commit():
        response = client.post(reverse("candidates:inscription_vae"), {"certification": spsp.pk, "mention": mention.pk})
    dossier = Dossier.objects.get()
    assert response.url == dossier.get_absolute_url()
    assert dossier.number == f"2026-{dossier.pk:06d}"
    assert dossier.version == spsp.current_version and dossier.path == Path.VAE and dossier.mention == mention
    assert dossier.inscription_date == dt.date(2026, 11, 24)
    assert dossier.first_jury_deadline == dt.date(2029, 11, 24)
    page = html.unescape(client.get(dossier.get_absolute_url()).content.decode())
    assert "24 novembre 2029" in page and "Inscription (VAE" in page
    assert mail.outbox[0].to == [candidat.email] and dossier.number in mail.outbox[0].subject
    assert DossierEvent.objects.get(dossier=dossier).actor == candidat


def test_a_second_open_dossier_for_the_same_cqp_is_refused(client, referentiels, candidat):
    workflow.register_vae(candidate=candidat, certification=cqp("gpac"))
    client.force_login(candidat)
    response = client.post(reverse("candidates:inscription_vae"), {"certification": cqp("gpac").pk})
    assert "Un dossier est déjà ouvert" in html.unescape(response.content.decode())
    assert Dossier.objects.count() == 1


def test_a_closed_dossier_allows_a_new_inscription(referentiels, candidat, oemm):
    first = workflow.register_vae(candidate=candidat, certification=cqp("gpac"))
    workflow.close(first, by=oemm, reason="Abandon du candidat")
    second = workflow.register_vae(candidate=candidat, certification=cqp("gpac"))
    assert second.pk != first.pk


@time_machine.travel(dt.datetime(2026, 3, 1, 10, 0), tick=False)
def test_a_fourth_vae_demand_in_the_calendar_year_is_refused(referentiels, candidat, oemm):
    for code in ("gpac", "cmi", "cos"):
        workflow.register_vae(candidate=candidat, certification=cqp(code))
    mention = cqp("spsp").current_version.mentions.first()
    with pytest.raises(WorkflowError, match="plus de trois demandes"):
        workflow.register_vae(candidate=candidat, certification=cqp("spsp"), mention=mention)
    # Closing one does not give the demand back: three demands per calendar year.
    workflow.close(Dossier.objects.first(), by=oemm, reason="test")
    with pytest.raises(WorkflowError):
        workflow.register_vae(candidate=candidat, certification=cqp("spsp"), mention=mention)
    with time_machine.travel(dt.datetime(2027, 1, 2, 10, 0), tick=False):
        assert workflow.register_vae(candidate=candidat, certification=cqp("spsp"), mention=mention)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"certification": "spsp"}, "choisissez-en une"),
        ({"certification": "gpac", "mention": "sante"}, "n'appartient pas"),
        ({}, "obligatoire"),
        ({"certification": "gpac", "organisme": "unapproved"}, "pas agréé"),
    ],
)
def test_inscription_form_errors_are_french(client, referentiels, candidat, data, message):
    client.force_login(candidat)
    post = {}
    if "certification" in data:
        post["certification"] = cqp(data["certification"]).pk
    if "mention" in data:
        post["mention"] = cqp("spsp").current_version.mentions.get(code=data["mention"]).pk
    if "organisme" in data:
        post["organisme"] = OrganismeFactory().pk
    response = client.post(reverse("candidates:inscription_vae"), post)
    assert response.status_code == 200 and message in html.unescape(response.content.decode())
    assert not Dossier.objects.exists()


def test_company_registers_an_employee_who_is_invited(client, referentiels, entreprise_user, on_commit):
    client.force_login(entreprise_user)
    with on_commit():
        response = client.post(
            reverse("candidates:inscription_salarie"),
            {
                "first_name": "Inès",
                "last_name": "Garnier",
                "email": "Ines.Garnier@exemple.fr",
                "certification": cqp("gpac").pk,
            },
        )
    dossier = Dossier.objects.get()
    assert response.url == dossier.get_absolute_url()
    employee = User.objects.get(email="ines.garnier@exemple.fr")
    assert dossier.candidate == employee and dossier.path == Path.FORMATION
    assert dossier.entreprise == entreprise_user.roles.get().entreprise and dossier.registered_by == entreprise_user
    assert employee.has_role(Role.CANDIDAT) and not employee.has_usable_password()
    assert "/invitation/" in mail.outbox[0].body
    # The employee activates the account and sees the dossier.
    client.logout()
    link = [w for w in mail.outbox[0].body.split() if "/invitation/" in w][0].replace("http://127.0.0.1:8000", "")
    client.post(link, {"new_password1": "Un-mot-de-passe-solide", "new_password2": "Un-mot-de-passe-solide"})
    response = client.get(reverse("dashboard_candidat"))
    assert dossier.number in response.content.decode()


def test_company_registering_an_existing_candidate_reuses_the_account(referentiels, entreprise_user, candidat):
    entreprise = entreprise_user.roles.get().entreprise
    dossier = workflow.register_employee(
        by=entreprise_user,
        entreprise=entreprise,
        email=candidat.email.upper(),
        first_name="x",
        last_name="y",
        certification=cqp("cos"),
    )
    assert dossier.candidate == candidat


def test_a_company_cannot_register_for_another_company(referentiels, entreprise_user):
    from ..factories import EntrepriseFactory

    with pytest.raises(WorkflowError, match="votre entreprise"):
        workflow.register_employee(
            by=entreprise_user,
            entreprise=EntrepriseFactory(),
            email="a@b.fr",
            first_name="a",
            last_name="b",
            certification=cqp("cos"),
        )


def test_oemm_closes_a_dossier_with_a_reason_and_it_is_audited(client, referentiels, candidat, oemm, on_commit):
    dossier = workflow.register_vae(candidate=candidat, certification=cqp("gpac"))
    client.force_login(oemm)
    response = client.post(reverse("candidates:close", args=[dossier.number]), {"reason": ""})
    assert "obligatoire" in html.unescape(response.content.decode())
    with on_commit():
        client.post(reverse("candidates:close", args=[dossier.number]), {"reason": "Délai de 3 ans dépassé"})
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CLOS and dossier.closed_reason == "Délai de 3 ans dépassé"
    event = dossier.events.last()
    assert (event.actor, event.from_state, event.to_state, event.comment) == (
        oemm,
        "inscrit",
        "clos",
        "Délai de 3 ans dépassé",
    )
    # A refused transition says why.
    with pytest.raises(WorkflowError, match="Clos"):
        workflow.close(dossier, by=oemm, reason="encore")
