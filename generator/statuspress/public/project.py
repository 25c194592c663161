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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter

from ..derive import (
    Segment,
    World,
    public_status,
    segments,
    state,
    status_at,
    visible_updates,
    worst,
)
from ..i18n import Texts, folder_name, site_languages
from ..models import Content, Incident


@dataclass(frozen=True, slots=True)
class PublicUpdate:
    at: dt.datetime
    status: str
    message: str
    """Markdown as written; render it with :func:`statuspress.markdown.render`."""
    services: dict[str, str]
    """Component statuses set by this update (public services only)."""
    messages: dict[str, str] = field(default_factory=dict)
    """The message in other languages (``message_<lang>``), by language tag."""


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
    impact_minutes: float | None = None
    """Minutes of customer impact (start to ``mitigated_at``) once mitigated; only the length
    is public, never the internal moment itself."""
    titles: dict[str, str] = field(default_factory=dict)
    """The title in other languages (``title_<lang>``), by language tag."""

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
    live_refresh_seconds: int = 60
    subscribe: list[tuple[str, str]] = field(default_factory=list)
    """(name, url) links site.yaml declares for the Subscribe section."""
    groups: list[PublicGroup] = field(default_factory=list)
    services: list[PublicService] = field(default_factory=list)
    incidents: list[PublicIncident] = field(default_factory=list)
    """Newest first (by start; maintenance by window start)."""
    segments: list[Segment] = field(default_factory=list)
    """Status segments of public services from public incidents, for uptime."""
    languages: list[str] = field(default_factory=list)
    """Every language the site is built in, the default (``language``) first."""
    texts: Texts = field(default_factory=Texts)
    """Messages and formats of ``language``: what every human-readable output shows."""

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


def public_service_ids(content: Content) -> set[str]:
    return {s.id for s in content.services.values() if s.public}


@dataclass(frozen=True, slots=True)
class Projected:
    """One incident's share of the public site, computed from that incident alone.

    Incidents can be projected anywhere (a forked reader projects the files it reads) and
    assembled later: nothing here depends on another incident.
    """

    incident: PublicIncident
    segments: tuple[Segment, ...]
    """Its status segments on public services, for uptime."""
    current: dict[str, str]
    """Public service -> the status it gives that service at "now" (active ones only)."""


Order = tuple[tuple[float, str], tuple[tuple[str, float, str], ...]]
"""One projection's sort keys for :func:`assemble`: its place on the site, and each segment's."""


def order(p: Projected) -> Order:
    """The sort keys of one projection. Instants as numbers: the same order as the aware
    datetimes (exact to the microsecond), compared without working out two UTC offsets per
    comparison. Not kept in :class:`Projected` (a public build holds and pickles thousands of
    them); serve keeps them per file (:class:`KeyedProjector`)."""
    inc = p.incident
    return (
        (-(inc.scheduled_start or inc.started_at).timestamp(), inc.id),
        tuple((s.service, s.start.timestamp(), s.incident_id) for s in p.segments),
    )


_NONE: dict[str, str] = {}
"""Every empty map of the projections (most updates set no status and have no translation):
one object instead of ~45,000 at 10,000 incidents, in memory and in the worker's pickle.
Projections are frozen: nothing adds to it."""


def _public(statuses: dict[str, str], public_ids: set[str]) -> dict[str, str]:
    return {k: v for k, v in statuses.items() if k in public_ids} or _NONE


def project_incident(inc: Incident, public_ids: set[str], now: dt.datetime) -> Projected | None:
    """The public view of one incident, or None when it is not public at all."""
    if not is_public(inc, public_ids):
        return None
    updates = tuple(
        PublicUpdate(
            u.at,
            u.status,
            u.message,
            _public(u.services, public_ids),
            u.messages or _NONE,
        )
        for u in visible_updates(inc, now)
    )
    pm = inc.postmortem
    first = inc.scheduled_start if inc.is_maintenance and inc.scheduled_start else inc.started_at
    created = min([first, *(u.at for u in updates)])
    updated = max([created, *(u.at for u in updates)])
    if inc.resolved_at and inc.resolved_at <= now:
        updated = max(updated, inc.resolved_at)
    current_state = state(inc, now)
    mitigated = inc.mitigated_at
    impact_minutes = (
        (mitigated - inc.started_at).total_seconds() / 60.0
        if mitigated and inc.started_at <= mitigated <= now and not inc.is_maintenance
        else None
    )
    public = PublicIncident(
        id=inc.id,
        title=inc.title,
        kind="maintenance" if inc.is_maintenance else "incident",
        impact=inc.public_impact,
        state=current_state,
        status=public_status(inc, now),
        services=_public(inc.services, public_ids),
        started_at=inc.started_at,
        resolved_at=inc.resolved_at if inc.resolved_at and inc.resolved_at <= now else None,
        scheduled_start=inc.scheduled_start,
        scheduled_end=inc.scheduled_end,
        updates=updates,
        postmortem_summary=pm.public_summary if pm and pm.published else "",
        created_at=created,
        updated_at=updated,
        impact_minutes=impact_minutes,
        titles=inc.titles or _NONE,
    )
    current = (
        _public(status_at([inc], now), public_ids)
        if current_state in ("active", "in_progress")
        else _NONE
    )
    kept = tuple(s for s in segments(inc, now) if s.service in public_ids)
    return Projected(public, kept, current)


