"""``statuspress new``: a new incident, maintenance, known error or runbook from a template.

The first public update of an incident is the domain article's initial notification ("We are
investigating an issue affecting [service]. Impact: [description]. Next update in [time]."),
filled in from the service catalog. The severity label stays out of it: severities are internal
and never reach the status page.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from .. import definitions as d
from ..errors import StatuspressError, UsageError, did_you_mean
from ..readers import INCIDENT_ID
from . import messages
from .common import (
    KINDS,
    Catalog,
    check_document,
    check_text,
    iso,
    key,
    load_catalog,
    quoted,
    scalar,
    under_content_lock,
    write_atomic,
)

SLUG_MAX = 60
NEXT_UPDATE_MINUTES = messages.DEFAULT_NEXT_UPDATE
KE_REVIEW_DAYS = 90
DEFAULT_SEVERITY = "SEV-3"
# The component status a new incident starts with, from its severity (SEV-1 is an outage).
STATUS_BY_SEVERITY = {
    "SEV-1": "major_outage",
    "SEV-2": "partial_outage",
    "SEV-3": "degraded_performance",
    "SEV-4": "degraded_performance",
}
_IMPACT = {
    "major_outage": ("{names} {verb} unavailable", 0),
    "partial_outage": ("some requests to {names} fail", 1),
    "degraded_performance": ("{names} {verb} slower than usual", 2),
    "under_maintenance": ("{names} {verb} under maintenance", 3),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}


def slugify(title: str, fallback: str) -> str:
    """A URL-safe file name part: lowercase ASCII letters, digits and '-'."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[SLUG_MAX // 2 :] else cut
    slug = slug.strip("-")
    if not slug:
        return fallback
    return f"{slug}-{fallback}" if slug in _RESERVED else slug


