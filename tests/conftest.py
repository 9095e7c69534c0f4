import copy
import uuid

import pytest
from django.core.management import call_command

from cqp.celery import app as celery_app
from cqp.enums import Role

from .factories import user_with_role


@pytest.fixture(autouse=True)
def _eager_celery(request, settings):
    """Tasks run in-process in tests, except those that talk to a real worker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _own_idempotence_records(request, settings):
    """Each test has its own « e-mail already sent » records.

    With a broker they live in Redis, which outlives the test database: a key made of a database id and a frozen
    date would otherwise be found again by the next run (ids restart in a fresh test database) and the mail not
    sent. Tests that talk to a real worker keep the worker's prefix: their keys are task ids, unique anyway.
    """
    if request.node.get_closest_marker("worker"):
        return
    caches_setting = copy.deepcopy(settings.CACHES)
    caches_setting["idempotence"]["KEY_PREFIX"] = f"cqp-idem-test-{uuid.uuid4().hex}"
    settings.CACHES = caches_setting


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def referentiels(db):
    call_command("load_referentiels", verbosity=0)


@pytest.fixture
def candidat(db):
    return user_with_role(Role.CANDIDAT)


@pytest.fixture
def other_candidat(db):
    return user_with_role(Role.CANDIDAT)


@pytest.fixture
def organisme_user(db):
    return user_with_role(Role.ORGANISME)


@pytest.fixture
def entreprise_user(db):
    return user_with_role(Role.ENTREPRISE)


@pytest.fixture
def oemm(db):
    return user_with_role(Role.OEMM)


@pytest.fixture
def jury_member(db):
    return user_with_role(Role.JURY)


@pytest.fixture
def admin_user(db):
    return user_with_role(Role.ADMIN)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks queued with transaction.on_commit (mails, PDFs) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
