"""A later event of an alert that already has an open incident: edit that file in place.

Only two things change, and both are proved afterwards by reading the file back: an
acknowledgement adds ``acknowledged_at`` when it is missing (the MTTA clock), and every event
adds one line at the end of the body under ``## Alert log``. A resolution is logged and
reported as a suggestion: whether the incident is over is a writer's call, and nothing public
changes without one.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from ..authoring import yamledit
from ..authoring.common import Catalog, check_document, iso, open_incident, write_atomic
from ..errors import StatuspressError
from .base import ACKNOWLEDGED, RESOLVED, Alert
from .render import log_line, when
from .result import LOG_HEADING, IntakeResult, front_matter

BEFORE_ACK = ("started_at", "detected_at")


def follow_up(catalog: Catalog, path: Path, alert: Alert, now: dt.datetime) -> IntakeResult:
    shown, source, inc = open_incident(catalog, path, now)
    at = alert.event_at or now
    notes: list[str] = []
    fm = yamledit.parse(source)
    ack_text = None
    if alert.status == ACKNOWLEDGED and inc.acknowledged_at is None:
        ack = max(alert.acknowledged_at or at, inc.detected_at or inc.started_at)
        later = [t for t in (inc.mitigated_at, inc.resolved_at) if t is not None]
        if later:
            ack = min([ack, *later])
        ack_text = iso(ack)
        yamledit.insert_key(fm, "acknowledged_at", ack_text, BEFORE_ACK)
        notes.append(f"acknowledged_at set to {ack_text}")
    note = ""
    if alert.status == RESOLVED:
        note = (
            "the alert resolved; once service is confirmed, resolve the incident: "
            f'`statuspress update {inc.id} --status resolved -m "..."`'
        )
        notes.append(
            f"the alert resolved at {when(at)}; suggestion: resolve the incident with "
            f'statuspress update {inc.id} --status resolved -m "..."'
        )
    entry = log_line(alert, at, note)
    if entry in source.splitlines() and ack_text is None:
        return IntakeResult("unchanged", alert, path, list(inc.services), inc.severity)
    result = fm.result()
    newline = fm.newline
    if not result.endswith(("\n", "\r")):
        result += newline
    if _last_heading(result) != LOG_HEADING:
        result += f"{newline}{LOG_HEADING}{newline}{newline}"
    result += entry + newline
    _same_but(source, result, ack_text, shown)
    check_document(catalog, "incident", path, result, now)
    if path.read_bytes() != source.encode("utf-8"):
        raise StatuspressError(f"{shown} changed while the alert was applied; run it again")
    write_atomic(path, result.encode("utf-8"))
    return IntakeResult("updated", alert, path, list(inc.services), inc.severity, notes=notes)


def _last_heading(text: str) -> str:
    heads = [line.rstrip() for line in text.splitlines() if line.startswith("## ")]
    return heads[-1] if heads else ""


def _same_but(old: str, new: str, acknowledged_at: str | None, shown: str) -> None:
    """Prove the edit added only ``acknowledged_at`` and lines at the end of the body."""
    before, _, body_before = front_matter(old)
    after, problems, body_after = front_matter(new)
    expected = dict(before)
    if acknowledged_at is not None:
        expected["acknowledged_at"] = acknowledged_at
    if problems or after != expected or not body_after.startswith(body_before.rstrip("\n")):
        diff = "".join(
            difflib.unified_diff(old.splitlines(True), new.splitlines(True), shown, shown)
        )
        raise StatuspressError(
            f"could not apply the alert to {shown} without changing anything else; nothing "
            f"was written. The edit was:\n{diff}"
        )
