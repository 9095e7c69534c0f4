"""Reads of dossiers, scoped to the person asking (outsiders get a 404)."""

from html import escape
from urllib.parse import quote

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import SafeString

from cqp.compiled_lists import compiled_list
from cqp.compiled_queries import rows as compiled_rows
from cqp.models import User
from cqp.pagination import EstimatingPaginator
from referentiels.choices import certification_title, mention_label
from referentiels.choices import stamp as certification_stamp

from .enums import DossierState, Path
from .models import Dossier, DossierEvent

# The OEMM list shows these columns only (make bench: a 7-table join cost 5 to 14 ms of planning for 25 rows); the CQP's
# title and the mention's label are written from referentiels/choices.py (no join of their tables: less planning).
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
    "certification_id",
    "mention_id",
)
STATE_LABELS = dict(DossierState.choices)
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
PATH_LABELS = {Path.VAE: "VAE"}
# The labels as the row's HTML shows them, escaped once per process (constants of the code: DossierState's labels
# hold « ' » and « : »).
ESCAPED_PATHS = {key: escape(label) for key, label in PATH_LABELS.items()}
ESCAPED_STATES = {key: escape(label) for key, label in STATE_LABELS.items()}


def dossiers_for(user):
    return Dossier.objects.visible_to(user).select_related(
        "candidate", "certification", "version", "mention", "entreprise", "organisme"
    )


def get_dossier_for(user, number) -> Dossier:
    """The dossier if the person may see it, else Http404. The référentiel version is joined (the rules read it);
    the entreprise and organisme, shown on the dossier page only, are read there when the dossier has one."""
    queryset = Dossier.objects.visible_to(user).select_related("candidate", "certification", "version", "mention")
    return _bound(get_object_or_404(queryset, number=number))


# The rows of the voie formative, one-to-one with a dossier (a VAE dossier has none: the formation workflow creates
# them for the voie formative only, candidates/workflow/formation.py ``check_formation``).
FORMATION_ROWS = ("formation_designation", "livret_suivi", "livret_evaluation")


def get_dossier_page_for(user, number) -> Dossier:
    """``get_dossier_for`` for the dossier page: the entretien and the organisme (shown among the actors) joined too,
    the candidate and who registered the dossier read together (not again when it is the person asking), and, for the
    voie formative, its own one-to-one rows (formation designation, livret de suivi, livret d'évaluation) — which the
    page and its next actions read
    (pilotage/next_actions/loader.py adds the rest onto this same instance, instead of reading it again). Each joined
    table costs PostgreSQL more to plan than a small query of its own (make bench: 10 tables joined 5.5 ms; these 5
    tables and the 2 persons 2.2 ms), and a VAE dossier has none of the rows of the voie formative. The organisme, on
    its primary key, adds ~0.3 ms of planning, less than a query of its own; the livret 2 would add 1.3 ms more."""
    queryset = Dossier.objects.visible_to(user).select_related(
        "certification", "version", "mention", "entretien", "organisme"
    )
    dossier = _bound(get_object_or_404(queryset, number=number))
    people = {user.pk: user}  # the person asking, when they are the candidate or registered the dossier
    missing = {dossier.candidate_id, dossier.registered_by_id} - people.keys()
    if missing:
        first, *other = sorted(missing)
        people.update((person.pk, person) for person in compiled_rows(_two_people, first, other[0] if other else first))
    dossier.candidate, dossier.registered_by = people[dossier.candidate_id], people[dossier.registered_by_id]
    rows = None
    if dossier.path == Path.FORMATION:
        rows = Dossier.objects.select_related(*FORMATION_ROWS).get(pk=dossier.pk)
    for name in FORMATION_ROWS:
        related = getattr(Dossier, name).related
        row = related.get_cached_value(rows) if rows is not None else None
        if row is not None:
            row.dossier = dossier
        related.set_cached_value(dossier, row)
    return dossier


def _two_people(first_id, second_id):
    """One or two persons (compiled once: cqp/compiled_queries.py). Not ``pk__in``: the ORM writes ``IN (%s)`` for
    twice the same id, which a SQL compiled with two stand-ins cannot be."""
    return User.objects.filter(Q(pk=first_id) | Q(pk=second_id))


