"""The maturity evaluation (levels 1-4 of the domain article) against a hand-made organisation.

The fixture (UTC, now 2026-11-27 12:00, so "recent" is 2025-11-28..2026-11-27 and the last
complete quarters are 2025-Q4..2026-Q3) has two services with a primary on-call and a current
runbook each, one gameday and five real incidents, each with a commander, acknowledged and
resolved within the default targets:

| id | sev | service | started    | quarter | detection  | follow-up                          |
|----|-----|---------|------------|---------|------------|------------------------------------|
| a  | 2   | api     | 2026-04-10 | Q2      | monitoring | published postmortem, prevent item |
| b  | 3   | api     | 2026-05-10 | Q2      | monitoring |                                    |
| c  | 3   | web     | 2026-08-10 | Q3      | customer   |                                    |
| e  | 4   | api     | 2026-09-01 | Q3      | monitoring |                                    |
| d  | 4   | web     | 2026-10-05 | Q4 (in progress, not in the trend) | monitoring |     |

Every level 2 and 3 criterion is met (monitoring 4 of 5 = 80% >= 70%); level 4 misses the MTBF
trend only: 2 incidents in 2026-Q2 and 2 in 2026-Q3 is not improving. Per service: api 2 -> 1
improving, web 0 -> 1 not improving.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from statuspress.cli import cli
from statuspress.internal import maturity as mt
from statuspress.internal.layout import Layout
from statuspress.internal.maturity_page import page
from statuspress.loader import load_valid

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
NOW_ARG = "2026-11-27T12:00:00Z"
REPO = Path(__file__).resolve().parent.parent

RUNBOOK = """---
title: {svc} recovery
services: [{svc}]
owner: team-{svc}
last_reviewed: {reviewed}
review_every: 90
---

## Symptoms and detection

Errors on {svc}.

## Diagnosis

Look at the dashboard.

## Resolution

Restart {svc}.

## Rollback

Roll back the deploy.

## Escalation

