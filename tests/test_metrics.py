"""Incident metrics against values computed by hand on a small fixture.

The fixture (written into tmp_path) has six real incidents, one maintenance and one gameday:

| id | sev | services | started (UTC)    | TTD | TTA | TTM | TTR | detected by | esc | KEs     |
|----|-----|----------|------------------|-----|-----|-----|-----|-------------|-----|---------|
| a  | 2   | api      | 2026-01-10 10:00 | 5   | 5   | 25  | 65  | monitoring  | yes | KE-0001 |
| b  | 2   | api      | 2026-01-20 08:00 | 0   | 20  | 40  | 90  | customer    |     | KE-0001 |
| c  | 3   | web      | 2026-01-31 23:00 | 10  | -   | 60  | 180 | monitoring  |     |         |
| d  | 3   | api, web | 2026-02-05 12:00 | 30  | 10  | -   | -   | internal    | yes |         |
| e  | 2   | web      | 2026-02-10 00:00 | -   | 15  | 45  | 60  | (none)      |     | KE-0001 |
| h  | 4   | web      | 2026-02-20 09:00 | 0   | 30  | 60  | 60  | monitoring  |     | KE-0002 |

c spans January and February (counted in January); c has no acknowledgement; d is unresolved;
e has no detected_at (TTD unknown; TTA/TTM/TTR measured from started_at). The gameday (with
KE-0002, before h) and the maintenance must change nothing: h is not a recurrence.
Percentiles: median = middle value or mean of the two middle ones; p90 = nearest rank.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from statuspress.cli import cli
from statuspress.internal import metrics as m
from statuspress.loader import load_valid

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
NOW_ARG = "2026-11-27T12:00:00Z"

KE = """---
title: {title}
status: known_error
services: [{svc}]
owner: team-{svc}
symptoms: ["{symptom}"]
signatures: ["{sig}"]
---

## Symptoms

{symptom}.

## Workaround

Restart the {svc} workers.

## Root cause

Unknown.

## Fix

