"""Optimistic concurrency of every autosaved page: livret 1, livret 2, entretien d'accueil, livrets of the voie
formative, the tutor's entries (the views answer through cqp/autosave.py).

The edited object carries a ``version`` counter; the page sends the version it was loaded with; a save based on
an older version is refused (nothing is written) and a successful save returns the new version for the next
autosave. The browser keeps the refused input (static/js/autosave.js) and offers to restore it over the newer
version, so the message only says what happened and what to do next.
"""

from .exceptions import WorkflowError

STALE_MESSAGE = (
    "Une version plus récente a été enregistrée ailleurs (autre onglet, autre appareil "
    "ou autre personne) depuis l'ouverture de cette page. Vos saisies de cette page n'ont pas été enregistrées ; "
    "rechargez la page pour voir la version la plus récente."
)
MISSING_VERSION_MESSAGE = (
    "Cette page n'indique pas la version sur laquelle vous avez travaillé : vos saisies n'ont pas été enregistrées ; "
    "rechargez la page pour voir la version la plus récente."
)


class StaleVersionError(WorkflowError):
    """The page was loaded from an older version of the object: the save is refused, never silently overwritten."""


def check_version(expected: int | None, current: int) -> None:
    """Refuse a save based on ``expected`` when the stored version is ``current``.

    ``expected`` None: the post carried no version at all (a client that is not one of our pages, a page cached from
    before versions existed): refused too, with its own message, on every autosaved page.
    """
    if expected is None:
        raise StaleVersionError(MISSING_VERSION_MESSAGE)
    if expected != current:
        raise StaleVersionError(STALE_MESSAGE)
