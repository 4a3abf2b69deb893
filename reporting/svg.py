"""Static SVG charts for the annual report PDF, built in Python (no network, no browser).

Each chart is a horizontal bar chart, stacked when a row has several parts; the colours
follow the dashboards' badges and every part is also given in a table beside the chart (the
PDF shows the same data as a table for readers who cannot see the chart).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape

ROW, GAP, LABEL_WIDTH, BAR_WIDTH, LEGEND = 22, 8, 210, 300, 22


def stacked_bars(rows: Sequence[tuple[str, Sequence[int]]],
                 parts: Sequence[tuple[str, str]], *, title: str) -> str:
    """An SVG document: one bar per ``(label, counts)`` row, each count a coloured part
    (``parts``: (label, colour) in the counts' order), a legend under the bars."""
    most = max((sum(counts) for _label, counts in rows), default=0) or 1
    height = len(rows) * (ROW + GAP) + GAP + LEGEND * ((len(parts) + 2) // 3) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans" font-size="10">',
           f"<title>{escape(title)}</title>"]
    for index, (label, counts) in enumerate(rows):
        y = GAP + index * (ROW + GAP)
        shown = label if len(label) <= 38 else label[:37] + "…"
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW / 2 + 4}" '
                   f'text-anchor="end">{escape(shown)}</text>')
        x = LABEL_WIDTH
        for (_part, colour), count in zip(parts, counts, strict=True):
            if not count:
                continue
            w = BAR_WIDTH * count / most
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW}" '
                       f'fill="#{colour}" stroke="#555" stroke-width="0.5"/>')
            out.append(f'<text x="{x + w / 2:.1f}" y="{y + ROW / 2 + 4}" '
                       f'text-anchor="middle">{count}</text>')
            x += w
    legend_y = GAP + len(rows) * (ROW + GAP) + 4
    for index, (part, colour) in enumerate(parts):
        x, y = 10 + (index % 3) * 180, legend_y + (index // 3) * LEGEND
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="#{colour}" '
                   f'stroke="#555" stroke-width="0.5"/>')
        out.append(f'<text x="{x + 16}" y="{y + 10}">{escape(part)}</text>')
    out.append("</svg>")
    return "".join(out)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>`` (which carries its alternative text)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
