import pytest
from django.urls import reverse

from candidates import workflow
from cqp.enums import Role
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role


@pytest.fixture
def dossiers(referentiels, candidat, entreprise_user):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    vae = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme
    )
    formation = workflow.register_employee(
        by=entreprise_user,
        entreprise=entreprise_user.roles.get().entreprise,
        email="salarie@exemple.fr",
        first_name="S",
        last_name="A",
        certification=Certification.objects.get(code="cos"),
    )
    return {"vae": vae, "formation": formation, "organisme_staff": staff}


def persona(name, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member):
    return {
        "candidate": candidat,
        "other_candidate": other_candidat,
        "organisme_of_dossier": dossiers["organisme_staff"],
        "other_organisme": user_with_role(Role.ORGANISME),
        "entreprise_of_dossier": entreprise_user,
        "other_entreprise": user_with_role(Role.ENTREPRISE),
        "oemm": oemm,
        "jury": jury_member,
    }[name]


@pytest.mark.parametrize(
    "who, vae_status, formation_status",
    [
        ("candidate", 200, 404),
        ("other_candidate", 404, 404),
        ("organisme_of_dossier", 200, 404),
        ("other_organisme", 404, 404),
        ("entreprise_of_dossier", 404, 200),
        ("other_entreprise", 404, 404),
        ("oemm", 200, 200),
        ("jury", 404, 404),
    ],
)
def test_dossier_page_per_persona(
    client, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member, who, vae_status, formation_status
):
    client.force_login(persona(who, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member))
    assert client.get(dossiers["vae"].get_absolute_url()).status_code == vae_status
    assert client.get(dossiers["formation"].get_absolute_url()).status_code == formation_status


def test_anonymous_is_sent_to_login(client, dossiers):
    response = client.get(dossiers["vae"].get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who, expected",
    [("candidate", 403), ("organisme_of_dossier", 403), ("entreprise_of_dossier", 403), ("jury", 403), ("oemm", 200)],
)
def test_close_and_list_are_oemm_only(
    client, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member, who, expected
):
    client.force_login(persona(who, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member))
    assert client.get(reverse("candidates:close", args=[dossiers["vae"].number])).status_code == expected
    assert client.get(reverse("candidates:list")).status_code == expected


@pytest.mark.parametrize(
    "who, vae, salarie",
    [
        ("candidate", 200, 403),
        ("entreprise_of_dossier", 403, 200),
        ("oemm", 403, 403),
        ("organisme_of_dossier", 403, 403),
    ],
)
def test_inscription_pages_per_role(
    client, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member, who, vae, salarie
):
    client.force_login(persona(who, dossiers, candidat, other_candidat, entreprise_user, oemm, jury_member))
    assert client.get(reverse("candidates:inscription_vae")).status_code == vae
    assert client.get(reverse("candidates:inscription_salarie")).status_code == salarie


def test_oemm_list_filters_and_counts_queries(client, dossiers, oemm, django_assert_max_num_queries):
    client.force_login(oemm)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("candidates:list"), {"path": "vae"})
    content = response.content.decode()
    assert dossiers["vae"].number in content and dossiers["formation"].number not in content


def test_dashboards_list_the_right_dossiers(client, dossiers, candidat, entreprise_user):
    client.force_login(candidat)
    assert dossiers["vae"].number in client.get(reverse("dashboard_candidat")).content.decode()
    client.force_login(entreprise_user)
    page = client.get(reverse("dashboard_entreprise")).content.decode()
    assert dossiers["formation"].number in page and dossiers["vae"].number not in page
    client.force_login(dossiers["organisme_staff"])
    page = client.get(reverse("dashboard_organisme")).content.decode()
    assert dossiers["vae"].number in page and dossiers["formation"].number not in page
