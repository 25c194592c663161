"""Diagnostics and the one exception hierarchy the CLI turns into exit codes.

Library code never prints or exits: it collects :class:`Diagnostic` objects and raises a
:class:`StatuspressError` subclass; ``cli.py`` is the only boundary that turns them into text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click

ERROR = "error"
WARNING = "warning"

# C0 and C1 control characters, DEL, the Unicode line and paragraph separators and the bidi
# embedding/override/isolate marks: a terminal (or a CI log viewer) acts on them instead of
# showing them, so a value echoed back in a message could clear the screen, set the window
# title, forge a line of output or reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_IN_LINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\n``).

    Every message statuspress prints goes through this (``Diagnostic.format``, the ``Error:``
    line of every exception, click's own usage errors), because messages echo what a writer
    typed. ``lines``: keep line breaks (a multi-line detail such as a diff); a newline inside
    a one-line message is itself escaped, so no value can forge an extra line of output.
    """
    pattern = _UNPRINTABLE_IN_LINES if lines else _UNPRINTABLE
    if pattern.search(text) is None:  # the common case: no copy
        return text
    return pattern.sub(_escape, text)


# What json.dumps(ensure_ascii=False) leaves raw but a terminal acts on (it escapes C0 itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable_json(text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with no raw control character
    left (C1, DEL, separators and bidi marks as ``\\u`` escapes): values still read back exactly."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one file: ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    level: str = ERROR

    def format(self) -> str:
        """The one-line text form; control characters in any part are shown escaped."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = "warning: " if self.level == WARNING else ""
        return printable(f"{where}: {prefix}{what}")

    def sort_key(self) -> tuple[str, int, str, str, str]:
        # Total (level included) so the order never depends on which stage found a problem.
        return (self.path, self.line, self.field, self.message, self.level)


class ByLevel:
    """``errors`` and ``warnings`` of a result that holds its ``diagnostics``."""

    __slots__ = ()
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == WARNING]


class Diagnostics:
    """Collects problems from every stage so one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, path: str, line: int, field: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, field, message, ERROR))

    def warning(self, path: str, line: int, field: str, message: str) -> None:
        self.items.append(Diagnostic(path, line, field, message, WARNING))

    def add(self, path: str, line: int, field: str, message: str, level: str) -> None:
        self.items.append(Diagnostic(path, line, field, message, level))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted((d for d in self.items if d.level == ERROR), key=Diagnostic.sort_key)

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted((d for d in self.items if d.level == WARNING), key=Diagnostic.sort_key)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean`` hint for a misspelt key or value, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user wrote it: relative to the working directory when possible."""
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


class StatuspressError(click.ClickException):
    """Base of every expected failure; exit code 1 unless a subclass says otherwise.

    ``detail``: more lines shown after the message (a diff, a tool's output); its line breaks
    are kept, other control characters are escaped like the message's.
    """

    exit_code = 1

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    def format_message(self) -> str:
        text = printable(self.message)
        if self.detail:
            text += "\n" + printable(self.detail, lines=True)
        return text


class ContentError(StatuspressError):
    """The content has errors; carries every diagnostic so the CLI can print them all."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        n = len([d for d in diagnostics if d.level == ERROR])
        super().__init__(f"{n} error{'s' if n != 1 else ''} in content; nothing was written")


class BuildError(StatuspressError):
    """Rendering or writing failed (template error, unwritable output, path collision)."""


class UsageError(StatuspressError):
    """The command was called wrongly (bad option value); exit code 2 like click's own."""

    exit_code = 2
