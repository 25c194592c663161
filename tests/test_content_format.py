"""`format:` in site.yaml: the content format, and what check says about one it cannot read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from statuspress import definitions
from statuspress.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T12:00:00Z"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tests" / "fixtures" / "small" / "content", tmp_path / "content")
    return tmp_path / "content"


def with_format(content: Path, line: str, extra: str = "") -> None:
    site = content / "site.yaml"
    site.write_text(f"{line}\n{site.read_text()}{extra}")


def check(content: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--content", str(content), "--now", NOW])
    assert "Traceback" not in result.output
    lines = [
        line.split("site.yaml", 1)[1] if "site.yaml" in line else line
        for line in result.output.splitlines()
        if not line.startswith("Checked ")
    ]
    return result.exit_code, lines


def test_the_current_format_or_none_passes(content: Path) -> None:
    assert check(content) == (0, [])
    with_format(content, "format: 1")
    assert check(content) == (0, [])


NEWER = (
    ":1: format: content format 2 is newer than the format 1 this statuspress reads and no "
    "command of this release migrates it; upgrade statuspress (and the version your CI installs)"
)


def test_a_newer_format_says_to_upgrade_and_nothing_else(content: Path, tmp_path: Path) -> None:
    # A future format may add fields anywhere: none is reported as unknown, in no file.
    with_format(content, "format: 2", extra="subscribers_v2: {mode: new}\n")
    incident = next((content / "incidents").rglob("*.md"))
    incident.write_text(incident.read_text().replace("---\n", "---\nimpact_v2: 3\n", 1))
    (content / "services.yaml").write_text("catalog_v2: []\n")
    code, lines = check(content)
    assert (code, lines) == (1, [NEWER])
    # Two processes (the large-tree path) say the same.
    from statuspress.check import diagnose, load
    from statuspress.clock import resolve_now

    now = resolve_now(NOW)
    serial = [d.format() for d in load(content, now).diagnostics]
    parallel = [d.format() for d in diagnose(content, now, jobs=2, parallel_min=1).diagnostics]
    assert serial == parallel and len(serial) == 1 and serial[0].endswith(NEWER[3:])
    # A build refuses too, writing nothing.
    out = tmp_path / "out"
    for only in ([], ["--public-only"]):
        args = ["build", "--content", str(content), "--out", str(out), "--now", NOW, *only]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and NEWER in result.output and not out.exists()


def test_an_older_format_names_the_command_that_migrates(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a release that introduces format 2 will say to a site still at format 1.
    monkeypatch.setattr(definitions, "CONTENT_FORMAT", 2)
    monkeypatch.setattr(definitions, "MIGRATIONS", {1: "statuspress migrate"})
    with_format(content, "format: 1")
    code, lines = check(content)
    assert code == 1
    assert lines == [
        ":1: format: content format 1 is older than the format 2 this "
        "statuspress reads; run `statuspress migrate` to migrate the site"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("format: 0", "format: must be at least 1"),
        ("format: '2'", "format: expected a whole number, got text"),
        ("format: true", "format: expected a whole number"),
    ],
)
def test_a_malformed_format_is_a_field_error(content: Path, line: str, message: str) -> None:
    with_format(content, line)
    code, lines = check(content)
    assert code == 1
    [only] = lines
    assert only.startswith(f":1: {message}"), only


def test_the_schema_and_the_model_page_know_the_field() -> None:
    schema = json.loads((ROOT / "schemas" / "site.schema.json").read_text())
    [integer, _null] = schema["properties"]["format"]["anyOf"]  # null: an empty `format:`
    assert (integer["type"], integer["minimum"]) == ("integer", 1)
    assert definitions.CONTENT_FORMAT == 1 and definitions.MIGRATIONS == {}
    page = (ROOT / "docs" / "compatibility.md").read_text()
    assert "statuspress migrate" in page and "format: 1" in page
