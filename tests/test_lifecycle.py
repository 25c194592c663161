"""`ack|mitigate|resolve|close`, the communication templates and the closure warnings (#16).

Every command runs the real CLI on a content folder in a temporary directory; edits are
compared with the original text line by line, so "byte-preserving" is checked, not assumed.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from check_support import run_statuspress
from click.testing import CliRunner, Result
from statuspress.cli import cli
from statuspress.loader import load

NOW = "2026-11-27T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)

SITE = """title: Test Status
base_url: https://status.test.example/
"""
SERVICES = """services:
  - {id: payments-api, name: Card Payments}
  - {id: checkout, name: Checkout}
  - {id: ledger-db, name: Ledger database, public: false}
"""
# Comments, odd quoting and a body: all of it must survive every edit.
INCIDENT = """---
# Hand-written, with comments.
title: 'Card payments: failing'   # trailing comment
severity: SEV-2
services:
  payments-api: major_outage
  ledger-db: major_outage
started_at: 2026-11-27T09:00:00Z
detected_at: 2026-11-27T09:04:00Z  # from the alert
updates:
  - at: 2026-11-27T09:10:00Z
    status: investigating
    message: We are looking into failing card payments.
---

## Summary

Body stays.
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp_path / "content"
    (content / "incidents").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE)
    (content / "services.yaml").write_text(SERVICES)
    monkeypatch.chdir(tmp_path)
    return content


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def refused(result: Result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    for needle in needles:
        assert needle in result.output, result.output


def write(site: Path, text: str = INCIDENT, name: str = "pay", newline: str = "\n") -> Path:
    path = site / "incidents" / f"{name}.md"
    path.write_bytes(text.replace("\n", newline).encode())
    return path


def added_removed(old: bytes, new: bytes) -> tuple[list[str], list[str]]:
    added, removed = [], []
    for line in difflib.ndiff(old.decode().splitlines(True), new.decode().splitlines(True)):
        if line.startswith("+ "):
            added.append(line[2:])
        elif line.startswith("- "):
            removed.append(line[2:])
    return added, removed


def warnings_of(site: Path, now: dt.datetime = NOW_DT) -> list[str]:
    return [w.format() for w in load(site, now).warnings]


# -- lifecycle commands --------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_ack_mitigate_resolve_close_add_only_their_lines(site: Path, newline: str) -> None:
    path = write(site, newline=newline)
    steps = [
        (["ack", "pay", "--at", "2026-11-27T09:06:00Z"],
         ["acknowledged_at: 2026-11-27T09:06:00Z"]),
        (["mitigate", "pay", "--at", "2026-11-27T10:30:00+01:00"],
         ["mitigated_at: 2026-11-27T09:30:00Z"]),
        (
            ["resolve", "pay", "--at", "2026-11-27T10:00:00Z", "-m", "Payments work again."],
            [
                "resolved_at: 2026-11-27T10:00:00Z",
                "  - at: 2026-11-27T10:00:00Z",
                "    status: resolved",
                '    message: "Payments work again."',
            ],
        ),
        (["close", "pay"], ["closed_at: 2026-11-27T12:00:00Z"]),  # --at defaults to --now
    ]  # fmt: skip
    for argv, lines in steps:
        before = path.read_bytes()
        result = ok(*argv, "--now", NOW)
        assert result.output.startswith(("Acknowledged", "Mitigated", "Resolved", "Closed"))
        after = path.read_bytes()
        added, removed = added_removed(before, after)
        assert removed == []
        assert added == [line + newline for line in lines]
    text = path.read_bytes().decode()
    # Each moment sits in lifecycle order, right after the one before it.
    order = [text.index(k) for k in ("detected_at", "acknowledged_at", "mitigated_at")]
    order += [text.index(k) for k in ("resolved_at", "closed_at", "updates:")]
    assert order == sorted(order)
    # The SEV-2 was closed with gaps: the command says which (check warns about them).
    assert result.output.endswith(
        ": closed_at set (the record still lacks action_items, affected_users: see "
        "`statuspress check`)\n"
    )
    inc = load(site, NOW_DT).content.incidents["pay"]
    assert inc.acknowledged_at == dt.datetime(2026, 11, 27, 9, 6, tzinfo=dt.UTC)
    assert inc.closed_at == NOW_DT
    assert inc.updates[-1].status == "resolved"


@pytest.mark.parametrize(
    ("setup", "argv", "needle"),
    [
        ([], ["ack", "pay", "--at", "2026-11-27T08:59:00Z"], "would be before started_at"),
        ([], ["ack", "pay", "--at", "2026-11-27T09:01:00Z"], "would be before detected_at"),
        ([], ["close", "pay"], "is not resolved yet"),
        ([["ack", "pay", "--at", "2026-11-27T09:06:00Z"]], ["ack", "pay"], "already has"),
        (
            [["resolve", "pay", "--at", "2026-11-27T10:00:00Z", "-m", "Fixed."]],
            ["mitigate", "pay", "--at", "2026-11-27T10:05:00Z"],
            "would be after resolved_at",
        ),
        (
            [["mitigate", "pay", "--at", "2026-11-27T10:00:00Z"]],
            ["resolve", "pay", "--at", "2026-11-27T09:50:00Z", "-m", "Fixed."],
            "would be before mitigated_at",
        ),
        ([], ["ack", "pay", "--at", "2026-11-27T12:01:00Z"], "later than now"),
        (
            [
                ["resolve", "pay", "--at", "2026-11-27T10:00:00Z", "-m", "Fixed."],
                ["close", "pay", "--at", "2026-11-27T11:00:00Z"],
            ],
            ["ack", "pay", "--at", "2026-11-27T09:06:00Z"],
            "closed record is final",
        ),
        ([], ["ack", "nope"], "unknown incident 'nope'"),
    ],
)
def test_an_order_that_breaks_the_lifecycle_is_refused_and_nothing_changes(
    site: Path, setup: list[list[str]], argv: list[str], needle: str
) -> None:
    path = write(site)
    for step in setup:
        ok(*step, "--now", NOW)
    before = path.read_bytes()
    refused(run(*argv, "--now", NOW), 1, needle)
    assert path.read_bytes() == before


def test_at_must_be_a_timestamp_with_an_offset(site: Path) -> None:
    write(site)
    refused(run("ack", "pay", "--at", "2026-11-27T09:06:00", "--now", NOW), 2, "--at")
    refused(run("ack", "pay", "--at", "yesterday", "--now", NOW), 2, "--at 'yesterday'")


def test_maintenance_has_no_ack(site: Path) -> None:
    write(
        site,
        "---\ntitle: Upgrade\nkind: maintenance\nservices: {checkout: under_maintenance}\n"
        "started_at: 2026-11-28T01:00:00Z\nscheduled_start: 2026-11-28T01:00:00Z\n"
        "scheduled_end: 2026-11-28T02:00:00Z\n---\n",
        name="mnt",
    )
    refused(run("ack", "mnt", "--now", NOW), 1, "is maintenance")


def test_real_command_line_resolve_fills_the_resolution_template(site: Path) -> None:
    path = write(site)
    result = run_statuspress(
        "resolve", "pay", "--at", "2026-11-27T11:05:00Z", "--service", "payments-api=operational",
        "--now", NOW, cwd=site.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    update = load(site, NOW_DT).content.incidents["pay"].updates[-1]
    assert update.services == {"payments-api": "operational"}
    # Public service names only (the ledger is internal); duration from started_at.
    assert update.message == (
        "The issue affecting Card Payments has been resolved. Root cause: [...]. "
        "Duration: 2 hours 5 minutes. We will publish a full post-incident review within 5 days."
    )
    assert "resolved_at: 2026-11-27T11:05:00Z\n" in path.read_text()
    # The root cause is the writer's to fill: check says so until they do.
    found = [w for w in warnings_of(site) if "placeholder" in w]
    assert found == [
        "content/incidents/pay.md:17: warning: updates[1].message: still holds the "
        "placeholder '[...]'; fill it in (this update is public)"
    ]


# -- templates -----------------------------------------------------------------------------


def test_update_template_progress_with_next_update(site: Path) -> None:
    path = write(site)
    before = path.read_bytes()
    ok("update", "pay", "--status", "identified", "--template", "progress",
       "--next-update", "1h30m", "--now", NOW)  # fmt: skip
    added, removed = added_removed(before, path.read_bytes())
    assert removed == []
    assert added[-1] == (
        '    message: "Investigation is ongoing. Current hypothesis: [...]. Actions taken: '
        '[...]. Expected next step: [...]. Next update in 1 hour 30 minutes."\n'
    )


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["-m", "x", "--template", "progress"], "either --message or --template"),
        ([], "--message, or --template"),
        (["-m", "x", "--next-update", "30m"], "--next-update is only for --template"),
        (["--template", "progress", "--next-update", "soon"], "expected a duration like 30m"),
        (["--template", "progress", "--next-update", "0m"], "between 1 minute and 7 days"),
    ],
)
def test_update_template_misuse_is_a_usage_error(site: Path, extra: list[str], needle: str) -> None:
    path = write(site)
    before = path.read_bytes()
    refused(run("update", "pay", "--status", "identified", *extra, "--now", NOW), 2, needle)
    assert path.read_bytes() == before


