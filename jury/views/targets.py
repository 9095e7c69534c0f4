"""The units a dossier aims at (issue 17): chosen by the OEMM or the centre of the entretien d'accueil, from the
inscription until the dossier is placed in a session; then read-only, with the reason."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render

from candidates.selectors import get_dossier_for
from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page
from referentiels.targets import partial_allowed as rule_allows_partial

from .. import targets
from ..forms import TargetsForm
from .common import check_perm

ROUTE_LABELS = {"commission": "Commission paritaire", "jury": "Jury final"}


def _route_lines(route_by_count, total):
    """Where the path leads, per number of units chosen (the CQP's rule, shown before saving)."""
    lines, start = [], 1
    counts = sorted(route_by_count)
    for i, n in enumerate(counts):
        last = i + 1 == len(counts) or route_by_count[counts[i + 1]] != route_by_count[n]
        if not last:
            continue
        if n == total and start == n:
            what = f"les {n} unités restant à acquérir" if n > 1 else "la seule unité restant à acquérir"
        elif start == n:
            what = f"{n} unité{'s' if n > 1 else ''}"
        else:
            what = f"de {start} à {n} unités"
        lines.append((what, ROUTE_LABELS[route_by_count[n]]))
        start = n + 1
    return lines


@login_required_page
def choose_targets(request, number):
    dossier = get_dossier_for(request.user, number)
    check_perm("jury.choose_targets", request.user, dossier)
    rule = dossier.version.target_rules
    units = {u.number: u for u in dossier.version.units.all()}
    remaining = targets.remaining_numbers(dossier)
    current = targets.targeted_numbers(dossier)
    reason = targets.lock_reason(dossier)
    partial_allowed = rule_allows_partial(rule)
    page = {
        "dossier": dossier,
        "reason": reason,
        "partial_allowed": partial_allowed,
        "current": [units[n] for n in current if n in units],
        "acquired": [u for n, u in units.items() if n not in remaining],
    }
    if reason or not partial_allowed or not remaining:
        if request.method == "POST":
            messages.error(request, reason or "Ce CQP se prépare en entier : il n'y a pas d'unités à choisir.")
            return redirect(request.path)
        return render(request, "jury/targets_form.html", page)
    form = TargetsForm(
        request.POST if request.method == "POST" else None,
        units=[units[n] for n in remaining],
        initial={"whole": not dossier.target_units, "units": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = targets.set_targets(dossier, by=request.user, numbers=form.numbers())
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            chosen = ", ".join(str(n) for n in targets.targeted_numbers(dossier))
            messages.success(request, f"Unités visées enregistrées ({chosen}) : {dossier.validator_label} les valide.")
            return redirect(dossier)
    route_by_count = targets.route_by_count(dossier, remaining)
    page |= {
        "form": form,
        "route_lines": _route_lines(route_by_count, len(remaining)),
        "route_map": json.dumps({n: ROUTE_LABELS[r] for n, r in route_by_count.items()}),
        "current_route": ROUTE_LABELS[dossier.validated_by or "jury"],
    }
    return render(request, "jury/targets_form.html", page, status=200)
