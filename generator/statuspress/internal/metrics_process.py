"""The metrics page's sections for the incident-management article's process metrics.

MTTR of known failure modes against novel incidents, incidents and MTTR per category, and the
customer-reported share per quarter. Every user-written value (a category) is escaped; charts
are the same static SVG as the rest of the page (no inline script or style).
"""

from __future__ import annotations

from ..durations import format_minutes
from . import metrics as m
from .charts import bar_chart, figure
from .mdtext import esc, table


def mark(verdict: str) -> str:
    return {"met": "met", "missed": "**missed**"}.get(verdict, "no target")


def _target(value: float | None) -> str:
    return format_minutes(value) if value is not None else "none"


def split_section(res: m.Metrics) -> list[str]:
    """MTTR known vs novel per severity, with the targets (SEV-1 by default) and a chart."""
    out = ["## MTTR: known failure modes and novel incidents\n"]
    out.append(f"*Known failure modes:* {esc(m.DEFINITIONS['mttr_known'][2])}\n")
    out.append(f"*Novel incidents:* {esc(m.DEFINITIONS['mttr_novel'][2])}\n")
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
    headers = ("Severity", "Failure mode", "Resolved", "Mean", "Median", "Target (mean)", "Verdict")
    out.append(table(headers, rows) + "\n")
    bars: list[tuple[str, float | None]] = []
    goals: list[float | None] = []
    for s in res.split:
        if s.key == "all":
            continue
        bars += [(f"{s.key} known", s.known.mean), (f"{s.key} novel", s.novel.mean)]
        goals += [s.known_target, s.novel_target]
    if any(v is not None for _, v in bars):
        title = "MTTR mean per severity, known failure modes and novel incidents"
        out.append(figure(bar_chart(title, bars, format_minutes, targets=goals)) + "\n")
    return out


def category_section(res: m.Metrics) -> list[str]:
    """Per category field: incidents, share and MTTR per value, and a chart of the counts."""
    out = [f"## {m.DEFINITIONS['category'][0]}\n"]
    out.append(f"*Definition:* {esc(m.DEFINITIONS['category'][2])}\n")
    total = res.overall.incidents
    for name in m.CATEGORY_FIELDS:
        groups = res.by_category.get(name, [])
        out.append(f"### category.{name}\n")
        rows = [
            [
                esc(g.key),
                str(g.incidents),
                m.fmt_share(g.incidents / total if total else None),
                str(g.durations["mttr"].count),
                format_minutes(g.durations["mttr"].mean),
                format_minutes(g.durations["mttr"].median),
                format_minutes(g.durations["mttr"].p90),
            ]
            for g in groups
        ]
        headers = ("Value", "Incidents", "Share", "Resolved", "MTTR mean", "Median", "p90")
        out.append(table(headers, rows) + "\n")
        if groups:
            bars = [(g.key, float(g.incidents)) for g in groups]
            chart = bar_chart(f"Incidents per category.{name}", bars, lambda v: f"{v:.0f}")
            out.append(figure(chart) + "\n")
    return out


def quarter_section(res: m.Metrics) -> list[str]:
    """The customer-reported share per quarter, the change from the quarter before, the trend."""
    name, _, definition = m.DEFINITIONS["customer_share_by_quarter"]
    out = [f"## {name}\n", f"*Definition:* {esc(definition)}\n"]
    trend = res.customer_trend
    out.append(
        f"Trend: **{trend}** (latest quarter against the one before)."
        if trend
        else "Trend: not enough quarters with a recorded detection source."
    )
    out.append("")
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
    out.append(
        table(("Quarter", "Incidents", "Customer-reported", "Of recorded", "Change"), rows) + "\n"
    )
    bars = [(g.key, g.rates["customer_share"].value) for g in res.by_quarter]
    if any(v is not None for _, v in bars):
        chart = bar_chart("Customer-reported share per quarter", bars, m.fmt_share)
        out.append(figure(chart) + "\n")
    return out
