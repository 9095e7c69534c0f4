"""What the jury views share: the permission check, a session's candidate, running a workflow action, serving a
stored PDF."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404

from cqp.exceptions import WorkflowError

from .. import selectors


def check_perm(perm, user, obj=None):
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied("Vous n'avez pas accès à cette action.")


def run_action(request, action, success):
    """Call a workflow function; a WorkflowError becomes an error message."""
    try:
        result = action()
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def pdf_response(field, filename):
    if not field:
        raise Http404("Document pas encore disponible.")
    response = FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def session_candidate(request, pk, cid):
    """A candidate of a session the person may see (404 otherwise)."""
    return selectors.get_session_candidate_for(request.user, pk, cid)
