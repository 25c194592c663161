"""The command line: exit codes (0 ok, 1 content/build errors, 2 usage), streams, no tracebacks.

Runs the real program (``python -m statuspress``) in a subprocess, the way CI and writers call
it. Diagnostics go to stdout (so ``--format json`` can be piped), the one-line summary and
error messages to stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from check_support import NOW, check, make_tree, run_statuspress
from statuspress import __version__
from statuspress.cli import cli

COMMANDS = sorted(cli.commands)


def usage_error(result: subprocess.CompletedProcess[str]) -> str:
    """The ``Error: ...`` line of a usage error (exit code 2, nothing on stdout)."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    make_tree(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["check", "--format", "xml"],
            "Error: Invalid value for '--format': 'xml' is not one of 'text', 'github', 'json'.",
        ),
        (
            ["check", "--now", "yesterday"],
            "Error: --now 'yesterday' is not a timestamp like 2026-11-24T02:47:00Z or @1764000000",
        ),
        (
            ["check", "--now", "2026-11-27T12:00:00"],
            "Error: --now '2026-11-27T12:00:00' has no UTC offset; add one, e.g. "
            "'2026-11-27T12:00:00Z'",
        ),
        (
            ["check", "--now", "@99999999999999999999"],
            "Error: --now '@99999999999999999999' is not a timestamp like "
            "2026-11-24T02:47:00Z or @1764000000",
        ),
        (
            ["check", "--now", "9999-12-31T23:59:59-05:00"],
            "Error: --now '9999-12-31T23:59:59-05:00' is out of range: use a year from 1970 "
            "to 2100",
        ),
        (["check", "--stricter"], "Error: No such option '--stricter'. Did you mean '--strict'?"),
        (["chekc"], "Error: No such command 'chekc'. Did you mean 'check'?"),
        (
            ["build", "--public-only", "--internal-only", "--now", NOW],
            "Error: --public-only and --internal-only exclude each other",
        ),
        (
            ["check", "--content", "content/site.yaml"],
            "Error: Invalid value for '--content': Directory 'content/site.yaml' is a file.",
        ),
        (["new"], "\trunbook"),  # after "Error: Missing argument ... Choose from:" and the kinds
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tree: Path) -> None:
    assert usage_error(run_statuspress(*args, cwd=tree)) == message


def test_a_bad_source_date_epoch_is_a_usage_error(tree: Path) -> None:
    # Without --now the clock comes from SOURCE_DATE_EPOCH, which must be whole seconds.
    result = subprocess.run(
        [sys.executable, "-m", "statuspress", "check"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "soon"},
        check=False,
    )
    assert usage_error(result) == "Error: SOURCE_DATE_EPOCH 'soon' is not a whole number of seconds"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, tree: Path) -> None:
    result = run_statuspress(command, "--help", cwd=tree)
    assert result.returncode == 0
    assert result.stdout.startswith(f"Usage: statuspress {command} [OPTIONS]")
    short = run_statuspress(command, "-h", cwd=tree)
    assert short.stdout == result.stdout


def test_version_and_top_level_help(tree: Path) -> None:
    version = run_statuspress("--version", cwd=tree)
    assert (version.returncode, version.stdout) == (0, f"statuspress, version {__version__}\n")
    top = run_statuspress("--help", cwd=tree)
    assert top.returncode == 0
    for command in COMMANDS:
        assert f"\n  {command} " in top.stdout


def test_check_streams_and_summary(tree: Path) -> None:
    result = run_statuspress("check", "--now", NOW, cwd=tree)
    assert (result.returncode, result.stdout) == (0, "")
    (summary,) = result.stderr.splitlines()
    assert summary.startswith(
        "Checked 2 incidents, 1 known errors, 1 runbooks, 3 services in content in "
    )
    assert summary.endswith(": 0 errors, 0 warnings")


def test_json_output_goes_alone_to_stdout(tree: Path) -> None:
    (tree / "content/incidents/2026/broken.md").write_text("no front matter\n", encoding="utf-8")
    result = run_statuspress("check", "--now", NOW, "--format", "json", cwd=tree)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "path": "content/incidents/2026/broken.md",
            "line": 1,
            "field": "",
            "level": "error",
            "message": "missing YAML front matter (must start with '---')",
        }
    ]
    assert result.stderr.endswith(": 1 errors, 0 warnings\n")


