"""Statuspage v2-compatible JSON under ``api/v2/``.

Field names, enumerations, nesting and key order follow captured responses of Atlassian
Statuspage's public API (see docs/api.md), so existing clients and dashboards that read a
Statuspage page can read ours. Every value comes from the public projection only.

Ids: Statuspage ids are 12 lowercase alphanumerics. Ours are derived from our own stable ids
(service, group and incident ids, and an update's time and status), so they never change between
builds and do not depend on the host the site is published on (except the page id, which names
the page itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import Any

from .. import markdown
from ..derive import worst
from ..writer import OutputFiles
from .machine import absolute, clean_text, incident_url, latest_change, maintenance_end
from .memo import RenderMemo
from .project import PublicIncident, PublicSite, PublicUpdate

MAX_ITEMS = 50
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_UTC_ZONES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"}

# Page indicator from component statuses (incidents contribute their impact directly).
INDICATOR_BY_COMPONENT = {
    "operational": "none",
    "under_maintenance": "none",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
}
INDICATOR_RANK = {"none": 0, "minor": 1, "major": 2, "critical": 3}
DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major Service Outage",
}
MAINTENANCE_DESCRIPTION = "Service Under Maintenance"

Json = dict[str, Any]


def short_id(kind: str, key: str) -> str:
    """A Statuspage-style id: 12 lowercase alphanumerics from a hash of ``kind:key``."""
    number = int.from_bytes(hashlib.sha256(f"statuspress:{kind}:{key}".encode()).digest(), "big")
    chars = []
    for _ in range(12):
        number, digit = divmod(number, 36)
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def page_id(site: PublicSite) -> str:
    return short_id("page", site.base_url)


def component_id(service_id: str) -> str:
    return short_id("component", service_id)


def group_id(group: str) -> str:
    return short_id("group", group)


def incident_id(inc: PublicIncident) -> str:
    return short_id("incident", inc.id)


def update_ids(inc: PublicIncident) -> list[str]:
    """Ids of an incident's updates (oldest first), keyed by time and status, not position."""
    seen: dict[str, int] = {}
    out = []
    for update in inc.updates:
        key = f"{inc.id}:{update.at.astimezone(dt.UTC).isoformat()}:{update.status}"
        seen[key] = seen.get(key, 0) + 1
        out.append(short_id("update", f"{key}:{seen[key]}"))
    return out


