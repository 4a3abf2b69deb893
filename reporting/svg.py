"""Stacked bar charts as static SVG, built in Python: drawn inline in the dashboards and the
public pôle page (no JavaScript) and, as an image, in the annual report PDF (no network, no
browser).

One function, :func:`stacked_bars`, draws them all: one horizontal bar per row, one coloured
segment per part, the row's total after the bar and a legend under the bars. Every segment
carries a ``<title>`` (« Montérégie : 3 atteintes ») that a browser shows on hover and a
screen reader can read; the chart as a whole is ``role="img"`` named by its ``<title>`` and
described by a ``<desc>`` giving every row's counts in words. Colours and sizes are
presentation attributes (no ``style`` attribute, no ``<style>``: the Content-Security-Policy
is meant to do without inline styles), the size is a ``viewBox`` scaled to the width of its
container (``width="100%"``), and numbers are written for the active language
(:func:`indicators.formatting.display_number`). Labels are wrapped between words, never cut;
every figure is also given in the table that accompanies each chart.
"""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from indicators.formatting import display_number, in_english
from indicators.numbers import NBSP

# Sizes in the viewBox's units (CSS pixels when the chart is drawn 480 px wide).
WIDTH = 480
FONT = 14
LINE = 18  # a label's line height
BAR = 24
GAP = 12  # between two rows
CHAR = 0.58 * FONT  # a character's average advance, to lay labels out without a font
SHORT_LABEL = 22  # labels up to this many characters stand left of their bar, longer above
TOTAL_ROOM = 56  # after the longest bar, for its total
SWATCH = 14
INK, WHITE, OUTLINE = "#1d2430", "#ffffff", "#555555"


@dataclass(frozen=True)
class Part:
    """One kind of segment: its legend ``label``, its ``colour`` and the words for a count
    of it (``counted(3)`` → « 3 atteintes »; by default « 3 atteinte » from the label)."""

    label: str
    colour: str
    counted: Callable[[int], str] | None = None

    def words(self, count: int) -> str:
        if self.counted is not None:
            return self.counted(count)
        return f"{number(count)} {self.label.lower()}"


def number(count: int) -> str:
    """A count in the active language: ``1 234`` (no-break space) or ``1,234``."""
    return display_number(count, places=0)


def colon() -> str:
    """« Montérégie : 3 » (a no-break space before the colon) in French, "Montérégie: 3" in
    English."""
    return ": " if in_english() else f"{NBSP}: "


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of about ``width`` characters, broken between words only (a word
    longer than a line stays whole), spaces collapsed."""
    return textwrap.wrap(" ".join(text.split()), width=width, break_long_words=False,
                         break_on_hyphens=False) or [""]


def _hex(colour: str) -> str:
    return colour if colour.startswith("#") else f"#{colour}"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(fill: str) -> str:
    """White on a dark fill, ink on a light one: whichever contrasts more."""
    fill = _hex(fill)
    return WHITE if _contrast(fill, WHITE) >= _contrast(fill, INK) else INK


def _text(x: float, y: float, lines: list[str], **attributes: str) -> str:
    """A ``<text>`` of one or more lines, each a ``<tspan>`` at ``x``, with a space between
    two lines where it shows nothing (after a line read from ``x``, before one that ends at
    ``x``), so that the element's text reads as the whole label."""
    attrs = "".join(f" {name.replace('_', '-')}={quoteattr(value)}"
                    for name, value in attributes.items())
    end = attributes.get("text_anchor") == "end"
    last = len(lines) - 1
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else LINE}">'
                    f'{" " if end and i else ""}{escape(line)}{" " if not end and i < last else ""}'
                    "</tspan>" for i, line in enumerate(lines))
    return f'<text x="{x:g}" y="{y:g}"{attrs}>{spans}</text>'


