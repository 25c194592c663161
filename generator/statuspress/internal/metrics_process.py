"""The metrics page's sections for the incident-management article's process metrics.

MTTR of known failure modes against novel incidents, incidents and MTTR per category, and the
customer-reported share per quarter. Every user-written value (a category) is escaped; charts
are the same static SVG as the rest of the page (no inline script or style).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..durations import format_minutes
from . import metrics as m
from .charts import bar_chart, figure


def mark(verdict: str) -> Markup:
    return Markup({"met": "met", "missed": "**missed**"}.get(verdict, "no target"))


def _target(value: float | None) -> str:
    return format_minutes(value) if value is not None else "none"


def split_data(res: m.Metrics) -> dict[str, Any]:
    """MTTR known vs novel per severity, with the targets (SEV-1 by default), and its chart."""
    rows = []
    for s in res.split:
        for kind, st, goal in (
            ("known", s.known, s.known_target),
            ("novel", s.novel, s.novel_target),
        ):
            rows.append(
                [
                    s.key,
                    kind,
                    str(st.count),
                    format_minutes(st.mean),
                    format_minutes(st.median),
                    _target(goal),
                    mark(m.verdict(st.mean, goal)),
                ]
            )
    bars: list[tuple[str, float | None]] = []
    goals: list[float | None] = []
    for s in res.split:
        if s.key == "all":
            continue
        bars += [(f"{s.key} known", s.known.mean), (f"{s.key} novel", s.novel.mean)]
        goals += [s.known_target, s.novel_target]
    chart = None
    if any(v is not None for _, v in bars):
        title = "MTTR mean per severity, known failure modes and novel incidents"
        chart = Markup(figure(bar_chart(title, bars, format_minutes, targets=goals)))
    return {"rows": rows, "chart": chart}


def category_data(res: m.Metrics) -> list[dict[str, Any]]:
    """Per category field: incidents, share and MTTR per value, and a chart of the counts."""
    out = []
    total = res.overall.incidents
    for name in m.CATEGORY_FIELDS:
        groups = res.by_category.get(name, [])
        rows = [
            [
                g.key,
                str(g.incidents),
                m.fmt_share(g.incidents / total if total else None),
                str(g.durations["mttr"].count),
                format_minutes(g.durations["mttr"].mean),
                format_minutes(g.durations["mttr"].median),
                format_minutes(g.durations["mttr"].p90),
            ]
            for g in groups
        ]
        chart = None
        if groups:
            bars = [(g.key, float(g.incidents)) for g in groups]
            chart = Markup(
                figure(bar_chart(f"Incidents per category.{name}", bars, lambda v: f"{v:.0f}"))
            )
        out.append({"name": name, "rows": rows, "chart": chart})
    return out


def quarter_data(res: m.Metrics) -> dict[str, Any]:
    """The customer-reported share per quarter and the change from the quarter before."""
    rows = []
    previous: float | None = None
    for g in res.by_quarter:
        ratio = g.rates["customer_share"]
        change = ""
        if ratio.value is not None and previous is not None:
            delta = (ratio.value - previous) * 100
            change = "down" if delta < 0 else "up" if delta > 0 else "same"
            change += f" {abs(delta):.1f} points"
        if ratio.value is not None:
            previous = ratio.value
        rows.append(
            [g.key, str(g.incidents), m.fmt_share(ratio.value), f"{ratio.hits} of {ratio.total}",
             change]
        )  # fmt: skip
    bars = [(g.key, g.rates["customer_share"].value) for g in res.by_quarter]
    chart = None
    if any(v is not None for _, v in bars):
        chart = Markup(figure(bar_chart("Customer-reported share per quarter", bars, m.fmt_share)))
    return {"rows": rows, "chart": chart}
