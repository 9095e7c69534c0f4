"""The models of the VAE: the livret 1 (demande de recevabilité) with its experiences and the pieces of a dossier, the
livret 2 (dossier VAE) with its situations, the accompagnement VAE. States and choices live in ``vae/enums.py``."""

from .accompagnement import AccompagnementComment, ConventionAccompagnement, ConventionQuerySet
from .livret1 import CANDIDATE_FIELDS, Experience, Livret1, Livret1QuerySet, Piece, piece_upload_to
from .livret2 import Livret2, Livret2Situation

__all__ = [
    "AccompagnementComment",
    "ConventionAccompagnement",
    "ConventionQuerySet",
    "CANDIDATE_FIELDS",
    "Experience",
    "Livret1",
    "Livret1QuerySet",
    "Piece",
    "piece_upload_to",
    "Livret2",
    "Livret2Situation",
]