def project(world: World) -> PublicSite:
    """Build the public view of the world: everything public renderers may know."""
    content, now = world.content, world.now
    public_ids = public_service_ids(content)
    projected = (project_incident(i, public_ids, now) for i in content.incidents.values())
    return assemble(content, [p for p in projected if p is not None], now)


def assemble(
    content: Content,
    projected: Sequence[Projected],
    now: dt.datetime,
    orders: Sequence[Order] | None = None,
) -> PublicSite:
    """The public site from the catalogs and the projected incidents (in any order).

    ``orders``: each projection's :func:`order`, if the caller kept them (serve).
    """
    keys = [order(p) for p in projected] if orders is None else orders
    # Newest first (maintenance by window start), ties by id: incident ids are unique.
    placed = sorted(zip((k[0] for k in keys), projected, strict=True), key=_first)
    # By service, start and incident: two equal keys are two segments of one incident, which
    # a stable sort keeps in that incident's order, so the input order does not matter.
    keyed = [
        (key, s)
        for k, p in zip(keys, projected, strict=True)
        for key, s in zip(k[1], p.segments, strict=True)
    ]
    keyed.sort(key=_first)
    incidents = [p.incident for _, p in placed]
    return site_of(content, projected, now, incidents, [s for _, s in keyed])


def site_of(
    content: Content,
    projected: Iterable[Projected],
    now: dt.datetime,
    incidents: list[PublicIncident],
    segments: list[Segment],
) -> PublicSite:
    """The public site around incidents and segments already in the site's order."""
    site = content.site
    status: dict[str, str] = {}
    for p in projected:
        for service, current in p.current.items():
            status[service] = worst((status.get(service, "operational"), current))
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
        live_refresh_seconds=site.live_refresh_seconds,
        subscribe=[(link.name, link.url) for link in site.subscribe],
        languages=site_languages(site.language, site.languages),
        incidents=incidents,
        segments=segments,
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
    return out


_first = itemgetter(0)


@dataclass(slots=True)
class KeyedProjector:
    """A :class:`Projector` that also keeps each projection's :func:`order` (for serve, which
    keeps what was kept per file: its assembly after one edit then sorts, never re-keys)."""

    projector: Projector

    def __call__(self, content: Content, incident: Incident) -> tuple[Projected, Order] | None:
        projected = self.projector(content, incident)
        return None if projected is None else (projected, order(projected))


@dataclass(slots=True)
class Projector:
    """What a public-only build keeps of each incident where it is read (see the loader).

    A plain class, so that it can be sent to the processes that read the incident files.
    """

    now: dt.datetime
    public_ids: set[str] | None = field(default=None, compare=False)
    """Computed from the first content seen (a cache: two projectors at one "now" are equal)."""

    def __call__(self, content: Content, incident: Incident) -> Projected | None:
        if self.public_ids is None:
            self.public_ids = public_service_ids(content)
        return project_incident(incident, self.public_ids, self.now)


def localise(site: PublicSite, tag: str, texts: Texts) -> PublicSite:
    """``site`` in language ``tag``: its texts, and the incidents' own translations if any.

    A language other than the default lives under ``<tag>/``, so its ``base_url`` does too.
    Incidents without a ``title_<tag>`` or ``message_<tag>`` are shared as they are.
    """
    default = tag == (site.languages[0] if site.languages else site.language)
    local = replace(site, language=tag, texts=texts)
    if default:
        return local
    base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
    local.base_url = base + folder_name(tag) + "/"
    local.incidents = [_translated(inc, tag) for inc in site.incidents]
    return local


def _translated(inc: PublicIncident, tag: str) -> PublicIncident:
    if not inc.titles and not any(u.messages for u in inc.updates):
        return inc
    updates = tuple(
        replace(u, message=u.messages[tag]) if tag in u.messages else u for u in inc.updates
    )
    return replace(inc, title=inc.titles.get(tag, inc.title), updates=updates)