def stacked_bars(rows: Sequence[tuple[str, Sequence[int]]], parts: Sequence[Part], *,
                 title: str, chart_id: str = "chart", font_family: str | None = None,
                 standalone: bool = False) -> str:
    """The SVG of one bar per ``(label, counts)`` row, ``counts`` in the order of ``parts``.

    Short labels (codes, pôle names) stand left of their bar, longer ones (orientation
    titles) above it on as many lines as they need. Inline (the default), the ``<svg>``
    takes its container's width and the page's font and colour, with ``id`` ``chart_id``
    (its title and description ids derive from it: give each chart of a page its own);
    ``standalone`` gives it a size in pixels for an ``<img>`` (the PDF)."""
    if any(len(counts) != len(parts) for _label, counts in rows):
        raise ValueError("each row needs one count per part")
    most = max((sum(counts) for _label, counts in rows), default=0) or 1
    longest = max((len(" ".join(label.split())) for label, _counts in rows), default=0)
    above = longest > SHORT_LABEL
    label_room = 0 if above else min(longest, SHORT_LABEL) * CHAR + 10
    bar_room = WIDTH - label_room - TOTAL_ROOM
    label_width = int(WIDTH / CHAR) if above else SHORT_LABEL + 10

    body, y = [], 4.0
    for label, counts in rows:
        lines = wrap(label, label_width)
        if above:
            body.append(_text(0, y + FONT, lines, fill="currentColor"))
            y += LINE * len(lines) + 4
            label_top = None
        else:
            label_top = y + BAR / 2 + FONT * 0.35 - (len(lines) - 1) * LINE / 2
        full = " ".join(label.split())
        x = label_room
        for part, count in zip(parts, counts, strict=True):
            if not count:
                continue
            w = bar_room * count / most
            shown = number(count)
            ink = text_colour(part.colour)
            # Dark fills are parted by a white line, light ones (the PDF's) outlined in grey.
            edge = (f'stroke="{WHITE}" stroke-width="1"' if ink == WHITE
                    else f'stroke="{OUTLINE}" stroke-width="0.5"')
            segment = [f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR}" '
                       f'fill="{_hex(part.colour)}" {edge}/>']
            if w >= len(shown) * CHAR + 6:
                segment.append(f'<text x="{x + w / 2:.1f}" y="{y + BAR / 2 + FONT * 0.35:.1f}" '
                               f'text-anchor="middle" fill="{ink}">{escape(shown)}</text>')
            body.append(f"<g><title>{escape(full + colon() + part.words(count))}</title>"
                        + "".join(segment) + "</g>")
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + BAR / 2 + FONT * 0.35:.1f}" '
                    f'fill="currentColor" font-weight="bold">{number(sum(counts))}</text>')
        if label_top is not None:
            body.append(_text(label_room - 8, label_top, lines, text_anchor="end",
                              fill="currentColor"))
            y += max(BAR, LINE * len(lines))
        else:
            y += BAR
        y += GAP

    legend, x = [], 0.0
    y += 2
    for part in parts:
        room = SWATCH + 6 + len(part.label) * CHAR + 18
        if x and x + room > WIDTH:
            x, y = 0.0, y + LINE + 6
        legend.append(f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="{SWATCH}" height="{SWATCH}" '
                      f'fill="{_hex(part.colour)}" stroke="{OUTLINE}" stroke-width="0.5"/>'
                      f'<text x="{x + SWATCH + 6:.1f}" y="{y + FONT:.1f}" fill="currentColor">'
                      f"{escape(part.label)}</text>")
        x += room
    height = round(y + LINE + 8)

    description = ("; " if in_english() else f"{NBSP}; ").join(
        " ".join(label.split()) + colon()
        + (", ".join(part.words(count) for part, count in zip(parts, counts, strict=True)
                     if count) or number(0))
        for label, counts in rows)
    size = (f'width="{WIDTH}" height="{height}"' if standalone
            else f'width="100%" class="bars" id={quoteattr(chart_id)}')
    font = f" font-family={quoteattr(font_family)}" if font_family else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 {WIDTH} {height}" '
            f'font-size="{FONT}"{font} role="img" aria-labelledby="{chart_id}-title" '
            f'aria-describedby="{chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
            + "".join(body)
            + f'<g class="legend">{"".join(legend)}</g></svg>')


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>`` (which carries its alternative text)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
