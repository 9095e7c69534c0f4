"""The entretien d'accueil fixture shared by the candidates and security tests (registered for the whole suite by
``pytest_plugins`` in tests/conftest.py)."""

import pytest

from candidates import workflow
from candidates.workflow import entretien as service
from cqp.enums import Role
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role
from .test_entretien_workflow import entretien_data


@pytest.fixture
def setup(referentiels, candidat, entreprise_user):
    """A formative dossier (entreprise + organisme) of ``candidat``, its entretien started by the organisme."""
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    dossier = workflow.register_employee(
        by=entreprise_user,
        entreprise=entreprise_user.roles.get().entreprise,
        email=candidat.email,
        first_name="x",
        last_name="y",
        certification=Certification.objects.get(code="gpac"),
        organisme=organisme,
    )
    service.save_entretien(dossier, by=staff, data=_data(dossier))
    return {"dossier": dossier, "organisme_staff": staff}


def _data(dossier):
    """Turn the POST of a complete guide into the form's cleaned data."""
    from candidates.entretien_forms import EntretienForm

    form = EntretienForm(entretien_data(dossier), sheet=service.build_sheet(dossier), user=dossier.registered_by)
    assert form.is_valid(), form.error_lines()
    return form.get_data()
