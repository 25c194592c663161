"""``statuspress match``: the expected known error or runbook comes first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from kb_queries import QUERIES
from statuspress.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TESTS = ROOT / "tests"
NOW = "2026-11-27T12:00:00Z"


def match(*args: str) -> list[dict[str, object]]:
    out = CliRunner().invoke(
        cli, ["match", "--content", str(CONTENT), "--now", NOW, "--format", "json", *args]
    )
    assert out.exit_code == 0, out.output
    found: list[dict[str, object]] = json.loads(out.output)
    return found


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_result_comes_first(query: str, expected: str) -> None:
    found = match(query)
    assert found, f"nothing matched {query!r}"
    assert expected in str(found[0]["path"]), [f["id"] for f in found]


@pytest.mark.parametrize(
    ("line", "expected", "pattern"),
    [
        (
            "dial tcp: lookup api.paycore.example on 10.96.0.10:53: server misbehaving",
            "KE-0008",
            r"dial tcp: lookup [\w.-]+ on 10\.96\.0\.10:53: server misbehaving",
        ),
        (
            "2026-11-24T02:51:07Z ERROR psp.paycore.authorise failed: HTTP 504 after 4012ms",
            "KE-0011",
            r"psp\.paycore\.authorise failed: HTTP 504 after \d+ms",
        ),
        (
            "alias products_live -> products_20261008_0200 (docs.count=0)",
            "KE-0004",
            r"alias products_live -> products_\d{8}_\d{4} \(docs\.count=0\)",
        ),
    ],
)
def test_regex_signatures_match_real_log_lines(line: str, expected: str, pattern: str) -> None:
    found = match(line)
    assert found[0]["id"] == expected
    assert f"pattern {pattern}" in found[0]["reasons"]  # type: ignore[operator]


def test_longest_matching_signature_wins() -> None:
    # KE-0010's "no space left on device" is inside this line too, but KE-0009's signature
    # matches all of it.
    found = match('ERROR: could not extend file "base/16402/2619": No space left on device')
    assert [f["id"] for f in found[:2]] == ["KE-0009", "KE-0010"]


def test_alert_name_in_a_sentence_finds_the_runbook() -> None:
    found = match("[FIRING:1] PostgresConnectionsNearLimit payments-db above 90%")
    assert found[0]["id"] == "postgres-connection-pool"
    assert found[0]["reasons"] == ["alert PostgresConnectionsNearLimit"]


def test_text_output_has_id_title_first_step_and_internal_url() -> None:
    out = CliRunner().invoke(
        cli,
        ["match", "--content", str(CONTENT), "--now", NOW, "--limit", "2",
         "FATAL: sorry, too many clients already"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("1. KE-0007  Payments API database connection pool exhaustion")
    assert lines[1] == "   matched: signature FATAL: sorry, too many clients already"
    assert lines[2] == "   workaround: Follow runbook postgres-connection-pool. In short:"
    assert lines[3] == "   https://kb.acme-shop.internal.example/known-errors/KE-0007/"
    assert lines[4].startswith("2. ")


def test_nothing_matches() -> None:
    out = CliRunner().invoke(
        cli, ["match", "--content", str(CONTENT), "--now", NOW, "zzzz qqqq xyzzy"]
    )
    assert out.exit_code == 0
    assert out.output.strip() == "No known error or runbook matches."
    assert match("zzzz qqqq xyzzy") == []


def test_limit_is_respected() -> None:
    assert len(match("--limit", "3", "payments checkout database")) == 3


def test_catastrophic_signature_pattern_finishes(tmp_path: Path) -> None:
    """``^(a+)+$`` backtracks exponentially in Python's ``re`` (minutes at 32 letters); the
    signatures run in RE2, so ``match`` answers: no hit on a near miss, a hit on the real thing."""
    from check_support import make_tree, run_statuspress

    make_tree(tmp_path, TESTS / "hostile" / "signature-catastrophic-backtracking")
    cases = [("a" * 40 + "!", False), ("a" * 64, True), ("x" * 5000 + "!", False)]
    for text, hit in [*cases, ("x" * 5000 + "y", True)]:
        result = run_statuspress(
            "match", "--now", NOW, "--format", "json", text, cwd=tmp_path, timeout=60
        )
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)
        top = [f["id"] for f in found if f["tier"] == 3]
        assert top == (["KE-0002"] if hit else []), found
