"""Rows of a dossier that its page reads once: the next actions' loader (pilotage/next_actions/loader.py) prefetches
them onto the dossier under these names, and the VAE sections read them from there when they are present."""

OPEN_CONVENTIONS = "open_conventions"  # the open conventions, newest first, with the organisme and who accepted
ACTIVE_LIVRETS1 = "active_livrets1"  # the active livret 1 (a list of 0 or 1)
LIVRETS1 = "all_livrets1"  # every livret 1 of the dossier, with its référentiel version (page only)


def prefetched(dossier, name):
    """The rows prefetched under ``name`` (a list), or None when they were not."""
    return getattr(dossier, name, None)
