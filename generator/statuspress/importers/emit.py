"""The one deterministic YAML/Markdown emitter for imported files.

Same records in, same bytes out: keys in the order the mapping gives them, every free text
double-quoted (or a ``|-`` block for multi-line text that reads back equal), timestamps in
ISO 8601 with their offset. It covers exactly the value types the content model uses, so it
needs no YAML library (and is fast enough for 10,000 incidents).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ..authoring.common import YAML_UNSAFE as _YAML_UNSAFE
from ..authoring.common import quoted
from . import IncidentRecord

_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_-]*")
_PLAIN_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# YAML 1.1 reads these plain words as booleans or null.
_SPECIAL_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    plain = _PLAIN_KEY.fullmatch(text) and text.lower() not in _SPECIAL_WORDS
    return text if plain else quoted(text)


def timestamp(moment: dt.datetime) -> str:
    spec = "milliseconds" if moment.microsecond % 1000 == 0 else "microseconds"
    if not moment.microsecond:
        spec = "seconds"
    text = moment.isoformat(timespec=spec)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _block(text: str, indent: str) -> str | None:
    """``|-`` literal block for multi-line text, when it reads back exactly the same."""
    if "\n" not in text or text != text.strip() or _YAML_UNSAFE.search(text) or "\r" in text:
        return None
    lines = text.split("\n")
    if any(line != line.rstrip() for line in lines):
        return None
    return "|-\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


def scalar(value: Any, indent: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, Enum):
        return value.value
    text = str(value)
    if _PLAIN_VALUE.fullmatch(text) and text.lower() not in _SPECIAL_WORDS:
        return text  # ids and single words read back as the same string
    return _block(text, indent) or quoted(text)


class Enum:
    """A value from a fixed list (a status, a severity): written plain."""

    __slots__ = ("value",)
    value: str
    _made: dict[str, Enum] = {}

    def __new__(cls, value: str) -> Enum:
        # A few dozen distinct values, made 100,000 times in a large import: share them.
        made = cls._made.get(value)
        if made is None:
            if not _PLAIN_VALUE.fullmatch(value) or value.lower() in _SPECIAL_WORDS:
                raise ValueError(f"not a plain enum value: {value!r}")
            made = super().__new__(cls)
            made.value = value
            cls._made[value] = made
        return made

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Enum) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Enum({self.value!r})"


def emit(value: dict[str, Any], indent: str = "") -> list[str]:
    """The lines of a YAML mapping."""
    out: list[str] = []
    for name, item in value.items():
        head = f"{indent}{key(name)}:"
        if isinstance(item, dict):
            if not item:
                out.append(f"{head} {{}}")
                continue
            out.append(head)
            out.extend(emit(item, indent + "  "))
        elif isinstance(item, list):
            if not item:
                out.append(f"{head} []")
                continue
            out.append(head)
            for element in item:
                out.extend(_list_item(element, indent + "  "))
        else:
            out.append(f"{head} {scalar(item, indent + '  ')}")
    return out


def _list_item(element: Any, indent: str) -> list[str]:
    if isinstance(element, dict):
        lines = emit(element, indent + "  ")
        if not lines:
            return [f"{indent}- {{}}"]
        return [f"{indent}- {lines[0].lstrip()}", *lines[1:]]
    return [f"{indent}- {scalar(element, indent + '  ')}"]


def yaml_document(value: dict[str, Any], header: str = "") -> str:
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    return "\n".join([*lines, *emit(value)]) + "\n"


def incident_file(record: IncidentRecord) -> str:
    """An incident file: front matter (with ``source``) and the body."""
    front = dict(record.front)
    source: dict[str, Any] = {"id": record.source_id}
    if record.source_url:
        source["url"] = record.source_url
    front["source"] = source
    body = record.body.strip("\n")
    text = "---\n" + "\n".join(emit(front)) + "\n---\n"
    return text + (f"\n{body}\n" if body else "")
