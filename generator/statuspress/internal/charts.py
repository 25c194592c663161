"""Static, accessible SVG bar charts (no JavaScript), built with ElementTree.

Each chart has a ``<title>`` and a ``<desc>`` listing every value and the target, text labels
on every bar, and a dashed target line, so it reads without colour and without sight.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

WIDTH = 680
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 40, 48
MET = "#2e7d32"
MISSED = "#c62828"
NEUTRAL = "#546e7a"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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
    dashed mark over each bar instead. Bars are green when they meet their target, red when not.
    """
    ident = "chart-" + _slug(title)
    values = [v for _, v in bars if v is not None]
    per_bar = list(targets) + [None] * (len(bars) - len(targets))
    top = max([*values, target or 0.0, *(t for t in per_bar if t is not None), 1e-9]) * 1.12
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(bars))
    bar_w = max(2.0, slot * 0.7)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    svg = ET.Element(
        "svg",
        {
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{ident}-t {ident}-d",
            "class": "sp-chart",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{ident}-t"}).text = title
    described = "; ".join(
        f"{name}: {fmt(v) if v is not None else 'no data'}"
        + (f" (target {fmt(t)})" if t is not None else "")
        for (name, v), t in zip(bars, per_bar, strict=True)
    )
    if target is not None:
        described += f". Target: {fmt(target)}"
    ET.SubElement(svg, "desc", {"id": f"{ident}-d"}).text = described
    base = TOP + plot_h
    caption = ET.SubElement(
        svg, "text", {"x": str(LEFT), "y": "14", "font-size": "13", "fill": "currentColor",
                      "font-weight": "bold"},
    )  # fmt: skip
    caption.text = title
    ET.SubElement(
        svg,
        "line",
        {"x1": str(LEFT), "x2": str(WIDTH - RIGHT), "y1": f"{base:.1f}", "y2": f"{base:.1f}",
         "stroke": NEUTRAL, "stroke-width": "1"},
    )  # fmt: skip
    small = len(bars) > 14
    for index, (name, value) in enumerate(bars):
        x = LEFT + slot * index + (slot - bar_w) / 2
        cx = x + bar_w / 2
        goal = per_bar[index] if per_bar[index] is not None else target
        if value is not None:
            colour = NEUTRAL
            if goal is not None:
                ok = value <= goal if lower_is_better else value >= goal
                colour = MET if ok else MISSED
            top_y = y(value)
            ET.SubElement(
                svg,
                "rect",
                {"x": f"{x:.1f}", "y": f"{top_y:.1f}", "width": f"{bar_w:.1f}",
                 "height": f"{max(0.0, base - top_y):.1f}", "fill": colour},
            )  # fmt: skip
            if not small:
                text = ET.SubElement(
                    svg,
                    "text",
                    {"x": f"{cx:.1f}", "y": f"{top_y - 4:.1f}", "text-anchor": "middle",
                     "font-size": "11", "fill": "currentColor"},
                )  # fmt: skip
                text.text = fmt(value)
        label = ET.SubElement(
            svg,
            "text",
            {
                "x": f"{cx:.1f}",
                "y": f"{base + 14:.1f}",
                "font-size": "9" if small else "11",
                "fill": "currentColor",
                "text-anchor": "end" if small else "middle",
                **({"transform": f"rotate(-50 {cx:.1f} {base + 14:.1f})"} if small else {}),
            },
        )
        label.text = name
        if per_bar[index] is not None:
            gy = y(per_bar[index] or 0.0)
            ET.SubElement(
                svg,
                "line",
                {"x1": f"{x - 3:.1f}", "x2": f"{x + bar_w + 3:.1f}", "y1": f"{gy:.1f}",
                 "y2": f"{gy:.1f}", "stroke": "currentColor", "stroke-width": "1.5",
                 "stroke-dasharray": "6 4"},
            )  # fmt: skip
            mark = ET.SubElement(
                svg,
                "text",
                {"x": f"{x + bar_w:.1f}", "y": f"{gy - 4:.1f}", "text-anchor": "end",
                 "font-size": "10", "fill": "currentColor"},
            )  # fmt: skip
            mark.text = f"target {fmt(per_bar[index] or 0.0)}"
    if target is not None:
        ty = y(target)
        ET.SubElement(
            svg,
            "line",
            {"x1": str(LEFT), "x2": str(WIDTH - RIGHT), "y1": f"{ty:.1f}", "y2": f"{ty:.1f}",
             "stroke": "currentColor", "stroke-width": "1.5", "stroke-dasharray": "6 4"},
        )  # fmt: skip
        note = ET.SubElement(
            svg,
            "text",
            {"x": str(WIDTH - RIGHT), "y": f"{ty - 4:.1f}", "text-anchor": "end",
             "font-size": "11", "fill": "currentColor"},
        )  # fmt: skip
        note.text = f"target {fmt(target)}"
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def figure(svg: str) -> str:
    """Wrap a chart for a Markdown page: one raw-HTML block, kept out of the search index."""
    return f'<div class="sp-chart-box" data-search-exclude>{svg}</div>'