@dataclass(slots=True)
class Api:
    """Everything one build's documents share: page, components, formatting."""

    site: PublicSite
    changes: dict[str, dt.datetime] = field(default_factory=dict)
    """When each service's status last changed (:func:`_last_changes`)."""
    page: Json = field(default_factory=dict)
    components: list[Json] = field(default_factory=list)
    by_service: dict[str, Json] = field(default_factory=dict)
    memo: RenderMemo | None = None
    """Serve's memory of the last render: an unchanged incident's object is reused."""

    def ts(self, moment: dt.datetime | None) -> str | None:
        """Statuspage's timestamp form: page zone, milliseconds, offset (``Z`` for UTC pages)."""
        if moment is None:
            return None
        local = moment.astimezone(self.site.tz)
        text = local.isoformat(timespec="milliseconds")
        if self.site.timezone in _UTC_ZONES:
            text = text.replace("+00:00", "Z")
        return text

    # --- components ----------------------------------------------------------------------

    def build_components(self, epoch: dt.datetime) -> None:
        site = self.site
        changes = self.changes
        pid = self.page["id"]
        groups = {g.id: g for g in site.groups}
        top: list[tuple[str, str]] = []  # ("group"|"service", id) in order of first appearance
        children: dict[str, list[str]] = {}
        for service in site.services:
            if service.group in groups:
                if service.group not in children:
                    children[service.group] = []
                    top.append(("group", service.group))
                children[service.group].append(service.id)
            else:
                top.append(("service", service.id))
        services = {s.id: s for s in site.services}

        def leaf(service_id: str, parent: str | None, position: int) -> Json:
            s = services[service_id]
            updated = changes.get(s.id, epoch)
            obj = {
                "id": component_id(s.id),
                "name": clean_text(s.name),
                "status": s.status,
                "created_at": self.ts(epoch),
                "updated_at": self.ts(updated),
                "position": position,
                "description": clean_text(s.description) or None,
                "showcase": True,
                "start_date": None,
                "group_id": group_id(parent) if parent else None,
                "page_id": pid,
                "group": False,
                "only_show_if_degraded": False,
            }
            self.by_service[s.id] = obj
            return obj

        for position, (kind, key) in enumerate(top, start=1):
            if kind == "service":
                self.components.append(leaf(key, None, position))
                continue
            kids = [leaf(sid, key, n) for n, sid in enumerate(children[key], start=1)]
            g = groups[key]
            updated = max(changes.get(sid, epoch) for sid in children[key])
            self.components.append(
                {
                    "id": group_id(g.id),
                    "name": clean_text(g.name),
                    "status": worst(services[sid].status for sid in children[key]),
                    "created_at": self.ts(epoch),
                    "updated_at": self.ts(updated),
                    "position": position,
                    "description": clean_text(g.description) or None,
                    "showcase": False,
                    "start_date": None,
                    "group_id": None,
                    "page_id": pid,
                    "group": True,
                    "only_show_if_degraded": False,
                    "components": [k["id"] for k in kids],
                }
            )
            self.components.extend(kids)

    # --- incidents -----------------------------------------------------------------------

    def incident(self, inc: PublicIncident) -> Json:
        """One incident's object; with serve's memo the last render's while the incident, the
        settings and its components are the same (100 objects of 10-50 updates each)."""
        if self.memo is None:
            return self._incident(inc)
        components = [self.by_service[s.id] for s in self.site.services if s.id in inc.services]
        key = (self.memo.settings(self.site), inc, components)
        return self.memo.get("api:incident:" + inc.id, key, partial(self._incident, inc))

    def _incident(self, inc: PublicIncident) -> Json:
        iid = incident_id(inc)
        ids = update_ids(inc)
        updates = [
            self.update(inc, u, ids[n], iid)
            for n, u in reversed(list(enumerate(inc.updates)))  # newest first
        ]
        status = inc.status
        if not inc.is_maintenance and status == "resolved" and inc.postmortem_summary:
            status = "postmortem"
        resolved = maintenance_end(inc) if inc.is_maintenance else inc.resolved_at
        watch = "verifying" if inc.is_maintenance else "monitoring"
        monitoring = [u.at for u in inc.updates if u.status == watch]
        obj: Json = {
            "id": iid,
            "name": clean_text(inc.title),
            "status": status,
            "created_at": self.ts(inc.created_at),
            "updated_at": self.ts(inc.updated_at),
            "monitoring_at": self.ts(monitoring[-1] if monitoring else None),
            "resolved_at": self.ts(resolved),
            "impact": inc.impact,
            "shortlink": incident_url(self.site, inc),
            "started_at": self.ts(inc.started_at),
            "page_id": self.page["id"],
            "incident_updates": updates,
            "components": [
                self.by_service[s.id] for s in self.site.services if s.id in inc.services
            ],
        }
        if inc.is_maintenance:
            obj["scheduled_for"] = self.ts(inc.scheduled_start)
            obj["scheduled_until"] = self.ts(inc.scheduled_end)
        return obj

    def update(self, inc: PublicIncident, update: PublicUpdate, uid: str, iid: str) -> Json:
        at = self.ts(update.at)
        return {
            "id": uid,
            "status": update.status,
            "body": clean_text(markdown.plain(update.message)),
            "incident_id": iid,
            "created_at": at,
            "updated_at": at,
            "display_at": at,
            "affected_components": self.affected(inc, update),
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def affected(self, inc: PublicIncident, update: PublicUpdate) -> list[Json] | None:
        """Component changes this update made, with the status each had just before it."""
        if not update.services:
            return None
        start = inc.scheduled_start if inc.is_maintenance and inc.scheduled_start else None
        start = start or inc.started_at
        out = []
        for s in self.site.services:
            if s.id not in update.services:
                continue
            old = "operational" if update.at <= start else inc.services.get(s.id, "operational")
            for earlier in inc.updates:
                if earlier is update:
                    break
                old = earlier.services.get(s.id, old)
            out.append(
                {
                    "code": component_id(s.id),
                    "name": clean_text(s.name),
                    "old_status": old,
                    "new_status": update.services[s.id],
                }
            )
        return out or None


def page_status(
    site: PublicSite,
    unresolved: Iterable[PublicIncident] | None = None,
    active: Iterable[PublicIncident] | None = None,
) -> Json:
    """Statuspage's blended page status: the worst of the active incidents' impacts and of the
    current component statuses (degraded -> minor, partial -> major, major outage -> critical).
    Maintenance alone keeps the indicator at ``none`` but says "Service Under Maintenance".
    """
    unresolved = site.active_incidents if unresolved is None else unresolved
    active = [m for m in site.maintenances if m.is_active] if active is None else active
    levels = [INDICATOR_BY_COMPONENT[s.status] for s in site.services]
    levels += [i.impact for i in unresolved if i.impact in INDICATOR_RANK]
    indicator = max(levels, key=INDICATOR_RANK.__getitem__, default="none")
    maintenance = any(s.status == "under_maintenance" for s in site.services) or any(
        m.is_active for m in active
    )
    if indicator == "none" and maintenance:
        return {"indicator": "none", "description": MAINTENANCE_DESCRIPTION}
    return {"indicator": indicator, "description": DESCRIPTIONS[indicator]}


def _last_changes(site: PublicSite) -> dict[str, dt.datetime]:
    """When each public service's status last changed (the latest segment edge up to ``now``).

    Only the latest is kept: every reader wants that, and serve asks for it after each edit.
    """
    out: dict[str, dt.datetime] = {}
    now = site.now
    for seg in site.segments:
        latest = seg.end if seg.end < now else seg.start if seg.start <= now else None
        if latest is not None:
            last = out.get(seg.service)
            if last is None or latest > last:
                out[seg.service] = latest
    return out


def dump(doc: Json) -> str:
    """Fixed key order (insertion), real UTF-8, a trailing newline: stable bytes."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class Pieces:
    """:func:`dump` of documents made of objects that serve keeps from render to render.

    Python's indented JSON is written by the pure-Python encoder (the C one only writes
    compact JSON): after an edit to the newest maintenance, serve spent more on indenting four
    documents than on building them. Here a document's top-level values and the items of its
    top-level lists are each dumped alone, once per object (an incident object the memo kept
    is the same object, so its text is reused), and indented into place. JSON strings hold
    no raw line breaks, so indenting is adding spaces after each one.
    ``tests/test_render_speedups.py`` holds it to :func:`dump`.
    """

    def __init__(self, known: dict[int, tuple[object, str]] | None = None) -> None:
        self.known = known if known is not None else {}
        self.used: dict[int, tuple[object, str]] = {}

    def dump(self, doc: Json) -> str:
        if not doc:
            return dump(doc)
        members = []
        for key, value in doc.items():
            head = "  " + json.dumps(key, ensure_ascii=False) + ": "
            if isinstance(value, list) and value:
                items = ",\n    ".join(self._text(item) for item in value)
                members.append(head + "[\n    " + items + "\n  ]")
            else:
                members.append(head + self._text(value, "\n  "))
        return "{\n" + ",\n".join(members) + "\n}\n"

    def _text(self, value: object, indent: str = "\n    ") -> str:
        """``value`` dumped alone, indented by ``indent`` (its nesting)."""
        key = id(value)
        found = self.known.get(key)
        if found is None or found[0] is not value:
            text = json.dumps(value, ensure_ascii=False, indent=2)
            found = (value, text)
        self.used[key] = found
        return found[1].replace("\n", indent)

    def end(self) -> None:
        """Keep only the texts of the objects this render dumped (held, so ids stay theirs)."""
        self.known.clear()
        self.known.update(self.used)


def _incidents(api: Api, items: Iterable[PublicIncident]) -> list[Json]:
    return [api.incident(i) for i in items]


@dataclass(frozen=True, slots=True)
class _Inputs:
    """Everything the documents read of the incidents: a few aggregates and short lists."""

    changes: dict[str, dt.datetime]
    latest: dt.datetime
    epoch: dt.datetime
    incidents: tuple[PublicIncident, ...]
    """The newest ``MAX_ITEMS`` incidents (not maintenance)."""
    unresolved: tuple[PublicIncident, ...]
    maintenances: tuple[PublicIncident, ...]
    """The newest ``MAX_ITEMS`` maintenances."""
    upcoming: tuple[PublicIncident, ...]
    active: tuple[PublicIncident, ...]


def _inputs(site: PublicSite, memo: RenderMemo | None = None) -> _Inputs:
    if memo is None:
        changes = _last_changes(site)
    else:
        key = (site.now, site.segments)
        changes = memo.get("api:changes", key, lambda: _last_changes(site))
    incidents: list[PublicIncident] = []
    maintenances: list[PublicIncident] = []
    for inc in site.incidents:
        (maintenances if inc.is_maintenance else incidents).append(inc)
    return _Inputs(
        changes=changes,
        latest=max([latest_change(site), *changes.values()]),
        # Components have no creation date in the content: use the start of the public
        # history, so the value is stable from build to build.
        epoch=min(site.now, min(map(_created, site.incidents), default=site.now)),
        incidents=tuple(incidents[:MAX_ITEMS]),
        unresolved=tuple(i for i in incidents if i.is_active),
        maintenances=tuple(maintenances[:MAX_ITEMS]),
        upcoming=tuple(m for m in maintenances if m.state == "scheduled"),
        active=tuple(m for m in maintenances if m.state == "in_progress"),
    )


_created = attrgetter("created_at")


def documents(
    site: PublicSite, given: _Inputs | None = None, memo: RenderMemo | None = None
) -> dict[str, Json]:
    """Every ``api/v2`` document, by path under ``api/v2/``."""
    inputs = given or _inputs(site)
    api = Api(site, changes=inputs.changes, memo=memo)
    api.page = {
        "id": page_id(site),
        "name": clean_text(site.title),
        "url": absolute(site).rstrip("/"),
        "time_zone": site.timezone,
        "updated_at": api.ts(inputs.latest),
    }
    api.build_components(inputs.epoch)
    page, status = api.page, page_status(site, inputs.unresolved, inputs.active)
    unresolved, upcoming, active = inputs.unresolved, inputs.upcoming, inputs.active
    return {
        "summary.json": {
            "page": page,
            "components": api.components,
            "incidents": _incidents(api, unresolved),
            "scheduled_maintenances": _incidents(api, [*active, *upcoming]),
            "status": status,
        },
        "status.json": {"page": page, "status": status},
        "components.json": {"page": page, "components": api.components},
        "incidents.json": {"page": page, "incidents": _incidents(api, inputs.incidents)},
        "incidents/unresolved.json": {"page": page, "incidents": _incidents(api, unresolved)},
        "scheduled-maintenances.json": {
            "page": page,
            "scheduled_maintenances": _incidents(api, inputs.maintenances),
        },
        "scheduled-maintenances/upcoming.json": {
            "page": page,
            "scheduled_maintenances": _incidents(api, upcoming),
        },
        "scheduled-maintenances/active.json": {
            "page": page,
            "scheduled_maintenances": _incidents(api, active),
        },
    }


def render_api(site: PublicSite, writer: OutputFiles, memo: RenderMemo | None = None) -> None:
    """Write the Statuspage v2-compatible documents under ``api/v2/``.

    ``memo`` (serve): the documents are reused while the settings and the inputs are equal,
    and each one that comes out the same as last time is not dumped again.
    """

    def texts(inputs: _Inputs | None = None) -> dict[str, str]:
        return {rel: dump(doc) for rel, doc in documents(site, inputs).items()}

    def each(inputs: _Inputs) -> dict[str, str]:
        # Inputs changed (a maintenance edited): most documents are the same still. Each is
        # dumped again only if its compact form differs (C-fast; the indented dump is not).
        assert memo is not None
        out = {}
        pieces = Pieces(memo.get("api:pieces", None, dict))
        for rel, doc in documents(site, inputs, memo).items():
            compact = json.dumps(doc, ensure_ascii=False)
            out[rel] = memo.get(f"api:{rel}", compact, partial(pieces.dump, doc))
        pieces.end()
        return out

    if memo is None:
        made = texts()
    else:
        inputs = _inputs(site, memo)
        made = memo.get("api", (memo.settings(site), inputs), lambda: each(inputs))
        # The documents' parts, for the next time they are made.
        listed = (*inputs.incidents, *inputs.unresolved, *inputs.maintenances, *inputs.upcoming)
        memo.touch(["api:pieces", *(f"api:{rel}" for rel in made)])
        memo.touch("api:incident:" + inc.id for inc in (*listed, *inputs.active))

    for rel, text in made.items():
        writer.add(f"api/v2/{rel}", text)
