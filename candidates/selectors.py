"""Reads of dossiers, scoped to the person asking (outsiders get a 404)."""

from urllib.parse import quote

from django.shortcuts import get_object_or_404
from django.urls import reverse

from cqp.templatetags.french import date_fr

from .enums import DossierState, Path
from .models import Dossier

# The OEMM list shows these columns only (make bench: a 7-table join cost 5 to 14 ms of planning for 25 rows).
LIST_COLUMNS = (
    "pk",
    "number",
    "path",
    "state",
    "inscription_date",
    "first_jury_deadline",
    "candidate__first_name",
    "candidate__last_name",
    "candidate__email",
    "certification__title",
    "mention__label",
)
STATE_LABELS = dict(DossierState.choices)
PATH_LABELS = {Path.VAE: "VAE"}


def dossiers_for(user):
    return Dossier.objects.visible_to(user).select_related(
        "candidate", "certification", "version", "mention", "entreprise", "organisme"
    )


def get_dossier_for(user, number) -> Dossier:
    """The dossier if the person may see it, else Http404. The référentiel version is joined (the rules read it);
    the entreprise and organisme, shown on the dossier page only, are read there when the dossier has one."""
    queryset = Dossier.objects.visible_to(user).select_related("candidate", "certification", "version", "mention")
    return get_object_or_404(queryset, number=number)


def dossier_list_values(user):
    """The dossiers a person may see, as the list's columns only (one 3-table join, no model instance)."""
    return Dossier.objects.visible_to(user).values(*LIST_COLUMNS)


def dossier_list_rows(values) -> list[dict]:
    """One page of the list, ready to show: the link, the candidate's name and the dates computed once per row
    (a date shared by several rows is formatted once)."""
    link = reverse("candidates:dossier", kwargs={"number": "NUMERO"})
    dates = {}

    def day(value):
        if value not in dates:
            dates[value] = date_fr(value)
        return dates[value]

    rows = []
    for v in values:
        name = f"{v['candidate__first_name']} {v['candidate__last_name']}".strip() or v["candidate__email"]
        cqp = v["certification__title"] + (f" ({v['mention__label']})" if v["mention__label"] else "")
        rows.append(
            {
                "number": v["number"],
                "url": link.replace("NUMERO", quote(v["number"])),
                "candidate": name,
                "cqp": cqp,
                "path": PATH_LABELS.get(v["path"], "Formation"),
                "state": STATE_LABELS.get(v["state"], v["state"]),
                "inscription": day(v["inscription_date"]),
                "first_jury": day(v["first_jury_deadline"]),
            }
        )
    return rows


def lock_dossier(dossier) -> None:
    """Lock the dossier's row (inside a transaction), as the transitions do: an autosave of an object not created yet
    (entretien, livrets of the voie formative) takes it first, so that two first saves cannot both pass."""
    Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).first()
