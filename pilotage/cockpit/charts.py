"""Charts drawn on the server as SVG: no script, no style attribute (the CSP allows neither), readable without
colour (each bar carries its value), with a title and a description for screen readers. The table under each chart
gives the same figures."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

COLOURS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997"]
ROW = 26
LABEL_WIDTH = 260
BAR_WIDTH = 360


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", "\u202f")


def bar_chart(chart_id: str, title: str, items: list[tuple[str, float]], *, unit: str = "", maximum=None) -> str:
    """Horizontal bars, one per (label, value), in the order given; ``maximum`` fixes the scale (100 for rates)."""
    if not items:
        return ""
    top = maximum or max(value for _, value in items) or 1
    height = ROW * len(items) + 10
    width = LABEL_WIDTH + BAR_WIDTH + 90
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#212529">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="16" rx="2" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
        (
            (
                LABEL_WIDTH - 8,
                i * ROW + 17,
                label if len(label) <= 34 else label[:33] + "…",
                LABEL_WIDTH,
                i * ROW + 4,
                round(BAR_WIDTH * (value or 0) / top, 1),
                COLOURS[0],
                LABEL_WIDTH + round(BAR_WIDTH * (value or 0) / top, 1) + 6,
                i * ROW + 17,
                f"{_number(value)}{unit}",
            )
            for i, (label, value) in enumerate(items)
        ),
    )
    description = " ; ".join(f"{label} : {_number(value)}{unit}" for label, value in items)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        bars=mark_safe(bars),  # noqa: S308 - built by format_html_join above, every value escaped
    )
