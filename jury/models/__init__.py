"""The jury's models: sessions (members, candidates, convocations, conflicts) and decisions (fiches, unit decisions,
validated units, certificates, events)."""

from .decisions import (
    Certificate,
    FicheDecision,
    FicheDecisionQuerySet,
    SessionEvent,
    UnitDecision,
    ValidatedUnit,
    ValidatedUnitQuerySet,
    new_verification_code,
)
from .sessions import (
    ConflictOfInterest,
    Convocation,
    JurySession,
    JurySessionQuerySet,
    SessionCandidate,
    SessionMember,
)

__all__ = [
    "Certificate",
    "ConflictOfInterest",
    "Convocation",
    "FicheDecision",
    "FicheDecisionQuerySet",
    "JurySession",
    "JurySessionQuerySet",
    "SessionCandidate",
    "SessionEvent",
    "SessionMember",
    "UnitDecision",
    "ValidatedUnit",
    "ValidatedUnitQuerySet",
    "new_verification_code",
]