def test_new_incident_initial_template_and_next_update(site: Path) -> None:
    result = ok("new", "incident", "Checkout down", "--service", "checkout", "--severity",
                "SEV-1", "--next-update", "2h", "--now", NOW)  # fmt: skip
    inc = load(site, NOW_DT).content.incidents[Path(result.output.strip()).stem]
    assert inc.updates[0].message == (
        "We are investigating an issue affecting Checkout. Impact: Checkout is unavailable. "
        "Next update in 2 hours."
    )
    refused(run("new", "runbook", "R", "--template", "initial", "--now", NOW), 2, "only for")


def test_theme_override_is_used_sandboxed_and_errors_name_the_file(site: Path) -> None:
    (site / "site.yaml").write_text(SITE + "theme_dir: theme\n")
    messages = site.parent / "theme" / "messages"
    messages.mkdir(parents=True)
    (messages / "progress.md").write_text(
        "{{ severity }} on {{ services }} ({{ severity_impact }}): still on it.\n"
        "Next update in {{ next_update }}.\n"
    )
    path = write(site)
    ok("update", "pay", "--status", "identified", "--template", "progress", "--now", NOW)
    assert load(site, NOW_DT).content.incidents["pay"].updates[-1].message == (
        "SEV-2 on Card Payments (significant degradation for a large share of users): still "
        "on it.\nNext update in 30 minutes."
    )
    before = path.read_bytes()
    (messages / "progress.md").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    refused(run("update", "pay", "--status", "identified", "--template", "progress", "--now",
                NOW), 1, "progress.md", "template error")  # fmt: skip
    (messages / "progress.md").write_text("Hello {{ sevrity }}")
    refused(run("update", "pay", "--status", "identified", "--template", "progress", "--now",
                NOW), 1, "progress.md", "'sevrity' is undefined")  # fmt: skip
    (messages / "progress.md").write_text("{% if %}\n")
    refused(run("update", "pay", "--status", "identified", "--template", "progress", "--now",
                NOW), 1, "progress.md:1: template error")  # fmt: skip
    assert path.read_bytes() == before


