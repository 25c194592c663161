"""A small declarative schema: one definition validates content and emits JSON Schema.

Each type checks a value built by :mod:`statuspress.yaml` (which knows the line of every key
and item), converts it (timestamps to aware datetimes, dates to ``date``) and reports *every*
problem through a :class:`Where`. ``json_schema()`` turns the same definition into the JSON
Schema shipped for editors, so the two can never disagree by construction; a test checks the
demo corpus against both anyway.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import did_you_mean
from .yaml import LList, LMap

INVALID: Any = object()
LANG_SLOT = "<lang>"
LANG_TAG = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"
"""A language tag in a key (``title_pt-BR``): BCP 47, lower-case language first."""
"""Returned by a check that failed; callers skip the field (the error is already reported)."""

MIN_YEAR = 1970
MAX_YEAR = 2100
"""Timestamps and dates outside these years are typos (and would overflow date arithmetic)."""
MAX_OFFSET = dt.timedelta(hours=14)
"""No real UTC offset is larger (they run from -12:00 to +14:00)."""

# What the validator accepts, as JSON Schema patterns: the same years and offsets as above and
# real calendar dates (leap years included), so a schema-aware editor and `check` agree.
_YEAR = r"(?:19[7-9][0-9]|20[0-9][0-9]|2100)"
_LEAP_YEAR = r"(?:19[79][26]|198[048]|20[02468][048]|20[13579][26])"
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)"
)
_DAY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
_ZONE = r"(?:[Zz]|[+-](?:0[0-9]|1[0-3]):?[0-5][0-9]|[+-]14:?00)"
OFFSET_RE = rf"^{_DAY}[Tt ]{_TIME}{_ZONE}$"
DATE_RE = rf"^{_DAY}$"
# What the validator recognises before it checks values (so the message can be precise).
_OFFSET = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NAIVE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")
TEXT_RE = r"^(?=[\s\S]*\S)[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""Free text as JSON Schema sees it: not blank, no control characters."""
LINE_RE = r"^(?=[\s\S]*\S)[^\x00-\x08\x0a-\x1f\x7f-\x9f]*\n*$"
"""One line of text: as :data:`TEXT_RE`, without line breaks (final newlines are dropped)."""
_BREAK = re.compile(r"[\n\r]")


@dataclass(slots=True)
class Where:
    """Where a value stands: file, line and dotted field name, plus the error sink."""

    path: str
    line: int
    field: str
    report: Callable[[str, int, str, str], None]

    def error(self, message: str) -> None:
        self.report(self.path, self.line, self.field, message)

    def at(self, field: str, line: int) -> Where:
        return Where(self.path, line, field, self.report)


def type_name(value: Any, json: bool = False) -> str:
    """What kind of value a writer (YAML words) or a sender (``json``: JSON words) gave."""
    if value is None:
        return "null" if json else "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object" if json else "a mapping"
    return type(value).__name__  # pragma: no cover


