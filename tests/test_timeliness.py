"""Checks that depend on "now": incidents in the future, records nobody keeps up.

- an incident may not start more than 24 hours after now (error: it would show as in progress
  today); maintenance more than a year ahead is a warning (most likely a mistyped year);
- an active incident without a public update for longer than ``stale_update_hours`` (site.yaml,
  default 24) is a warning, and so is a maintenance window that ended without a ``completed``
  update.

Each runs the real ``statuspress check`` (and ``build``) on the base tree at a fixed ``--now``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from check_support import NOW, base_text, check, make_tree, run_statuspress

PATH = "content/incidents/2026/checkout-errors.md"
MAINTENANCE = "incidents/2026/2026-12-02-database-upgrade.md"


def active(started: str, *updates: str, extra: str = "") -> str:
    """An active SEV-3 incident on ``web``; each update is posted at the given moment."""
    lines = [
        "---",
        "title: Checkout errors",
        "severity: SEV-3",
        "services:",
        "  web: partial_outage",
        f"started_at: {started}",
    ]
    if extra:
        lines.append(extra)
    if updates:
        lines.append("updates:")
        for at in updates:
            lines += [f"  - at: {at}", "    status: investigating", "    message: We are on it."]
    return "\n".join([*lines, "---", "", "Notes.", ""])


def run(tmp_path: Path, text: str, *extra: str, site: str = "") -> tuple[int, list[str]]:
    files = {"incidents/2026/checkout-errors.md": text}
    if site:
        files["site.yaml"] = base_text("site.yaml") + site
    make_tree(tmp_path, files=files)
    return check(tmp_path, *extra)


# --- the future ------------------------------------------------------------------------------


def test_an_incident_in_2099_is_refused(tmp_path: Path) -> None:
    expected = (
        f"{PATH}:6: started_at: 2099-12-31T00:00:00Z is in the future (now is "
        "2026-11-27T12:00:00Z); an incident cannot start more than 24 hours from now "
        "(planned work is kind: maintenance)"
    )
    assert run(tmp_path, active("2099-12-31T00:00:00Z")) == (1, [expected])
    # The build writes nothing: no incident "in progress today", no 900 empty history months.
    result = run_statuspress("build", "--now", NOW, "--public-only", cwd=tmp_path)
    assert result.returncode == 1 and expected in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("started", "refused"),
    [
        ("2026-11-28T12:00:00Z", False),  # exactly 24 hours ahead: a clock or offset slip
        ("2026-11-28T12:00:01Z", True),
        ("2026-11-28T12:00:00+01:00", False),  # 23 hours ahead, written with an offset
    ],
)
def test_the_margin_is_24_hours(started: str, refused: bool, tmp_path: Path) -> None:
    code, lines = run(tmp_path, active(started))
    assert code == (1 if refused else 0)
    assert [line.split(": ", 2)[1] for line in lines] == (["started_at"] if refused else [])


def test_maintenance_more_than_a_year_ahead_is_a_warning(tmp_path: Path) -> None:
    text = base_text(MAINTENANCE).replace("2026-12-02T0", "2027-11-02T0")
    make_tree(tmp_path, files={MAINTENANCE: text})
    assert check(tmp_path) == (0, [])  # within the year: normal planning
    make_tree(tmp_path, files={MAINTENANCE: text.replace("2027-11-02T0", "2028-12-02T0")})
    assert check(tmp_path) == (
        0,
        [
            f"content/{MAINTENANCE}:7: warning: scheduled_start: 2028-12-02T01:00:00Z is more "
            "than a year ahead (now is 2026-11-27T12:00:00Z); is the year right?"
        ],
    )


# --- stale records ---------------------------------------------------------------------------


def test_an_active_incident_without_updates_for_two_days_is_stale(tmp_path: Path) -> None:
    text = active("2026-11-25T08:00:00Z", "2026-11-25T08:30:00Z", "2026-11-25T11:45:00Z")
    expected = (
        f"{PATH}:11: warning: updates: active incident has had no public update for 2 days "
        "(last 2026-11-25T11:45:00Z; stale_update_hours: 24); post an update or resolve it"
    )
    assert run(tmp_path, text) == (0, [expected])
    assert run(tmp_path, text, "--strict")[0] == 1
    # The limit is the site's: three days are fine for this team.
    assert run(tmp_path, text, site="stale_update_hours: 72\n") == (0, [])
    assert run(tmp_path, text, site="stale_update_hours: 48\n") == (
        0,
        [expected.replace("stale_update_hours: 24", "stale_update_hours: 48")],
    )


def test_staleness_counts_from_the_start_without_updates(tmp_path: Path) -> None:
    assert run(tmp_path, active("2026-11-26T06:00:00Z")) == (
        0,
        [
            f"{PATH}:6: warning: updates: active incident has had no public update since it "
            "started for 30 hours (last 2026-11-26T06:00:00Z; stale_update_hours: 24); post "
            "an update or resolve it"
        ],
    )


@pytest.mark.parametrize(
    "updates",
    [
        ("2026-11-26T12:00:00Z",),  # exactly 24 hours ago
        ("2026-11-25T12:00:00Z", "2026-11-27T11:00:00Z"),  # an hour ago
    ],
)
def test_a_recent_update_is_not_stale(updates: tuple[str, ...], tmp_path: Path) -> None:
    assert run(tmp_path, active("2026-11-25T10:00:00Z", *updates)) == (0, [])


def test_an_update_written_for_later_does_not_count(tmp_path: Path) -> None:
    """Only updates already posted at now count: a pre-written one is not public yet."""
    code, lines = run(tmp_path, active("2026-11-25T10:00:00Z", "2026-11-25T10:30:00Z"))
    assert code == 0 and len(lines) == 1
    text = active("2026-11-25T10:00:00Z", "2026-11-25T10:30:00Z", "2026-11-27T18:00:00Z")
    code, later = run(tmp_path, text)
    assert code == 0
    assert later == lines  # the same finding, at the last update already posted


def test_a_resolved_incident_is_never_stale(tmp_path: Path) -> None:
    text = base_text("incidents/2026/2026-11-20-card-payments-failing.md")
    assert "resolved_at:" in text
    make_tree(tmp_path)
    assert check(tmp_path) == (0, [])


def test_a_maintenance_that_ended_without_completed(tmp_path: Path) -> None:
    make_tree(tmp_path)
    after = "2026-12-02T09:00:00Z"  # the window was 01:00 to 02:00
    code, lines = check(tmp_path, "--now", after)
    mine = [line for line in lines if "database-upgrade" in line]
    assert code == 0 and mine == [
        f"content/{MAINTENANCE}:8: warning: scheduled_end: the maintenance window ended "
        "2026-12-02T02:00:00Z without a 'completed' update; post one (statuspress update "
        "2026-12-02-database-upgrade --status completed)"
    ]
    # Closing the record ends the warning.
    done = base_text(MAINTENANCE).replace(
        "    message: We will upgrade the database on 2 December.\n",
        "    message: We will upgrade the database on 2 December.\n"
        "  - at: 2026-12-02T02:05:00Z\n    status: completed\n    message: Done.\n",
    )
    make_tree(tmp_path, files={MAINTENANCE: done})
    code, lines = check(tmp_path, "--now", after)
    assert code == 0 and [line for line in lines if "database-upgrade" in line] == []
    # Before the window ends there is nothing to say.
    make_tree(tmp_path)
    code, lines = check(tmp_path, "--now", "2026-12-02T01:30:00Z")
    assert [line for line in lines if "database-upgrade" in line] == []
