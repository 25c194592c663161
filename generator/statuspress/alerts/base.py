"""What every alert format shares: the normalised :class:`Alert`, the :class:`AlertFormat`
interface a format implements, and careful readers for untrusted JSON.

A webhook body is input from another system, possibly from anyone who can reach the endpoint:
every field is read through :class:`Fields`, which names the field in its error when the type
is wrong, so a malformed payload becomes one clear message and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..errors import StatuspressError
from ..schema import MAX_YEAR, MIN_YEAR
from ..schema import type_name as schema_type_name

FIRING = "firing"
ACKNOWLEDGED = "acknowledged"
RESOLVED = "resolved"
OTHER = "other"
STATUSES = (FIRING, ACKNOWLEDGED, RESOLVED, OTHER)
"""``other``: an event about the alert that changes none of the three (a note, a new assignee)."""


class PayloadError(StatuspressError):
    """The payload is not what the format expects; the message names the field."""


@dataclass(slots=True)
class Alert:
    """One alert (or one alert group) as statuspress needs it, whatever system sent it."""

    source: str
    """The format's name: ``alertmanager``, ``grafana``, ``pagerduty``, ``opsgenie``, ..."""
    key: str
    """The dedup key: the same key again is the same alert (a follow-up event)."""
    status: str
    """One of :data:`STATUSES`."""
    title: str
    summary: str = ""
    event: str = ""
    """The system's own name for this event (``incident.acknowledged``, ``Close``, ...)."""
    event_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)
    """(name, URL) pairs: runbooks, dashboards, the alert in its own system."""
    priority: str = ""
    """``P1``..``P5`` when the system has priorities."""
    urgency: str = ""
    """PagerDuty's ``high``/``low``."""
    severity: str = ""
    """The system's severity word (``labels.severity``, Datadog's alert type)."""
    services: list[str] = field(default_factory=list)
    """Service hints from the system: PagerDuty service ids and names."""
    tags: list[str] = field(default_factory=list)
    """Opsgenie tags and entity, Datadog tags."""
    actor: str = ""
    """Who caused the event (a PagerDuty agent, an Opsgenie user), when known."""
    instances: list[dict[str, str]] = field(default_factory=list)
    """The individual alerts of a group (Alertmanager/Grafana), a few fields each."""

    def match_text(self) -> str:
        """The text ``statuspress match`` is run on: alert name, title and summary."""
        parts: list[str] = []
        for part in (self.labels.get("alertname", ""), self.title, self.summary):
            part = " ".join(part.split())
            if part and part not in parts:
                parts.append(part)
        return " ".join(parts)[:2000]


@runtime_checkable
class AlertFormat(Protocol):
    """A webhook payload format. Built-ins live in this package; a third-party package adds
    one with an entry point in the group ``statuspress.alert_formats``."""

    name: str
    """Short id, used by ``--format`` and stored in the incident (``alert.source``)."""
    expects: str
    """What a payload of this format looks like, for error messages."""

    def detect(self, payload: Any) -> int:
        """How sure this format is that it can read ``payload``: 0 not at all, higher is surer
        (10: the system's typical keys; 20: a key only this system sends). ``True`` and
        ``False`` are read as 10 and 0."""
        ...

    def parse(self, payload: Any) -> Alert:
        """The normalised alert; raise :class:`PayloadError` naming the field when it cannot."""
        ...


# -- reading untrusted JSON ------------------------------------------------------------------


def type_name(value: Any) -> str:
    """A JSON value's kind in JSON's words (``null``, ``an object``), as schema.py names them."""
    return schema_type_name(value, json=True)


