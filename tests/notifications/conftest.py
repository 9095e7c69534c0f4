"""Personas for the notification tests: staff of each certifier and of every certifier, a centre and its member."""

import pytest

from cqp.enums import Role
from referentiels.models import Certifier

from ..factories import user_with_role
from ..vae.livret2_support import approved_centre


@pytest.fixture
def staff(referentiels, oemm):
    """``all``: a staff role without certifier (every certifier); ``ucanss`` and ``mutualite``: one certifier each."""
    return {
        "all": oemm,
        "ucanss": user_with_role(Role.OEMM, certifier=Certifier.objects.get(code="ucanss")),
        "mutualite": user_with_role(Role.OEMM, certifier=Certifier.objects.get(code="cpnefp_mutualite")),
    }


@pytest.fixture
def centre_member(referentiels):
    return user_with_role(Role.ORGANISME, organisme=approved_centre())
