import copy
import uuid

import pytest
from django.core.management import call_command

from cqp.celery import app as celery_app
from cqp.enums import Role

from .factories import user_with_role

# Fixtures shared across the test packages, registered once for the whole suite instead of being imported into each
# test module (an imported fixture shadows itself as a test argument). A conftest.py closer to a test still wins, e.g.
# tests/vae/conftest.py's own ``dossier`` and ``organisme``.
pytest_plugins = [  # in import order: a module is registered before a later one imports it
    "tests.vae.livret2_support",
    "tests.candidates.formation_support",
    "tests.jury.fixtures",
    "tests.candidates.entretien_support",
    "tests.candidates.slot_support",
    "tests.security.auth_support",
    "tests.security.access_world",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests served by the live server (the browser tests) run last, whatever order the fixtures gave them.

    Their teardown flushes the database, which also removes the rows the migrations created (the two certifiers of
    referentiels/0003), and the live server thread keeps a connection open for the rest of the session (a SQLite
    backup then waits on it). Pytest groups the tests of a session-scoped parametrized fixture (Playwright's
    ``browser_name``), which had moved them into the middle of the suite.
    """
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True, scope="session")
def _compiled_queries_verified():
    """Every compiled query of the suite checked against a fresh compilation (cqp/compiled_queries.py): one whose SQL
    depends on more than its arguments fails the test that runs it."""
    from cqp import compiled_queries

    compiled_queries.VERIFY = True
    yield
    compiled_queries.VERIFY = False


@pytest.fixture(autouse=True)
def _fresh_certification_choices():
    """Each test reads the CQPs of its own database (referentiels/choices.py): a rolled-back test sends no signal."""
    from referentiels import choices

    choices.forget()


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
def _join_allowed():
    """The test process is no Celery worker: a test may wait for a real worker's result.

    An eager task marks « inside a task » with a process-wide flag that it restores on exit; two threads running eager
    tasks at once (a two-thread race test) can restore it in the wrong order and leave it set, and every later
    ``result.get()`` then fails with « Never call result.get() within a task! ». celery.contrib.testing resets it the
    same way."""
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


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
def _own_throttle_counters(request, settings):
    """Each test starts with no request counted against the throttles (cqp/throttle.py): a fresh key prefix, in
    memory or in Redis."""
    if request.node.get_closest_marker("worker"):
        return
    caches_setting = copy.deepcopy(settings.CACHES)
    caches_setting["throttle"]["KEY_PREFIX"] = f"cqp-throttle-test-{uuid.uuid4().hex}"
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
