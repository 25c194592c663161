"""The maturity page and ``statuspress report --maturity``: levels, criteria, evidence, MTBF trend.

Every cell is escaped (:func:`.mdtext.esc`); the page is Markdown tables like the metrics page,
so it needs no inline script or style under the internal site's Content-Security-Policy.
"""

from __future__ import annotations

import csv
import io
import json

from ..errors import UsageError, printable, printable_json
from . import maturity as mt
from .layout import Layout
from .mdtext import esc, front_matter, link, table

PATH = "maturity/index.md"
MARK = {mt.MET: "met", mt.MISSED: "**missed**", mt.NOT_MEASURED: "not measured"}


def _evidence(c: mt.Criterion) -> str:
    return "; ".join(esc(e) for e in c.evidence) or " "


def _trend_rows(layout: Layout | None, trends: list[mt.Trend]) -> list[list[str]]:
    rows = []
    for t in trends:
        name = t.service
        if layout is not None and t.service != "all":
            name = link(layout.service_name(t.service), layout.service(t.service), PATH)
        elif layout is not None:
            name = "all services"
        cells = [
            f"{mt.fmt_mtbf(q)} ({q.incidents})" if q.incidents else "no failures"
            for q in t.quarters
        ]
        bold = layout is not None and t.trend == "improving"
        rows.append([name, *cells, "**improving**" if bold else t.trend])
    return rows


def page(layout: Layout, res: mt.Maturity | None = None) -> dict[str, str]:
    """``maturity/index.md``."""
    res = res or mt.evaluate(layout.world)
    name = mt.LEVELS[res.level][0]
    out = [front_matter("Incident management maturity", search={"exclude": True})]
    out.append("# Incident management maturity\n")
    out.append(
        f"**Level reached: {res.level} ({name})** on {res.today.isoformat()}. A level is "
        "reached when every measured criterion of it and of the levels below is met; criteria "
        "the files cannot show are *not measured* and never decide. Recent means the "
        f"{mt.WINDOW_DAYS} days from {res.since.isoformat()} to {res.today.isoformat()} (site "
        "time zone, by the day an incident started); only real incidents count (no "
        "maintenance, no gamedays). The same evaluation: `statuspress report --maturity`.\n"
    )
    if res.level < 4:
        nxt = res.level + 1
        out.append(f"## Missing for level {nxt} ({mt.LEVELS[nxt][0]})\n")
        out.append("\n".join(f"- **{esc(c.name)}**: {esc(c.value)}" for c in res.missing) + "\n")
    for n, (level_name, description) in mt.LEVELS.items():
        reached = "reached" if n <= res.level else "not reached"
        out.append(f"## Level {n}: {level_name} ({reached})\n")
        out.append(esc(description) + "\n")
        rows = [
            [esc(c.name), MARK[c.status], esc(c.value), _evidence(c), esc(c.definition)]
            for c in res.at(n)
        ]
        if rows:
            out.append(table(("Criterion", "", "Value", "Evidence", "Definition"), rows) + "\n")
    out.append("## MTBF per quarter\n")
    out.append(f"*Definition:* {esc(mt.MTBF_DEFINITION)} Each cell: MTBF (incidents).\n")
    labels = [q.label for q in res.overall.quarters]
    out.append(
        table(
            ("Service", *labels, "Trend"),
            _trend_rows(layout, [res.overall, *res.services]),
        )
        + "\n"
    )
    return {PATH: "\n".join(out)}


def _text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(x.rstrip() for x in lines)


def as_table(res: mt.Maturity) -> str:
    name = mt.LEVELS[res.level][0]
    parts = [
        f"Incident management maturity on {res.today.isoformat()}: level {res.level} ({name}). "
        f"Recent: {res.since.isoformat()} to {res.today.isoformat()}."
    ]
    if res.missing:
        nxt = res.level + 1
        parts.append(
            f"Missing for level {nxt} ({mt.LEVELS[nxt][0]}): "
            + ", ".join(f"{c.name} ({c.value})" for c in res.missing)
        )
    rows = [[str(c.level), c.name, c.status, c.value, "; ".join(c.evidence)] for c in res.criteria]
    parts.append(_text_table(["Level", "Criterion", "Status", "Value", "Evidence"], rows))
    labels = [q.label for q in res.overall.quarters]
    parts.append(
        _text_table(["MTBF", *labels, "Trend"], _trend_rows(None, [res.overall, *res.services]))
    )
    parts.append(mt.MTBF_DEFINITION)
    return "\n\n".join(parts)


CSV_FIELDS = ("level", "id", "name", "status", "value", "evidence", "definition")


def report(res: mt.Maturity, fmt: str) -> str:
    """``statuspress report --maturity`` in ``table``, ``json`` or ``csv`` (one row a criterion)."""
    # Evidence names action items and incidents as written: no terminal escapes get through.
    if fmt == "json":
        return printable_json(json.dumps(mt.as_dict(res), indent=2, ensure_ascii=False))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for c in res.criteria:
            writer.writerow(
                {"level": c.level, "id": c.id, "name": c.name, "status": c.status,
                 "value": c.value, "evidence": "; ".join(c.evidence),
                 "definition": c.definition}
            )  # fmt: skip
        return printable(buffer.getvalue().rstrip("\n"), lines=True)
    if fmt != "table":
        raise UsageError(f"unknown report format '{fmt}' (table, json or csv)")
    return printable(as_table(res), lines=True)