class Type:
    """Base of every schema type.

    ``check`` is the authority: it converts a value or reports why it cannot. ``quick`` is an
    optional shortcut for the common valid case, returning the converted value without
    building a :class:`Where`, or ``INVALID`` to mean "ask ``check``" (which then reports).
    Most fields of most files are valid, so this halves the schema's share of ``check``.
    """

    help: str = ""

    def check(self, value: Any, where: Where) -> Any:
        raise NotImplementedError

    def quick(self, value: Any) -> Any:
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _doc(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.help:
            schema["description"] = self.help
        return schema


class Str(Type):
    """One line of text (names, titles, ids); :class:`Text` is the multi-line kind."""

    def __init__(
        self,
        help: str = "",
        pattern: str | None = None,
        max_len: int = 10_000,
        hint: str = "",
        multiline: bool = False,
    ) -> None:
        self.help = help
        self.pattern = pattern
        self.regex = re.compile(pattern) if pattern else None
        self.max_len = max_len
        self.hint = hint
        self.multiline = multiline

    def quick(self, value: Any) -> Any:
        if (
            value.__class__ is str
            and len(value) <= self.max_len
            and (self.regex.fullmatch(value) if self.regex else value.strip())
            and not _CONTROL.search(value)
            and (self.multiline or not _BREAK.search(value))
        ):
            return value
        return INVALID

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and self.regex is None:
            value = str(value)  # `owner: 42` is clearly meant as text
        if not isinstance(value, str):
            where.error(f"expected text, got {type_name(value)}")
            return INVALID
        if not value.strip():
            where.error("must not be empty")
            return INVALID
        control = _CONTROL.search(value)
        if control:
            # Invisible characters (pasted terminal colours, NUL) break HTML and XML output.
            where.error(f"contains the control character U+{ord(control.group()):04X}; remove it")
            return INVALID
        if len(value) > self.max_len:
            where.error(f"longer than {self.max_len} characters")
            return INVALID
        if not self.multiline:
            # A title or name is shown on one line (and a feed or calendar header cannot hold
            # a break); YAML's folded `>` leaves a final newline, which is dropped.
            value = value.rstrip("\n")
            if _BREAK.search(value):
                where.error("must be a single line (it contains a line break)")
                return INVALID
        if self.regex and not self.regex.fullmatch(value):
            where.error(f"'{value}' is not valid{self.hint or f' (must match {self.pattern})'}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        if self.pattern:
            schema: dict[str, Any] = {
                "type": "string",
                "minLength": 1,
                "maxLength": self.max_len,
                "pattern": f"^(?:{self.pattern})$",
            }
        else:
            # Numbers are accepted as text (`owner: 42`), as the validator reads them.
            schema = {
                "type": ["string", "number"],
                "minLength": 1,
                "maxLength": self.max_len,
                "pattern": TEXT_RE if self.multiline else LINE_RE,
            }
        return self._doc(schema)


class Int(Type):
    def __init__(self, help: str = "", minimum: int | None = None, maximum: int | None = None):
        self.help = help
        self.minimum = minimum
        self.maximum = maximum

    def quick(self, value: Any) -> Any:
        if value.__class__ is int and (self.minimum is None or value >= self.minimum):
            if self.maximum is None or value <= self.maximum:
                return value
        return INVALID

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # `90.0` is a whole number (and JSON cannot tell them apart)
        if isinstance(value, bool) or not isinstance(value, int):
            where.error(f"expected a whole number, got {type_name(value)}")
            return INVALID
        if self.minimum is not None and value < self.minimum:
            where.error(f"must be at least {self.minimum}")
            return INVALID
        if self.maximum is not None and value > self.maximum:
            where.error(f"must be at most {self.maximum}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return self._doc(schema)


class Float(Type):
    def __init__(self, help: str = "", minimum: float = 0.0, maximum: float | None = None):
        self.help = help
        self.minimum = minimum
        self.maximum = maximum

    def quick(self, value: Any) -> Any:
        if (value.__class__ is int or value.__class__ is float) and math.isfinite(value):
            if value >= self.minimum and (self.maximum is None or value <= self.maximum):
                return float(value)
        return INVALID

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            where.error(f"expected a number, got {type_name(value)}")
            return INVALID
        if not math.isfinite(value):
            where.error(f"expected a finite number, got {value}")
            return INVALID
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            if self.maximum is None:
                where.error(f"must be at least {self.minimum}")
            else:
                where.error(f"must be between {self.minimum} and {self.maximum}")
            return INVALID
        return float(value)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number", "minimum": self.minimum}
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return self._doc(schema)


class Bool(Type):
    def __init__(self, help: str = "") -> None:
        self.help = help

    def quick(self, value: Any) -> Any:
        return value if value is True or value is False else INVALID

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, bool):
            where.error(f"expected true or false, got {type_name(value)}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return self._doc({"type": "boolean"})


class Enum(Type):
    def __init__(self, values: tuple[str, ...] | list[str], help: str = "") -> None:
        self.values = tuple(values)
        self._set = frozenset(self.values)
        self.help = help

    def quick(self, value: Any) -> Any:
        return value if value.__class__ is str and value in self._set else INVALID

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str) or value not in self.values:
            shown = value if isinstance(value, str) else type_name(value)
            hint = did_you_mean(value, self.values) if isinstance(value, str) else ""
            where.error(f"'{shown}' is not one of {', '.join(self.values)}{hint}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return self._doc({"type": "string", "enum": list(self.values)})


def _parse_timestamp(text: str) -> dt.datetime | str:
    """An aware datetime in the accepted range, or the reason it is not one."""
    try:
        parsed = dt.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
    except ValueError as exc:
        return f"'{text}' is not a valid timestamp: {exc}"
    offset = parsed.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        return f"'{text}' has an offset beyond ±14:00, which no place uses"
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return f"'{text}' is out of range: use a year from {MIN_YEAR} to {MAX_YEAR}"
    return parsed


class Timestamp(Type):
    """ISO 8601 with an explicit offset; a naive time is an error, never a guess."""

    def __init__(self, help: str = "") -> None:
        self.help = help

    def quick(self, value: Any) -> Any:
        if value.__class__ is str and _OFFSET.fullmatch(value):
            parsed = _parse_timestamp(value)
            if parsed.__class__ is dt.datetime:
                return parsed
        return INVALID

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str):
            where.error(f"expected a timestamp like 2026-11-24T02:47:00Z, got {type_name(value)}")
            return INVALID
        text = value
        if _NAIVE.fullmatch(text):
            where.error(
                f"timestamp '{text}' has no UTC offset; add one, e.g. '{text}Z' or '{text}+01:00'"
            )
            return INVALID
        if _DATE.fullmatch(text):
            where.error(
                f"'{text}' is a date; a time with an offset is needed, e.g. {text}T00:00:00Z"
            )
            return INVALID
        if not _OFFSET.fullmatch(text):
            where.error(f"'{text}' is not an ISO 8601 timestamp like 2026-11-24T02:47:00Z")
            return INVALID
        parsed = _parse_timestamp(text)
        if isinstance(parsed, str):
            where.error(parsed)
            return INVALID
        return parsed

    def json_schema(self) -> dict[str, Any]:
        # No "format": JSON Schema's date-time wants seconds; the pattern says what we accept.
        return self._doc({"type": "string", "pattern": OFFSET_RE})


class Date(Type):
    def __init__(self, help: str = "") -> None:
        self.help = help

    def quick(self, value: Any) -> Any:
        if value.__class__ is str and _DATE.fullmatch(value):
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                return INVALID
            if MIN_YEAR <= parsed.year <= MAX_YEAR:
                return parsed
        return INVALID

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            shown = value if isinstance(value, str) else type_name(value)
            where.error(f"'{shown}' is not a date like 2026-12-01")
            return INVALID
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError as exc:
            where.error(f"'{value}' is not a valid date: {exc}")
            return INVALID
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            where.error(f"'{value}' is out of range: use a year from {MIN_YEAR} to {MAX_YEAR}")
            return INVALID
        return parsed

    def json_schema(self) -> dict[str, Any]:
        return self._doc({"type": "string", "format": "date", "pattern": DATE_RE})


class List(Type):
    def __init__(self, item: Type, help: str = "", unique: bool = False) -> None:
        self.item = item
        self.help = help
        self.unique = unique

    def quick(self, value: Any) -> Any:
        if not isinstance(value, list):
            return INVALID
        item_quick = self.item.quick
        result = [item_quick(item) for item in value]
        if INVALID in result:  # identity first: INVALID equals only itself
            return INVALID
        if self.unique:
            texts = [c for c in result if isinstance(c, str)]
            if len(set(texts)) != len(texts):
                return INVALID
        return result

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, list):
            where.error(f"expected a list, got {type_name(value)}")
            return INVALID
        lines = value.lines if isinstance(value, LList) else []
        result = []
        seen: set[Any] = set()
        item_type = self.item
        for index, item in enumerate(value):
            sub: Where | None = None
            checked = item_type.quick(item)
            if checked is INVALID:
                line = lines[index] if index < len(lines) else where.line
                sub = where.at(f"{where.field}[{index}]", line)
                checked = item_type.check(item, sub)
                if checked is INVALID:
                    continue
            if self.unique and isinstance(checked, str):
                if checked in seen:
                    line = lines[index] if index < len(lines) else where.line
                    where.at(f"{where.field}[{index}]", line).error(f"'{checked}' is listed twice")
                    continue
                seen.add(checked)
            result.append(checked)
        return result

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.unique:
            schema["uniqueItems"] = True
        return self._doc(schema)


class Map(Type):
    """A mapping of free keys (ids) to values of one type."""

    def __init__(self, key: Type, value: Type, help: str = "") -> None:
        self.key = key
        self.value = value
        self.help = help

    def quick(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return INVALID
        key_quick, value_quick = self.key.quick, self.value.quick
        result = {}
        for key, item in value.items():
            checked_key = key_quick(key)
            checked = value_quick(item)
            if checked_key is INVALID or checked is INVALID:
                return INVALID
            result[checked_key] = checked
        return result

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, dict):
            where.error(f"expected a mapping, got {type_name(value)}")
            return INVALID
        result = {}
        key_type, value_type = self.key, self.value
        for key, item in value.items():
            checked_key = key_type.quick(key)
            checked = value_type.quick(item)
            if checked_key is INVALID or checked is INVALID:
                line = value.line_of(key) if isinstance(value, LMap) else where.line
                sub = where.at(f"{where.field}.{key}", line)
                checked_key = key_type.check(key, sub)
                checked = value_type.check(item, sub)
            if checked_key is not INVALID and checked is not INVALID:
                result[checked_key] = checked
        return result

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": self.value.json_schema(),
        }
        key = self.key.json_schema()
        if "pattern" in key:
            schema["propertyNames"] = {"pattern": key["pattern"]}
        elif "enum" in key:
            schema["propertyNames"] = {"enum": key["enum"]}
        return self._doc(schema)


