"""State changes of the VAE: one function per transition (lock, check with the tables of ``vae/enums.py``, save,
audit, side effects on commit).

- ``livret1.py``: the livret 1 (demande de recevabilité), its pieces, the OEMM's decisions, tacit acceptance, renewal;
- ``livret2.py``: the livret 2 (dossier VAE), its pieces, the OEMM's acknowledgement;
- ``accompagnement.py``: the convention d'accompagnement and the accompagnateur's comments;
- ``pieces.py``: storing a checked upload as a piece.

The public transitions are importable from here (``from vae.workflow import apply_tacit_acceptance``).
"""

from .accompagnement import (
    accept_convention,
    add_comment,
    cancel_convention,
    check_convention,
    request_accompagnement,
    set_terms,
)
from .livret1 import (
    DECISIONS,
    EXPERIENCE_FIELDS,
    IncompleteLivretError,
    add_piece,
    apply_tacit_acceptance,
    check_decidable,
    check_livret1,
    declare_non_recevable,
    declare_recevable,
    delete_piece,
    entretien_first_reason,
    renew_livret1,
    request_completion,
    save_draft,
    start_livret1,
    submit_livret1,
)
from .livret2 import (
    IncompleteLivret2Error,
    acknowledge_livret2,
    add_livret2_piece,
    check_livret2,
    delete_livret2_piece,
    reopen_livret2_for_units,
    save_livret2_draft,
    start_livret2,
    submit_livret2,
)
from .pieces import store_piece
from .verdicts import give_verdict, replace_piece  # noqa: F401  (public transitions)

__all__ = [
    "accept_convention",
    "add_comment",
    "cancel_convention",
    "check_convention",
    "request_accompagnement",
    "set_terms",
    "DECISIONS",
    "EXPERIENCE_FIELDS",
    "IncompleteLivretError",
    "add_piece",
    "apply_tacit_acceptance",
    "check_decidable",
    "check_livret1",
    "declare_non_recevable",
    "declare_recevable",
    "delete_piece",
    "renew_livret1",
    "request_completion",
    "save_draft",
    "start_livret1",
    "submit_livret1",
    "entretien_first_reason",
    "IncompleteLivret2Error",
    "acknowledge_livret2",
    "add_livret2_piece",
    "check_livret2",
    "delete_livret2_piece",
    "reopen_livret2_for_units",
    "save_livret2_draft",
    "start_livret2",
    "submit_livret2",
    "store_piece",
]
