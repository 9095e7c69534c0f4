"""Jury pages: thin views (fetch through scoped queries, validate the form, call the workflow, redirect)."""

from .candidates import (
    candidate_detail,
    certificate_pdf,
    conflict,
    convocation_pdf,
    deliberate,
    fiche_correct,
    fiche_pdf,
    fiche_rebuild,
    fiche_sign,
)
from .partial import present_missing_units
from .public import my_jury, verify, verify_document
from .sessions import (
    attendance,
    candidate_add,
    candidate_remove,
    candidate_up,
    convoke,
    member_add,
    member_remove,
    session_close,
    session_create,
    session_detail,
    session_edit,
    session_list,
    session_open,
)
from .targets import choose_targets

__all__ = [
    "attendance",
    "candidate_add",
    "candidate_detail",
    "candidate_remove",
    "candidate_up",
    "certificate_pdf",
    "choose_targets",
    "conflict",
    "convocation_pdf",
    "convoke",
    "deliberate",
    "fiche_correct",
    "fiche_pdf",
    "fiche_rebuild",
    "fiche_sign",
    "member_add",
    "member_remove",
    "my_jury",
    "present_missing_units",
    "session_close",
    "session_create",
    "session_detail",
    "session_edit",
    "session_list",
    "session_open",
    "verify",
    "verify_document",
]