# -- check: placeholders and closure -------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Root cause: [...].", "[...]"),
        ("Root cause: […].", "[…]"),
        ("Affecting {{ service }}.", "{{ service }}"),
        ("{% if x %}Down.{% endif %}", "{% if x %}"),
        ("Log line: }}}} and {{{", None),
        ("TODO: write this.", "TODO"),
        ("Cause TBD.", "TBD"),
        ("See [status](https://example.com) and [docs].", None),
        ("We fixed the todo list widget.", None),
    ],
)
def test_placeholder_in_a_published_update(site: Path, message: str, found: str | None) -> None:
    text = INCIDENT.replace("We are looking into failing card payments.", f"'{message}'")
    write(site, text)
    got = [w for w in warnings_of(site) if "placeholder" in w]
    assert got == ([] if found is None else [
        f"content/incidents/pay.md:13: warning: updates[0].message: still holds the placeholder "
        f"'{found}'; fill it in (this update is public)"
    ])  # fmt: skip


def test_placeholder_only_when_published(site: Path) -> None:
    text = INCIDENT.replace("We are looking into failing card payments.", "'Cause: [...]'")
    write(site, text)
    assert [
        w for w in warnings_of(site, NOW_DT.replace(hour=9, minute=5)) if "placeholder" in w
    ] == []
    write(site, text.replace("severity: SEV-2\n", "severity: SEV-2\npublic: false\n"))
    assert [w for w in warnings_of(site) if "placeholder" in w] == []


CLOSED = """---
title: Checkout down
severity: {severity}
services: {{checkout: major_outage}}
started_at: 2026-11-27T09:00:00Z
resolved_at: 2026-11-27T10:00:00Z
closed_at: 2026-11-27T11:00:00Z
{extra}updates:
  - {{at: 2026-11-27T09:05:00Z, status: investigating, message: Looking.}}
  - {{at: {monitoring_at}, status: monitoring, message: Fixed; watching.}}
  - {{at: 2026-11-27T10:00:00Z, status: resolved, message: All good.}}
---
"""


