"""The values the YAML readers build: mappings and sequences that remember their lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ERROR

MAX_DEPTH = 32
"""Deepest nesting accepted; real content needs about 4 levels."""


class LMap(dict[str, Any]):
    """A mapping that remembers where it and each of its keys stand (1-based file lines)."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:  # no super().__init__(): it starts empty anyway
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LList(list[Any]):
    """A sequence that remembers the line of each item."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        self.line = line
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass(slots=True)
class YamlProblem:
    line: int
    field: str
    message: str
    level: str = ERROR
    """``error``, or ``warning`` for a value that reads differently in older YAML tools."""
