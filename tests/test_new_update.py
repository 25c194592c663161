"""`statuspress new` and `update`: valid files at once, edits that touch nothing else."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statuspress.cli import cli
from statuspress.derive import derive
from statuspress.loader import load

NOW = "2026-11-27T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)

SITE = """title: Test Status
base_url: https://status.test.example/
timezone: Europe/Berlin
"""
SERVICES = """groups:
  - {id: shop, name: Shop}
services:
  - id: payments-api
    name: Card Payments
    group: shop
    owner: team-payments
    routing: {primary: pay-oncall, secondary: pay-lead, commander: sre-duty}
  - {id: checkout, name: Checkout, group: shop, owner: team-checkout}
  - {id: ledger-db, name: Ledger database, public: false}
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small content folder; the working directory is its parent (paths print relative)."""
    content = tmp_path / "content"
    (content / "incidents").mkdir(parents=True)
    (content / "known-errors").mkdir()
    (content / "runbooks").mkdir()
    (content / "site.yaml").write_text(SITE)
    (content / "services.yaml").write_text(SERVICES)
    monkeypatch.chdir(tmp_path)
    return content


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args], catch_exceptions=True)


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def errors_of(content: Path) -> list[str]:
    return [d.format() for d in load(content, NOW_DT).errors]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_refused(result: Result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


# -- new -----------------------------------------------------------------------------------


def test_new_incident_is_valid_with_the_initial_notification(site: Path) -> None:
    result = ok(
        "new", "incident", "Card payments failing: 3-D Secure", "--service", "payments-api",
        "--service", "ledger-db", "--service", "checkout=major_outage", "--severity", "SEV-2",
        "--now", NOW,
    )  # fmt: skip
    path = Path(result.output.strip())
    assert path == Path("content/incidents/2026/2026-11-27-card-payments-failing-3-d-secure.md")
    assert errors_of(site) == []
    content = load(site, NOW_DT).content
    inc = content.incidents["2026-11-27-card-payments-failing-3-d-secure"]
    assert inc.title == "Card payments failing: 3-D Secure"
    assert inc.severity == "SEV-2"
    assert inc.services == {
        "payments-api": "partial_outage",  # from SEV-2
        "ledger-db": "partial_outage",
        "checkout": "major_outage",
    }
    assert inc.started_at == NOW_DT and inc.resolved_at is None
    [update] = inc.updates
    assert (update.at, update.status) == (NOW_DT, "investigating")
    # The article's template; the internal service and the severity label stay out of it.
    assert update.message == (
        "We are investigating an issue affecting Card Payments and Checkout. Impact: Checkout "
        "is unavailable; some requests to Card Payments fail. Next update in 30 minutes."
    )
    for section in ("Summary", "Impact", "Timeline", "Contributing factors", "What went well",
                    "What needs improvement", "Where we got lucky"):  # fmt: skip
        assert f"\n## {section}\n" in inc.body


def test_new_maintenance_known_error_runbook_pass_check(site: Path) -> None:
    maintenance = ok(
        "new", "maintenance", "Ledger upgrade", "--service", "checkout", "--start",
        "2026-12-01T01:00:00+01:00", "--end", "2026-12-01T03:00:00+01:00", "--now", NOW,
    ).output.strip()  # fmt: skip
    (site / "known-errors" / "KE-0007-old.md").write_text(
        "---\ntitle: Old\nstatus: resolved\nservices: [checkout]\nowner: x\n---\n"
    )
    known_error = ok(
        "new", "known-error", "Pool exhausted", "--service", "payments-api", "--now", NOW
    ).output.strip()
    runbook = ok(
        "new", "runbook", "Payments failover", "--service", "payments-api", "--owner", "team-sre",
        "--now", NOW,
    ).output.strip()  # fmt: skip
    assert maintenance == "content/incidents/2026/2026-12-01-ledger-upgrade.md"
    assert known_error == "content/known-errors/KE-0008-pool-exhausted.md"  # next free number
    assert runbook == "content/runbooks/payments-failover.md"
    assert errors_of(site) == []
    content = load(site, NOW_DT).content
    mnt = content.incidents["2026-12-01-ledger-upgrade"]
    assert mnt.kind == "maintenance" and mnt.services == {"checkout": "under_maintenance"}
    assert mnt.scheduled_start == dt.datetime(2026, 12, 1, 0, tzinfo=dt.UTC)
    assert [u.status for u in mnt.updates] == ["scheduled"]
    assert "on Tuesday 1 December 2026 from 01:00 to 03:00 CET" in mnt.updates[0].message
    ke = content.known_errors["KE-0008"]
    assert (ke.status, ke.owner, ke.services) == (
        "investigating",
        "team-payments",
        ["payments-api"],
    )
    assert list(ke.sections) == ["symptoms", "workaround", "root cause", "fix"]
    rb = content.runbooks["payments-failover"]
    assert rb.owner == "team-sre" and rb.last_reviewed == dt.date(2026, 11, 27)
    assert list(rb.sections) == [
        "symptoms and detection", "diagnosis", "resolution", "rollback", "escalation"
    ]  # fmt: skip
    assert "pay-lead" in rb.section("Escalation")


def test_new_refusals_write_nothing(site: Path) -> None:
    ok("new", "incident", "Search down", "--service", "checkout", "--now", NOW)
    before = snapshot(site)
    assert_refused(
        run("new", "incident", "Search down", "--service", "checkout", "--now", NOW),
        1, "2026-11-27-search-down.md already exists",
    )  # fmt: skip
    assert_refused(
        run("new", "incident", "X", "--service", "paymnts-api", "--now", NOW),
        1, "unknown service 'paymnts-api' (did you mean 'payments-api'?)",
    )  # fmt: skip
    assert_refused(run("new", "incident", "X", "--now", NOW), 2, "needs the services it affects")
    assert_refused(
        run("new", "maintenance", "X", "--service", "checkout", "--now", NOW), 2, "--start"
    )
    assert_refused(
        run("new", "maintenance", "X", "--service", "checkout", "--start", "2026-12-01T01:00",
            "--end", "2026-12-01T02:00Z", "--now", NOW),
        2, "has no UTC offset",
    )  # fmt: skip
    assert_refused(
        run("new", "maintenance", "X", "--service", "checkout", "--start", "2026-12-01T03:00Z",
            "--end", "2026-12-01T02:00Z", "--now", NOW),
        2, "must be after --start",
    )  # fmt: skip
    assert_refused(
        run("new", "runbook", "X", "--service", "ledger-db", "--now", NOW), 2, "--owner is required"
    )
    assert_refused(
        run("new", "incident", "X", "--service", "checkout=broken", "--now", NOW),
        1, "unknown status 'broken'",
    )  # fmt: skip
    assert snapshot(site) == before


# -- update: the edit is exactly the new lines -----------------------------------------------


def _added_and_removed(old: str, new: str) -> tuple[list[str], list[str]]:
    added, removed = [], []
    for line in difflib.ndiff(old.splitlines(True), new.splitlines(True)):
        if line.startswith("+ "):
            added.append(line[2:])
        elif line.startswith("- "):
            removed.append(line[2:])
    return added, removed


def write_incident(site: Path, name: str, text: str, newline: str = "\n") -> Path:
    path = site / "incidents" / f"{name}.md"
    path.write_bytes(text.replace("\n", newline).encode())
    return path


CASES = {
    # name: (file text, expected added lines, removed lines)
    "block_list_comments_quoting": (
        "---\n"
        "# A comment that must survive\n"
        "title: 'Single: quoted'   # trailing comment\n"
        "severity: SEV-2\n"
        "services:\n"
        "  payments-api: major_outage\n"
        "  checkout: degraded_performance\n"
        "started_at: 2026-11-27T09:00:00+01:00\n"
        "mitigated_at: 2026-11-27T09:30:00Z  # mitigation\n"
        "updates:\n"
        "- at: 2026-11-27T09:05:00Z\n"
        "  status: investigating\n"
        "  message: |\n"
        "    # A heading inside the message\n"
        "    Second line\n"
        "\n"
        "# About the postmortem\n"
        "postmortem: {status: draft}\n"
        "---\n\nBody stays.\n",
        [
            "resolved_at: 2026-11-27T12:00:00Z\n",
            "- at: 2026-11-27T12:00:00Z\n",
            "  status: resolved\n",
            '  message: "All fine: \\"really\\" #1"\n',
            "  services: {payments-api: operational}\n",
        ],
        [],
    ),
    "indented_list_with_flow_items": (
        "---\n"
        'title: "Double \\"quoted\\""\n'
        "severity: SEV-3\n"
        "services: {payments-api: partial_outage}\n"
        "started_at: 2026-11-27T10:00:00Z\n"
        "detected_at: 2026-11-27T10:01:00Z\n"
        "updates:\n"
        "    -   {at: 2026-11-27T10:05:00Z, status: investigating, message: Looking}\n"
        "    -   at: 2026-11-27T10:20:00Z\n"
        "        status: identified\n"
        "        message: >-\n"
        "          Folded\n"
        "          text\n"
        "related: []\n"
        "---\n",
        [
            "resolved_at: 2026-11-27T12:00:00Z\n",
            "    -   at: 2026-11-27T12:00:00Z\n",
            "        status: resolved\n",
            '        message: "All fine: \\"really\\" #1"\n',
            "        services: {payments-api: operational}\n",
        ],
        [],
    ),
    "flow_list_with_items": (
        "---\n"
        "title: Flow\n"
        "severity: SEV-4\n"
        "services:\n"
        "  payments-api: degraded_performance   # worst status\n"
        "started_at: 2026-11-27T10:00:00+01:00\n"
        'updates: [{at: 2026-11-27T10:05:00+01:00, status: investigating, message: "Looking"}]\n'
        "# trailing comment\n"
        "---\n"
        "Body\n",
        [
            "resolved_at: 2026-11-27T12:00:00Z\n",
            'updates: [{at: 2026-11-27T10:05:00+01:00, status: investigating, message: "Looking"}'
            ', {at: 2026-11-27T12:00:00Z, status: resolved, message: "All fine: \\"really\\" #1"'
            ", services: {payments-api: operational}}]\n",
        ],
        ['updates: [{at: 2026-11-27T10:05:00+01:00, status: investigating, message: "Looking"}]\n'],
    ),
    "empty_flow_list": (
        "---\n"
        "title: Empty\n"
        "severity: SEV-3\n"
        "services: {payments-api: partial_outage}\n"
        "started_at: 2026-11-27T10:00:00Z\n"
        "updates: []\n"
        "---\n",
        [
            "resolved_at: 2026-11-27T12:00:00Z\n",
            "updates:\n",
            "  - at: 2026-11-27T12:00:00Z\n",
            "    status: resolved\n",
            '    message: "All fine: \\"really\\" #1"\n',
            "    services: {payments-api: operational}\n",
        ],
        ["updates: []\n"],
    ),
    "no_updates_key": (
        "---\n"
        "title: None yet\n"
        "severity: SEV-3\n"
        "services: {payments-api: partial_outage}\n"
        "started_at: 2026-11-27T10:00:00Z\n"
        "known_errors: []\n"
        "---\n"
        "## Summary\n",
        [
            "resolved_at: 2026-11-27T12:00:00Z\n",
            "updates:\n",
            "  - at: 2026-11-27T12:00:00Z\n",
            "    status: resolved\n",
            '    message: "All fine: \\"really\\" #1"\n',
            "    services: {payments-api: operational}\n",
        ],
        [],
    ),
    "empty_updates_key": (
        "---\n"
        "title: Null updates\n"
        "severity: SEV-3\n"
        "services: {payments-api: partial_outage}\n"
        "started_at: 2026-11-27T10:00:00Z\n"
        "updates:\n"
        "---\n",
        [
            "resolved_at: 2026-11-27T12:00:00Z\n",
            "  - at: 2026-11-27T12:00:00Z\n",
            "    status: resolved\n",
            '    message: "All fine: \\"really\\" #1"\n',
            "    services: {payments-api: operational}\n",
        ],
        [],
    ),
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_update_changes_only_the_new_lines(site: Path, case: str, newline: str) -> None:
    text, added, removed = CASES[case]
    path = write_incident(site, "2026-11-27-case", text, newline)
    assert errors_of(site) == []
    before = path.read_bytes()
    ok(
        "update", "2026-11-27-case", "--status", "resolved", "--message", 'All fine: "really" #1',
        "--service", "payments-api=operational", "--now", NOW,
    )  # fmt: skip
    after = path.read_bytes()
    if newline == "\r\n":
        assert after.count(b"\n") == after.count(b"\r\n")  # every new line uses CRLF too
    old, new = before.decode(), after.decode()
    got_added, got_removed = _added_and_removed(
        old.replace("\r\n", "\n"), new.replace("\r\n", "\n")
    )
    assert got_added == added
    assert got_removed == removed
    assert errors_of(site) == []
    inc = load(site, NOW_DT).content.incidents["2026-11-27-case"]
    assert inc.resolved_at == NOW_DT
    assert inc.updates[-1].message == 'All fine: "really" #1'
    assert inc.updates[-1].services == {"payments-api": "operational"}
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left


def test_update_multiline_message_is_a_block_scalar(site: Path) -> None:
    path = write_incident(site, "2026-11-27-multi", CASES["no_updates_key"][0])
    message = "First line: with colon\n\n- a list item\n  indented `code` # not a comment"
    ok("update", str(path), "--status", "identified", "--message", message, "--now", NOW)
    text = path.read_text()
    assert "    message: |-\n      First line: with colon\n\n      - a list item\n" in text
    inc = load(site, NOW_DT).content.incidents["2026-11-27-multi"]
    assert inc.updates[-1].message == message and inc.resolved_at is None
    assert errors_of(site) == []


# Any text a writer could pass: every printable character, plus tab, newline and CR.
_text = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(["\t", "\n", "\r", " "])
    ),
    min_size=1,
    max_size=80,
).filter(lambda s: bool(s.strip()))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(message=_text)
def test_any_message_reads_back_exactly(site: Path, message: str) -> None:
    path = write_incident(site, "2026-11-27-prop", CASES["empty_flow_list"][0])
    ok("update", "2026-11-27-prop", "--status", "monitoring", "--message", message, "--now", NOW)
    inc = load(site, NOW_DT).content.incidents["2026-11-27-prop"]
    assert inc.updates[-1].message == message.strip()
    assert errors_of(site) == []
    path.unlink()


# -- update: the rules -----------------------------------------------------------------------

ACTIVE = (
    "---\n"
    "title: Active\n"
    "severity: SEV-3\n"
    "services: {payments-api: partial_outage, ledger-db: major_outage}\n"
    "started_at: 2026-11-27T10:00:00Z\n"
    "updates:\n"
    "  - {at: 2026-11-27T11:00:00Z, status: investigating, message: Looking}\n"
    "---\n"
)
RESOLVED = ACTIVE.replace("updates:\n", "resolved_at: 2026-11-27T11:30:00Z\nupdates:\n") + ""
RESOLVED = RESOLVED.replace(
    "message: Looking}\n", "message: Looking}\n  - {at: 2026-11-27T11:30:00Z, status: resolved, "
    "message: Fixed}\n",
)  # fmt: skip


def argv(incident: str, *extra: str, **options: str) -> list[str]:
    """`update INCIDENT` with default --status/--message/--now unless given."""
    opts = {"status": "identified", "message": "Update", "now": NOW, **options}
    return ["update", incident, *(x for k, v in opts.items() for x in (f"--{k}", v)), *extra]


@pytest.mark.parametrize(
    ("text", "args", "code", "needle"),
    [
        (ACTIVE, argv("2026-11-27-nope"), 1, "unknown incident '2026-11-27-nope'"),
        (ACTIVE, argv("2026-11-27-actve"), 1, "(did you mean '2026-11-27-active'?)"),
        (ACTIVE, argv("active"), 1, "(did you mean '2026-11-27-active'?)"),
        (RESOLVED, argv("2026-11-27-active"), 1, "is resolved (resolved_at 2026-11-27T11:30:00Z)"),
        (ACTIVE, argv("2026-11-27-active", status="fixed"), 1, "'fixed' is not an update status"),
        (ACTIVE, argv("2026-11-27-active", status="completed"), 1, "use one of investigating"),
        (ACTIVE, argv("2026-11-27-active", "--service", "paymnts-api=operational"), 1,
         "unknown service 'paymnts-api' (did you mean 'payments-api'?)"),
        (ACTIVE, argv("2026-11-27-active", "--service", "payments-api=ok"), 1,
         "unknown status 'ok'"),
        (ACTIVE, argv("2026-11-27-active", "--service", "checkout=operational"), 1,
         "'checkout' is not one of this incident's services"),
        (ACTIVE, argv("2026-11-27-active", "--service", "payments-api"), 2, "expected ID=STATUS"),
        (ACTIVE, argv("2026-11-27-active", now="2026-11-27T10:30:00Z"), 1,
         "would be earlier than the last one (2026-11-27T11:00:00Z)"),
        (ACTIVE, argv("2026-11-27-active", message="\x1b[31mred"), 1,
         "control character U+001B"),
        (ACTIVE, argv("2026-11-27-active", message="   "), 1, "--message must not be empty"),
        (ACTIVE, argv("2026-11-27-active", "--reopen"), 2, "--reopen is only for a resolved"),
        (ACTIVE.replace("SEV-3", "SEV-9"), argv("2026-11-27-active"), 1, "'SEV-9' is not one of"),
    ],
)  # fmt: skip
def test_update_refusals_leave_the_file_alone(
    site: Path, text: str, args: list[str], code: int, needle: str
) -> None:
    path = write_incident(site, "2026-11-27-active", text)
    before = snapshot(site)
    assert_refused(run(*args), code, needle)
    assert snapshot(site) == before
    assert path.read_text() == text


def test_reopen_keeps_history_and_resolves_again(site: Path) -> None:
    path = write_incident(site, "2026-11-27-active", RESOLVED)
    ok(
        "update", "2026-11-27-active", "--reopen", "--status", "investigating",
        "--message", "The errors are back.", "--service", "payments-api=major_outage",
        "--now", "2026-11-27T11:45:00Z",
    )  # fmt: skip
    added, removed = _added_and_removed(RESOLVED, path.read_text())
    assert removed == ["resolved_at: 2026-11-27T11:30:00Z\n"]
    assert len(added) == 4 and added[0] == "  - at: 2026-11-27T11:45:00Z\n"
    assert errors_of(site) == []
    inc = load(site, NOW_DT).content.incidents["2026-11-27-active"]
    assert inc.resolved_at is None
    assert [u.status for u in inc.updates] == ["investigating", "resolved", "investigating"]
    ok("update", "2026-11-27-active", "--status", "resolved", "-m", "Fixed for good.",
       "--now", NOW)  # fmt: skip
    inc = load(site, NOW_DT).content.incidents["2026-11-27-active"]
    assert inc.resolved_at == NOW_DT
    assert errors_of(site) == []
    # A closed record is final.
    text = path.read_text().replace("updates:", "closed_at: 2026-11-27T12:00:00Z\nupdates:")
    path.write_text(text)
    assert_refused(
        run("update", "2026-11-27-active", "--reopen", "--status", "investigating", "-m", "x",
            "--now", NOW),
        1, "is closed",
    )  # fmt: skip
    assert path.read_text() == text


RECOVERED = RESOLVED.replace(
    "status: resolved, message: Fixed}",
    "status: resolved, message: Fixed, services: {payments-api: operational}}",
)


def test_reopen_without_service_carries_over_the_statuses_before_the_resolution(
    site: Path,
) -> None:
    """The resolution set payments-api operational; reopened, it is partially out again (its
    status before the resolution) and the reopening update says so. ledger-db was not changed
    by the resolution, so it needs nothing."""
    path = write_incident(site, "2026-11-27-active", RECOVERED)
    result = ok(
        "update", "2026-11-27-active", "--reopen", "--status", "investigating",
        "--message", "The errors are back.", "--now", "2026-11-27T11:45:00Z",
    )  # fmt: skip
    assert (
        "(reopened with the statuses from before the resolution: payments-api=partial_outage)"
        in (result.output)
    )
    inc = load(site, NOW_DT).content.incidents["2026-11-27-active"]
    assert inc.resolved_at is None
    assert inc.updates[-1].services == {"payments-api": "partial_outage"}
    assert errors_of(site) == []
    added, _ = _added_and_removed(RECOVERED, path.read_text())
    assert added[-1] == "    services: {payments-api: partial_outage}\n"
    world = derive(load(site, NOW_DT).content, NOW_DT)
    assert world.current_status["payments-api"] == "partial_outage"
    assert world.current_status["ledger-db"] == "major_outage"


def test_reopen_with_service_takes_the_given_status(site: Path) -> None:
    write_incident(site, "2026-11-27-active", RECOVERED)
    result = ok(
        "update", "2026-11-27-active", "--reopen", "--status", "investigating", "-m", "Back.",
        "--service", "payments-api=major_outage", "--now", "2026-11-27T11:45:00Z",
    )  # fmt: skip
    assert "reopened" not in result.output
    inc = load(site, NOW_DT).content.incidents["2026-11-27-active"]
    assert inc.updates[-1].services == {"payments-api": "major_outage"}


def test_maintenance_completed_sets_resolved_at(site: Path) -> None:
    ok(
        "new", "maintenance", "Upgrade", "--service", "checkout", "--start", "2026-11-27T10:00Z",
        "--end", "2026-11-27T14:00Z", "--now", "2026-11-20T09:00:00Z",
    )  # fmt: skip
    name = "2026-11-27-upgrade"
    assert_refused(
        run("update", name, "--status", "resolved", "-m", "x", "--now", NOW), 1, "in_progress"
    )
    ok("update", name, "--status", "in_progress", "-m", "Started.", "--now", "2026-11-27T10:00Z")
    ok("update", name, "--status", "completed", "-m", "Done.", "--now", NOW)
    inc = load(site, NOW_DT).content.incidents[name]
    assert [u.status for u in inc.updates] == ["scheduled", "in_progress", "completed"]
    assert inc.resolved_at == NOW_DT
    assert errors_of(site) == []
    assert_refused(
        run("update", name, "--status", "verifying", "-m", "x", "--now", NOW), 1, "is completed"
    )


def test_update_keeps_file_mode_and_writes_atomically(site: Path) -> None:
    path = write_incident(site, "2026-11-27-active", ACTIVE)
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    ok("update", "2026-11-27-active", "--status", "identified", "-m", "Found.", "--now", NOW)
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.stat().st_ino != inode  # replaced by rename, never rewritten in place
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_update_refuses_a_symbolic_link(site: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.md"
    real.write_text(ACTIVE)
    (site / "incidents" / "2026-11-27-linked.md").symlink_to(real)
    assert_refused(
        run("update", "2026-11-27-linked", "--status", "identified", "-m", "x", "--now", NOW),
        1, "is a symbolic link",
    )  # fmt: skip
    assert real.read_text() == ACTIVE


def test_update_refuses_when_the_file_was_saved_meanwhile(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor (or a second `update`) saving the file while the update is prepared wins."""
    from statuspress.authoring import update, yamledit

    path = write_incident(site, "2026-11-27-active", ACTIVE)
    theirs = ACTIVE.replace("title: Active", "title: Active (edited in an editor)", 1)
    assert theirs != ACTIVE
    original = yamledit.append_update

    def save_meanwhile(*args: object, **kwargs: object) -> None:
        path.write_text(theirs)  # lands between reading the file and writing the result
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(update.yamledit, "append_update", save_meanwhile)
    assert_refused(
        run("update", "2026-11-27-active", "--status", "identified", "-m", "x", "--now", NOW),
        1, "changed while the update was prepared; run it again",
    )  # fmt: skip
    assert path.read_text() == theirs  # their edit is kept, nothing of ours was written
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# -- parallel writers ----------------------------------------------------------------------