class Fields:
    """Typed access to one JSON object; errors name the field path (``alerts[0].labels``)."""

    def __init__(self, value: Any, path: str, fmt: str) -> None:
        if not isinstance(value, dict):
            raise PayloadError(
                f"{fmt} payload: {path or 'the body'}: expected an object, got {type_name(value)}"
            )
        self.value: dict[str, Any] = value
        self.path = path
        self.fmt = fmt

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, expected: str, value: Any) -> PayloadError:
        return PayloadError(
            f"{self.fmt} payload: {self.where(key)}: expected {expected}, got {type_name(value)}"
        )

    def has(self, key: str) -> bool:
        return self.value.get(key) is not None

    def text(self, key: str, required: bool = False) -> str:
        """Text (numbers are read as text); missing or null is ''."""
        value = self.value.get(key)
        if value is None:
            if required:
                raise PayloadError(f"{self.fmt} payload: {self.where(key)} is missing")
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(key, "text", value)
        if required and not value.strip():
            raise PayloadError(f"{self.fmt} payload: {self.where(key)} is empty")
        return value

    def obj(self, key: str, required: bool = False) -> Fields:
        value = self.value.get(key)
        if value is None:
            if required:
                raise PayloadError(f"{self.fmt} payload: {self.where(key)} is missing")
            value = {}
        if not isinstance(value, dict):
            raise self.fail(key, "an object", value)
        return Fields(value, self.where(key), self.fmt)

    def objects(self, key: str, required: bool = False) -> list[Fields]:
        value = self.value.get(key)
        if value is None:
            if required:
                raise PayloadError(f"{self.fmt} payload: {self.where(key)} is missing")
            return []
        if not isinstance(value, list):
            raise self.fail(key, "a list", value)
        return [Fields(item, f"{self.where(key)}[{i}]", self.fmt) for i, item in enumerate(value)]

    def texts(self, key: str) -> list[str]:
        """A list of text, or one comma-separated text (Datadog's ``$TAGS``)."""
        value = self.value.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            raise self.fail(key, "a list of text", value)
        out = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise PayloadError(
                    f"{self.fmt} payload: {self.where(key)}[{index}]: expected "
                    f"text, got {type_name(item)}"
                )
            out.append(str(item))
        return out

    def string_map(self, key: str) -> dict[str, str]:
        """An object of text values (labels, annotations); numbers and booleans become text."""
        value = self.value.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "an object of text values", value)
        out: dict[str, str] = {}
        for name, item in value.items():
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, int | float):
                item = str(item)
            elif not isinstance(item, str):
                raise PayloadError(
                    f"{self.fmt} payload: {self.where(key)}.{name}: expected "
                    f"text, got {type_name(item)}"
                )
            out[str(name)] = item
        return out

    def time(self, key: str) -> dt.datetime | None:
        """A timestamp: RFC 3339 (nanoseconds allowed) or epoch seconds/ms/µs/ns."""
        value = self.value.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, "a timestamp", value)
        moment = parse_time(value)
        if moment is _BAD:
            raise PayloadError(
                f"{self.fmt} payload: {self.where(key)}: '{str(value)[:60]}' is not a "
                "timestamp (expected RFC 3339 like 2026-11-24T02:47:00Z or epoch milliseconds)"
            )
        return moment


_BAD: Any = object()
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2}|\s*UTC)?"
)
_EPOCH = re.compile(r"-?\d{1,20}(?:\.\d+)?")


def parse_time(value: str | int | float) -> dt.datetime | None | Any:
    """An aware UTC datetime; None for Go's zero time and out-of-range years; ``_BAD`` when
    the text is not a time at all."""
    if isinstance(value, str):
        text = value.strip()
        if _EPOCH.fullmatch(text):
            value = float(text)
        else:
            found = _RFC3339.match(text)
            if not found:
                return _BAD
            year, month, day, hour, minute = (int(found.group(i)) for i in range(1, 6))
            second = int(found.group(6) or 0)
            micro = int((found.group(7) or "0")[:6].ljust(6, "0"))
            zone = (found.group(8) or "Z").strip()
            if year < MIN_YEAR or year > MAX_YEAR:
                return None  # Go's zero time 0001-01-01 means "not set"
            try:
                if zone in ("Z", "z", "UTC"):
                    tz: dt.tzinfo = dt.UTC
                else:
                    sign = -1 if zone[0] == "-" else 1
                    digits = zone[1:].replace(":", "")
                    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                    tz = dt.timezone(sign * offset)
                moment = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
            except ValueError:
                return _BAD
            return moment.astimezone(dt.UTC)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return _BAD
    # Epochs come in seconds (Datadog's older fields), milliseconds (Opsgenie createdAt,
    # Datadog $DATE), microseconds or nanoseconds (Opsgenie updatedAt): tell them by size.
    for limit, scale in ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9)):
        if abs(number) < limit:
            seconds = number / scale
            break
    else:
        return _BAD
    try:
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return _BAD
    if not MIN_YEAR <= moment.year <= MAX_YEAR or seconds <= 0:
        return None
    return moment


def fingerprint(labels: dict[str, str]) -> str:
    """A stable key for a label set when the sender gives none (older Alertmanagers)."""
    data = json.dumps(sorted(labels.items()), ensure_ascii=False).encode("utf-8", "replace")
    return hashlib.sha256(data).hexdigest()[:16]


def is_url(text: str) -> bool:
    return bool(re.match(r"https?://[^\s]+$", text.strip()))
