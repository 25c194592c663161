"""The metrics page: every number with its definition, its target and a chart beside it."""

from __future__ import annotations

from ..definitions import SEVERITIES
from ..durations import format_minutes
from . import maturity
from . import metrics as m
from . import metrics_process as process
from .charts import bar_chart, figure
from .layout import Layout
from .mdtext import EXCLUDE, esc, front_matter, link, table

CHART_MONTHS = 24


mark = process.mark


def definitions_list(names: tuple[str, ...]) -> str:
    return "\n".join(f"- **{m.DEFINITIONS[n][0]}**: {esc(m.DEFINITIONS[n][2])}" for n in names)


def duration_table(res: m.Metrics, metric: str) -> str:
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
    return table(
        ("Severity", "Incidents", "Mean", "Median", "p90", "Target (mean)", "Verdict"), rows
    )


def monthly_charts(layout: Layout, res: m.Metrics, metric: str) -> list[str]:
    """Per severity: the mean of the last months as bars, with the severity's target line."""
    months = [g.key for g in res.by_month][-CHART_MONTHS:]
    facts = [f for f in m.facts(layout.world) if f.month in months]
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
                esc(m.DEFINITIONS[name][2]),
            ]
        )
    return rows


MONTHS_PATH = "metrics/months.md"
RECENT_MONTHS = 24


def metrics_page(layout: Layout, res: m.Metrics | None = None) -> dict[str, str]:
    """The metrics page and the full by-month table (kept apart so pages stay small)."""
    res = res or m.compute(layout.world)
    months = list(reversed(res.by_month))
    full = (
        front_matter("Incident metrics by month", search={"exclude": True})
        + "# Incident metrics by month\n\n"
        + f"{link('Back to the metrics', 'metrics/index.md', MONTHS_PATH)}\n\n"
        + group_table(layout, res, months, MONTHS_PATH)
        + "\n"
    )
    return {"metrics/index.md": main_page(layout, res), MONTHS_PATH: full}


def main_page(layout: Layout, res: m.Metrics) -> str:
    here = "metrics/index.md"
    out = [front_matter("Incident metrics", search={"exclude": True})]
    out.append("# Incident metrics\n")
    excluded = ", ".join(f"{n} {k}" for k, n in sorted(res.excluded.items()))
    out.append(
        f"{res.overall.incidents} incidents (excluded: {excluded}; maintenance and gamedays never "
        "count). An incident counts in the month it started (site time zone), even when it "
        "ended in a later one. Median: middle value (mean of the two middle values for an even "
        "count); p90: nearest rank. Targets come from `site.yaml`; MTTA and MTTR targets are "
        "per severity and compared with the mean. The same numbers: `statuspress report`.\n"
    )
    for metric in m.DURATION_METRICS:
        name, _, definition = m.DEFINITIONS[metric]
        out.append(f"## {name}\n")
        out.append(f"*Definition:* {esc(definition)}\n")
        out.append(duration_table(res, metric) + "\n")
        out.append(severity_chart(res, metric) + "\n")
        if metric in ("mtta", "mttr"):
            out += [c + "\n" for c in monthly_charts(layout, res, metric)]
        if metric == "mttr":
            out += process.split_section(res)
    out.append("## Rates\n")
    out.append(
        table(
            ("Metric", "Value", "Incidents", "Target", "Verdict", "Definition"),
            rate_rows(res, res.overall),
        )
        + "\n"
    )
    monitoring = res.overall.rates["monitoring_ratio"].value
    out.append(
        figure(
            bar_chart(
                "Monitoring-detected ratio, all incidents",
                [("monitoring-detected", monitoring)],
                m.fmt_share,
                res.targets.monitoring_detected_ratio,
                lower_is_better=False,
            )
        )
        + "\n"
    )
    out += process.quarter_section(res)
    out += _mtbf_trend_section(layout)
    if res.shifts:
        s = res.shifts
        target = res.targets.max_pages_per_shift
        out.append(f"## {m.DEFINITIONS['pages_per_shift'][0]}\n")
        out.append(f"*Definition:* {esc(m.DEFINITIONS['pages_per_shift'][2])}\n")
        out.append(
            table(
                ("Shifts", "Pages", "Mean per shift", "Busiest shift", "Target (max)", "Verdict"),
                [
                    [
                        str(s.shifts),
                        str(s.pages),
                        f"{s.mean:.2f}",
                        f"{s.busiest_pages} ({s.busiest})" if s.busiest else "none",
                        f"{target:g}",
                        mark(m.verdict(float(s.busiest_pages), target)),
                    ]
                ],
            )  # fmt: skip
            + "\n"
        )
    out.append(f"## {m.DEFINITIONS['mtbf'][0]}\n")
    out.append(f"*Definition:* {esc(m.DEFINITIONS['mtbf'][2])}\n")
    out.append(
        table(
            ("Service", "Incidents", "MTBF (mean)", "Median", "p90"),
            [
                [
                    link(layout.service_name(x.service), layout.service(x.service), here),
                    str(x.incidents),
                    m.fmt_hours(x.hours.mean),
                    m.fmt_hours(x.hours.median),
                    m.fmt_hours(x.hours.p90),
                ]
                for x in res.mtbf
            ],
        )  # fmt: skip
        + "\n"
    )
    out += process.category_section(res)
    out.append(f"## By service {EXCLUDE}\n")
    out.append(group_table(layout, res, res.by_service, here, services=True) + "\n")
    out.append(f"## By month {EXCLUDE}\n")
    recent = list(reversed(res.by_month))[:RECENT_MONTHS]
    out.append(group_table(layout, res, recent, here) + "\n")
    if len(res.by_month) > RECENT_MONTHS:
        out.append(f"The last {RECENT_MONTHS} months; {link('every month', MONTHS_PATH, here)}.\n")
    out.append("## Definitions\n")
    out.append(definitions_list(tuple(m.DEFINITIONS)) + "\n")
    return "\n".join(out)


def marked(res: m.Metrics, g: m.Group, name: str) -> str:
    """A rate with its verdict against the site-wide target (for per-month/service rows)."""
    value = g.rates[name].value
    verdict = m.rate_verdict(res.targets, name, value)
    return m.fmt_share(value) + (f" ({mark(verdict)})" if verdict else "")


def group_table(
    layout: Layout, res: m.Metrics, groups: list[m.Group], here: str, services: bool = False
) -> str:
    rows = []
    for g in groups:
        name = (
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
    return table(
        ("Service" if services else "Month", "Incidents", "MTTA median", "MTTA p90",
         "MTTR median", "MTTR p90", "Recurrence", "Escalation", "Monitoring", "Known error"),
        rows,
    )  # fmt: skip


def _mtbf_trend_section(layout: Layout) -> list[str]:
    """MTBF per complete quarter, overall and per service (the maturity page uses it too)."""
    overall, per_service = maturity.mtbf_trends(layout.world, maturity.real_incidents(layout.world))
    if not overall.quarters:
        return []
    headers = ["Scope", *(q.label for q in overall.quarters), "Trend"]
    rows = []
    for t in [overall, *per_service]:
        name = "all services" if t.service == "all" else esc(layout.service_name(t.service))
        cells = [
            f"{maturity.fmt_mtbf(q)} ({q.incidents})" if q.incidents else "no failures"
            for q in t.quarters
        ]
        rows.append([name, *cells, t.trend])
    return [
        "## MTBF trend per quarter\n",
        f"{esc(maturity.MTBF_DEFINITION)} Also on the "
        f"{link('maturity page', 'maturity/index.md', 'metrics/index.md')}.\n",
        table(headers, rows) + "\n",
    ]
