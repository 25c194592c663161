"""The metrics page: every number with its definition, its target and a chart beside it."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..definitions import SEVERITIES
from ..durations import format_minutes
from . import maturity
from . import metrics as m
from . import metrics_process as process
from .charts import bar_chart, figure
from .context import templates
from .layout import Layout
from .mdtext import link
from .templating import Templates

CHART_MONTHS = 24


mark = process.mark


def duration_rows(res: m.Metrics, metric: str) -> list[list[str]]:
    rows = []
    for g in res.by_severity:
        st = g.durations[metric]
        target = m.duration_target(res.targets, metric, g.key)
        rows.append(
            [
                g.key,
                str(st.count),
                format_minutes(st.mean),
                format_minutes(st.median),
                format_minutes(st.p90),
                format_minutes(target) if target is not None else "none",
                mark(m.verdict(st.mean, target)),
            ]
        )
    st = res.overall.durations[metric]
    rows.append(
        ["all", str(st.count), format_minutes(st.mean), format_minutes(st.median),
         format_minutes(st.p90), "per severity", ""]
    )  # fmt: skip
    return rows


def monthly_charts(res: m.Metrics, metric: str, every: list[m.Facts]) -> list[str]:
    """Per severity: the mean of the last months as bars, with the severity's target line.

    ``every``: the per-incident facts (``metrics.facts(world)``), computed once for the page.
    """
    months = [g.key for g in res.by_month][-CHART_MONTHS:]
    recent = set(months)
    facts = [f for f in every if f.month in recent]
    out = []
    for severity in SEVERITIES:
        bars: list[tuple[str, float | None]] = []
        for month in months:
            chosen = [f for f in facts if f.month == month and f.incident.severity == severity]
            bars.append((month, m.group(month, chosen).durations[metric].mean))
        if all(v is None for _, v in bars):
            continue
        target = m.duration_target(res.targets, metric, severity)
        name = m.DEFINITIONS[metric][0].split(" (")[0]
        out.append(
            figure(
                bar_chart(
                    f"{name} {severity}, mean per month (last {len(months)} months)",
                    bars,
                    format_minutes,
                    target,
                )
            )
        )
    return out


def severity_chart(res: m.Metrics, metric: str) -> str:
    """Mean per severity as bars; with targets, as a share of each severity's own target."""
    name = m.DEFINITIONS[metric][0].split(" (")[0]
    goals = [m.duration_target(res.targets, metric, g.key) for g in res.by_severity]
    if any(goals):
        # Targets range from minutes to days: compare each mean with its own target instead.
        bars: list[tuple[str, float | None]] = [
            (g.key, (st.mean / goal) if st.mean is not None and goal else None)
            for g, goal in zip(res.by_severity, goals, strict=True)
            for st in [g.durations[metric]]
        ]
        title = f"{name}, mean per severity as a share of its target (100% = target)"
        return figure(bar_chart(title, bars, lambda v: f"{v * 100:.0f}%", target=1.0))
    bars = [(g.key, g.durations[metric].mean) for g in res.by_severity]
    return figure(bar_chart(f"{name}, mean per severity", bars, format_minutes))


def rate_rows(res: m.Metrics, g: m.Group) -> list[list[str]]:
    """One row per rate metric (the template's table escapes each cell)."""
    rows = []
    for name in m.RATE_METRICS:
        ratio = g.rates[name]
        rows.append(
            [
                m.DEFINITIONS[name][0],
                m.fmt_share(ratio.value),
                f"{ratio.hits} of {ratio.total}",
                m.rate_goal_text(res.targets, name) or "none",
                mark(m.rate_verdict(res.targets, name, ratio.value)),
                m.DEFINITIONS[name][2],
            ]
        )
    return rows


MONTHS_PATH = "metrics/months.md"
RECENT_MONTHS = 24


def metrics_page(
    layout: Layout, res: m.Metrics | None = None, t: Templates | None = None
) -> dict[str, str]:
    """The metrics page and the full by-month table (kept apart so pages stay small)."""
    res = res or m.compute(layout.world)
    t = t or templates(layout)
    months = list(reversed(res.by_month))
    full = t.render(
        "metrics-months.md",
        here=MONTHS_PATH,
        by_month=group_rows(layout, res, months, MONTHS_PATH),
        group_headers=group_headers,
    )
    return {"metrics/index.md": main_page(t, layout, res), MONTHS_PATH: full}


