"""After a validation partielle: OEMM presents the same dossier again, for its missing units only.

The dossier goes « décision rendue » → « unités manquantes à présenter » (``present_missing_units``, audited in its
trail); VAE: its livret 2 is reopened for those units; voie formative: its livret d'évaluation finale is reopened for
a new evaluation of those units. When the livret is received again (livret 2 acknowledged, or livret d'évaluation
transmitted and declared ready), the dossier is « prêt pour le jury » and OEMM places it in a session
(``add_candidate``); the jury deliberates on the units to present only, the ledger (``ValidatedUnit``) carries the
others, an expired unit is asked again; the signature of a validation totale delivers the certificate.
"""

from django.db import transaction
from django.utils import timezone

from candidates import workflow as dossier_workflow
from candidates.emails import send_dossier_presented_again
from candidates.enums import Path
from candidates.models import Dossier
from cqp.exceptions import WorkflowError
from vae import workflow as vae_workflow

from .. import partial
from .checks import require_oemm


@transaction.atomic
def present_missing_units(dossier, *, by, comment="") -> Dossier:
    """OEMM sends a partially validated dossier back on the road to a jury, for its missing units."""
    require_oemm(by, "Seul l'OEMM représente un dossier au jury.")
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("certification__certifier", "version", "candidate")
        .get(pk=dossier.pk)
    )
    if not by.acts_for_certifier(locked.certification.certifier_id):
        raise WorkflowError(f"Vous ne traitez pas les dossiers de {locked.certification.certifier.designation}.")
    road = partial.road_of(locked, timezone.localdate())
    if road is None:
        raise WorkflowError(
            f"Le dossier {locked.number} n'a pas de validation partielle à compléter : rien à présenter de nouveau."
        )
    problem = road.problem
    if problem:
        raise WorkflowError(problem)
    numbers = [u.number for u in road.to_present]
    labels = [f"{locked.certification.unit_label} {n}" for n in numbers]
    dossier_workflow.present_missing_units(locked, by=by, units=labels, comment=comment)
    if locked.path == Path.VAE:
        vae_workflow.reopen_livret2_for_units(locked, by=by, unit_numbers=numbers)
    else:
        dossier_workflow.reopen_livret_evaluation_for_units(locked, by=by, unit_numbers=numbers)
    send_dossier_presented_again(locked, units=labels, comment=comment)
    dossier.state = locked.state
    return locked
