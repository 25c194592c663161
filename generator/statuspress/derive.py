"""What follows from the content at a given "now": states, durations, statuses, backlinks.

Computed once per build (the "derive" stage) so every page, feed and metric sees the same world.
The rules here are documented in docs/content-model.md and tested:

- an incident is ``active`` until ``resolved_at``; a maintenance is ``scheduled`` before its
  window, ``in_progress`` inside it and ``completed`` once a ``completed`` update, ``resolved_at``
  or the end of its window has passed;
- inside its window, an incident gives each affected service the worst status written in
  ``services`` until an update's ``services`` sets another one from that moment on;
- a service's status at a moment is the worst status any incident gives it then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .models import ActionItem, Content, Incident, KnownError, Runbook, Update

STATUS_RANK = {
    "operational": 0,
    "under_maintenance": 1,
    "degraded_performance": 2,
    "partial_outage": 3,
    "major_outage": 4,
}
SEVERITY_RANK = {"SEV-1": 1, "SEV-2": 2, "SEV-3": 3, "SEV-4": 4}
POSTMORTEM_GRACE = dt.timedelta(days=5)


@dataclass(frozen=True, slots=True)
class Segment:
    """One service in one status over [start, end)."""

    service: str
    start: dt.datetime
    end: dt.datetime
    status: str
    incident_id: str


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=STATUS_RANK.__getitem__, default="operational")


class _Posted(Protocol):
    @property
    def at(self) -> dt.datetime: ...
    @property
    def status(self) -> str: ...


class _Maintenance(Protocol):
    """What :func:`maintenance_end` reads: an Incident, or its public projection."""

    @property
    def resolved_at(self) -> dt.datetime | None: ...
    @property
    def scheduled_end(self) -> dt.datetime | None: ...
    @property
    def updates(self) -> Sequence[_Posted]: ...


def maintenance_end(inc: _Maintenance) -> dt.datetime | None:
    """When a maintenance actually ended: resolved_at, the completed update, else its window."""
    if inc.resolved_at:
        return inc.resolved_at
    for update in inc.updates:
        if update.status == "completed":
            return update.at
    return inc.scheduled_end


def window(inc: Incident, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The span during which the incident affects its services, clipped to ``now``."""
    if inc.is_maintenance:
        start = inc.scheduled_start or inc.started_at
        end = maintenance_end(inc) or start
    else:
        start = inc.started_at
        end = inc.resolved_at or now
    end = min(end, now)
    if end <= start:
        return None
    return start, end


def state(inc: Incident, now: dt.datetime) -> str:
    """``active``/``resolved`` for incidents; ``scheduled``/``in_progress``/``completed``."""
    if inc.is_maintenance:
        start = inc.scheduled_start or inc.started_at
        end = maintenance_end(inc)
        if end is not None and now >= end:
            return "completed"
        if now >= start:
            return "in_progress"
        return "scheduled"
    return "resolved" if inc.resolved_at and inc.resolved_at <= now else "active"


def visible_updates(inc: Incident, now: dt.datetime) -> list[Update]:
    """Updates already posted at ``now`` (a file may hold pre-written maintenance updates)."""
    return [u for u in inc.updates if u.at <= now]


def public_status(inc: Incident, now: dt.datetime) -> str:
    """Statuspage's incident status: the latest posted update's, or one derived from state."""
    current = state(inc, now)
    if inc.is_maintenance:
        if current != "in_progress":
            return current
        # Inside the window the last posted update is often the announcement ("scheduled"):
        # the window opening moves the maintenance on even without a new update.
        last = _last_status(inc, now, default="in_progress")
        return last if last in ("in_progress", "verifying") else "in_progress"
    if current == "resolved":
        return "resolved"
    return _last_status(inc, now, default="investigating")


def _last_status(inc: Incident, now: dt.datetime, default: str) -> str:
    updates = visible_updates(inc, now)
    return updates[-1].status if updates else default