def _bound(dossier: Dossier) -> Dossier:
    """The version's certification is the dossier's (already read), and a current version is the certification's
    current version: bound, they are not read again (units' labels, renewal rules)."""
    version, certification = dossier.version, dossier.certification
    if version is not None and version.certification_id == certification.pk:
        version.certification = certification
        if version.is_current:
            certification._current_version = version
    return dossier


def visible_dossiers(user):
    """The dossiers a person may see, no table joined (the list filters and counts these)."""
    return Dossier.objects.visible_to(user)


def list_values(dossiers):
    """The list's columns only (the candidate joined, no model instance)."""
    return dossiers.values(*LIST_COLUMNS)


def list_paginator(user, dossiers, per_page: int = 25) -> EstimatingPaginator:
    """The list's pages (``dossiers``: its DossierFilter). For the staff, the count and the rows are compiled once per
    combination of filters (cqp/compiled_lists.py), under a key holding whose dossiers they see and the CQPs' ids; a
    search, and anyone else, go through the ORM."""
    key = Dossier.objects.visibility_key(user)
    source = compiled_list(dossiers, list_values, key and (key, certification_stamp()))
    if source is not None:
        return EstimatingPaginator(source, per_page)
    return EstimatingPaginator(list_values(dossiers.qs), per_page, counted=dossiers.qs.order_by())


def french_date(day) -> str:
    """« 1er janvier 2027 », « 23 novembre 2026 »: what ``|date_fr`` writes, without the template machinery."""
    if day is None:
        return ""
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


# One row of the list's table (templates/candidates/dossier_list.html): written here once per row rather than by the
# template engine, eight variables a row (make bench: a third of the page's template time).
ROW_HTML = (
    '<tr>\n<td><a href="{url}">{number}</a></td><td>{candidate}</td><td>{cqp}</td><td>{path}</td><td>{state}</td>'
    "<td>{inscription}</td><td>{first_jury}</td></tr>"
)


def dossier_list_rows(values) -> list[dict]:
    """One page of the list, ready to show: the link, the candidate's name and the dates computed once per row
    (the link is reversed once for the page), and the row's HTML (``html``, every value escaped)."""
    link = reverse("candidates:dossier", kwargs={"number": "NUMERO"})
    link_html = escape(link)  # a script prefix may hold « & » or « ' » (reverse() leaves them)
    day = french_date

    rows = []
    for v in values:
        name = f"{v['candidate__first_name']} {v['candidate__last_name']}".strip() or v["candidate__email"]
        mention = mention_label(v["mention_id"])
        cqp = certification_title(v["certification_id"]) + (f" ({mention})" if mention else "")
        quoted = quote(v["number"])
        row = {
            "number": v["number"],
            "url": link.replace("NUMERO", quoted),
            "candidate": name,
            "cqp": cqp,
            "path": PATH_LABELS.get(v["path"], "Formation"),
            "state": STATE_LABELS.get(v["state"], v["state"]),
            "inscription": day(v["inscription_date"]),
            "first_jury": day(v["first_jury_deadline"]),
        }
        # what format_html writes (each value escaped as django.utils.html.escape does), without a safe string and
        # a conditional_escape per value. Escaped here: what people or the référentiel wrote (number, name, CQP) and
        # a state the enum does not know. Not escaped: the labels (escaped once above), the dates (digits and
        # French month names) and the number in the link (quote() leaves only letters, digits and « /-._~% »).
        state = v["state"]
        row["html"] = SafeString(
            ROW_HTML.format(
                url=link_html.replace("NUMERO", quoted),
                number=escape(row["number"]),
                candidate=escape(name),
                cqp=escape(cqp),
                path=ESCAPED_PATHS.get(v["path"], "Formation"),
                state=ESCAPED_STATES[state] if state in ESCAPED_STATES else escape(row["state"]),
                inscription=row["inscription"],
                first_jury=row["first_jury"],
            )
        )
        rows.append(row)
    return rows


def lock_dossier(dossier) -> None:
    """Lock the dossier's row (inside a transaction), as the transitions do: an autosave of an object not created yet
    (entretien, livrets of the voie formative) takes it first, so that two first saves cannot both pass."""
    Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).first()


def history_rows(dossier) -> list:
    """The dossier's events with their actors, in the model's order (compiled once: cqp/compiled_queries.py)."""
    return compiled_rows(_history_of, dossier.pk)


def _history_of(dossier_id):
    return DossierEvent.objects.filter(dossier_id=dossier_id).select_related("actor").order_by("at", "id")
