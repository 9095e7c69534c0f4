"""Jury fixtures shared beyond tests/jury (registered for the whole suite by ``pytest_plugins`` in tests/conftest.py):
four jury members (two per college) and a builder of an open session."""

import pytest

from cqp.enums import College
from jury import workflow

from .conftest import at, member, planned_session, ready_dossier


@pytest.fixture
def members(db):
    return {
        "emp1": member(College.EMPLOYEUR, "UGEM"),
        "emp2": member(College.EMPLOYEUR, "UGEM"),
        "sal1": member(College.SALARIE, "CFDT"),
        "sal2": member(College.SALARIE, "CGT"),
    }


@pytest.fixture
def open_session_with(referentiels, oemm, members):
    """Build an open session (president emp1) with ready dossiers of the given CQPs; returns (session, candidates)."""

    def build(*specs, president="emp1"):
        with at(2026, 9, 1):
            dossiers = [ready_dossier(code, by=oemm, mention=mention) for code, mention in specs]
            session = planned_session(by=oemm, codes={c for c, _ in specs}, members=members, dossiers=dossiers)
        with at(2026, 11, 23, 8, 30):
            workflow.open_session(session, by=oemm, president=members[president])
        session.refresh_from_db()
        return session, list(session.ordered_candidates())

    return build
