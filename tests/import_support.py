"""Helpers for the import tests: run the CLI, build the public site, read fixtures."""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from statuspress.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def build_api(content: Path, out: Path, now: str) -> dict[str, Any]:
    """Check and build the public site; return its api/v2 documents by file name."""
    checked = run("check", "--content", content, "--now", now)
    assert checked.exit_code == 0, checked.output
    if out.exists():
        shutil.rmtree(out)
    built = run("build", "--content", content, "--out", out, "--public-only", "--now", now)
    assert built.exit_code == 0, built.output
    api = out / "public" / "api" / "v2"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in api.glob("*.json")}


def instant(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def words(text: str) -> str:
    """Text compared across the round trip: entities decoded, whitespace collapsed.

    Our JSON bodies are plain text rendered from Markdown, where paragraph breaks become
    single line breaks; the words and characters are the same.
    """
    return " ".join(html.unescape(text).split())
