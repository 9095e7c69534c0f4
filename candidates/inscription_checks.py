"""Checks that apps above ``candidates`` add to an inscription, without ``candidates`` importing them (the jury: a
validation partielle still valid for the same CQP). Each check is ``check(*, candidate, certification, today)`` and
raises a ``WorkflowError`` with its French message; registered by the app's ``ready()``."""

_CHECKS = []


def register_inscription_check(check) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def run_inscription_checks(*, candidate, certification, today) -> None:
    for check in _CHECKS:
        check(candidate=candidate, certification=certification, today=today)
