"""The one optimistic-concurrency rule of every autosaved page (cqp/concurrency.py)."""

import pytest

from cqp.concurrency import MISSING_VERSION_MESSAGE, STALE_MESSAGE, StaleVersionError, check_version
from cqp.exceptions import WorkflowError


@pytest.mark.parametrize(
    "expected, current, refused",
    [
        (3, 3, None),  # the page holds the stored version: saved
        (2, 3, STALE_MESSAGE),  # another tab saved since: refused
        (4, 3, STALE_MESSAGE),  # a version from nowhere: refused too
        (-1, 1, STALE_MESSAGE),  # not a number (posted_version gives -1): always refused
        (None, 7, MISSING_VERSION_MESSAGE),  # no version posted (not one of our pages): refused, on every page
    ],
)
def test_check_version(expected, current, refused):
    if refused:
        with pytest.raises(StaleVersionError) as caught:
            check_version(expected, current)
        assert isinstance(caught.value, WorkflowError) and str(caught.value) == refused
    else:
        check_version(expected, current)
