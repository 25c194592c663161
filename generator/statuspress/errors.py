"""Diagnostics and the one exception hierarchy the CLI turns into exit codes.

Library code never prints or exits: it collects :class:`Diagnostic` objects and raises a
:class:`StatuspressError` subclass; ``cli.py`` is the only boundary that turns them into text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one file: ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    level: str = ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = "warning: " if self.level == WARNING else ""
        return f"{where}: {prefix}{what}"

    def sort_key(self) -> tuple[str, int, str, str, str]:
        # Total (level included) so the order never depends on which stage found a problem.
        return (self.path, self.line, self.field, self.message, self.level)


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
    """Base of every expected failure; exit code 1 unless a subclass says otherwise."""

    exit_code = 1


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
