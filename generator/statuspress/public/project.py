"""The public/internal boundary, in one place.

``project(world)`` returns a :class:`PublicSite`: the *only* input of every public renderer
(HTML, feeds, JSON API, calendar, badges). It copies just the fields the content model allows
onto the public side; people, severity labels, bodies, categories, known errors, runbooks,
action items, internal services and internal timestamps never enter it, so no template or
encoder can leak them by mistake. Gameday and ``public: false`` incidents, and incidents
touching only internal services, are dropped whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..derive import Segment, World, public_status, segments, state, status_at, visible_updates
from ..models import Incident


@dataclass(frozen=True, slots=True)
class PublicUpdate:
    at: dt.datetime
    status: str
    message: str
    """Markdown as written; render it with :func:`statuspress.markdown.render`."""
    services: dict[str, str]
    """Component statuses set by this update (public services only)."""


@dataclass(frozen=True, slots=True)
class PublicIncident:
    id: str
    title: str
    kind: str
    """``incident`` or ``maintenance``."""
    impact: str
    """none/minor/major/critical, or ``maintenance``."""
    state: str
    """active/resolved, or scheduled/in_progress/completed for maintenance."""
    status: str
    """Statuspage status: investigating/identified/monitoring/resolved or the maintenance ones."""
    services: dict[str, str]
    """Public service id -> worst status during the incident."""
    started_at: dt.datetime
    resolved_at: dt.datetime | None
    scheduled_start: dt.datetime | None
    scheduled_end: dt.datetime | None
    updates: tuple[PublicUpdate, ...]
    """Posted updates, oldest first."""
    postmortem_summary: str
    """Published public summary (Markdown), else empty."""
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def is_maintenance(self) -> bool:
        return self.kind == "maintenance"

    @property
    def is_active(self) -> bool:
        return self.state in ("active", "in_progress")


@dataclass(frozen=True, slots=True)
class PublicGroup:
    id: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class PublicService:
    id: str
    name: str
    group: str
    description: str
    status: str
    """Current status computed from public incidents only."""
    position: int


@dataclass(slots=True)
class PublicSite:
    title: str
    base_url: str
    description: str
    language: str
    timezone: str
    tz: dt.tzinfo
    support_url: str
    logo: str
    uptime_days: int
    now: dt.datetime
    groups: list[PublicGroup] = field(default_factory=list)
    services: list[PublicService] = field(default_factory=list)
    incidents: list[PublicIncident] = field(default_factory=list)
    """Newest first (by start; maintenance by window start)."""
    segments: list[Segment] = field(default_factory=list)
    """Status segments of public services from public incidents, for uptime."""

    def service(self, service_id: str) -> PublicService | None:
        return next((s for s in self.services if s.id == service_id), None)

    @property
    def active_incidents(self) -> list[PublicIncident]:
        return [i for i in self.incidents if not i.is_maintenance and i.is_active]

    @property
    def maintenances(self) -> list[PublicIncident]:
        return [i for i in self.incidents if i.is_maintenance]


def is_public(inc: Incident, public_services: set[str]) -> bool:
    """Public, not a gameday, and touching at least one public service."""
    return inc.public and not inc.is_gameday and any(s in public_services for s in inc.services)


def project(world: World) -> PublicSite:
    """Build the public view of the world: everything public renderers may know."""
    content, now = world.content, world.now
    site = content.site
    public_ids = {s.id for s in content.services.values() if s.public}
    incidents = [i for i in content.incidents.values() if is_public(i, public_ids)]
    status = status_at((i for i in incidents if state(i, now) in ("active", "in_progress")), now)
    out = PublicSite(
        title=site.title,
        base_url=site.base_url,
        description=site.description,
        language=site.language,
        timezone=site.timezone,
        tz=site.tz,
        support_url=site.support_url,
        logo=site.logo,
        uptime_days=site.uptime_days,
        now=now,
    )
    used_groups = {s.group for s in content.services.values() if s.public and s.group}
    out.groups = [
        PublicGroup(g.id, g.name, g.description)
        for g in content.groups.values()
        if g.id in used_groups
    ]
    out.services = [
        PublicService(s.id, s.name, s.group, s.description, status.get(s.id, "operational"), n)
        for n, s in enumerate(s for s in content.services.values() if s.public)
    ]
    for inc in incidents:
        updates = tuple(
            PublicUpdate(
                u.at,
                u.status,
                u.message,
                {k: v for k, v in u.services.items() if k in public_ids},
            )
            for u in visible_updates(inc, now)
        )
        pm = inc.postmortem
        first = (
            inc.scheduled_start if inc.is_maintenance and inc.scheduled_start else inc.started_at
        )
        created = min([first, *(u.at for u in updates)])
        updated = max([created, *(u.at for u in updates)])
        if inc.resolved_at and inc.resolved_at <= now:
            updated = max(updated, inc.resolved_at)
        out.incidents.append(
            PublicIncident(
                id=inc.id,
                title=inc.title,
                kind="maintenance" if inc.is_maintenance else "incident",
                impact=inc.public_impact,
                state=state(inc, now),
                status=public_status(inc, now),
                services={k: v for k, v in inc.services.items() if k in public_ids},
                started_at=inc.started_at,
                resolved_at=inc.resolved_at if inc.resolved_at and inc.resolved_at <= now else None,
                scheduled_start=inc.scheduled_start,
                scheduled_end=inc.scheduled_end,
                updates=updates,
                postmortem_summary=pm.public_summary if pm and pm.published else "",
                created_at=created,
                updated_at=updated,
            )
        )
        out.segments.extend(s for s in segments(inc, now) if s.service in public_ids)
    out.incidents.sort(key=lambda i: (-(i.scheduled_start or i.started_at).timestamp(), i.id))
    out.segments.sort(key=lambda s: (s.service, s.start, s.incident_id))
    return out
