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

Categories: a database/availability/capacity, b database/performance (no cause), c
network/availability/configuration; the others have none.
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
from statuspress.internal.layout import Layout
from statuspress.internal.metrics_page import metrics_page
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
        category="{system: database, type: availability, cause: capacity}",
    ),
    "2026-01-20-b": incident(
        "B", ["api"], "2026-01-20T08:00:00Z", severity="SEV-2",
        detected_at="2026-01-20T08:00:00Z", acknowledged_at="2026-01-20T08:20:00Z",
        mitigated_at="2026-01-20T08:40:00Z", resolved_at="2026-01-20T09:30:00Z",
        detection="customer", known_errors="[KE-0001]",
        category="{system: database, type: performance}",
    ),
    "2026-01-31-c": incident(
        "C", ["web"], "2026-01-31T23:00:00Z", severity="SEV-3",
        detected_at="2026-01-31T23:10:00Z", mitigated_at="2026-02-01T00:10:00Z",
        resolved_at="2026-02-01T02:10:00Z", detection="monitoring",
        category="{system: network, type: availability, cause: configuration}",
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
    # Resolved: a, b, c, e, h. Known failure modes among them: b and e (KE-0001 existed since
    # a), h (KE-0002 existed since the gameday). a revealed KE-0001, so a was novel.
    assert rates["workaround_share"] == m.Ratio(3, 5)


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


# --- issue #16: known vs novel MTTR, workaround share, escalation, categories, quarters ----


def test_known_failure_modes_and_novel_incidents(result: m.Metrics) -> None:
    split = {x.key: x for x in result.split}
    assert list(split) == ["SEV-2", "SEV-3", "SEV-4", "all"]
    # SEV-2: b 90 and e 60 are known (KE-0001 existed since a); a 65 revealed it: novel.
    assert split["SEV-2"].known == stat(2, 75.0, 75.0, 90.0)
    assert split["SEV-2"].novel == stat(1, 65.0, 65.0, 65.0)
    assert split["SEV-3"].known == stat(0, None, None, None)
    assert split["SEV-3"].novel == stat(1, 180.0, 180.0, 180.0)  # d is unresolved
    # h's KE-0002 was first named by the gameday, five days earlier: a known failure mode.
    assert split["SEV-4"].known == stat(1, 60.0, 60.0, 60.0)
    assert split["all"].known == stat(3, 70.0, 60.0, 90.0)
    assert split["all"].novel == stat(2, 122.5, 122.5, 180.0)
    # The article's SEV-1 targets are the defaults; no other severity has one.
    assert result.targets.mttr_known_minutes == {"SEV-1": 30.0}
    assert result.targets.mttr_novel_minutes == {"SEV-1": 120.0}
    assert (split["SEV-2"].known_target, split["SEV-2"].novel_target) == (None, None)


@pytest.mark.parametrize(
    ("identified", "known"),
    [
        # A day before a started: a is a known failure mode too.
        ("2026-01-09", ["2026-01-10-a", "2026-01-20-b", "2026-02-10-e"]),
        # The day a started (a revealed it): a stays novel.
        ("2026-01-10", ["2026-01-20-b", "2026-02-10-e"]),
        # Written up late: b, before it, was novel although it names it.
        ("2026-01-25", ["2026-02-10-e"]),
    ],
)
def test_identified_date_decides_when_a_known_error_existed(
    content: Path, identified: str, known: list[str]
) -> None:
    path = content / "known-errors" / "KE-0001-api-pool.md"
    path.write_text(path.read_text().replace("owner:", f"identified: {identified}\nowner:", 1))
    world = load_valid(content, NOW).world
    found = sorted(f.incident.id for f in m.facts(world) if f.known)
    assert found == [*known, "2026-02-20-h"]


def test_known_and_novel_targets_come_from_site_yaml(content: Path) -> None:
    with (content / "site.yaml").open("a") as fd:
        fd.write(
            "targets:\n  mttr_known_minutes: {SEV-2: 70}\n  mttr_novel_minutes: {SEV-2: 66}\n"
            "  workaround_share_min: 0.5\n  workaround_share_max: 0.75\n"
            "  escalation_rate: 0.4\n"
        )
    res = m.compute(load_valid(content, NOW).world)
    sev2 = next(x for x in res.split if x.key == "SEV-2")
    assert (sev2.known_target, sev2.novel_target) == (70.0, 66.0)
    assert m.verdict(sev2.known.mean, sev2.known_target) == "missed"  # 75 against 70
    assert m.verdict(sev2.novel.mean, sev2.novel_target) == "met"  # 65 against 66
    assert res.targets.mttr_known_minutes == {"SEV-1": 30.0, "SEV-2": 70.0}
    rates = res.overall.rates
    assert m.rate_verdict(res.targets, "workaround_share", rates["workaround_share"].value) == "met"
    assert m.rate_goal_text(res.targets, "workaround_share") == "50.0%-75.0%"
    assert m.rate_verdict(res.targets, "escalation_rate", rates["escalation_rate"].value) == "met"


def test_default_workaround_range_and_escalation_target(result: m.Metrics) -> None:
    t = result.targets
    rates = result.overall.rates
    assert m.rate_goal_text(t, "workaround_share") == "30.0%-40.0%"
    assert m.rate_verdict(t, "workaround_share", rates["workaround_share"].value) == "missed"  # 60%
    assert m.rate_verdict(t, "workaround_share", 0.3) == "met"
    assert m.rate_verdict(t, "workaround_share", 0.41) == "missed"
    assert m.rate_target(t, "escalation_rate") == (0.25, "max")
    assert m.rate_verdict(t, "escalation_rate", rates["escalation_rate"].value) == "missed"  # 2/6


def test_workaround_range_upside_down_is_an_error(content: Path) -> None:
    with (content / "site.yaml").open("a") as fd:
        fd.write("targets:\n  workaround_share_min: 0.5\n  workaround_share_max: 0.4\n")
    out = CliRunner().invoke(cli, ["check", "--content", str(content), "--now", NOW_ARG])
    assert out.exit_code == 1
    assert "site.yaml:5: targets.workaround_share_min: 0.5 is above" in out.output


def test_categories_count_incidents_and_mttr(result: m.Metrics) -> None:
    def table(name: str) -> dict[str, tuple[int, m.Stat]]:
        return {g.key: (g.incidents, g.durations["mttr"]) for g in result.by_category[name]}

    assert table("system") == {
        "database": (2, stat(2, 77.5, 77.5, 90.0)),  # a 65, b 90
        "network": (1, stat(1, 180.0, 180.0, 180.0)),  # c
        "unset": (3, stat(2, 60.0, 60.0, 60.0)),  # d unresolved, e 60, h 60
    }
    assert table("type") == {
        "availability": (2, stat(2, 122.5, 122.5, 180.0)),
        "performance": (1, stat(1, 90.0, 90.0, 90.0)),
        "unset": (3, stat(2, 60.0, 60.0, 60.0)),
    }
    assert table("cause") == {
        "capacity": (1, stat(1, 65.0, 65.0, 65.0)),
        "configuration": (1, stat(1, 180.0, 180.0, 180.0)),
        "unset": (4, stat(3, 70.0, 60.0, 90.0)),  # b 90, e 60, h 60
    }


def test_customer_share_per_quarter_and_its_trend(content: Path, result: m.Metrics) -> None:
    assert [(g.key, g.incidents, g.rates["customer_share"]) for g in result.by_quarter] == [
        ("2026-Q1", 6, m.Ratio(1, 5))  # b of a, b, c, d, h (e has no detection)
    ]
    assert result.customer_trend == ""  # one quarter: no trend yet
    (content / "incidents" / "2026-04-02-q.md").write_text(
        incident("Q", ["api"], "2026-04-02T10:00:00Z", severity="SEV-3", detection="monitoring",
                 resolved_at="2026-04-02T11:00:00Z")
    )  # fmt: skip
    res = m.compute(load_valid(content, NOW).world)
    assert [(g.key, g.rates["customer_share"]) for g in res.by_quarter] == [
        ("2026-Q1", m.Ratio(1, 5)), ("2026-Q2", m.Ratio(0, 1)),
    ]  # fmt: skip
    assert res.customer_trend == "decreasing"
    (content / "incidents" / "2026-05-02-r.md").write_text(
        incident("R", ["web"], "2026-05-02T10:00:00Z", severity="SEV-3", detection="customer",
                 resolved_at="2026-05-02T11:00:00Z")
    )  # fmt: skip
    res = m.compute(load_valid(content, NOW).world)
    assert res.by_quarter[-1].rates["customer_share"] == m.Ratio(1, 2)  # 50% after 20%
    assert res.customer_trend == "not decreasing"


def test_report_carries_the_process_metrics(content: Path) -> None:
    runner = CliRunner()
    base = ["report", "--content", str(content), "--now", NOW_ARG]
    out = runner.invoke(cli, [*base, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["overall"]["rates"]["workaround_share"] == {
        "hits": 3, "total": 5, "value": 0.6, "target": [0.3, 0.4], "verdict": "missed",
    }  # fmt: skip
    assert data["overall"]["rates"]["escalation_rate"]["target"] == 0.25
    split = {x["key"]: x for x in data["mttr_known_novel"]}
    assert split["all"]["known"] == {"count": 3, "mean": 70.0, "median": 60.0, "p90": 90.0}
    assert split["SEV-2"]["novel"]["mean"] == 65.0
    assert data["by_category"]["system"][0] == {
        "key": "database", "incidents": 2,
        "mttr": {"count": 2, "mean": 77.5, "median": 77.5, "p90": 90.0},
    }  # fmt: skip
    assert data["customer_share_by_quarter"] == {
        "trend": "",
        "quarters": [{"key": "2026-Q1", "incidents": 6, "hits": 1, "total": 5, "value": 0.2}],
    }
    assert {"mttr_known", "mttr_novel", "category", "customer_share_by_quarter"} <= set(
        data["definitions"]
    )
    lines = runner.invoke(cli, [*base, "--format", "csv"]).output.splitlines()
    assert "severity,all,mttr_known,,3,70.0,60.0,90.0,,,,," in lines
    assert "category.cause,unset,mttr,4,3,70.0,60.0,90.0,,,,," in lines
    assert "quarter,2026-Q1,customer_share,6,,,,,1,5,0.2,," in lines
    assert "overall,all,workaround_share,6,,,,,3,5,0.6,0.3-0.4,missed" in lines
    table = runner.invoke(cli, base).output
    assert "Resolved with a known-error workaround" in table and "30.0%-40.0%" in table
    assert "Customer-reported share per quarter: no trend yet" in table


def test_category_values_are_escaped_on_the_metrics_page(content: Path) -> None:
    path = content / "incidents" / "2026-01-31-c.md"
    hostile = "<img src=x onerror=alert(1)> | *x*"
    path.write_text(path.read_text().replace("system: network", f"system: '{hostile}'"))
    world = load_valid(content, NOW).world
    assert any(g.key == hostile for g in m.compute(world).by_category["system"])
    page = metrics_page(Layout(world))["metrics/index.md"]
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; \\| \\*x\\*" in page  # the table cell


def test_a_period_still_knows_known_errors_from_before_it(content: Path) -> None:
    out = CliRunner().invoke(
        cli, ["report", "--content", str(content), "--now", NOW_ARG, "--since", "2026-02-01",
              "--format", "json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    split = {x["key"]: x for x in json.loads(out.output)["mttr_known_novel"]}
    # e (KE-0001, revealed by a in January) and h (KE-0002, the gameday) are known; d is open.
    assert split["all"]["known"] == {"count": 2, "mean": 60.0, "median": 60.0, "p90": 60.0}
    assert split["all"]["novel"]["count"] == 0
