"""``statuspress check``: every problem of every file, and how to show it.

Reading and checking is the loader's (:mod:`.loader`); this module only asks it for the
diagnostics (nothing of the incidents is kept, so a large tree is read on every core) and
formats them as text, GitHub workflow annotations or JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import ByLevel, Diagnostic, printable, printable_json
from .loader import keep_nothing, load


@dataclass(slots=True)
class CheckSummary(ByLevel):
    """What ``statuspress check`` reports: every diagnostic, and how much was checked."""

    diagnostics: list[Diagnostic]
    incidents: int
    known_errors: int
    runbooks: int
    services: int
    processes: int = 1
    """How many processes did the work (more than one only on large trees)."""


def diagnose(
    content_dir: Path,
    now: dt.datetime,
    jobs: int | None = None,
    parallel_min: int | None = None,
) -> CheckSummary:
    """Every diagnostic of the content, read on up to ``jobs`` processes."""
    loaded = load(content_dir, now, keep=keep_nothing, jobs=jobs, parallel_min=parallel_min)
    content = loaded.content
    return CheckSummary(
        loaded.diagnostics,
        loaded.incidents,
        len(content.known_errors),
        len(content.runbooks),
        len(content.services),
        processes=loaded.processes,
    )


def _escape_github(text: str, prop: bool = False) -> str:
    # Workflow commands treat %, CR and LF specially; in properties also ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_diagnostics(diags: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics as text, GitHub workflow annotations, or JSON.

    Control characters in a value never reach the terminal raw: text and annotations show
    them escaped (``\\x1b``), JSON carries them as ``\\u`` escapes (the values read back
    exactly).
    """
    if fmt == "json":
        text = json.dumps(
            [
                {
                    "path": d.path,
                    "line": d.line,
                    "field": d.field,
                    "level": d.level,
                    "message": d.message,
                }
                for d in diags
            ],
            indent=2,
            ensure_ascii=False,
        )
        return printable_json(text)
    if fmt == "github":
        lines = []
        for d in diags:
            kind = "error" if d.level == "error" else "warning"
            path, field, message = printable(d.path), printable(d.field), printable(d.message)
            loc = f"file={_escape_github(path, True)},line={max(d.line, 1)}"
            title = f",title={_escape_github(field, True)}" if field else ""
            text = f"{field}: {message}" if field else message
            lines.append(f"::{kind} {loc}{title}::{_escape_github(text)}")
        return "\n".join(lines)
    return "\n".join(d.format() for d in diags)
