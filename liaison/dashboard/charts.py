"""Inline SVG charts, drawn on the server: no script, no library, no network. A chart scales to its
box (viewBox, width 100%), so it reads on a 412-px phone as on a desktop; colours are presentation
attributes (the CSP allows no inline style). Each chart comes with its numbers as a table too."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 6, 10, 20
COLOURS = {"bar": "#0d6efd", "line": "#198754", "grid": "#dee2e6", "text": "#495057"}


def _nice_max(value) -> int:
    if not value or value <= 0:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def axis_label(level: float) -> str:
    """A count on the axis, in 万 from 10,000 on: "100000" did not fit the 30 units left of the plot
    (the district's visits of a month)."""
    return f"{level / 10000:g}万" if level >= 10000 else f"{level:g}"


def chart(values: list, *, share: bool = False, title: str = "") -> SafeString:
    """12 monthly values (None: a month to come) as bars, or as a line for a share in percent."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    known = [float(v) for v in values if v is not None]
    top = 100 if share else _nice_max(max(known, default=0))
    slot = plot_w / len(values)

    def y(value) -> float:
        return TOP + plot_h - plot_h * float(value) / top

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            y(level),
            WIDTH - RIGHT,
            y(level),
            COLOURS["grid"],
        )
        for level in (0, top / 2, top)
    ]
    parts += [
        format_html(
            '<text x="{}" y="{}" font-size="10" text-anchor="end" fill="{}">{}</text>',
            LEFT - 3,
            y(level) + 3,
            COLOURS["text"],
            f"{level:g}%" if share else axis_label(level),
        )
        for level in (0, top / 2, top)
    ]
    for index in range(len(values)):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>',
                f"{LEFT + slot * index + slot / 2:.1f}",
                HEIGHT - 6,
                COLOURS["text"],
                index + 1,
            )
        )
    if share:
        points = [(LEFT + slot * i + slot / 2, y(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                    " ".join(f"{x:.1f},{py:.1f}" for x, py in points),
                    COLOURS["line"],
                )
            )
        parts += [
            format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', f"{x:.1f}", f"{py:.1f}", COLOURS["line"])
            for x, py in points
        ]
    else:
        for index, value in enumerate(values):
            if not value:
                continue
            height = plot_h * float(value) / top
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} 月：{}</title></rect>',
                    f"{LEFT + slot * index + slot * 0.18:.1f}",
                    f"{TOP + plot_h - height:.1f}",
                    f"{slot * 0.64:.1f}",
                    f"{height:.1f}",
                    COLOURS["bar"],
                    index + 1,
                    value,
                )
            )
    body = mark_safe("".join(parts))
    return format_html(
        '<svg class="trend-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        body,
    )


def cells(values: list, *, share: bool = False) -> SafeString:
    def shown(value) -> str:
        if value is None:
            return ""
        if share and isinstance(value, Decimal):
            return f"{value}%"
        return str(value)

    return format_html_join("", '<td class="text-end">{}</td>', ((shown(v),) for v in values))
