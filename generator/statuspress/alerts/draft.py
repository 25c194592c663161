"""The draft incident file an alert opens: front matter and internal body."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..authoring.common import Catalog, check_document, iso, quoted, scalar, write_atomic
from ..authoring.common import key as yaml_key
from ..authoring.new import POSTMORTEM_PROMPTS, STATUS_BY_SEVERITY, initial_message, slugify
from ..errors import StatuspressError
from .base import ACKNOWLEDGED, Alert
from .render import alert_section, clean, log_line
from .result import LOG_HEADING, SYSTEMS, check_id

TITLE_MAX = 300


def title_of(alert: Alert, system: str) -> str:
    """The alert's title as a headline. ``<`` becomes a look-alike, so no tag can start: the
    internal site's navigation (mkdocs) shows page titles as HTML, and this text comes from
    another system (a lone ``>``, as in "memory > limit", is only text)."""
    title = clean(alert.title, TITLE_MAX).replace("<", "\u2039")
    return title or f"{system} alert"


def write_draft(
    catalog: Catalog,
    alert: Alert,
    *,
    key: str,
    services: list[str],
    severity: str,
    reason: str,
    suggestions: str,
    related: list[str],
    now: dt.datetime,
) -> Path:
    """Write the draft under ``incidents/YYYY/`` (a new name, never an existing file)."""
    system = SYSTEMS.get(alert.source, alert.source)
    title = title_of(alert, system)
    started = alert.started_at or alert.event_at or now
    acknowledged = None
    if alert.status == ACKNOWLEDGED:
        acknowledged = max(alert.acknowledged_at or alert.event_at or now, started)
    affected = {sid: STATUS_BY_SEVERITY[severity] for sid in services}
    day = started.astimezone(catalog.site.tz).date()
    base = f"{day.isoformat()}-{slugify(title, 'alert')}"[:110].rstrip("-")
    stem, number = base, 1
    while stem in catalog.incidents:  # a second alert with the same title that day
        number += 1
        stem = f"{base}-{number}"
    check_id(stem)
    folder = catalog.root / "incidents" / f"{day.year:04d}"
    path = folder / f"{stem}.md"
    lines = [
        "---",
        f"title: {scalar(title)}",
        "public: false   # a draft from an alert: set true (and edit the update) to publish it",
        f"severity: {severity}",
        "services:",
        *(f"  {yaml_key(sid)}: {status}" for sid, status in affected.items()),
        f"started_at: {iso(started)}",
        f"detected_at: {iso(started)}",
    ]
    if acknowledged is not None:
        lines.append(f"acknowledged_at: {iso(acknowledged)}")
    lines.append("detection: monitoring")
    if related:
        lines.append(f"related: [{', '.join(related)}]   # earlier incidents from this alert")
    lines += [
        "alert:",
        f"  source: {alert.source}",
        f"  key: {quoted(key)}",
        "updates:",
        "  # The public timeline: nothing is public while `public: false`.",
        f"  - at: {iso(max(now, started))}",
        "    status: investigating",
        f"    message: {quoted(initial_message(catalog, affected, severity=severity))}",
        "---",
        "",
        alert_section(alert, system, reason, ", ".join(services)),
        suggestions,
        *(f"## {head}\n\n{prompt}\n" for head, prompt in POSTMORTEM_PROMPTS),
        LOG_HEADING,
        "",
        log_line(alert, alert.event_at or started),
        "",
    ]
    text = "\n".join(lines)
    check_document(catalog, "incident", path, text, now)
    folder.mkdir(parents=True, exist_ok=True)
    if not folder.resolve().is_relative_to((catalog.root / "incidents").resolve()):
        raise StatuspressError(f"{folder} is not inside {catalog.root / 'incidents'}")
    write_atomic(path, text.encode("utf-8"), exclusive=True)
    return path