Page the team lead.
"""


def incident(
    svc: str, day: str, severity: str, detection: str = "monitoring", extra: str = ""
) -> str:
    return (
        f"---\ntitle: Trouble on {svc}\nseverity: {severity}\nservices:\n  {svc}: partial_outage\n"
        f"started_at: {day}T10:00:00Z\ndetected_at: {day}T10:00:00Z\n"
        f"acknowledged_at: {day}T10:02:00Z\nresolved_at: {day}T10:30:00Z\n"
        f"detection: {detection}\ncommander: sam\n{extra}---\n\n## Summary\n\nTrouble.\n"
    )


POSTMORTEM = (
    "postmortem: {status: published, owner: sam}\n"
    "action_items:\n"
    "  - {id: AI-1, title: Add a pool alert, owner: kim, priority: P2, type: prevent, "
    "status: done, due: 2026-05-01}\n"
)
GAMEDAY = (
    "---\ntitle: Failover drill\nkind: gameday\nseverity: SEV-1\nservices:\n  api: major_outage\n"
    "started_at: 2026-06-01T09:00:00Z\nresolved_at: 2026-06-01T10:00:00Z\n---\n\nDrill.\n"
)


def write(root: Path, incidents: dict[str, str], web_reviewed: str = "2026-10-01") -> Path:
    (root / "incidents").mkdir(parents=True)
    (root / "runbooks").mkdir()
    (root / "site.yaml").write_text(
        "title: Fixture\nbase_url: https://status.fixture.example/\ntimezone: UTC\n"
    )
    (root / "services.yaml").write_text(
        "services:\n"
        "  - {id: api, name: API, owner: team-api, routing: {primary: api-oncall}}\n"
        "  - {id: web, name: Website, owner: team-web, routing: {primary: web-oncall}}\n"
    )
    (root / "runbooks" / "api.md").write_text(RUNBOOK.format(svc="api", reviewed="2026-10-01"))
    (root / "runbooks" / "web.md").write_text(RUNBOOK.format(svc="web", reviewed=web_reviewed))
    for name, text in incidents.items():
        (root / "incidents" / f"{name}.md").write_text(text)
    return root


BASE = {
    "2026-04-10-a": incident("api", "2026-04-10", "SEV-2", extra=POSTMORTEM),
    "2026-05-10-b": incident("api", "2026-05-10", "SEV-3"),
    "2026-06-01-gameday": GAMEDAY,
    "2026-08-10-c": incident("web", "2026-08-10", "SEV-3", detection="customer"),
    "2026-09-01-e": incident("api", "2026-09-01", "SEV-4"),
    "2026-10-05-d": incident("web", "2026-10-05", "SEV-4"),
}


def evaluate(root: Path) -> mt.Maturity:
    return mt.evaluate(load_valid(root, NOW).world)


def statuses(res: mt.Maturity) -> dict[str, str]:
    return {c.id: c.status for c in res.criteria}


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(tmp_path / "content", BASE)


def test_every_criterion_of_the_hand_made_organisation(base: Path) -> None:
    res = evaluate(base)
    assert statuses(res) == {
        "severity_levels": "met",
        "on_call": "met",
        "communication_owner": "met",
        "reviews_major": "met",
        "metrics_tracked": "met",
        "reviews_all": "met",
        "runbooks": "met",
        "targets_met": "met",
        "action_items": "met",
        "monitoring": "met",
        "prevention": "met",
        "gamedays": "met",
        "mtbf_improving": "missed",
        "automation": "not measured",
        "blameless": "not measured",
    }
    assert res.level == 3
    assert [c.id for c in res.missing] == ["mtbf_improving"]
    values = {c.id: c.value for c in res.criteria}
    assert values["reviews_major"] == "1 of 1 (100.0%)"
    assert values["monitoring"] == "4 of 5 (80.0%), target 70.0%"
    assert values["targets_met"] == "6 of 6 met"  # MTTA and MTTR for SEV-2, SEV-3, SEV-4
    runbooks = next(c for c in res.criteria if c.id == "runbooks")
    assert runbooks.evidence == ("api (3 incidents): api", "web (2 incidents): web")
    gamedays = next(c for c in res.criteria if c.id == "gamedays")
    assert gamedays.evidence == ("2026-06-01-gameday",)


def test_mtbf_per_quarter_and_trend(base: Path) -> None:
    res = evaluate(base)
    assert [(q.label, q.incidents) for q in res.overall.quarters] == [
        ("2025-Q4", 0), ("2026-Q1", 0), ("2026-Q2", 2), ("2026-Q3", 2),
    ]  # fmt: skip
    q3 = res.overall.quarters[-1]
    assert q3.hours == 92 * 24 and q3.mtbf == 92 * 12
    assert res.overall.trend == "not improving"
    assert {t.service: t.trend for t in res.services} == {
        "api": "improving",
        "web": "not improving",
    }
    mtbf = next(c for c in res.criteria if c.id == "mtbf_improving")
    assert mtbf.value == "2026-Q2 45.5 d -> 2026-Q3 46.0 d"
    # One incident fewer in Q3 (drop e) and the whole organisation reaches level 4.
    (base / "incidents" / "2026-09-01-e.md").unlink()
    res = evaluate(base)
    assert res.overall.trend == "improving"
    assert res.level == 4 and res.missing == []


def test_a_missing_review_drops_to_level_1(tmp_path: Path) -> None:
    root = write(
        tmp_path / "content", {**BASE, "2026-04-10-a": incident("api", "2026-04-10", "SEV-2")}
    )
    res = evaluate(root)
    got = statuses(res)
    assert (got["reviews_major"], got["reviews_all"], got["prevention"]) == (
        "missed", "missed", "missed",
    )  # fmt: skip
    assert res.level == 1
    assert [(c.id, c.value, c.evidence) for c in res.missing] == [
        ("reviews_major", "0 of 1 (0.0%)", ("2026-04-10-a",))
    ]


def test_overdue_item_and_stale_runbook_stop_level_3(tmp_path: Path) -> None:
    late = (
        'action_items:\n  - {id: "AI-2\\u202E", title: Fix retries, owner: kim, priority: P2, '
        "due: 2026-01-01}\n"
    )
    root = write(
        tmp_path / "content",
        {**BASE, "2026-05-10-b": incident("api", "2026-05-10", "SEV-3", extra=late)},
        web_reviewed="2025-01-01",
    )
    res = evaluate(root)
    assert res.level == 2
    assert [c.id for c in res.missing] == ["runbooks", "action_items"]
    by_id = {c.id: c for c in res.criteria}
    assert by_id["action_items"].evidence == ("2026-05-10-b AI-2\u202e (due 2026-01-01)",)
    # The report never prints a writer's bidi override (or any control character) raw.
    args = ["report", "--maturity", "--content", str(root), "--now", NOW_ARG]
    table = CliRunner().invoke(cli, args)
    assert "AI-2\\u202e (due 2026-01-01)" in table.output and "\u202e" not in table.output
    assert by_id["action_items"].value == "1 overdue, 0 P0/P1 without due date, of 2 items"
    assert by_id["runbooks"].evidence == (
        "api (3 incidents): api",
        "web (2 incidents): no current runbook",
    )


def test_an_organisation_without_incidents_is_level_1(tmp_path: Path) -> None:
    """Nothing to show is not proof: criteria that need records are missed, the rest hold."""
    root = write(tmp_path / "content", {})
    (root / "services.yaml").write_text("services:\n  - {id: api, name: API}\n")
    (root / "runbooks" / "web.md").unlink()
    res = evaluate(root)
    assert res.level == 1
    assert [c.id for c in res.missing] == ["on_call", "metrics_tracked"]
    got = statuses(res)
    assert (got["reviews_all"], got["action_items"], got["mtbf_improving"]) == ("met",) * 3
    assert (got["runbooks"], got["targets_met"], got["monitoring"]) == ("missed",) * 3
    assert res.overall.trend == "no failures"


def test_report_maturity_json_and_table(base: Path) -> None:
    runner = CliRunner()
    args = ["report", "--maturity", "--content", str(base), "--now", NOW_ARG]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["level"], data["level_name"], data["next_level"]) == (3, "Managed", 4)
    assert data["missing_for_next_level"] == ["mtbf_improving"]
    assert data["window"] == {"since": "2025-11-28", "until": "2026-11-27"}
    level4 = data["levels"][3]
    assert [c["id"] for c in level4["criteria"]] == [
        "prevention", "gamedays", "mtbf_improving", "automation", "blameless",
    ]  # fmt: skip
    api = data["mtbf_trend"]["by_service"][0]
    assert api["service"] == "api" and api["trend"] == "improving"
    assert [q["incidents"] for q in api["quarters"]] == [0, 0, 2, 1]
    table = runner.invoke(cli, args)
    assert table.exit_code == 0
    assert "level 3 (Managed)" in table.output
    assert "Missing for level 4 (Optimized): MTBF improving quarter over quarter" in table.output
    csv_out = runner.invoke(cli, [*args, "--format", "csv"])
    assert csv_out.output.splitlines()[0] == "level,id,name,status,value,evidence,definition"
    bad = runner.invoke(cli, [*args, "--since", "2026-01-01"])
    assert bad.exit_code == 2
    assert "--maturity evaluates the record at --now" in bad.output


def test_page_escapes_and_links(base: Path) -> None:
    world = load_valid(base, NOW).world
    text = page(Layout(world))["maturity/index.md"]
    assert "**Level reached: 3 (Managed)**" in text
    assert "## Missing for level 4 (Optimized)" in text
    assert "[API](../services/api.md)" in text
    # Values are escaped: "SEV-1..SEV-4" has no Markdown, but pipes and brackets would be.
    assert "| MTBF improving quarter over quarter | **missed** |" in text


def test_demo_reaches_level_2_and_misses_criteria(tmp_path: Path) -> None:
    """The demo organisation: level 2, level 3 missed (an unreviewed SEV-2, overdue items)."""
    runner = CliRunner()
    content = str(REPO / "content")
    result = runner.invoke(
        cli, ["report", "--maturity", "--format", "json", "--content", content, "--now", NOW_ARG]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["level"] == 2
    # docs/internal-site.md names these three.
    assert data["missing_for_next_level"] == ["reviews_all", "targets_met", "action_items"]
    out = tmp_path / "site"
    built = runner.invoke(
        cli,
        ["build", "--internal-only", "--content", content, "--now", NOW_ARG, "--out", str(out)],
    )
    assert built.exit_code == 0, built.output
    html = (out / "internal" / "maturity" / "index.html").read_text()
    assert "Level reached: 2 (Defined)" in html
    assert "Action items closed on time" in html and "<strong>missed</strong>" in html
    assert "2025-12-01-orders-stuck-pending AI-128 (due 2026-03-31)" in html
    assert 'href="maturity/"' in (out / "internal" / "index.html").read_text()


def test_every_criterion_is_defined_in_the_docs(base: Path) -> None:
    docs = (REPO / "docs" / "internal-site.md").read_text()
    section = docs[docs.index("## Maturity") : docs.index("## statuspress match")]
    for c in evaluate(base).criteria:
        assert f"{c.name} (`{c.id}`)" in section, c.id


def test_the_mtbf_trend_is_in_report_json_and_on_the_metrics_page(tmp_path: Path) -> None:
    """Issue #16: the MTBF trend is one of the article's metrics, so plain `report --format
    json` and the metrics page carry it too (the same numbers as `report --maturity`)."""
    from statuspress.internal.layout import Layout
    from statuspress.internal.metrics_page import metrics_page
    from statuspress.internal.report import report
    from statuspress.loader import load_valid

    world = load_valid(Path(__file__).parent.parent / "content", NOW).world
    plain = json.loads(report(world, fmt="json"))["mtbf_trend"]
    assert plain == mt.as_dict(mt.evaluate(world))["mtbf_trend"]
    assert plain["overall"]["trend"] in ("improving", "not improving", "no failures")
    assert len(plain["overall"]["quarters"]) == 4
    assert sum(q["incidents"] for q in plain["overall"]["quarters"]) > 0
    page = metrics_page(Layout(world))["metrics/index.md"]
    assert "## MTBF trend per quarter" in page
    assert plain["overall"]["quarters"][-1]["quarter"] in page
