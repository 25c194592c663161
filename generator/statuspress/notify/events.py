"""Events: what changed between the previously published site and the one just built.

Every event is derived from two :class:`~.snapshot.Snapshot` objects, which hold public API
documents only. Its id is built from the API's stable ids (which never change from build to
build), so the same change always gets the same id and a channel can be told about it once:

- ``incident.created:<incident>``: a new incident appears;
- ``incident.updated:<incident>:<update>``: it has a new public update;
- ``incident.resolved:<incident>:<resolved_at>``: it becomes resolved;
- ``component.updated:<component>:<updated_at>:<status>``: a service's status changed;
- ``maintenance.scheduled:<maintenance>``: a new maintenance is announced;
- ``maintenance.started:<maintenance>``: its window began;
- ``maintenance.completed:<maintenance>``: it ended.

(``<incident>``, ``<update>``, ``<component>`` are the API's ids; times are the API's.)

Something that appears already further along gets every step it skipped, in order (an
incident created and resolved between two runs gives ``created``, one ``updated`` per further
update, then ``resolved``), so a subscriber filtering on one event type never misses it.
Changes that only need time to pass (a maintenance window opening) are seen because the build
computes them for its "now".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from ..public.api import INDICATOR_BY_COMPONENT, INDICATOR_RANK
from .snapshot import Json, Snapshot

RESOLVED = ("resolved", "postmortem")
# The page indicator's rules of the JSON API this reads: one table, so the two never disagree.
IMPACT_RANK = INDICATOR_RANK
STATUS_IMPACT = INDICATOR_BY_COMPONENT
MAINTENANCE_STEPS = ("maintenance.scheduled", "maintenance.started", "maintenance.completed")
MAINTENANCE_LEVEL = {"scheduled": 0, "in_progress": 1, "verifying": 1, "completed": 2}
# Several events at one moment are sent in the order a reader expects them.
ORDER = {
    "incident.created": 0,
    "maintenance.scheduled": 1,
    "maintenance.started": 2,
    "incident.updated": 3,
    "incident.resolved": 4,
    "maintenance.completed": 5,
    "component.updated": 6,
}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing subscribers hear about, with the public objects it concerns.

    ``subject`` is the incident or maintenance object (as in ``incidents.json``) or the component
    (as in ``components.json``); ``update`` the incident update that caused the event, if any.
    Everything here is a copy of public API data, so it can be kept in the state file and sent
    on a later run.
    """

    id: str
    type: str
    at: str
    subject: Json
    update: Json | None
    old_status: str | None
    page: Json
    status: Json

    @property
    def kind(self) -> str:
        return self.type.split(".", 1)[0]

    @property
    def services(self) -> list[str]:
        """Component ids this event touches (what a channel's ``services`` filter matches)."""
        if self.kind == "component":
            return [self.subject["id"]]
        return [c["id"] for c in self.subject.get("components") or [] if isinstance(c, dict)]

    @property
    def impact(self) -> str:
        """Incident impact; a component change counts as the worse of its two statuses."""
        if self.kind == "component":
            statuses = (self.old_status or "", str(self.subject.get("status", "")))
            impacts = [STATUS_IMPACT.get(s, "none") for s in statuses]
            return max(impacts, key=IMPACT_RANK.__getitem__)
        return str(self.subject.get("impact") or "none")

    def to_json(self) -> Json:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Event:
        if not isinstance(data, dict):
            raise ValueError("an event is not an object")
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def moment(text: str | None) -> dt.datetime:
    """An API timestamp as an aware datetime; the epoch when missing or unreadable (a site
    published by something else), so it sorts first instead of stopping the run."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    try:
        at = dt.datetime.fromisoformat(str(text)) if text else epoch
    except ValueError:
        return epoch
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _oldest_first(incident: Json) -> list[Json]:
    updates = [u for u in incident.get("incident_updates") or [] if isinstance(u, dict)]
    return sorted(updates, key=lambda u: moment(u.get("created_at")))


def _incident_events(cur: Json, prev: Json | None, snap: Snapshot) -> list[Event]:
    iid = cur["id"]
    updates = _oldest_first(cur)
    seen = {u.get("id") for u in _oldest_first(prev)} if prev else set()
    events: list[Event] = []

    def event(kind: str, key: str, at: str | None, update: Json | None) -> Event:
        return Event(key, kind, at or "", cur, update, None, snap.page, snap.status)

    if prev is None:
        first = updates[0] if updates else None
        at = cur.get("created_at")
        events.append(event("incident.created", f"incident.created:{iid}", at, first))
        if first is not None:
            seen.add(first.get("id"))
    was_resolved = prev is not None and prev.get("status") in RESOLVED
    resolving = cur.get("status") in RESOLVED and not was_resolved
    new = [u for u in updates if u.get("id") not in seen]
    for n, update in enumerate(new):
        if resolving and n == len(new) - 1 and update.get("status") == "resolved":
            continue  # the resolving update is told by incident.resolved below
        key = f"incident.updated:{iid}:{update.get('id')}"
        events.append(event("incident.updated", key, update.get("created_at"), update))
    if resolving:
        last = updates[-1] if updates else None
        at = cur.get("resolved_at") or (last or {}).get("created_at")
        key = f"incident.resolved:{iid}:{cur.get('resolved_at') or ''}"
        events.append(event("incident.resolved", key, at, last))
    return events


def _maintenance_events(cur: Json, prev: Json | None, snap: Snapshot) -> list[Event]:
    before = -1 if prev is None else MAINTENANCE_LEVEL.get(str(prev.get("status")), -1)
    now = MAINTENANCE_LEVEL.get(str(cur.get("status")), -1)
    updates = _oldest_first(cur)
    latest = updates[-1] if updates else None
    times = (cur.get("created_at"), cur.get("scheduled_for"), cur.get("resolved_at"))
    return [
        Event(
            id=f"{MAINTENANCE_STEPS[level]}:{cur['id']}",
            type=MAINTENANCE_STEPS[level],
            at=times[level] or cur.get("updated_at") or "",
            subject=cur,
            update=latest,
            old_status=None,
            page=snap.page,
            status=snap.status,
        )
        for level in range(before + 1, now + 1)
    ]


def _component_events(cur: Snapshot, prev: Snapshot) -> list[Event]:
    events = []
    for cid, comp in cur.components.items():
        old = prev.components.get(cid)
        if old is None or old.get("status") == comp.get("status"):
            continue
        key = f"component.updated:{cid}:{comp.get('updated_at')}:{comp.get('status')}"
        at = comp.get("updated_at") or ""
        events.append(
            Event(key, "component.updated", at, comp, None, old.get("status"), cur.page, cur.status)
        )
    return events


def diff(prev: Snapshot, cur: Snapshot) -> list[Event]:
    """Every event between two snapshots, oldest first (ties in :data:`ORDER`, then by id)."""
    events: list[Event] = []
    for iid, incident in cur.incidents.items():
        events.extend(_incident_events(incident, prev.incidents.get(iid), cur))
    for mid, maintenance in cur.maintenances.items():
        events.extend(_maintenance_events(maintenance, prev.maintenances.get(mid), cur))
    events.extend(_component_events(cur, prev))
    return sorted(events, key=lambda e: (moment(e.at), ORDER[e.type], e.id))
