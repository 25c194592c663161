"""``statuspress report``: the metrics page's numbers as a table, JSON or CSV.

Durations are minutes (MTBF: hours). JSON and CSV carry raw numbers for spreadsheets and
dashboards; the table is for people. Every number is computed by :mod:`.metrics`, exactly as on
the internal metrics page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from ..derive import World
from ..durations import format_minutes
from ..errors import UsageError
from . import maturity
from . import metrics as m


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date like 2026-01-31") from None


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _stat(stat: m.Stat, target: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "count": stat.count,
        "mean": _num(stat.mean),
        "median": _num(stat.median),
        "p90": _num(stat.p90),
    }
    if target is not None:
        out["target"] = target
        out["verdict"] = m.verdict(stat.mean, target)
    return out


def _ratio(ratio: m.Ratio) -> dict[str, Any]:
    return {"hits": ratio.hits, "total": ratio.total, "value": _num(ratio.value, 4)}


def _group(res: m.Metrics, g: m.Group, severity: str = "") -> dict[str, Any]:
    rates = {}
    for name in m.RATE_METRICS:
        ratio = g.rates[name]
        entry = _ratio(ratio)
        target = m.rate_target(res.targets, name)
        span = m.rate_range(res.targets, name)
        if target or span:
            entry["target"] = list(span) if span else target[0] if target else None
            entry["verdict"] = m.rate_verdict(res.targets, name, ratio.value)
        rates[name] = entry
    return {
        "key": g.key,
        "incidents": g.incidents,
        "durations": {
            name: _stat(g.durations[name], m.duration_target(res.targets, name, severity))
            for name in m.DURATION_METRICS
        },
        "rates": rates,
    }


def as_dict(res: m.Metrics) -> dict[str, Any]:
    """Every metric as plain data (the JSON format)."""
    shifts = res.shifts
    return {
        "period": {
            "since": res.since.isoformat() if res.since else None,
            "until": res.until.isoformat() if res.until else None,
        },
        "incidents": res.overall.incidents,
        "excluded": res.excluded,
        "definitions": {
            key: {"name": name, "unit": unit, "definition": text}
            for key, (name, unit, text) in m.DEFINITIONS.items()
        },
        "overall": _group(res, res.overall),
        "by_severity": [_group(res, g, g.key) for g in res.by_severity],
        "by_service": [_group(res, g) for g in res.by_service],
        "by_month": [_group(res, g) for g in res.by_month],
        "mtbf_hours": [
            {"service": x.service, "incidents": x.incidents, **_stat(x.hours)} for x in res.mtbf
        ],
        "mttr_known_novel": [
            {
                "key": x.key,
                "known": _stat(x.known, x.known_target),
                "novel": _stat(x.novel, x.novel_target),
            }
            for x in res.split
        ],
        "by_category": {
            name: [
                {"key": g.key, "incidents": g.incidents, "mttr": _stat(g.durations["mttr"])}
                for g in groups
            ]
            for name, groups in res.by_category.items()
        },
        "customer_share_by_quarter": {
            "trend": res.customer_trend,
            "quarters": [
                {"key": g.key, "incidents": g.incidents, **_ratio(g.rates["customer_share"])}
                for g in res.by_quarter
            ],
        },
        "pages_per_shift": None
        if shifts is None
        else {
            "shifts": shifts.shifts,
            "pages": shifts.pages,
            "mean": _num(shifts.mean, 4),
            "busiest_shift": shifts.busiest,
            "busiest_pages": shifts.busiest_pages,
            "target": res.targets.max_pages_per_shift,
            "verdict": m.verdict(float(shifts.busiest_pages), res.targets.max_pages_per_shift),
        },
    }


CSV_FIELDS = (
    "scope", "key", "metric", "incidents", "count", "mean", "median", "p90", "hits", "total",
    "value", "target", "verdict",
)  # fmt: skip


def as_rows(res: m.Metrics) -> list[dict[str, Any]]:
    """One row per (scope, group, metric): the CSV format."""
    data = as_dict(res)
    rows: list[dict[str, Any]] = []
    scopes = [("overall", [data["overall"]]), ("severity", data["by_severity"]),
              ("service", data["by_service"]), ("month", data["by_month"])]  # fmt: skip
    for scope, groups in scopes:
        for g in groups:
            base = {"scope": scope, "key": g["key"], "incidents": g["incidents"]}
            for name, stat in g["durations"].items():
                rows.append({**base, "metric": name, **stat})
            for name, rate in g["rates"].items():
                row = {**base, "metric": name, **rate}
                if isinstance(rate.get("target"), list):  # a range: low-high
                    row["target"] = "-".join(f"{v:g}" for v in rate["target"])
                rows.append(row)
    for x in data["mtbf_hours"]:
        rows.append(
            {"scope": "service", "key": x["service"], "metric": "mtbf_hours",
             "incidents": x["incidents"], **{k: x[k] for k in ("count", "mean", "median", "p90")}}
        )  # fmt: skip
    for x in data["mttr_known_novel"]:
        for kind in ("known", "novel"):
            rows.append({"scope": "severity", "key": x["key"], "metric": f"mttr_{kind}",
                         **x[kind]})  # fmt: skip
    for name, groups in data["by_category"].items():
        for g in groups:
            rows.append({"scope": f"category.{name}", "key": g["key"], "metric": "mttr",
                         "incidents": g["incidents"], **g["mttr"]})  # fmt: skip
    quarters = data["customer_share_by_quarter"]
    for q in quarters["quarters"]:
        rows.append({"scope": "quarter", "metric": "customer_share", **q})
    if quarters["trend"]:
        rows.append({"scope": "overall", "key": "all", "metric": "customer_share_trend",
                     "verdict": quarters["trend"]})  # fmt: skip
    shifts = data["pages_per_shift"]
    if shifts:
        rows.append(
            {"scope": "overall", "key": "all", "metric": "pages_per_shift",
             "count": shifts["shifts"], "mean": shifts["mean"], "hits": shifts["pages"],
             "value": shifts["busiest_pages"], "target": shifts["target"],
             "verdict": shifts["verdict"]}
        )  # fmt: skip
    return rows


def _text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    body = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines = [line, "  ".join("-" * w for w in widths), *body]
    return "\n".join(x.rstrip() for x in lines)


def as_table(res: m.Metrics) -> str:
    excluded = ", ".join(f"{n} {k}" for k, n in sorted(res.excluded.items()))
    since = res.since.isoformat() if res.since else "the first incident"
    until = res.until.isoformat() if res.until else "now"
    parts = [
        f"Incident metrics from {since} to {until}: {res.overall.incidents} incidents "
        f"(excluded: {excluded}). Targets are compared with the mean.",
    ]
    rows = []
    for name in m.DURATION_METRICS:
        label = m.DEFINITIONS[name][0]
        for g in [*res.by_severity, res.overall]:
            st = g.durations[name]
            target = m.duration_target(res.targets, name, g.key)
            rows.append(
                [label if g is res.by_severity[0] or not res.by_severity else "", g.key,
                 str(st.count), format_minutes(st.mean), format_minutes(st.median),
                 format_minutes(st.p90), format_minutes(target) if target is not None else "",
                 m.verdict(st.mean, target)]
            )  # fmt: skip
    headers = ["Duration", "Severity", "Count", "Mean", "Median", "p90", "Target", "Verdict"]
    parts.append(_text_table(headers, rows))
    rate_rows = []
    for name in m.RATE_METRICS:
        ratio = res.overall.rates[name]
        rate_rows.append(
            [m.DEFINITIONS[name][0], m.fmt_share(ratio.value), f"{ratio.hits}/{ratio.total}",
             m.rate_goal_text(res.targets, name), m.rate_verdict(res.targets, name, ratio.value)]
        )  # fmt: skip
    if res.shifts:
        s = res.shifts
        most = res.targets.max_pages_per_shift
        rate_rows.append(
            [f"Pages per shift (busiest: {s.busiest or 'none'})", str(s.busiest_pages),
             f"{s.pages}/{s.shifts}", f"≤ {most:g}", m.verdict(float(s.busiest_pages), most)]
        )  # fmt: skip
    parts.append(_text_table(["Rate", "Value", "Hits/total", "Target", "Verdict"], rate_rows))
    parts += _process_tables(res)
    parts.append(
        _text_table(
            ["Service", "Incidents", "MTBF mean", "Median", "p90"],
            [
                [
                    x.service,
                    str(x.incidents),
                    m.fmt_hours(x.hours.mean),
                    m.fmt_hours(x.hours.median),
                    m.fmt_hours(x.hours.p90),
                ]
                for x in res.mtbf
            ],
        )  # fmt: skip
    )
    for title, groups in (("Service", res.by_service), ("Month", res.by_month)):
        parts.append(
            _text_table(
                [
                    title,
                    "Incidents",
                    "MTTA median",
                    "MTTR median",
                    "MTTR p90",
                    "Recurrence",
                    "Escalation",
                    "Monitoring",
                    "Known error",
                ],
                [
                    [
                        g.key,
                        str(g.incidents),
                        format_minutes(g.durations["mtta"].median),
                        format_minutes(g.durations["mttr"].median),
                        format_minutes(g.durations["mttr"].p90),
                        m.fmt_share(g.rates["recurrence_rate"].value),
                        m.fmt_share(g.rates["escalation_rate"].value),
                        m.fmt_share(g.rates["monitoring_ratio"].value),
                        m.fmt_share(g.rates["known_error_share"].value),
                    ]
                    for g in groups
                ],
            )  # fmt: skip
        )
    return "\n\n".join(parts)


def _process_tables(res: m.Metrics) -> list[str]:
    """MTTR known vs novel, the customer-reported share per quarter, the categories."""

    def target(value: float | None) -> str:
        return format_minutes(value) if value is not None else ""

    split = [
        [x.key, str(x.known.count), format_minutes(x.known.mean), target(x.known_target),
         m.verdict(x.known.mean, x.known_target), str(x.novel.count),
         format_minutes(x.novel.mean), target(x.novel_target),
         m.verdict(x.novel.mean, x.novel_target)]
        for x in res.split
    ]  # fmt: skip
    parts = [
        _text_table(
            ["MTTR", "Known", "Mean", "Target", "Verdict", "Novel", "Mean", "Target", "Verdict"],
            split,
        )
    ]
    quarters = [
        [g.key, str(g.incidents), m.fmt_share(g.rates["customer_share"].value),
         f"{g.rates['customer_share'].hits}/{g.rates['customer_share'].total}"]
        for g in res.by_quarter
    ]  # fmt: skip
    parts.append(
        f"Customer-reported share per quarter: {res.customer_trend or 'no trend yet'}\n"
        + _text_table(["Quarter", "Incidents", "Customer", "Hits/total"], quarters)
    )
    for name, groups in res.by_category.items():
        parts.append(
            _text_table(
                [f"category.{name}", "Incidents", "MTTR mean", "Median", "p90"],
                [
                    [
                        g.key,
                        str(g.incidents),
                        format_minutes(g.durations["mttr"].mean),
                        format_minutes(g.durations["mttr"].median),
                        format_minutes(g.durations["mttr"].p90),
                    ]
                    for g in groups
                ],
            )  # fmt: skip
        )
    return parts


def report(
    world: World, since: str | None = None, until: str | None = None, fmt: str = "table"
) -> str:
    """The metrics for incidents that started between ``since`` and ``until`` (inclusive)."""
    first = parse_day(since, "--since")
    last = parse_day(until, "--until")
    if first and last and first > last:
        raise UsageError(f"--since {first} is after --until {last}")
    res = m.compute(world, first, last)
    if fmt == "json":
        data = as_dict(res)
        # The MTBF trend is by the last complete quarters before now, whatever the period.
        data["mtbf_trend"] = maturity.trend_dict(
            *maturity.mtbf_trends(world, maturity.real_incidents(world))
        )
        return json.dumps(data, indent=2, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(as_rows(res))
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise UsageError(f"unknown report format '{fmt}' (table, json or csv)")
    return as_table(res)
