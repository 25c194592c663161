"""``statuspress check``: read, validate, and report every problem in one run."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .derive import World, derive
from .errors import ContentError, Diagnostic, Diagnostics
from .readers import read_content
from .validate import validate


@dataclass(slots=True)
class CheckResult:
    world: World
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]


def load(content_dir: Path, now: dt.datetime) -> CheckResult:
    """Read, schema-check, cross-check and derive; never raises for content mistakes."""
    content, diags = read_content(content_dir, Diagnostics())
    validate(content, diags, now)
    return CheckResult(derive(content, now), diags.sorted())


def load_valid(content_dir: Path, now: dt.datetime) -> CheckResult:
    """Like :func:`load`, but raise :class:`ContentError` when there is any error."""
    result = load(content_dir, now)
    if result.errors:
        raise ContentError(result.diagnostics)
    return result


def _escape_github(text: str, prop: bool = False) -> str:
    # Workflow commands treat %, CR and LF specially; in properties also ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_diagnostics(diags: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics as text, GitHub workflow annotations, or JSON."""
    if fmt == "json":
        return json.dumps(
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
    if fmt == "github":
        lines = []
        for d in diags:
            kind = "error" if d.level == "error" else "warning"
            loc = f"file={_escape_github(d.path, True)},line={max(d.line, 1)}"
            title = f",title={_escape_github(d.field, True)}" if d.field else ""
            text = f"{d.field}: {d.message}" if d.field else d.message
            lines.append(f"::{kind} {loc}{title}::{_escape_github(text)}")
        return "\n".join(lines)
    return "\n".join(d.format() for d in diags)