def segments(inc: Incident, now: dt.datetime) -> list[Segment]:
    """Per-service status segments of one incident, in time order."""
    span = window(inc, now)
    if span is None:
        return []
    start, end = span
    out: list[Segment] = []
    for service, initial in sorted(inc.services.items()):
        changes = [(start, initial)]
        for update in inc.updates:
            if service in update.services:
                at = min(max(update.at, start), end)
                changes.append((at, update.services[service]))
        changes.sort(key=lambda c: c[0])
        for index, (at, status) in enumerate(changes):
            until = changes[index + 1][0] if index + 1 < len(changes) else end
            if until > at and status != "operational":
                out.append(Segment(service, at, until, status, inc.id))
    return out


def status_at(incidents: Iterable[Incident], moment: dt.datetime) -> dict[str, str]:
    """Each affected service's worst status at ``moment`` (services not listed: operational)."""
    result: dict[str, str] = {}
    for inc in incidents:
        for seg in segments(inc, moment + dt.timedelta(microseconds=1)):
            if seg.start <= moment < seg.end:
                result[seg.service] = worst((result.get(seg.service, "operational"), seg.status))
    return result


def minutes(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    """Minutes from a to b, or None when either end is missing."""
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 60.0


@dataclass(slots=True)
class Durations:
    """Lifecycle durations in minutes (None where a timestamp is missing)."""

    to_detect: float | None
    to_acknowledge: float | None
    to_mitigate: float | None
    to_resolve: float | None
    impact: float | None


def durations(inc: Incident) -> Durations:
    return Durations(
        to_detect=minutes(inc.started_at, inc.detected_at),
        to_acknowledge=minutes(inc.detected, inc.acknowledged_at),
        to_mitigate=minutes(inc.detected, inc.mitigated_at),
        to_resolve=minutes(inc.detected, inc.resolved_at),
        impact=minutes(inc.started_at, inc.mitigated_at or inc.resolved_at),
    )


@dataclass(slots=True)
class World:
    """The content plus everything derived from it at ``now``."""

    content: Content
    now: dt.datetime
    states: dict[str, str] = field(default_factory=dict)
    current_status: dict[str, str] = field(default_factory=dict)
    incidents_by_ke: dict[str, list[Incident]] = field(default_factory=dict)
    incidents_by_service: dict[str, list[Incident]] = field(default_factory=dict)
    runbooks_by_ke: dict[str, list[Runbook]] = field(default_factory=dict)
    runbooks_by_service: dict[str, list[Runbook]] = field(default_factory=dict)
    known_errors_by_service: dict[str, list[KnownError]] = field(default_factory=dict)
    stale_runbooks: set[str] = field(default_factory=set)
    overdue_items: list[ActionItem] = field(default_factory=list)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.content.site.tz).date()

    def is_active(self, inc: Incident) -> bool:
        return self.states[inc.id] in ("active", "in_progress")


def derive(content: Content, now: dt.datetime) -> World:
    """Compute the derived world once; every renderer reads from it."""
    world = World(content, now)
    today = world.today
    real = [i for i in content.incidents.values() if not i.is_gameday]
    for inc in content.incidents.values():
        world.states[inc.id] = state(inc, now)
        for service in inc.services:
            world.incidents_by_service.setdefault(service, []).append(inc)
        for ke_id in inc.known_errors:
            world.incidents_by_ke.setdefault(ke_id, []).append(inc)
        for item in inc.action_items:
            if item.status == "open" and item.due is not None and item.due < today:
                world.overdue_items.append(item)
    world.current_status = status_at(
        (i for i in real if world.states[i.id] in ("active", "in_progress")), now
    )
    for rb in content.runbooks.values():
        for ke_id in rb.known_errors:
            world.runbooks_by_ke.setdefault(ke_id, []).append(rb)
        for service in rb.services:
            world.runbooks_by_service.setdefault(service, []).append(rb)
        if rb.due_for_review < today:
            world.stale_runbooks.add(rb.id)
    for ke in content.known_errors.values():
        for service in ke.services:
            world.known_errors_by_service.setdefault(service, []).append(ke)
    world.overdue_items.sort(key=lambda a: (a.due or today, a.priority, a.incident_id, a.id))
    return world
