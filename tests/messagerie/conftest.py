import pytest

from cqp.enums import Role

from ..factories import user_with_role
from ..vae.conftest import (  # noqa: F401
    _private_storage,  # noqa: F401  (files in a temporary private storage)
    make_dossier,
    organisme,
    organisme_staff,
)


@pytest.fixture
def dossier(referentiels, candidat, organisme):  # noqa: F811
    return make_dossier(candidat, "cos", organisme)


@pytest.fixture
def staff(db):
    return user_with_role(Role.OEMM)
