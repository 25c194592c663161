"""Alert intake: a webhook payload from monitoring or on-call becomes a draft incident.

Formats plug in like every other extension (:mod:`statuspress.plugins`): the built-ins below
and any installed package's entry points in ``statuspress.alert_formats``, each an object
satisfying :class:`AlertFormat`. :func:`read_alert` detects the format (or takes the one
given), parses the payload and returns the normalised :class:`Alert`; :mod:`.intake` turns
it into a new incident or a follow-up edit of an open one.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import UsageError, did_you_mean
from ..plugins import PluginError, discover, run_plugin
from .alertmanager import Alertmanager
from .base import STATUSES, Alert, AlertFormat, PayloadError
from .datadog import Datadog
from .grafana import Grafana
from .opsgenie import Opsgenie
from .pagerduty import PagerDuty

GROUP = "alert_formats"
BUILTINS: dict[str, AlertFormat] = {
    f.name: f for f in (Alertmanager(), Grafana(), PagerDuty(), Opsgenie(), Datadog())
}
MAX_PAYLOAD_BYTES = 4 * 1024 * 1024
"""Larger bodies are refused: real notifications are kilobytes (Alertmanager truncates
groups with ``max_alerts``), and the whole body is held in memory."""


def formats() -> dict[str, AlertFormat]:
    """Every alert format: the built-ins, then installed plugins (by entry-point name)."""
    found = discover(GROUP, BUILTINS)
    for name, fmt in found.items():
        if not isinstance(fmt, AlertFormat):
            raise PluginError(
                f"alert_format plugin '{name}' does not provide name, expects, detect() and parse()"
            )
    return found


def decode(data: bytes) -> Any:
    """The JSON value of a webhook body; a clear error for anything that is not JSON."""
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadError(
            f"the alert payload is {len(data)} bytes, over the {MAX_PAYLOAD_BYTES}-byte limit"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"the alert payload is not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise PayloadError("the alert payload is empty; expected a JSON object")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PayloadError(
            f"the alert payload is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except (RecursionError, ValueError) as exc:  # absurd nesting; integers of 4300+ digits
        raise PayloadError(f"the alert payload cannot be read: {type(exc).__name__}") from None


def detect(payload: Any, known: dict[str, AlertFormat]) -> str:
    """The name of the format that reads ``payload`` most surely, or a clear refusal."""
    if not isinstance(payload, dict):
        raise PayloadError(
            f"the alert payload is {_kind(payload)}, not a JSON object; expected one of: "
            + "; ".join(f"{name}: {fmt.expects}" for name, fmt in known.items())
        )
    scores: dict[str, int] = {}
    for name, fmt in known.items():
        score = run_plugin(GROUP, name, fmt.detect, payload)
        if isinstance(score, bool):
            score = 10 if score else 0  # a plugin may answer yes/no: an ordinary certainty
        if not isinstance(score, int | float):
            raise PluginError(
                f"alert_format plugin '{name}': detect() returned "
                f"{type(score).__name__}, not a number"
            )
        if score > 0:
            scores[name] = int(score)
    if not scores:
        keys = ", ".join(sorted(str(k) for k in payload)[:12]) or "no keys"
        raise PayloadError(
            f"unknown alert payload (top-level keys: {keys}); expected one of:\n"
            + "\n".join(f"  {name}: {fmt.expects}" for name, fmt in known.items())
            + "\nor pass --format NAME"
        )
    best = max(scores.values())
    winners = sorted(n for n, s in scores.items() if s == best)
    if len(winners) > 1:
        raise PayloadError(
            f"the alert payload could be {' or '.join(winners)}; pass --format to choose"
        )
    return winners[0]


def read_alert(data: bytes, fmt: str | None = None) -> Alert:
    """Decode, detect (unless ``fmt`` is given) and parse one webhook payload."""
    known = formats()
    if fmt is not None and fmt not in known:
        raise UsageError(
            f"unknown alert format '{fmt}'{did_you_mean(fmt, known)}; use one of "
            + ", ".join(known)
        )
    payload = decode(data)
    name = fmt or detect(payload, known)
    if not isinstance(payload, dict):
        raise PayloadError(f"the alert payload is {_kind(payload)}; expected {known[name].expects}")
    alert = run_plugin(GROUP, name, known[name].parse, payload)
    if not isinstance(alert, Alert):
        raise PluginError(
            f"alert_format plugin '{name}': parse() returned {type(alert).__name__}, not an Alert"
        )
    if alert.status not in STATUSES:
        raise PluginError(
            f"alert_format plugin '{name}': status '{alert.status}' is not one "
            f"of {', '.join(STATUSES)}"
        )
    if not alert.key.strip():
        raise PayloadError(f"{name} payload: the alert has no id or dedup key")
    return alert


def _kind(value: Any) -> str:
    from .base import type_name

    return type_name(value)


__all__ = [
    "BUILTINS",
    "Alert",
    "AlertFormat",
    "PayloadError",
    "decode",
    "detect",
    "formats",
    "read_alert",
]
