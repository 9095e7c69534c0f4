"""« Statistiques » for the CPNEFP: charts (SVG drawn on the server), their tables, a CSV per figure."""

import csv

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from candidates.enums import DossierState, Path
from cqp import query_params
from cqp.permissions import require_perm
from jury.enums import Outcome
from referentiels.models import Certification

from ..models import ExportRecord
from .charts import bar_chart
from .exports import cell
from .statistics_summary import current, figures_of


def _filters(params):
    certifications = list(Certification.objects.order_by("title"))
    code = query_params.choice_param(params, "cqp", [c.code for c in certifications])
    start = query_params.date_param(params, "du")
    end = query_params.date_param(params, "au")
    if start and end and end < start:
        start, end = end, start
    certification = next((c for c in certifications if c.code == code), None)
    return certifications, certification, start, end


@require_perm("cqp.view_oemm_dashboard")
def statistics(request):
    certifications, certification, start, end = _filters(request.GET)
    snapshot = current(start=start, end=end, certification=certification, today=timezone.localdate())
    figures = figures_of(snapshot)
    charts = [(f, bar_chart(f"chart-{f.key}", f.title, f.chart, unit=f.unit, maximum=f.maximum)) for f in figures]
    detail = snapshot.detail
    labels = {c.code: c.title for c in certifications}
    for row in detail:
        row["cqp_title"] = labels.get(row["cqp"], row["cqp"])
        row["path_label"] = Path(row["path"]).label if row["path"] in Path.values else row["path"]
        row["state_label"] = DossierState(row["state"]).label if row["state"] in DossierState.values else row["state"]
        row["outcome_label"] = Outcome(row["outcome"]).label if row["outcome"] in Outcome.values else "—"
    params = request.GET.copy()
    return render(
        request,
        "pilotage/cockpit/statistics.html",
        {
            "charts": charts,
            "certifications": certifications,
            "cqp": certification.code if certification else "",
            "du": start.isoformat() if start else "",
            "au": end.isoformat() if end else "",
            "query": params.urlencode(),
            "detail": detail,
            "total": sum(r["count"] for r in detail),
            "anonymised": snapshot.anonymised,
            "computed_at": snapshot.computed_at,
        },
    )


class _Echo:
    def write(self, value):
        return value


@require_perm("cqp.view_oemm_dashboard")
def statistics_csv(request, figure):
    _, certification, start, end = _filters(request.GET)
    snapshot = current(start=start, end=end, certification=certification, today=timezone.localdate())
    figures = {f.key: f for f in figures_of(snapshot)}
    if figure not in figures:
        raise Http404("Tableau inconnu.")
    chosen = figures[figure]
    ExportRecord.objects.create(
        user=request.user,
        list_key=f"stats-{figure}"[:40],
        format="csv",
        filters={k: str(v) for k, v in {"cqp": certification, "du": start, "au": end}.items() if v},
        rows=len(chosen.rows),
    )
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow(chosen.columns)
        for row in chosen.rows:
            yield writer.writerow([cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistiques-{figure}.csv"'
    return response