@dataclass(frozen=True)
class F:
    """One field of an :class:`Obj`."""

    type: Type
    required: bool = False
    help: str = ""


class Obj(Type):
    """A mapping with a fixed set of keys; unknown keys are errors with a suggestion."""

    def __init__(
        self,
        fields: Mapping[str, F],
        help: str = "",
        what: str = "",
        patterns: Mapping[str, F] | None = None,
    ) -> None:
        self.fields = dict(fields)
        self.help = help
        self.what = what
        self.patterns = dict(patterns or {})
        """Optional keys by pattern: ``title_<lang>`` is ``title_`` and a language tag."""
        self._patterns = [
            (re.compile(re.escape(name).replace(re.escape(LANG_SLOT), LANG_TAG)), spec)
            for name, spec in self.patterns.items()
        ]
        self._required = tuple(k for k, s in self.fields.items() if s.required)
        self._required_set = frozenset(self._required)
        self._quick = {k: s.type.quick for k, s in self.fields.items()}

    def pattern_field(self, key: str) -> F | None:
        """The definition of a key matched by a pattern (``title_de``), else None."""
        for regex, spec in self._patterns:
            if regex.fullmatch(key):
                return spec
        return None

    def quick(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return INVALID
        quick = self._quick
        result: dict[str, Any] = {}
        for key, item in value.items():
            shortcut = quick.get(key)
            if shortcut is None:
                spec = self.pattern_field(key) if self._patterns else None
                if spec is None:
                    return INVALID  # an unknown key: `check` says which
                shortcut = spec.type.quick
            if item is None:
                if key in self._required_set:
                    return INVALID
                continue
            checked = shortcut(item)
            if checked is INVALID:
                return INVALID
            result[key] = checked
        for key in self._required:
            if key not in result:
                return INVALID
        return result

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, dict):
            where.error(
                f"expected a mapping{f' ({self.what})' if self.what else ''}, got "
                f"{type_name(value)}"
            )
            return INVALID
        result: dict[str, Any] = {}
        lines = value.lines if isinstance(value, LMap) else {}
        fields = self.fields
        quick = self._quick
        for key, item in value.items():
            shortcut = quick.get(key)
            if shortcut is not None and item is not None:
                checked = shortcut(item)
                if checked is not INVALID:
                    result[key] = checked
                    continue
            spec = fields.get(key) or (self.pattern_field(key) if self._patterns else None)
            line = lines.get(key, where.line)
            name = f"{where.field}.{key}" if where.field else key
            if spec is None:
                hint = did_you_mean(key, fields) or f"; allowed: {', '.join(fields)}"
                where.at(name, line).error(f"unknown key{hint}")
                continue
            if item is None:
                if spec.required:
                    where.at(name, line).error("is required but empty")
                continue  # `key:` with no value means "not set"
            checked = spec.type.check(item, where.at(name, line))
            if checked is not INVALID:
                result[key] = checked
        for key in self._required:
            if key not in value:
                name = f"{where.field}.{key}" if where.field else key
                where.at(name, where.line).error("is required")
        return result

    def json_schema(self) -> dict[str, Any]:
        properties = {}
        for key, spec in self.fields.items():
            sub = spec.type.json_schema()
            if spec.help:
                sub["description"] = spec.help
            if not spec.required:
                # `key:` with no value means "not set", as the validator reads it.
                sub = {"anyOf": [sub, {"type": "null"}], "description": sub.get("description", "")}
            properties[key] = sub
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if self.patterns:
            schema["patternProperties"] = {
                "^" + regex.pattern + "$": {
                    "anyOf": [spec.type.json_schema(), {"type": "null"}],
                    "description": spec.help,
                }
                for regex, spec in self._patterns
            }
        if self._required:
            schema["required"] = list(self._required)
        return self._doc(schema)


def check_document(
    schema: Obj, value: Any, path: str, line: int, report: Callable[[str, int, str, str], None]
) -> dict[str, Any] | None:
    """Validate a whole document (front matter or catalog); ``None`` if it is not a mapping."""
    if value is None:
        value = LMap(line)
    checked = schema.quick(value)  # the common case: valid, nothing to report
    if checked is INVALID:
        checked = schema.check(value, Where(path, line, "", report))
    return None if checked is INVALID else checked


class Text(Str):
    """Free text (Markdown), possibly long."""

    def __init__(self, help: str = "", max_len: int = 20_000) -> None:
        super().__init__(help=help, max_len=max_len, multiline=True)
