"""Static, accessible SVG bar charts (no JavaScript), built with ElementTree.

Bars are horizontal, one row each: the label on the left, the bar, then its value written right
after the bar's end, in a margin kept free for it, so no label is ever covered and the value is
read where the bar ends. A scale with gridlines runs under the rows; a target is a dashed line
labelled above them. The row height does not depend on the number of bars, so a chart of one
value is one thin bar, not a block filling the chart. Each chart has a ``<title>`` and a
``<desc>`` listing every value and target, so it reads without colour and without sight.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

WIDTH = 680
ROW = 24
BAR = 15
CAPTION = 22
TARGET_LINE = 16
AXIS = 26
CHAR = 6.6
"""Width of one character at the 12 px label size, rounded up (labels are sized from it)."""
LABEL_CHARS = 32
"""Longer bar names are cut (with an ellipsis) so the bars keep most of the width."""
MET = "#2e7d32"
MISSED = "#c62828"
NEUTRAL = "#546e7a"
GRID = "#9e9e9e"
"""Gridlines: mid grey reads on the light and the dark palette alike."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def nice_top(value: float) -> tuple[float, float]:
    """The scale's end (a round number at or above ``value``) and its gridline step."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step - 1e-9), step


def _n(value: float) -> str:
    """A coordinate: whole units are precise enough in a 680-unit-wide drawing (and short: the
    metrics page at 10,000 incidents carries dozens of charts)."""
    return f"{value:.0f}"


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> None:
    """Text in the chart's font and colour (set once on the <svg>, inherited)."""
    ET.SubElement(parent, "text", {"x": _n(x), "y": _n(y), **attrs}).text = text


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float | None]],
    fmt: Callable[[float], str],
    target: float | None = None,
    lower_is_better: bool = True,
    targets: Sequence[float | None] = (),
) -> str:
    """One SVG bar chart as a string of markup, ready to place inline in a page.

    ``target`` draws one dashed line across the chart; ``targets`` (one per bar) draws a short
    dashed mark on each bar's row instead, and writes the target after the value. Bars are
    green when they meet their target, red when not, grey without one.
    """
    ident = "chart-" + _slug(title)
    per_bar = list(targets) + [None] * (len(bars) - len(targets))
    values = [v for _, v in bars if v is not None]
    top, step = nice_top(max([*values, target or 0.0, *(t for t in per_bar if t is not None), 0.0]))
    labels = [
        (fmt(v) if v is not None else "no data") + (f" (target {fmt(t)})" if t is not None else "")
        for (_, v), t in zip(bars, per_bar, strict=True)
    ]
    label_w = CHAR * min(LABEL_CHARS, max((len(n) for n, _ in bars), default=0)) + 12
    value_w = min(200.0, max(60.0, CHAR * max((len(v) for v in labels), default=0))) + 8
    x0 = label_w
    x1 = WIDTH - value_w
    first_row = CAPTION + TARGET_LINE
    height = first_row + ROW * len(bars) + AXIS

    def x(value: float) -> float:
        return x0 + (x1 - x0) * value / top

    svg = ET.Element(
        "svg",
        {
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{ident}-t {ident}-d",
            "class": "sp-chart",
            "font-size": "12",
            "fill": "currentColor",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{ident}-t"}).text = title
    described = "; ".join(
        f"{name}: {text}" for (name, _), text in zip(bars, labels, strict=True)
    ) + (f". Target: {fmt(target)}" if target is not None else "")
    ET.SubElement(svg, "desc", {"id": f"{ident}-d"}).text = described
    _text(svg, 0, 15, title, **{"font-size": "13", "font-weight": "bold"})

    bottom = first_row + ROW * len(bars)
    ticks = round(top / step)
    for n in range(ticks + 1):
        gx = x(step * n)
        ET.SubElement(
            svg,
            "line",
            {"x1": _n(gx), "x2": _n(gx), "y1": _n(first_row), "y2": _n(bottom + 4),
             "stroke": GRID, "class": "sp-grid"},
        )  # fmt: skip
        _text(
            svg, gx, bottom + 17, fmt(step * n),
            **{"font-size": "10", "text-anchor": "start" if n == 0 else "middle"},
        )  # fmt: skip

    for index, ((name, value), goal_here) in enumerate(zip(bars, per_bar, strict=True)):
        row_y = first_row + ROW * index
        mid = row_y + ROW / 2
        # The desc has the whole name.
        shown = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        _text(svg, x0 - 8, mid + 4, shown, **{"text-anchor": "end"})
        end = x0
        goal = goal_here if goal_here is not None else target
        if value is not None:
            kind = "neutral"
            if goal is not None:
                ok = value <= goal if lower_is_better else value >= goal
                kind = "met" if ok else "missed"
            colour = {"neutral": NEUTRAL, "met": MET, "missed": MISSED}[kind]
            end = x(value)
            ET.SubElement(
                svg,
                "rect",
                {"x": _n(x0), "y": _n(mid - BAR / 2), "width": f"{end - x0:.1f}",
                 "height": str(BAR), "fill": colour, "class": f"sp-{kind}"},
            )  # fmt: skip
        if goal_here is not None:
            gx = x(goal_here)
            ET.SubElement(
                svg,
                "line",
                {"x1": _n(gx), "x2": _n(gx), "y1": _n(row_y + 1), "y2": _n(row_y + ROW - 1),
                 "stroke": "currentColor", "stroke-width": "1.5", "stroke-dasharray": "3 2"},
            )  # fmt: skip
            end = max(end, gx)
        _text(svg, end + 5, mid + 4, labels[index])

    if target is not None:
        tx = x(target)
        ET.SubElement(
            svg,
            "line",
            {"x1": _n(tx), "x2": _n(tx), "y1": _n(first_row - 2), "y2": _n(bottom),
             "stroke": "currentColor", "stroke-width": "1.5", "stroke-dasharray": "6 4"},
        )  # fmt: skip
        # Above the rows, so no bar can cover it; anchored at its end near the right edge.
        anchor = "end" if tx > WIDTH - 60 else "middle"
        _text(svg, tx, first_row - 5, f"target {fmt(target)}", **{"text-anchor": anchor})
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def figure(svg: str) -> str:
    """Wrap a chart for a Markdown page: one raw-HTML block, kept out of the search index."""
    return f'<div class="sp-chart-box" data-search-exclude>{svg}</div>'
