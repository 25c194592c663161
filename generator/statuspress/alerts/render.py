"""The internal body of an incident opened from an alert: the alert's details, the suggested
known errors and runbooks, and a log of the alert's events.

Everything here comes from another system and is written into Markdown that the internal
site renders: labels and annotations may hold HTML, Markdown, control characters or very
long text. :func:`inline` makes any text one safe line (no markup survives, nothing is
lost but control characters and the excess length) and :func:`link` writes only http(s)
URLs, percent-encoding what could end the link.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse

from ..internal.match import Match
from ..internal.mdtext import esc
from .base import Alert

MAX_VALUE = 500
MAX_ROWS = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+")


def clean(text: str, limit: int = MAX_VALUE) -> str:
    """One line of text: control characters and line breaks become spaces; cut to ``limit``."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def inline(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` as literal Markdown (the internal site's own escaping: HTML and markup)."""
    return esc(clean(text, limit))


def link(name: str, url: str) -> str:
    """``[name](url)`` for an http(s) URL, else the URL as plain text."""
    url = clean(url, 2000)
    if not _SAFE_URL.fullmatch(url):
        return f"{inline(name)}: {inline(url)}"
    safe = urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~-._[]")
    return f"[{inline(name, 100)}]({safe.replace('[', '%5B').replace(']', '%5D')})"


def when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "not given"
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _table(title: str, rows: dict[str, str]) -> list[str]:
    if not rows:
        return []
    lines = [f"### {title}", "", "| name | value |", "|---|---|"]
    for name, value in list(sorted(rows.items()))[:MAX_ROWS]:
        lines.append(f"| {inline(name, 100)} | {inline(value)} |")
    if len(rows) > MAX_ROWS:
        lines.append(f"| … | {len(rows) - MAX_ROWS} more |")
    return [*lines, ""]


def alert_section(alert: Alert, system: str, severity_reason: str, services: str) -> str:
    """``## Alert``: where it came from and everything it said."""
    lines = [
        "## Alert",
        "",
        f"Opened from an alert sent by {system}. Later events of the same alert (same key) "
        "update this file (`statuspress new incident --from-alert`).",
        "",
        f"- **Key:** {inline(alert.key, 300)}",
        f"- **Status:** {inline(alert.status)}"
        + (f" ({inline(alert.event, 100)})" if alert.event and alert.event != alert.status else ""),
        f"- **Started:** {when(alert.started_at)}",
        f"- **Severity:** {severity_reason}",
        f"- **Services:** {services}",
    ]
    if alert.priority:
        lines.append(f"- **Priority:** {inline(alert.priority, 20)}")
    if alert.urgency:
        lines.append(f"- **Urgency:** {inline(alert.urgency, 20)}")
    if alert.services:
        lines.append(
            f"- **{system} service:** " + ", ".join(inline(s, 200) for s in alert.services)
        )
    if alert.tags:
        lines.append("- **Tags:** " + ", ".join(inline(t, 200) for t in alert.tags[:MAX_ROWS]))
    if alert.summary:
        lines.append(f"- **Summary:** {inline(alert.summary, 2000)}")
    lines.append("")
    lines += _table("Labels", alert.labels)
    lines += _table("Annotations", alert.annotations)
    if alert.links:
        lines += ["### Links", ""]
        lines += [f"- {link(name, url)}" for name, url in alert.links[:MAX_ROWS]]
        lines.append("")
    if len(alert.instances) > 1:
        lines += ["### Alerts in this group", ""]
        for item in alert.instances:
            parts = [f"{inline(k, 100)}: {inline(v, 200)}" for k, v in item.items()]
            lines.append("- " + "; ".join(parts))
        lines.append("")
    return "\n".join(lines)


def suggestions_section(text: str, found: list[Match]) -> str:
    """``## Suggested known errors and runbooks``: ``statuspress match`` on the alert's text."""
    lines = [
        "## Suggested known errors and runbooks",
        "",
        f"`statuspress match` on the alert's text: {inline(text, 2000)}",
        "",
    ]
    if not found:
        lines.append("No known error or runbook matches. If this alert recurs, write one.")
    for number, m in enumerate(found, 1):
        what = "known error" if m.kind == "known_error" else "runbook"
        score = f"{m.score:.4f}".rstrip("0").rstrip(".")
        lines.append(
            f"{number}. **{m.id}** {inline(m.title, 300)} ({what}, status "
            f"{m.status.replace('_', ' ')}, score {score})"
        )
        if m.reasons:
            lines.append(f"   - matched: {inline('; '.join(m.reasons), 1000)}")
        if m.first_step:
            label = "workaround" if m.kind == "known_error" else "first step"
            lines.append(f"   - {label}: {inline(m.first_step, 1000)}")
        if m.url:
            lines.append(f"   - {link('knowledge base page', m.url)}")
    return "\n".join([*lines, ""])


def log_line(alert: Alert, at: dt.datetime, note: str = "") -> str:
    """One ``## Alert log`` entry: the time, the status and the system's event name."""
    parts = [f"- {when(at)} **{alert.status}**"]
    if alert.event and alert.event != alert.status:
        parts.append(f"({inline(alert.event, 100)})")
    if alert.actor:
        parts.append(f"by {inline(alert.actor, 200)}")
    if note:
        parts.append(f"— {note}")
    return " ".join(parts)