PARALLEL = 8


def _run_parallel(cwd: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start every command as its own real `statuspress` process at once; wait for all."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "statuspress", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append((proc.returncode, out, err))
    return results


def test_parallel_updates_are_all_kept(site: Path) -> None:
    """Eight `update` processes at once: every one that says "Updated" is in the file."""
    path = write_incident(site, "2026-11-27-active", ACTIVE)
    results = _run_parallel(
        site.parent,
        [
            [
                "update",
                "2026-11-27-active",
                "--status",
                "identified",
                "-m",
                f"Note {n}.",
                "--now",
                NOW,
            ]  # fmt: skip
            for n in range(PARALLEL)
        ],
    )
    inc = load(site, NOW_DT).content.incidents["2026-11-27-active"]
    kept = {u.message for u in inc.updates[1:]}
    for n, (code, out, err) in enumerate(results):
        assert "Traceback" not in err
        if code == 0:
            assert out.startswith("Updated "), out
            assert f"Note {n}." in kept, (n, out, kept)
        else:  # a refusal says why (none is expected: the writers take turns)
            assert err.startswith("Error: "), err
    assert sum(code == 0 for code, _, _ in results) == len(kept) == PARALLEL
    assert len(inc.updates) == PARALLEL + 1
    assert errors_of(site) == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary left


def test_parallel_new_never_overwrite_or_share_an_id(site: Path) -> None:
    """Same title at once: one file, the rest refused; known errors at once: distinct ids."""
    same = _run_parallel(
        site.parent,
        [["new", "incident", "Checkout down", "--service", "checkout", "--now", NOW]] * PARALLEL,
    )
    made = [out.strip() for code, out, _ in same if code == 0]
    assert len(made) == 1, same
    assert all(
        code == 1 and "already exists; refusing to overwrite it" in err and "Traceback" not in err
        for code, _, err in same
        if code != 0
    ), same
    kes = _run_parallel(
        site.parent,
        [
            ["new", "known-error", f"Problem {n}", "--service", "checkout", "--now", NOW]
            for n in range(PARALLEL)
        ],
    )
    assert all(code == 0 for code, _, _ in kes), kes
    names = sorted(p.name for p in (site / "known-errors").iterdir())
    assert [n[:7] for n in names] == [f"KE-{k:04d}" for k in range(1, PARALLEL + 1)], names
    assert errors_of(site) == []


def test_a_writer_that_cannot_get_the_lock_refuses_and_says_why(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer holding the content folder: wait, then refuse with a reason; no write."""
    import fcntl

    from statuspress.authoring import common

    path = write_incident(site, "2026-11-27-active", ACTIVE)
    monkeypatch.setattr(common, "LOCK_WAIT", 0.3)
    holder = os.open(site, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        for args in (
            ["update", "2026-11-27-active", "--status", "identified", "-m", "x", "--now", NOW],
            ["new", "incident", "Second", "--service", "checkout", "--now", NOW],
        ):
            assert_refused(
                run(*args), 1, "another statuspress new/update has been writing in", "nothing was"
            )
    finally:
        os.close(holder)
    assert path.read_text() == ACTIVE
    assert sorted(p.name for p in (site / "incidents").iterdir()) == [path.name]
    ok("update", "2026-11-27-active", "--status", "identified", "-m", "x", "--now", NOW)