def test_missing_content_folder(tmp_path: Path) -> None:
    result = run_statuspress("check", "--now", NOW, "--content", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "nowhere: content folder does not exist\n"
    assert "Traceback" not in result.stderr


def test_the_script_and_python_m_agree(tree: Path) -> None:
    script = Path(sys.executable).with_name("statuspress")
    by_script = subprocess.run(
        [str(script), "check", "--now", NOW, "--format", "json"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    by_module = run_statuspress("check", "--now", NOW, "--format", "json", cwd=tree)
    assert (by_script.returncode, by_script.stdout) == (by_module.returncode, by_module.stdout)


def test_build_with_content_errors_writes_nothing(tree: Path) -> None:
    first = run_statuspress("build", "--now", NOW, "--public-only", cwd=tree)
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(tree / "site").as_posix() for p in (tree / "site").rglob("*"))
    index = (tree / "site/public/index.html").read_bytes()
    (tree / "content/incidents/2026/broken.md").write_text(
        "---\ntitle: Broken\nservices: {web: down}\n---\n", encoding="utf-8"
    )
    result = run_statuspress("build", "--now", NOW, "--public-only", cwd=tree)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/incidents/2026/broken.md:2: started_at: is required",
        "content/incidents/2026/broken.md:3: services.web: 'down' is not one of operational, "
        "degraded_performance, partial_outage, major_outage, under_maintenance",
        "Error: 2 errors in content; nothing was written",
    ]
    after = sorted(p.relative_to(tree / "site").as_posix() for p in (tree / "site").rglob("*"))
    assert after == before
    assert (tree / "site/public/index.html").read_bytes() == index


@pytest.mark.parametrize("only", [["--public-only"], []], ids=["public-only", "both-sites"])
def test_base_url_option_replaces_the_sites_own(tree: Path, only: list[str]) -> None:
    """A preview deployment: absolute URLs (feeds, canonical links) use --base-url."""
    own = yaml_value(tree / "content/site.yaml", "base_url")
    preview = "https://preview.example.org/pr-7"
    result = run_statuspress("build", "--now", NOW, "--base-url", preview, *only, cwd=tree)
    assert result.returncode == 0, result.stderr
    public = tree / "site/public"
    assert f'<link rel="canonical" href="{preview}/">' in (public / "index.html").read_text()
    for name in ("index.html", "history.atom", "history.rss", "api/v2/summary.json"):
        text = (public / name).read_text(encoding="utf-8")
        assert own not in text, name
    assert f"{preview}/incidents/" in (public / "history.atom").read_text(encoding="utf-8")


def yaml_value(path: Path, key: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    raise AssertionError(f"no {key} in {path}")


def test_strict_turns_warnings_into_failure(tree: Path) -> None:
    (tree / "content/known-errors/KE-0001-connection-pool-exhaustion.md").write_text(
        (tree / "content/known-errors/KE-0001-connection-pool-exhaustion.md")
        .read_text(encoding="utf-8")
        .replace("review_by: 2027-03-01", "review_by: 2026-11-01"),
        encoding="utf-8",
    )
    expected = [
        "content/known-errors/KE-0001-connection-pool-exhaustion.md:11: warning: review_by: "
        "review was due 2026-11-01"
    ]
    assert check(tree) == (0, expected)
    assert check(tree, "--strict") == (1, expected)
    assert check(tree, "--strict", "--format", "github") == (
        1,
        [
            "::warning file=content/known-errors/KE-0001-connection-pool-exhaustion.md,line=11,"
            "title=review_by::review_by: review was due 2026-11-01"
        ],
    )


def test_check_does_not_import_the_renderers(tree: Path) -> None:
    """`check` runs in every CI job and pre-commit hook: it must not pay for jinja2 & co."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "statuspress", "check", "--now", NOW],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "statuspress.check" in imported  # the trace is there...
    heavy = {"jinja2", "mkdocs", "feedgen", "markdown_it", "nh3", "icalendar", "watchdog"}
    assert not heavy & imported  # ...and none of these is in it