Not yet.
"""


def incident(title: str, services: list[str], started: str, **fields: str) -> str:
    lines = ["---", f"title: {json.dumps(title)}", "services:"]
    lines += [f"  {s}: partial_outage" for s in services]
    lines.append(f"started_at: {started}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join([*lines, "---", "", "## Summary", "", f"{title}.", ""])


INCIDENTS = {
    "2026-01-10-a": incident(
        "A", ["api"], "2026-01-10T10:00:00Z", severity="SEV-2",
        detected_at="2026-01-10T10:05:00Z", acknowledged_at="2026-01-10T10:10:00Z",
        mitigated_at="2026-01-10T10:30:00Z", resolved_at="2026-01-10T11:10:00Z",
        detection="monitoring", escalated="[sam]", known_errors="[KE-0001]",
    ),
    "2026-01-20-b": incident(
        "B", ["api"], "2026-01-20T08:00:00Z", severity="SEV-2",
        detected_at="2026-01-20T08:00:00Z", acknowledged_at="2026-01-20T08:20:00Z",
        mitigated_at="2026-01-20T08:40:00Z", resolved_at="2026-01-20T09:30:00Z",
        detection="customer", known_errors="[KE-0001]",
    ),
    "2026-01-31-c": incident(
        "C", ["web"], "2026-01-31T23:00:00Z", severity="SEV-3",
        detected_at="2026-01-31T23:10:00Z", mitigated_at="2026-02-01T00:10:00Z",
        resolved_at="2026-02-01T02:10:00Z", detection="monitoring",
    ),
    "2026-02-05-d": incident(
        "D", ["api", "web"], "2026-02-05T12:00:00Z", severity="SEV-3",
        detected_at="2026-02-05T12:30:00Z", acknowledged_at="2026-02-05T12:40:00Z",
        detection="internal", escalated="[kim]",
    ),
    "2026-02-10-e": incident(
        "E", ["web"], "2026-02-10T00:00:00Z", severity="SEV-2",
        acknowledged_at="2026-02-10T00:15:00Z", mitigated_at="2026-02-10T00:45:00Z",
        resolved_at="2026-02-10T01:00:00Z", known_errors="[KE-0001]",
    ),
    "2026-02-15-gameday": incident(
        "Gameday: web cache drill", ["web"], "2026-02-15T09:00:00Z", kind="gameday",
        severity="SEV-1", detected_at="2026-02-15T09:00:00Z",
        acknowledged_at="2026-02-15T11:00:00Z", resolved_at="2026-02-15T15:00:00Z",
        detection="customer", escalated="[ana]", known_errors="[KE-0002]",
    ),
    "2026-02-18-maintenance": incident(
        "Database upgrade", ["api"], "2026-02-18T01:00:00Z", kind="maintenance",
        scheduled_start="2026-02-18T01:00:00Z", scheduled_end="2026-02-18T03:00:00Z",
        resolved_at="2026-02-18T05:00:00Z",
    ),
    "2026-02-20-h": incident(
        "H", ["web"], "2026-02-20T09:00:00Z", severity="SEV-4",
        detected_at="2026-02-20T09:00:00Z", acknowledged_at="2026-02-20T09:30:00Z",
        mitigated_at="2026-02-20T10:00:00Z", resolved_at="2026-02-20T10:00:00Z",
        detection="monitoring", known_errors="[KE-0002]",
    ),
}  # fmt: skip


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "incidents").mkdir(parents=True)
    (root / "known-errors").mkdir()
    (root / "site.yaml").write_text(
        "title: Fixture\nbase_url: https://status.fixture.example/\ntimezone: UTC\n"
    )
    (root / "services.yaml").write_text(
        "services:\n  - {id: api, name: API, owner: team-api}\n"
        "  - {id: web, name: Website, owner: team-web}\n"
    )
    (root / "known-errors" / "KE-0001-api-pool.md").write_text(
        KE.format(title="API pool exhausted", svc="api", symptom="API 503", sig="pool timeout")
    )
    (root / "known-errors" / "KE-0002-web-cache.md").write_text(
        KE.format(title="Web cache stampede", svc="web", symptom="slow pages", sig="cache storm")
    )
    for name, text in INCIDENTS.items():
        (root / "incidents" / f"{name}.md").write_text(text)
    return root


@pytest.fixture
def result(content: Path) -> m.Metrics:
    return m.compute(load_valid(content, NOW).world)


def stat(count: int, mean: float | None, median: float | None, p90: float | None) -> m.Stat:
    return m.Stat(count, mean, median, p90)


def test_overall_durations_match_hand_computed_values(result: m.Metrics) -> None:
    d = result.overall.durations
    assert result.overall.incidents == 6
    # c has no acknowledgement: MTTA over a, b, d, e, h.
    assert d["mtta"] == stat(5, 16.0, 15.0, 30.0)
    # d is unresolved: MTTR over a, b, c, e, h = 65, 90, 180, 60, 60.
    assert d["mttr"] == stat(5, 91.0, 65.0, 180.0)
    # e has no detected_at: TTD over a, b, c, d, h = 5, 0, 10, 30, 0.
    assert d["ttd"] == stat(5, 9.0, 5.0, 30.0)
    assert d["ttm"] == stat(5, 46.0, 45.0, 60.0)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(result: m.Metrics) -> None:
    sev3 = next(g for g in result.by_severity if g.key == "SEV-3")
    assert sev3.incidents == 2
    assert sev3.durations["ttd"] == stat(2, 20.0, 20.0, 30.0)  # c 10, d 30
    assert sev3.durations["mtta"] == stat(1, 10.0, 10.0, 10.0)  # only d was acknowledged
    assert sev3.durations["mttr"] == stat(1, 180.0, 180.0, 180.0)  # d unresolved


def test_percentile_helpers() -> None:
    assert m.p90([]) is None
    assert m.p90([7.0]) == 7.0
    assert m.p90([float(v) for v in range(1, 11)]) == 9.0  # rank ceil(9.0) = 9
    assert m.p90([float(v) for v in range(1, 12)]) == 10.0  # rank ceil(9.9) = 10
    assert m.median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_rates(result: m.Metrics) -> None:
    rates = result.overall.rates
    # b and e repeat KE-0001 (first seen in a); h's KE-0002 was only seen in a gameday.
    assert rates["recurrence_rate"] == m.Ratio(2, 6)
    assert rates["escalation_rate"] == m.Ratio(2, 6)  # a, d (the gameday's escalation ignored)
    assert rates["monitoring_ratio"] == m.Ratio(3, 5)  # e has no detection source recorded
    assert rates["customer_share"] == m.Ratio(1, 5)
    assert rates["known_error_share"] == m.Ratio(4, 6)


def test_maintenance_and_gameday_are_excluded(result: m.Metrics) -> None:
    assert result.excluded == {"maintenance": 1, "gameday": 1}
    every_id = {i for g in result.by_month for i in g.ids}
    assert every_id == {
        "2026-01-10-a", "2026-01-20-b", "2026-01-31-c", "2026-02-05-d", "2026-02-10-e",
        "2026-02-20-h",
    }  # fmt: skip
    sev1 = [g for g in result.by_severity if g.key == "SEV-1"]
    assert sev1 == []  # the only SEV-1 was the gameday


def test_incident_spanning_months_counts_in_the_month_it_started(result: m.Metrics) -> None:
    months = {g.key: sorted(g.ids) for g in result.by_month}
    assert months == {
        "2026-01": ["2026-01-10-a", "2026-01-20-b", "2026-01-31-c"],
        "2026-02": ["2026-02-05-d", "2026-02-10-e", "2026-02-20-h"],
    }
    jan = next(g for g in result.by_month if g.key == "2026-01")
    assert jan.durations["mttr"] == stat(3, 335 / 3, 90.0, 180.0)


def test_by_service_and_mtbf(result: m.Metrics) -> None:
    services = {g.key: g.incidents for g in result.by_service}
    assert services == {"api": 3, "web": 4}  # d counts for both
    mtbf = {x.service: x for x in result.mtbf}
    # api: a -> b 238 h, b -> d 388 h.
    assert mtbf["api"].hours == stat(2, 313.0, 313.0, 388.0)
    # web: c -> d 109 h, d -> e 108 h, e -> h 249 h.
    assert mtbf["web"].hours == stat(3, 466 / 3, 109.0, 249.0)


def test_targets_verdicts(result: m.Metrics) -> None:
    sev2 = next(g for g in result.by_severity if g.key == "SEV-2")
    # MTTA mean (5 + 20 + 15) / 3 against 15 min.
    assert sev2.durations["mtta"].mean == pytest.approx(40 / 3)
    target = m.duration_target(result.targets, "mtta", "SEV-2")
    assert target == 15.0
    assert m.verdict(sev2.durations["mtta"].mean, target) == "met"
    sev4 = next(g for g in result.by_severity if g.key == "SEV-4")
    assert m.verdict(sev4.durations["mtta"].mean, 20.0) == "missed"  # 30 min against 20
    goal, direction = m.rate_target(result.targets, "recurrence_rate") or (0.0, "")
    assert m.verdict(result.overall.rates["recurrence_rate"].value, goal, direction) == "missed"
    goal, direction = m.rate_target(result.targets, "monitoring_ratio") or (0.0, "")
    assert (goal, direction) == (0.7, "min")
    assert m.verdict(0.6, goal, direction) == "missed"
    assert result.shifts is not None and result.shifts.busiest_pages == 1


def test_report_json_for_a_period(content: Path) -> None:
    out = CliRunner().invoke(
        cli, ["report", "--content", str(content), "--now", NOW_ARG, "--since", "2026-02-01",
              "--format", "json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["incidents"] == 3  # d, e, h: c started on 31 January
    # e still recurs: its known error was first seen before the period began.
    assert data["overall"]["rates"]["recurrence_rate"] == {
        "hits": 1, "total": 3, "value": 0.3333, "target": 0.2, "verdict": "missed",
    }  # fmt: skip
    assert data["overall"]["durations"]["mttr"] == {
        "count": 2, "mean": 60.0, "median": 60.0, "p90": 60.0,
    }  # fmt: skip
    assert data["excluded"] == {"maintenance": 1, "gameday": 1}
    sev2 = next(g for g in data["by_severity"] if g["key"] == "SEV-2")
    assert sev2["durations"]["mtta"]["verdict"] == "met"


def test_report_csv_and_table(content: Path) -> None:
    runner = CliRunner()
    csv_out = runner.invoke(
        cli, ["report", "--content", str(content), "--now", NOW_ARG, "--format", "csv"]
    )
    assert csv_out.exit_code == 0, csv_out.output
    lines = csv_out.output.splitlines()
    assert lines[0] == ",".join(
        ["scope", "key", "metric", "incidents", "count", "mean", "median", "p90", "hits",
         "total", "value", "target", "verdict"]
    )  # fmt: skip
    assert "overall,all,mtta,6,5,16.0,15.0,30.0,,,,," in lines
    assert "severity,SEV-2,mtta,3,3,13.33,15.0,20.0,,,,15.0,met" in lines
    table = runner.invoke(cli, ["report", "--content", str(content), "--now", NOW_ARG])
    assert table.exit_code == 0, table.output
    assert "6 incidents (excluded: 1 gameday, 1 maintenance)" in table.output
    assert "Recurrence rate" in table.output and "missed" in table.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-02-30"], "--since '2026-02-30' is not a date"),
        (["--since", "2026-03-01", "--until", "2026-02-01"], "is after --until"),
    ],
)
def test_report_rejects_bad_periods(content: Path, args: list[str], message: str) -> None:
    out = CliRunner().invoke(cli, ["report", "--content", str(content), "--now", NOW_ARG, *args])
    assert out.exit_code == 2
    assert message in out.output
