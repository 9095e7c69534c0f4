"""The checklist of expected documents: each slot of the référentiel (``referentiels/expected_documents.py``)
with the pieces that fill it and its status. Pure: takes plain slots and pieces, no query."""

from dataclasses import dataclass, field

from .enums import TO_REPLACE, PieceVerdict

MISSING = "manquante"
OPTIONAL = "facultative"
TO_BE_REPLACED = "a_remplacer"
SENT = "deposee"
ACCEPTED = "acceptee"

STATUS_LABELS = {
    MISSING: "Manquante",
    OPTIONAL: "Facultative, non déposée",
    TO_BE_REPLACED: "À remplacer",
    SENT: "Déposée",
    ACCEPTED: "Acceptée",
}


@dataclass
class Slot:
    slot: dict
    pieces: list = field(default_factory=list)
    status: str = MISSING

    @property
    def label(self) -> str:
        return self.slot["label"]

    @property
    def required(self) -> bool:
        return self.slot["required"]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def slot_status(required: bool, verdicts: list[str]) -> str:
    """A slot's status from the verdicts of the pieces that fill it ("" = not yet examined)."""
    if not verdicts:
        return MISSING if required else OPTIONAL
    if any(v == PieceVerdict.ACCEPTEE for v in verdicts):
        return ACCEPTED
    if all(v in TO_REPLACE for v in verdicts):
        return TO_BE_REPLACED
    return SENT


def checklist(slots: list[dict], pieces) -> list[Slot]:
    """One line per expected slot, in the référentiel's order; a piece may fill several slots (same kind)."""
    lines = []
    for slot in slots:
        filling = [p for p in pieces if p.kind in slot["kinds"]]
        lines.append(Slot(slot, filling, slot_status(slot["required"], [p.verdict for p in filling])))
    return lines
