"""The README's claim about the demo's deliberate warnings, run exactly as it is written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from check_support import run_statuspress

ROOT = Path(__file__).resolve().parent.parent
CLAIM = re.compile(r"`(statuspress check --strict --now [^`]+)` reports (\d+) \*\*deliberate\*\*")


def _claim() -> tuple[list[str], int]:
    found = CLAIM.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "README.md must state the demo's warnings with the --now they hold for"
    argv = shlex.split(found.group(1))
    assert argv[:2] == ["statuspress", "check"]
    return argv[1:], int(found.group(2))


def test_readme_states_the_demo_warnings_with_their_date_and_the_count_holds() -> None:
    args, count = _claim()
    result = run_statuspress(*args, cwd=ROOT)
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    warnings = [line for line in lines if ": warning: " in line]
    assert len(warnings) == count == len(lines), lines
    assert result.stderr.strip().endswith(f"0 errors, {count} warnings")
    assert result.returncode == 1  # --strict fails on warnings
    # The kinds the README lists: overdue action items, a missing postmortem, a known error
    # due for review, a stale runbook.
    fields = sorted(line.split(": warning: ", 1)[1].split(":", 1)[0] for line in warnings)
    assert fields == [
        "action_items[1].due",
        "action_items[2].due",
        "last_reviewed",
        "postmortem",
        "review_by",
    ]


def test_demo_passes_without_strict_at_the_same_date() -> None:
    args, _ = _claim()
    result = run_statuspress(*[a for a in args if a != "--strict"], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
