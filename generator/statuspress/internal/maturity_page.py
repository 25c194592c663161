"""The maturity page and ``statuspress report --maturity``: levels, criteria, evidence, MTBF trend.

Every cell is escaped (:func:`.mdtext.esc`); the page is Markdown tables like the metrics page,
so it needs no inline script or style under the internal site's Content-Security-Policy.
"""

from __future__ import annotations

import csv
import io
import json

from markupsafe import Markup

from ..errors import UsageError, printable, printable_json
from . import maturity as mt
from .context import templates
from .layout import Layout
from .mdtext import esc, link
from .templating import Templates

PATH = "maturity/index.md"
MARK = {
    mt.MET: Markup("met"),
    mt.MISSED: Markup("**missed**"),
    mt.NOT_MEASURED: Markup("not measured"),
}


def _evidence(c: mt.Criterion) -> Markup:
    return Markup("; ".join(esc(e) for e in c.evidence) or " ")


def _trend_rows(layout: Layout | None, trends: list[mt.Trend]) -> list[list[str]]:
    rows = []
    for t in trends:
        name = t.service
        if layout is not None and t.service != "all":
            name = Markup(link(layout.service_name(t.service), layout.service(t.service), PATH))
        elif layout is not None:
            name = "all services"
        cells = [
            f"{mt.fmt_mtbf(q)} ({q.incidents})" if q.incidents else "no failures"
            for q in t.quarters
        ]
        bold = layout is not None and t.trend == "improving"
        rows.append([name, *cells, Markup("**improving**") if bold else t.trend])
    return rows


def page(
    layout: Layout, res: mt.Maturity | None = None, t: Templates | None = None
) -> dict[str, str]:
    """``maturity/index.md``."""
    res = res or mt.evaluate(layout.world)
    t = t or templates(layout)
    text = t.render(
        "maturity.md",
        here=PATH,
        maturity=res,
        levels=mt.LEVELS,
        window_days=mt.WINDOW_DAYS,
        criteria={
            n: [[c.name, MARK[c.status], c.value, _evidence(c), c.definition] for c in res.at(n)]
            for n in mt.LEVELS
        },
        mtbf_definition=mt.MTBF_DEFINITION,
        quarters=[q.label for q in res.overall.quarters],
        trend_rows=_trend_rows(layout, [res.overall, *res.services]),
    )
    return {PATH: text}


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
