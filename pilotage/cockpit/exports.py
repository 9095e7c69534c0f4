"""Exports of the OEMM's lists, as filtered and sorted on the page, in CSV and XLSX, in constant memory; audited.

CSV: UTF-8 with a byte order mark and « ; » as separator (what Excel opens as is in France), dates « JJ/MM/AAAA »,
streamed row by row from a server-side cursor (``QuerySet.iterator``). XLSX: openpyxl's write-only workbook writes
each row to a temporary file as it comes, and the file is then streamed. A cell that starts with « = + - @ » is
prefixed with « ' » (no formula runs when the file is opened). Each export is recorded (ExportRecord: who, when,
which list, which filter, how many rows) before its first byte leaves.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from ..models import ExportRecord

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class ExportSpec:
    key: str
    title: str  # file name stem, French
    filterset: type  # the list page's FilterSet: same filters and sort
    queryset: Callable[[object], object]  # user -> the queryset of the page (select_related done)
    columns: list[Column]


def cell(value):
    """A value as written in a file: dates in French order, no formula, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def filtered(spec: ExportSpec, params, user):
    filterset = spec.filterset(params or None, queryset=spec.queryset(user))
    return filterset, filterset.qs


def rows(spec: ExportSpec, queryset) -> Iterator[list]:
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield [cell(column.value(obj)) for column in spec.columns]


def record(spec: ExportSpec, filterset, user, fmt: str, count: int) -> ExportRecord:
    used = {}
    if filterset.is_bound and filterset.form.is_valid():
        used = {k: str(v) for k, v in filterset.form.cleaned_data.items() if v not in (None, "", [])}
    return ExportRecord.objects.create(user=user, list_key=spec.key, format=fmt, filters=used, rows=count)


class _Echo:
    def write(self, value):
        return value


def _filename(spec, fmt) -> str:
    return f"{spec.title}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def csv_response(spec: ExportSpec, queryset) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow([column.title for column in spec.columns])
        for row in rows(spec, queryset):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(spec, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(spec: ExportSpec, queryset) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.title[:31])
    header = []
    for column in spec.columns:
        title = WriteOnlyCell(sheet, value=column.title)
        title.font = Font(bold=True)
        header.append(title)
    sheet.append(header)
    for row in rows(spec, queryset):
        sheet.append(row)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse once sent
    workbook.save(target)
    target.seek(0)
    response = FileResponse(
        target,
        as_attachment=True,
        filename=_filename(spec, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
