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
    # The workaround opens with "In short:" and a list item ending in a colon: the preview is
    # the first step with the command that completes it.
    assert lines[2] == (
        "   workaround: Find what holds the connections: SELECT state, left(query, 60), "
        "count(*) FROM pg_stat_activity WHERE datname = 'payments' GROUP BY 1, 2 ORDER BY 3 "
        "DESC LIMIT 10;"
    )
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


def test_text_output_names_the_kind_once_and_no_preview_ends_in_a_colon() -> None:
    out = CliRunner().invoke(
        cli,
        ["match", "--content", str(CONTENT), "--now", NOW, "--limit", "20",
         "payments checkout database orders email disk certificate"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    heads = [line for line in out.output.splitlines() if line[:1].isdigit()]
    assert len(heads) >= 10
    assert not [h for h in heads if "(known error, known error)" in h]
    # KE-0011's status is known_error: its kind is said once.
    assert any(h.startswith("KE-0011", h.index(" ") + 1) and h.endswith("(known error)")
               for h in heads), heads  # fmt: skip
    previews = [line for line in out.output.splitlines() if line.startswith("   workaround: ")]
    previews += [line for line in out.output.splitlines() if line.startswith("   first step: ")]
    assert previews and not [p for p in previews if p.endswith(":")]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Restart the pods.\n\nThen watch.", "Restart the pods."),
        ("In short:\n\n- Pause the **marketing** sends.", "Pause the marketing sends."),
        ("1. Find the holder:\n   `SELECT 1;`\n2. Kill it.", "Find the holder: SELECT 1;"),
        ("Run this:\n\n```sh\nkubectl rollout restart deploy/api\n```",
         "kubectl rollout restart deploy/api"),
        ("Being worked out:", "Being worked out:"),  # nothing follows: the line as it is
        ("", ""),
    ],
)  # fmt: skip
def test_first_line_skips_lines_that_introduce_the_next(markdown: str, expected: str) -> None:
    from statuspress.internal.match import first_line

    assert first_line(markdown) == expected


@pytest.mark.parametrize(
    ("query", "expected", "before"),
    [
        # Common words (stop words, durations, counts, words many entries share) plus one rare
        # term: the rare term names the failure. Before, "checkout", "failing", "after", "30",
        # "out" put KE-0007 first, and "orders", "out", "5" KE-0005.
        ("checkout failing after 30 minutes out expire", "tls-certificate-expiry", "KE-0007"),
        ("orders out after 5 min shipment", "shipment-tracking-feed", "KE-0005"),
    ],
)
def test_a_rare_term_outranks_common_words(query: str, expected: str, before: str) -> None:
    found = match(query)
    assert found[0]["id"] == expected, [f["id"] for f in found]
    assert found[0]["reasons"] == [f"text: {query.split()[-1]}"]
    assert before in [f["id"] for f in found[1:]]


def test_stop_words_and_durations_match_nothing() -> None:
    assert match("out after 30 minutes, again 2 hours since") == []
