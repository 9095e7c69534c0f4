"""The documents each certification expects, per path (VAE / voie formative), written once as data.

Each entry is a slot of the candidate's checklist::

    {"slot": "identite", "kinds": ["identite"], "label": "Pièce d'identité", "ask": "une pièce d'identité",
     "required": True, "when": "livret1"}

- ``slot``: stable key; ``kinds``: the piece kinds (``vae.enums.PieceKind`` values) that fill the slot (any one);
- ``label``: shown in the checklist; ``ask``: completes « Joignez … » in the refusal message;
- ``required``: a required slot blocks sending the livret 1 (``when`` = livret1) or placing the dossier in a jury
  session (``when`` = jury); an optional slot is only listed;
- ``when``: ``livret1`` (pièces du cerfa 12818), ``livret2`` (dossier VAE) or ``jury`` (avant le jury).

Sources: cerfa 12818*02 (pièces justificatives) and the CPNEFP's « Partie 1 », § 3.2 (« Pour être reçu par le jury
final, le candidat devra transmettre à l'OEMM : son curriculum vitae détaillé, un descriptif des postes occupés …
avec justificatifs …, des preuves issues de l'expérience … »). ``BY_CERTIFICATION`` replaces the list of a path for
one certification code when its référentiel asks for something else.
"""

LIVRET1, LIVRET2, JURY = "livret1", "livret2", "jury"
WHEN_LABELS = {LIVRET1: "Livret 1", LIVRET2: "Livret 2", JURY: "Avant le jury"}
PROOF_KINDS = ["attestation_employeur", "bulletin_salaire", "attestation_benevole"]

VAE = [
    {
        "slot": "identite",
        "kinds": ["identite"],
        "label": "Pièce d'identité",
        "ask": "une pièce d'identité",
        "required": True,
        "when": LIVRET1,
    },
    {
        "slot": "justificatif",
        "kinds": PROOF_KINDS,
        "label": "Justificatif d'expérience (attestation employeur, bulletin de salaire ou attestation bénévole)",
        "ask": "au moins un justificatif d'expérience (attestation employeur, bulletin de salaire "
        "ou attestation d'activité bénévole)",
        "required": True,
        "when": LIVRET1,
    },
    {
        "slot": "cv_jury",
        "kinds": ["cv"],
        "label": "Curriculum vitae détaillé",
        "ask": "le curriculum vitae détaillé",
        "required": True,
        "when": JURY,
    },
    {
        "slot": "postes_jury",
        "kinds": ["fiche_poste", *PROOF_KINDS],
        "label": "Descriptif des postes occupés avec justificatifs",
        "ask": "le descriptif des postes occupés avec justificatifs (fiche de poste, attestation ou bulletin)",
        "required": True,
        "when": JURY,
    },
    {
        "slot": "preuves_jury",
        "kinds": ["preuve", "attestation_detaillee"],
        "label": "Preuves issues de l'expérience (courriers, livrables, attestations détaillées…)",
        "ask": "des preuves issues de l'expérience",
        "required": False,
        "when": JURY,
    },
]

VOIE_FORMATIVE: list[dict] = []

BY_PATH = {"vae": VAE, "formation": VOIE_FORMATIVE}
BY_CERTIFICATION: dict[tuple[str, str], list[dict]] = {}


def expected_documents(code: str, path: str, when: str | None = None) -> list[dict]:
    """The slots a certification expects on a path, optionally only those of one moment."""
    slots = BY_CERTIFICATION.get((code, path), BY_PATH.get(path, []))
    return [slot for slot in slots if when is None or slot["when"] == when]


def missing_required(slots: list[dict], piece_kinds) -> list[dict]:
    """The required slots that no piece fills (a piece fills a slot when its kind is one of the slot's kinds)."""
    present = set(piece_kinds)
    return [slot for slot in slots if slot["required"] and not present.intersection(slot["kinds"])]