def main_page(t: Templates, layout: Layout, res: m.Metrics) -> str:
    here = "metrics/index.md"
    shifts = None
    if res.shifts:
        s = res.shifts
        target = res.targets.max_pages_per_shift
        shifts = [
            [
                str(s.shifts),
                str(s.pages),
                f"{s.mean:.2f}",
                f"{s.busiest_pages} ({s.busiest})" if s.busiest else "none",
                f"{target:g}",
                mark(m.verdict(float(s.busiest_pages), target)),
            ]
        ]
    monitoring = res.overall.rates["monitoring_ratio"].value
    every = m.facts(layout.world)  # once for both monthly chart sets (MTTA, MTTR)
    return t.render(
        "metrics.md",
        here=here,
        metrics=res,
        definitions=m.DEFINITIONS,
        excluded=", ".join(f"{n} {k}" for k, n in sorted(res.excluded.items())),
        durations=[
            {
                "key": metric,
                "name": m.DEFINITIONS[metric][0],
                "definition": m.DEFINITIONS[metric][2],
                "rows": duration_rows(res, metric),
                "severity_chart": Markup(severity_chart(res, metric)),
                "monthly_charts": [Markup(c) for c in monthly_charts(res, metric, every)]
                if metric in ("mtta", "mttr")
                else [],
            }
            for metric in m.DURATION_METRICS
        ],
        split=process.split_data(res),
        rate_rows=rate_rows(res, res.overall),
        monitoring_chart=Markup(
            figure(
                bar_chart(
                    "Monitoring-detected ratio, all incidents",
                    [("monitoring-detected", monitoring)],
                    m.fmt_share,
                    res.targets.monitoring_detected_ratio,
                    lower_is_better=False,
                )
            )
        ),
        quarters=process.quarter_data(res),
        mtbf_trend=mtbf_trend(layout),
        mtbf_definition=maturity.MTBF_DEFINITION,
        shifts=shifts,
        mtbf_rows=[
            [
                Markup(link(layout.service_name(x.service), layout.service(x.service), here)),
                str(x.incidents),
                m.fmt_hours(x.hours.mean),
                m.fmt_hours(x.hours.median),
                m.fmt_hours(x.hours.p90),
            ]
            for x in res.mtbf
        ],
        categories=process.category_data(res),
        group_headers=group_headers,
        by_service=group_rows(layout, res, res.by_service, here, services=True),
        by_month=group_rows(layout, res, list(reversed(res.by_month))[:RECENT_MONTHS], here),
        more_months=len(res.by_month) > RECENT_MONTHS,
        recent_months=RECENT_MONTHS,
        months_page=MONTHS_PATH,
    )


def marked(res: m.Metrics, g: m.Group, name: str) -> Markup:
    """A rate with its verdict against the site-wide target (for per-month/service rows)."""
    value = g.rates[name].value
    verdict = m.rate_verdict(res.targets, name, value)
    return Markup(m.fmt_share(value) + (f" ({mark(verdict)})" if verdict else ""))


def group_headers(first: str) -> list[str]:
    """The columns of the by-service and by-month tables (``first``: Service or Month)."""
    return [first, "Incidents", "MTTA median", "MTTA p90", "MTTR median", "MTTR p90",
            "Recurrence", "Escalation", "Monitoring", "Known error"]  # fmt: skip


def group_rows(
    layout: Layout, res: m.Metrics, groups: list[m.Group], here: str, services: bool = False
) -> list[list[str | Markup]]:
    rows: list[list[str | Markup]] = []
    for g in groups:
        name = Markup(
            link(layout.service_name(g.key), layout.service(g.key), here)
            if services
            else link(g.key, layout.month(int(g.key[:4]), int(g.key[5:])), here)
        )
        rows.append(
            [
                name,
                str(g.incidents),
                format_minutes(g.durations["mtta"].median),
                format_minutes(g.durations["mtta"].p90),
                format_minutes(g.durations["mttr"].median),
                format_minutes(g.durations["mttr"].p90),
                marked(res, g, "recurrence_rate"),
                marked(res, g, "escalation_rate"),
                marked(res, g, "monitoring_ratio"),
                m.fmt_share(g.rates["known_error_share"].value),
            ]
        )
    return rows


def mtbf_trend(layout: Layout) -> dict[str, list[Any]]:
    """MTBF per complete quarter, overall and per service (the maturity page shows it too)."""
    overall, per_service = maturity.mtbf_trends(layout.world, maturity.real_incidents(layout.world))
    if not overall.quarters:
        return {"headers": [], "rows": []}
    rows: list[list[Any]] = []
    for t in [overall, *per_service]:
        name = "all services" if t.service == "all" else layout.service_name(t.service)
        cells = [
            f"{maturity.fmt_mtbf(q)} ({q.incidents})" if q.incidents else "no failures"
            for q in t.quarters
        ]
        rows.append([name, *cells, t.trend])
    return {"headers": ["Scope", *(q.label for q in overall.quarters), "Trend"], "rows": rows}