@under_content_lock
def new_file(
    content_dir: Path,
    kind: str,
    title: str,
    *,
    services: list[str],
    severity: str | None,
    start: str | None,
    end: str | None,
    owner: str | None,
    now: dt.datetime,
    template: str | None = None,
    next_update: str | None = None,
) -> Path:
    """Write a new content file of ``kind`` and return its path; refuse before writing.

    The next known-error number and "no such incident yet" are decided on what is read, so the
    content lock is held until the file exists (the exclusive link refuses a file made by
    anything else meanwhile).
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}'{did_you_mean(kind, KINDS)}")
    title = " ".join(title.split())
    check_text("the title", title, 300)
    if severity is not None and kind != "incident":
        raise UsageError("--severity is only for incidents")
    if (start or end) and kind != "maintenance":
        raise UsageError("--start and --end are only for maintenance")
    if owner is not None and kind not in ("known-error", "runbook"):
        raise UsageError("--owner is only for known errors and runbooks")
    if owner is not None:
        check_text("--owner", owner, 200)
    if (template is not None or next_update is not None) and kind != "incident":
        raise UsageError("--template and --next-update are only for incidents")
    if template is not None and template not in messages.TEMPLATES:
        raise UsageError(
            f"unknown template '{template}'{did_you_mean(template, messages.TEMPLATES)}; "
            f"use one of {', '.join(messages.TEMPLATES)}"
        )
    minutes = messages.next_update_minutes(next_update)
    catalog = load_catalog(content_dir)
    affected = _services(catalog, kind, services, severity or DEFAULT_SEVERITY)
    if kind == "incident":
        sev = severity or DEFAULT_SEVERITY
        message = initial_message(
            catalog, affected, severity=sev, template=template or "initial", next_update=minutes
        )
        check_text("the template's message", message, 20_000)
        path, text = _incident(catalog, title, affected, sev, now, message)
    elif kind == "maintenance":
        if not start or not end:
            raise UsageError("maintenance needs its window: --start TIMESTAMP --end TIMESTAMP")
        begins, ends = _timestamp("--start", start), _timestamp("--end", end)
        if ends <= begins:
            raise UsageError(f"--end ({end}) must be after --start ({start})")
        path, text = _maintenance(catalog, title, affected, begins, ends, now)
    elif kind == "known-error":
        path, text = _known_error(
            catalog, title, list(affected), _owner(catalog, owner, affected), now
        )
    else:
        path, text = _runbook(catalog, title, list(affected), _owner(catalog, owner, affected), now)
    if path.exists():
        raise StatuspressError(f"{path} already exists; refusing to overwrite it")
    check_document(catalog, kind, path, text, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), exclusive=True)
    return path


# -- options -------------------------------------------------------------------------------


def _services(catalog: Catalog, kind: str, given: list[str], severity: str) -> dict[str, str]:
    """``--service ID`` or ``ID=STATUS`` options -> {id: status}, checked against the catalog."""
    if not given:
        example = next(iter(catalog.content.services), "ID")
        raise UsageError(
            f"a new {kind} needs the services it affects: --service {example} (repeatable)"
        )
    default = "under_maintenance" if kind == "maintenance" else STATUS_BY_SEVERITY[severity]
    result: dict[str, str] = {}
    for option in given:
        sid, sep, status = (part.strip() for part in option.partition("="))
        if sep and kind in ("known-error", "runbook"):
            raise UsageError(f"--service {option}: a {kind} takes service ids without a status")
        catalog.service_ids([sid])
        if sep and status not in d.COMPONENT_STATUSES:
            raise StatuspressError(
                f"--service {option}: unknown status '{status}'"
                f"{did_you_mean(status, d.COMPONENT_STATUSES)}; use one of "
                + ", ".join(d.COMPONENT_STATUSES)
            )
        if sid in result:
            raise UsageError(f"--service {sid} is given twice")
        result[sid] = status if sep else default
    return result


def _owner(catalog: Catalog, owner: str | None, services: dict[str, str]) -> str:
    if owner:
        return owner.strip()
    for sid in services:
        if catalog.content.services[sid].owner:
            return catalog.content.services[sid].owner
    raise UsageError("--owner is required: none of the services has an owner in services.yaml")


def _timestamp(option: str, text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} '{text}' is not a timestamp like 2026-12-01T01:00:00Z"
        ) from None
    if value.tzinfo is None:
        raise UsageError(
            f"{option} '{text}' has no UTC offset; add one, e.g. '{text}Z' or '+01:00'"
        )
    return value


# -- texts ---------------------------------------------------------------------------------


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _public_ids(catalog: Catalog, ids: list[str]) -> list[str]:
    # The message is public: never name an internal service on the status page.
    public = [s for s in ids if catalog.content.services[s].public]
    return public or ids


def initial_message(
    catalog: Catalog,
    affected: dict[str, str],
    *,
    severity: str = DEFAULT_SEVERITY,
    template: str = "initial",
    next_update: int = NEXT_UPDATE_MINUTES,
) -> str:
    """The article's initial notification (or ``template``) for the affected public services."""
    ids = _public_ids(catalog, list(affected))
    services = catalog.content.services
    by_status: dict[str, list[str]] = {}
    for sid in ids:
        by_status.setdefault(affected[sid], []).append(services[sid].name)
    parts = []
    for status, (phrase, _rank) in sorted(_IMPACT.items(), key=lambda kv: kv[1][1]):
        if status in by_status:
            names = by_status[status]
            parts.append(phrase.format(names=_names(names), verb=_verb(names)))
    impact = "; ".join(parts) or "no customer impact has been confirmed yet"
    impact = impact[0].upper() + impact[1:]
    return messages.render(
        catalog,
        template,
        services=_names([services[s].name for s in ids]),
        impact=impact,
        severity=severity,
        next_update=next_update,
        duration_minutes=0,
    )


def _verb(names: list[str]) -> str:
    return "is" if len(names) == 1 else "are"


