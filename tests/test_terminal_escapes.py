"""Messages never carry a raw control character to the terminal (issue #10, defect 9).

A value echoed back in a diagnostic (an enum value, an unknown key, a file name, a command-line
argument) could otherwise clear the screen (``ESC [2J``), set the window title (``ESC ]0;``),
start an 8-bit CSI (U+009B) or forge a line of output (a newline). Every message shows them
escaped instead: ``\\x1b``, ``\\n``. These run the real command line on a tree that holds
escape sequences in several fields and in file names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from check_support import NOW, base_text, make_tree, run_statuspress
from statuspress.errors import Diagnostic, StatuspressError, printable

# Anything a terminal acts on; a line break is allowed only between lines of output.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

INCIDENT = """---
title: Card payments failing
severity: "SEV-\\e[2J"
"tit\\e]0;pwned\\ale": x
services:
  payments-api: "down\\x9b31m"
started_at: 2026-11-20T09:00:00Z
updates:
  - at: 2026-11-20T09:10:00Z
    status: "investigating\\e[5m\\nforged: line \\u202e"
    message: Looking.
---
"""
KNOWN_ERROR = """---
title: Escapes
status: "known\\e[8m"
services: [payments-api]
signatures: ["re:(\\\\Z"]
owner: team-data
---
"""
FILES = {
    "incidents/2026/2026-11-21-escapes.md": INCIDENT,
    "incidents/2026/bad\x1b[2Jname\x07.md": INCIDENT,
    "incidents/2026/new\nline.md": INCIDENT,
    "known-errors/KE-0002-escapes.md": KNOWN_ERROR,
}
EXPECTED = [
    "severity: 'SEV-\\x1b[2J' is not one of",
    "tit\\x1b]0;pwned\\x07le: unknown key",
    "services.payments-api: 'down\\x9b31m' is not one of",
    "updates[0].status: 'investigating\\x1b[5m\\nforged: line \\u202e' is not one of",
    "content/incidents/2026/bad\\x1b[2Jname\\x07.md: incident file name 'bad\\x1b[2Jname\\x07'",
    "content/incidents/2026/new\\nline.md: incident file name 'new\\nline'",
    "status: 'known\\x1b[8m' is not one of",
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    make_tree(tmp_path, files=FILES)
    return tmp_path


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output
        raw = RAW.search(output)
        assert raw is None, f"raw {raw.group()!r} in {output!r}"


def test_check_text_shows_escapes(tree: Path) -> None:
    result = run_statuspress("check", "--now", NOW, cwd=tree)
    assert result.returncode == 1
    assert_clean(result.stdout, result.stderr)
    for needle in EXPECTED:
        assert needle in result.stdout, (needle, result.stdout)
    # One diagnostic per line: the newline in a value did not start a line of its own.
    assert not [line for line in result.stdout.splitlines() if line.startswith("forged")]
    assert all(line.startswith("content/") for line in result.stdout.splitlines())


def test_check_github_annotations_show_escapes(tree: Path) -> None:
    result = run_statuspress("check", "--now", NOW, "--format", "github", cwd=tree)
    assert result.returncode == 1
    assert_clean(result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)  # one per line
    assert any(line.startswith("::error ") for line in lines)
    assert "'SEV-\\x1b[2J'" in result.stdout


def test_check_json_keeps_values_exact_and_escaped(tree: Path) -> None:
    result = run_statuspress("check", "--now", NOW, "--format", "json", cwd=tree)
    assert result.returncode == 1
    assert_clean(result.stdout.replace("\n", " "), result.stderr)
    found = json.loads(result.stdout)
    messages = {d["message"] for d in found} | {d["path"] for d in found}
    assert any("'down\x9b31m'" in m for m in messages)  # the value itself, read back exactly
    assert "content/incidents/2026/bad\x1b[2Jname\x07.md" in messages


def test_build_errors_show_escapes(tree: Path) -> None:
    result = run_statuspress("build", "--now", NOW, "--out", str(tree / "site"), cwd=tree)
    assert result.returncode == 1
    assert_clean(result.stdout, result.stderr)
    for needle in EXPECTED:
        assert needle in result.stderr, (needle, result.stderr)
    assert not (tree / "site").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["new", "incident\x1b[2J", "t"], "'incident\\x1b[2J' is not one of"),
        (["--bo\x1b]0;x\x07gus"], "No such option '--bo\\x1b]0;x\\x07gus'"),
        (["chec\x1bk"], "No such command 'chec\\x1bk'"),
        (
            ["update", "inc\x1b[2J\nfake", "--status", "identified", "-m", "x", "--now", NOW],
            "Error: unknown incident 'inc\\x1b[2J\\nfake'",
        ),
        (
            [
                "update",
                "2026-11-20-card-payments-failing",
                "--status",
                "identified",
                "--reopen",
                "--service",
                "pay\x9b1m=operational",
                "-m",
                "x",
                "--now",
                NOW,
            ],
            "unknown service 'pay\\x9b1m'",
        ),  # fmt: skip
        (["check", "--now", "2026-13-01\x1b[2J"], "\\x1b[2J"),
    ],
)
def test_command_line_values_are_escaped(tmp_path: Path, args: list[str], needle: str) -> None:
    make_tree(tmp_path)
    result = run_statuspress(*args, cwd=tmp_path)
    assert result.returncode in (1, 2), result
    assert_clean(result.stdout, result.stderr)
    assert needle in result.stderr, result.stderr


def test_printable_escapes_every_control_and_keeps_text() -> None:
    text = "".join(map(chr, range(0x00, 0xA0))) + "\u2028\u202e\u2066 é 漢 🙂 \\"
    shown = printable(text)
    assert RAW.search(shown) is None and "\n" not in shown
    assert shown.startswith("\\x00\\x01") and "\\t\\n\\x0b\\x0c\\r" in shown
    assert "\\x1b" in shown and "\\x7f\\x80" in shown and "\\x9f" in shown
    assert shown.endswith("\\u2028\\u202e\\u2066 é 漢 🙂 \\")
    assert printable("a\nb\tc", lines=True) == "a\nb\\tc"
    assert printable("plain text") == "plain text"
    diag = Diagnostic("x\x1b.md", 3, "f\x07", "m\nn")
    assert diag.format() == "x\\x1b.md:3: f\\x07: m\\nn"
    err = StatuspressError("bad 'v\x1b[2J'", detail="line 1\x1b\nline 2")
    assert err.format_message() == "bad 'v\\x1b[2J'\nline 1\\x1b\nline 2"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_match_output_escapes_body_text(tmp_path: Path, fmt: str) -> None:
    """A known error's body (free Markdown) reaches `match` output: its controls are escaped."""
    rel = "known-errors/KE-0001-connection-pool-exhaustion.md"
    body = base_text(rel).replace(
        "Restart the payments API pods", "Restart\x1b]0;pwned\x07 the\x9b2J payments API pods"
    )
    make_tree(tmp_path, files={rel: body})
    result = run_statuspress(
        "match", "--now", NOW, "--format", fmt, "pool exhausted after 30 ms", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout.replace("\n", " "), result.stderr)
    if fmt == "text":
        assert "workaround: Restart\\x1b]0;pwned\\x07 the\\x9b2J payments API pods" in result.stdout
    else:
        found = json.loads(result.stdout)
        assert found[0]["first_step"].startswith("Restart\x1b]0;pwned\x07 the\x9b2J payments")