def closure_warnings(site: Path, **fields: str) -> list[str]:
    values = {"severity": "SEV-2", "extra": "", "monitoring_at": "2026-11-27T09:20:00Z"}
    write(site, CLOSED.format(**{**values, **fields}), name="closed")
    return [w.split(": warning: ", 1)[1] for w in warnings_of(site)]


def test_closed_record_needs_affected_users_and_action_items(site: Path) -> None:
    assert closure_warnings(site) == [
        "action_items: closed incident lists no follow-up work; add its action items, or "
        "`action_items: []` to record that there are none",
        "affected_users: closed SEV-2 does not say how many users were affected; add "
        "`affected_users: N`",
    ]
    # An explicit empty list is "none"; SEV-3 needs no user count.
    assert closure_warnings(site, extra="affected_users: 120\naction_items: []\n") == []
    assert closure_warnings(site, severity="SEV-3", extra="action_items: []\n") == []
    # A bare `action_items:` (null) is not an explicit none.
    assert len(closure_warnings(site, severity="SEV-3", extra="action_items:\n")) == 1
    # Not closed yet: nothing asked.
    write(site, CLOSED.format(severity="SEV-2", extra="", monitoring_at="2026-11-27T09:20:00Z")
          .replace("closed_at: 2026-11-27T11:00:00Z\n", ""), name="closed")  # fmt: skip
    assert warnings_of(site) == []


@pytest.mark.parametrize(
    ("monitoring_at", "site_extra", "warned"),
    [
        ("2026-11-27T09:20:00Z", "", None),  # 40 minutes
        ("2026-11-27T09:31:00Z", "", "was monitored for 29 min"),
        ("2026-11-27T09:31:00Z", "recovery_monitoring_minutes: 20\n", None),
        ("2026-11-27T09:50:00Z", "recovery_monitoring_minutes: 0\n", None),
    ],
)
def test_sev1_monitoring_phase(
    site: Path, monitoring_at: str, site_extra: str, warned: str | None
) -> None:
    (site / "site.yaml").write_text(SITE + site_extra)
    got = closure_warnings(
        site,
        severity="SEV-1",
        extra="affected_users: 5000\naction_items: []\n",
        monitoring_at=monitoring_at,
    )
    assert got == ([] if warned is None else [
        f"resolved_at: closed SEV-1 {warned} before it was resolved; watch for recurrence at "
        "least 30 min (recovery_monitoring_minutes) before resolving"
    ])  # fmt: skip


def test_sev1_without_monitoring_update(site: Path) -> None:
    text = CLOSED.format(
        severity="SEV-1", extra="affected_users: 5\naction_items: []\n", monitoring_at="x"
    ).replace("  - {at: x, status: monitoring, message: Fixed; watching.}\n", "")
    write(site, text, name="closed")
    assert [w.split(": warning: ", 1)[1] for w in warnings_of(site)] == [
        "resolved_at: closed SEV-1 went to 'resolved' without a 'monitoring' update; watch for "
        "recurrence at least 30 min (recovery_monitoring_minutes) before resolving"
    ]


def test_closing_a_complete_record_says_nothing_more(site: Path) -> None:
    text = CLOSED.format(
        severity="SEV-1",
        extra="affected_users: 5000\naction_items: []\n",
        monitoring_at="2026-11-27T09:20:00Z",
    ).replace("closed_at: 2026-11-27T11:00:00Z\n", "")
    path = write(site, text, name="closed")
    result = ok("close", "closed", "--now", NOW)
    assert result.output == f"Closed {Path('content/incidents/closed.md')}: closed_at set\n"
    assert "closed_at: 2026-11-27T12:00:00Z\n" in path.read_text()
    assert warnings_of(site) == []


def test_theme_initial_template_is_used_by_new_incident(site: Path) -> None:
    (site / "site.yaml").write_text(SITE + "theme_dir: theme\n")
    messages = site.parent / "theme" / "messages"
    messages.mkdir(parents=True)
    (messages / "initial.md").write_text(
        "{{ services }}: {{ severity_impact }}. We post again in {{ next_update }}.\n"
    )
    services = ["--service", "payments-api", "--service", "ledger-db"]
    result = ok("new", "incident", "Pay down", *services, "--severity", "SEV-1",
                "--next-update", "45m", "--now", NOW)  # fmt: skip
    inc = load(site, NOW_DT).content.incidents[Path(result.output.strip()).stem]
    # The internal ledger stays off the public message.
    assert inc.updates[0].message == (
        "Card Payments: complete outage for all users. We post again in 45 minutes."
    )
    assert warnings_of(site) == []