def window_text(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> str:
    """A maintenance window in the site's zone, in words (no locale involved)."""
    s, e = start.astimezone(tz), end.astimezone(tz)

    def day(t: dt.datetime) -> str:
        return f"{WEEKDAYS[t.weekday()]} {t.day} {MONTHS[t.month - 1]} {t.year}"

    if s.date() == e.date():
        if s.tzname() == e.tzname():
            return f"on {day(s)} from {s:%H:%M} to {e:%H:%M} {e.tzname()}"
        return f"on {day(s)} from {s:%H:%M} {s.tzname()} to {e:%H:%M} {e.tzname()}"
    return f"from {day(s)} {s:%H:%M} {s.tzname()} to {day(e)} {e:%H:%M} {e.tzname()}"


def maintenance_message(
    catalog: Catalog, affected: dict[str, str], start: dt.datetime, end: dt.datetime
) -> str:
    services = catalog.content.services
    names = _names([services[s].name for s in _public_ids(catalog, list(affected))])
    return (
        f"We will carry out scheduled maintenance on {names} "
        f"{window_text(start, end, catalog.site.tz)}. During this window {names} may be "
        "unavailable or slower than usual. We will post an update when the work starts and "
        "when it is complete."
    )


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join(key(i) for i in items) + "]"


def _sections(prompts: list[tuple[str, str]]) -> str:
    return "\n".join(f"## {title}\n\n{text}\n" for title, text in prompts)


POSTMORTEM_PROMPTS = [
    ("Summary", "_What happened, in two or three sentences: impact, duration, resolution._"),
    ("Impact", "_Who was affected and how: customers, orders, requests, revenue._"),
    ("Timeline", "_Times with their zone: detection, escalation, mitigation, resolution._"),
    ("Contributing factors", "_The conditions that together allowed this (not one root cause)._"),
    ("What went well", "_Which parts of the response worked as designed._"),
    ("What needs improvement", "_Gaps in detection, response, communication or tooling._"),
    ("Where we got lucky", "_What could have made it worse and did not._"),
]
assert tuple(t for t, _ in POSTMORTEM_PROMPTS) == d.POSTMORTEM_SECTIONS


def _incident(
    catalog: Catalog,
    title: str,
    affected: dict[str, str],
    severity: str,
    now: dt.datetime,
    message: str,
) -> tuple[Path, str]:
    today = now.astimezone(catalog.site.tz).date()
    stem = f"{today.isoformat()}-{slugify(title, 'incident')}"
    _refuse_duplicate_incident(catalog, stem)
    path = catalog.root / "incidents" / f"{today.year:04d}" / f"{stem}.md"
    at = iso(now)
    services = "\n".join(f"  {key(s)}: {status}" for s, status in affected.items())
    text = f"""---
title: {scalar(title)}
severity: {severity}
# impact: high          # low, medium or high; with urgency it gives the priority (P1..P4)
# urgency: high
services:
{services}
started_at: {at}    # when the impact started: move it earlier if it began before detection
detected_at: {at}
# acknowledged_at, mitigated_at, resolved_at and closed_at follow as the incident progresses:
# `statuspress ack|mitigate|resolve|close {stem}` sets them (resolve also posts the update).
# detection: monitoring  # monitoring, internal or customer
# commander: Name
# responders: [Name, Name]
updates:
  # The public timeline, oldest first: add updates with
  #   statuspress update {stem} --status identified -m "..."
  - at: {at}
    status: investigating
    message: {quoted(message)}
---

{_sections(POSTMORTEM_PROMPTS)}"""
    return path, text


def _maintenance(
    catalog: Catalog,
    title: str,
    affected: dict[str, str],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
) -> tuple[Path, str]:
    day = start.astimezone(catalog.site.tz).date()
    stem = f"{day.isoformat()}-{slugify(title, 'maintenance')}"
    _refuse_duplicate_incident(catalog, stem)
    path = catalog.root / "incidents" / f"{day.year:04d}" / f"{stem}.md"
    services = "\n".join(f"  {key(s)}: {status}" for s, status in affected.items())
    text = f"""---
title: {scalar(title)}
kind: maintenance
services:
{services}
started_at: {iso(start)}
scheduled_start: {iso(start)}
scheduled_end: {iso(end)}
# The status page shows it as scheduled, in progress and completed from these times; post
#   statuspress update {stem} --status in_progress -m "..."   (then verifying, completed)
updates:
  - at: {iso(now)}
    status: scheduled
    message: {quoted(maintenance_message(catalog, affected, start, end))}
---

## Plan

_What will be changed, step by step, and who does it._

## Verification

_How we confirm the change worked (checks, dashboards, test orders)._

## Rollback

_How to undo the change if verification fails, and the point of no return._
"""
    return path, text


def _refuse_duplicate_incident(catalog: Catalog, stem: str) -> None:
    if not INCIDENT_ID.fullmatch(stem):
        raise StatuspressError(f"cannot make a file name from '{stem}'")
    if stem in catalog.incidents:
        raise StatuspressError(
            f"{catalog.incidents[stem]} already exists; refusing to overwrite it "
            "(give the new one a different title)"
        )


def _known_error(
    catalog: Catalog, title: str, services: list[str], owner: str, now: dt.datetime
) -> tuple[Path, str]:
    numbers = [int(ke_id[3:]) for ke_id in catalog.known_errors]
    ke_id = f"KE-{max(numbers, default=0) + 1:04d}"
    path = catalog.root / "known-errors" / f"{ke_id}-{slugify(title, 'known-error')}.md"
    review_by = now.astimezone(catalog.site.tz).date() + dt.timedelta(days=KE_REVIEW_DAYS)
    text = f"""---
title: {scalar(title)}
# investigating, known_error (needs a Workaround section), fix_in_progress, resolved, retired
status: investigating
services: {_flow_list(services)}
# What users and alerts show; `statuspress match` and the knowledge base search find these.
symptoms: []
# Exact log lines or error strings; prefix 're:' for a regular expression.
signatures: []
owner: {scalar(owner)}
review_by: {review_by.isoformat()}
# problem: PRB-0000     # the problem ticket (id or URL)
# fix_ref: https://...  # the change that fixes it
---

## Symptoms

_What customers, alerts and logs show; quote error messages exactly._

## Workaround

_How to restore service while the fix is pending. Required once the status is known_error._

## Root cause

_Why it happens, once known._

## Fix

_The permanent fix and where it is tracked._
"""
    return path, text


def _runbook(
    catalog: Catalog, title: str, services: list[str], owner: str, now: dt.datetime
) -> tuple[Path, str]:
    stem = slugify(title, "runbook")
    path = catalog.root / "runbooks" / f"{stem}.md"
    today = now.astimezone(catalog.site.tz).date()
    escalation = "_When to escalate, and to whom._"
    routing = catalog.content.services[services[0]].routing
    if routing.get("secondary") or routing.get("commander"):
        who = (
            [f"the secondary on-call **{routing['secondary']}**"]
            if routing.get("secondary")
            else []
        )
        if routing.get("commander"):
            who.append(f"the incident commander **{routing['commander']}**")
        escalation = (
            "_When to escalate (time- and impact-based triggers)._ "
            f"Escalate to {' and '.join(who)} (routing of "
            f"{catalog.content.services[services[0]].name} in services.yaml)."
        )
    text = f"""---
title: {scalar(title)}
services: {_flow_list(services)}
owner: {scalar(owner)}
last_reviewed: {today.isoformat()}
review_every: 90        # days; the runbook is marked stale after that
# alerts: [AlertName]       # the alerts this runbook answers
# known_errors: [KE-0000]   # known errors it resolves
---

## Symptoms and detection

_How to confirm this is the right runbook: the alerts, dashboards and log lines that lead here._

## Diagnosis

_The checks in order, each with the command to run and the output to expect:_

```console
$ command --to --run
expected output
```

## Resolution

_The steps for each common cause._

## Rollback

_How to undo the resolution steps if they make things worse._

## Escalation

{escalation}
"""
    return path, text
