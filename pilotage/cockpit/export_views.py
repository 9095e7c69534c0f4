"""« Exporter » on the OEMM's lists: the list as filtered and sorted, CSV or XLSX, recorded before it is sent."""

from django.http import Http404

from cqp.permissions import require_perm

from . import exports
from .export_specs import SPECS

FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


@require_perm("cqp.view_oemm_dashboard")
def export(request, key, fmt):
    spec = SPECS.get(key)
    if spec is None or fmt not in FORMATS:
        raise Http404("Export inconnu.")
    filterset, queryset = exports.filtered(spec, request.GET, request.user)
    exports.record(spec, filterset, request.user, fmt, queryset.count())
    return FORMATS[fmt](spec, queryset)
