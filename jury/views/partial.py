"""After a validation partielle: OEMM presents the dossier again to a jury for its missing units."""

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from candidates.selectors import get_dossier_for
from cqp.permissions import require_perm

from .. import workflow
from .common import run_action


@require_POST
@require_perm("jury.present_missing_units")
def present_missing_units(request, number):
    dossier = get_dossier_for(request.user, number)
    run_action(
        request,
        lambda: workflow.present_missing_units(dossier, by=request.user),
        "Le dossier repart vers le jury pour ses unités manquantes : le candidat complète son livret pour ces "
        "unités, puis le dossier sera à placer dans une session.",
    )
    return redirect(dossier)
