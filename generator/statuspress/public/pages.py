"""The HTML pages of the public status page, rendered from :class:`PublicSite` with Jinja.

Pages (every link relative, so the site works from disk and under any sub-path):

- ``index.html``: overall banner, active incidents, maintenance, services with uptime bars,
  recent history (bounded, so the page stays small with any number of incidents);
- ``incidents/<id>/index.html``: one incident's public record;
- ``history/index.html`` and ``history/YYYY-MM/index.html``: every incident, by month;
- ``services/<id>/index.html``: one public service, its uptime and its incidents;
- ``uptime/index.html``: 30/90/365-day uptime of every public service.

Everything a template needs is computed here once (groupings, uptime, day labels), so
templates stay declarative and the build stays linear in the number of incidents.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context

from .. import logo as logos
from ..errors import BuildError
from ..writer import OutputFiles, safe_relpath
from . import templating as t
from .project import PublicIncident, PublicService, PublicSite
from .uptime import PERIODS, Day, ServiceUptime, compute, format_percent

STYLESHEET = "style.css"
STATIC = (STYLESHEET, "favicon.svg")
"""Theme files copied as they are; a file of the same name in the overrides folder wins."""

# Day classes of the uptime bars, by the worst status of the day (CSS in style.css).
DAY_CLASS = {
    "operational": "ok",
    "under_maintenance": "mnt",
    "degraded_performance": "deg",
    "partial_outage": "part",
    "major_outage": "maj",
}
# Overall banner, by the worst current status of any public service.
BANNER = {
    "major_outage": ("maj", "Major outage"),
    "partial_outage": ("part", "Partial outage"),
    "degraded_performance": ("deg", "Degraded performance"),
    "under_maintenance": ("mnt", "Maintenance in progress"),
}
STATUS_ORDER = tuple(DAY_CLASS)


@dataclass(frozen=True, slots=True)
class BarDay:
    """One day of an uptime bar: its CSS class and the text a screen reader (or hover) shows."""

    css: str
    text: str


@dataclass(slots=True)
class ServiceView:
    """A public service with what its pages and rows show."""

    service: PublicService
    uptime: ServiceUptime
    bar: list[BarDay]
    percent: str
    """Uptime over ``uptime_days``, formatted."""
    periods: dict[int, str]
    """30/90/365 -> formatted percentage."""
    incidents: list[PublicIncident] = field(default_factory=list)
    """Newest first."""


@dataclass(slots=True)
class GroupView:
    id: str
    name: str
    description: str
    services: list[ServiceView]
    status: str
    """Worst current status of its services."""


@dataclass(slots=True)
class Month:
    key: str
    """``YYYY-MM``; also the folder name under ``history/``."""
    year: int
    month: int
    incidents: list[PublicIncident]
    """Newest first."""

    @property
    def name(self) -> str:
        return t.month_name((self.year, self.month))


@dataclass(slots=True)
class RecentDay:
    date: dt.date
    incidents: list[PublicIncident]
    hidden: int
    """Incidents that day not listed (the home page's limit); the month page has them all."""
    month: str


class Renderer:
    """Renders every public HTML page from one :class:`PublicSite`."""

    def __init__(self, site: PublicSite, overrides: Path | None) -> None:
        self.site = site
        self.theme_dir = t.theme_root()
        self.overrides = overrides
        self.theme = t.load_theme_config(self.theme_dir, overrides)
        self.clock = t.Clock(site.tz)
        self.env = t.make_env(overrides, self.theme_dir)
        self.env.filters["datetime"] = self.clock.datetime
        self.env.filters["date"] = self.clock.date
        self.env.filters["time"] = self.clock.time
        self.env.globals["when"] = t.when_function(self.clock)
        self.env.globals["url"] = _url
        self.env.globals["status_order"] = STATUS_ORDER
        self.env.globals["day_class"] = DAY_CLASS
        self.env.globals["anchor"] = anchor_time
        self.env.globals["month_key"] = self.month_key
        self.env.filters["service_names"] = self.service_names
        self.env.filters["service_statuses"] = self.service_statuses
        self.incidents_by_id = {i.id: i for i in site.incidents}
        self._month_keys: dict[str, str] = {}
        self._prepare()
        # Site-wide values are globals too, so partials that need no page value (status badge,
        # uptime bar, timeline) import without context: cached once instead of per page.
        self.env.globals.update(site=site, theme=self.theme, services=self.services)

    # -- model -------------------------------------------------------------------------------

    def month_key(self, inc: PublicIncident) -> str:
        """``YYYY-MM`` of the incident's place in history (computed once per incident)."""
        key = self._month_keys.get(inc.id)
        if key is None:
            key = self._month_keys[inc.id] = f"{self.clock.local(anchor_time(inc)):%Y-%m}"
        return key

    # Filters for the service lists of cards and updates: one call instead of a template loop
    # per name (pages list thousands). Ids that are not public services are left out (the
    # projection keeps none anyway).
    def service_names(self, statuses: dict[str, str]) -> str:
        """``Checkout, Payments API``: the services of an incident, in its order."""
        services = self.services
        return ", ".join(services[sid].service.name for sid in statuses if sid in services)

    def service_statuses(self, statuses: dict[str, str]) -> str:
        """``Checkout: Major outage; Payments API: Operational``, by id (as ``dictsort``)."""
        services = self.services
        return "; ".join(
            f"{services[sid].service.name}: {t.label(t.STATUS_LABELS, status)}"
            for sid, status in sorted(statuses.items(), key=_folded_key)
            if sid in services
        )

    def _prepare(self) -> None:
        site = self.site
        days = max(max(PERIODS), site.uptime_days)
        uptime = compute((s.id for s in site.services), site.segments, site.tz, site.now, days)
        self.services: dict[str, ServiceView] = {}
        for svc in site.services:
            up = uptime[svc.id]
            self.services[svc.id] = ServiceView(
                service=svc,
                uptime=up,
                bar=[self._bar_day(d) for d in up.last(site.uptime_days)],
                percent=format_percent(up.percent(site.uptime_days)),
                periods={p: format_percent(up.percent(p)) for p in PERIODS},
            )
        for inc in site.incidents:  # newest first already
            for sid in inc.services:
                if sid in self.services:
                    self.services[sid].incidents.append(inc)
        self.groups = self._groups()
        self.months = self._months()
        current = [s.service.status for s in self.services.values()]
        self.worst = max(current, key=STATUS_ORDER.index, default="operational")
        self.banner = self._banner()

    def _bar_day(self, day: Day) -> BarDay:
        events = [self.incidents_by_id[i] for i in day.incidents if i in self.incidents_by_id]
        incidents = [e.title for e in events if not e.is_maintenance]
        maintenance = [e.title for e in events if e.is_maintenance]
        parts = [f"{day.date.isoformat()}: {format_percent(day.percent)} uptime"]
        if incidents:
            parts.append(f"{t.plural(len(incidents), 'incident')}: {'; '.join(incidents[:3])}")
            if len(incidents) > 3:
                parts[-1] += f" and {len(incidents) - 3} more"
        if maintenance:
            parts.append(f"maintenance: {'; '.join(maintenance[:3])}")
        if not events:
            parts.append("no incidents")
        return BarDay(DAY_CLASS.get(day.worst, "ok"), ", ".join(parts))

    def _groups(self) -> list[GroupView]:
        grouped: dict[str, list[ServiceView]] = {}
        for view in self.services.values():
            grouped.setdefault(view.service.group, []).append(view)
        out = []
        for g in self.site.groups:
            members = grouped.pop(g.id, [])
            if members:
                out.append(GroupView(g.id, g.name, g.description, members, _worst(members)))
        rest = [v for members in grouped.values() for v in members]
        if rest:
            name = "Other services" if out else ""
            out.append(GroupView("", name, "", rest, _worst(rest)))
        return out

    def _months(self) -> list[Month]:
        """Every month from the oldest incident to now, and later months that hold something.

        Past months are all listed (an empty month is news: nothing happened); after now only
        months with scheduled maintenance (or a mistyped year) get a page, never a run of
        empty future months.
        """
        by_month: dict[str, list[PublicIncident]] = {}
        for inc in self.site.incidents:
            by_month.setdefault(self.month_key(inc), []).append(inc)
        current = f"{self.clock.local(self.site.now):%Y-%m}"
        first = min([*by_month, current])
        keys = []
        year, month = (int(x) for x in first.split("-"))
        while (key := f"{year:04d}-{month:02d}") <= current:
            keys.append(key)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        keys.extend(sorted(k for k in by_month if k > current))
        months = [
            Month(k, int(k[:4]), int(k[5:]), sorted(by_month.get(k, []), key=_newest_first))
            for k in keys
        ]
        months.reverse()  # newest first
        return months

    def recent(self) -> list[RecentDay]:
        """The home page's past days, today first, with at most ``recent_limit`` incidents."""
        today = self.clock.local(self.site.now).date()
        first = today - dt.timedelta(days=self.theme.recent_days - 1)
        by_day: dict[dt.date, list[PublicIncident]] = {}
        for inc in self.site.incidents:
            if inc.state == "scheduled":
                continue
            day = self.clock.local(anchor_time(inc)).date()
            if first <= day <= today:
                by_day.setdefault(day, []).append(inc)
        budget = self.theme.recent_limit
        out = []
        for n in range(self.theme.recent_days):
            day = today - dt.timedelta(days=n)
            items = sorted(by_day.get(day, []), key=_newest_first)
            shown = items[: max(budget, 0)]
            budget -= len(shown)
            out.append(RecentDay(day, shown, len(items) - len(shown), f"{day:%Y-%m}"))
        return out

    def _banner(self) -> tuple[str, str]:
        """CSS class and text of the overall status: the worst current state, in words."""
        if self.worst in BANNER:
            return BANNER[self.worst]
        if self.site.active_incidents:
            return ("inc", "Incident in progress")
        return ("ok", "All systems operational")

    # -- pages -------------------------------------------------------------------------------

    def render_all(self, writer: OutputFiles, incidents: tuple[int, int] | None = None) -> None:
        """Render every page; ``incidents`` limits incident pages to that index range."""
        site = self.site
        active = site.active_incidents
        in_progress = [m for m in site.maintenances if m.state == "in_progress"]
        upcoming = sorted(
            (m for m in site.maintenances if m.state == "scheduled"),
            key=lambda m: (anchor_time(m), m.id),
        )
        self.page(
            writer,
            "",
            ["index.html"],
            active_incidents=active,
            maintenance_in_progress=in_progress,
            upcoming=upcoming[: self.theme.upcoming_limit],
            upcoming_hidden=max(len(upcoming) - self.theme.upcoming_limit, 0),
            recent=self.recent(),
        )
        start, end = incidents if incidents is not None else (0, len(site.incidents))
        for url, html in self.incident_pages(start, end):
            writer.add(url, html)
        months = self.months
        self.page(
            writer,
            "history/",
            ["history.html"],
            recent_months=[m for m in months if m.incidents][: self.theme.history_recent_months],
            years=_years(months),
        )
        for index, month in enumerate(months):
            newer = months[index - 1] if index > 0 else None
            older = months[index + 1] if index + 1 < len(months) else None
            self.page(
                writer,
                f"history/{month.key}/",
                [f"history-{month.key}.html", "history-month.html"],
                month=month,
                newer=newer,
                older=older,
            )
        for view in self.services.values():
            sid = view.service.id
            self.page(
                writer,
                f"services/{sid}/",
                [f"service-{sid}.html", "service.html"],
                view=view,
                group=next((g for g in self.groups if view in g.services), None),
                active=[i for i in view.incidents if i.is_active],
                history=view.incidents[: self.theme.service_history_limit],
                history_hidden=max(len(view.incidents) - self.theme.service_history_limit, 0),
            )
        self.page(writer, "uptime/", ["uptime.html"])
        self.static(writer)

    def incident_page(self, inc: PublicIncident) -> tuple[str, str]:
        url = f"incidents/{inc.id}/"
        candidates = [f"incident-{inc.id}.html", "incident.html"]
        return url + "index.html", self.html(
            url, candidates, incident=inc, month=self.month_key(inc)
        )

    def incident_pages(self, start: int, end: int) -> list[tuple[str, str]]:
        """The pages of incidents ``start`` to ``end`` (in the projection's order)."""
        return [self.incident_page(inc) for inc in self.site.incidents[start:end]]

    def page(self, writer: OutputFiles, url: str, candidates: list[str], **extra: Any) -> None:
        """Render one page at ``url`` (``""`` or ``a/b/``) into ``url + index.html``."""
        writer.add(url + "index.html", self.html(url, candidates, **extra))

    def html(self, url: str, candidates: list[str], **extra: Any) -> str:
        """The HTML of the page at ``url`` from the first template of ``candidates`` found."""
        template = t.select(self.env, candidates)
        depth = url.count("/")
        context = {
            "site": self.site,
            "theme": self.theme,
            "root": "../" * depth,
            "page_url": url,
            "canonical": self.site.base_url + url,
            "now": self.site.now,
            "overall": self.worst,
            "banner": self.banner,
            "groups": self.groups,
            "services": self.services,
            "incidents": self.incidents_by_id,
            "months": self.months,
            "periods": PERIODS,
            "stylesheets": [STYLESHEET, *self.theme.extra_css],
            "templates_considered": t.considered(candidates, template.name or ""),
            **extra,
        }
        return t.render(template, context)

    def static(self, writer: OutputFiles) -> None:
        """Stylesheet and icon (an override's file of the same name wins), and ``extra_css``."""
        folders = [self.overrides, self.theme_dir] if self.overrides else [self.theme_dir]
        for name in STATIC:
            source = next((f / name for f in folders if (f / name).is_file()), None)
            if source is None:
                raise BuildError(f"theme has no {name}")
            writer.add(name, source.read_bytes())
        for name in self.theme.extra_css:
            extra = (self.overrides / name) if self.overrides else None
            if extra is None or not extra.is_file():
                raise BuildError(f"extra_css: {name} not found in the theme overrides folder")
            writer.add(name, extra.read_bytes())


@pass_context
def _url(context: jinja2.runtime.Context, path: str = "") -> str:
    """A relative link from the current page to ``path`` (``""``, ``history/``, ``x.atom``)."""
    root = context.get("root")
    if root is None:
        raise jinja2.TemplateRuntimeError(
            "url() needs the page: import the partial that calls it 'with context'"
        )
    theme: t.ThemeConfig = context["theme"]
    if (path == "" or path.endswith("/")) and not theme.directory_urls:
        return root + path + "index.html"
    return root + path if root or path else "./"


def anchor_time(inc: PublicIncident) -> dt.datetime:
    """When an incident sits in history: its start; a maintenance: its window's start."""
    return inc.scheduled_start if inc.is_maintenance and inc.scheduled_start else inc.started_at


def _folded_key(item: tuple[str, str]) -> str:
    """Jinja's ``dictsort`` order: keys compared case-insensitively."""
    return item[0].lower()


def _newest_first(inc: PublicIncident) -> tuple[float, str]:
    return (-anchor_time(inc).timestamp(), inc.id)


def _worst(views: Iterable[ServiceView]) -> str:
    return max((v.service.status for v in views), key=STATUS_ORDER.index, default="operational")


def _years(months: list[Month]) -> list[tuple[int, list[Month]]]:
    years: dict[int, list[Month]] = {}
    for m in months:
        years.setdefault(m.year, []).append(m)
    return list(years.items())


def copy_logo(content_root: Path, logo: str, writer: OutputFiles) -> None:
    """Publish site.yaml's ``logo`` (a file under the content folder) at the same path.

    ``check`` has vetted the file already; the bytes published are checked again, by the same
    rules, in case the file changed since.
    """
    rel = safe_relpath(logo)
    data, why = logos.read(content_root, rel)
    if data is None:
        raise BuildError(f"logo: {why}")
    writer.add(rel, data)


@contextmanager
def _still_heap() -> Iterator[None]:
    """Keep the garbage collector from rescanning the (large, long-lived) model while rendering.

    Rendering allocates a lot and each collection of the oldest generation walks every object
    of the loaded content; with 10,000 incidents that was a fifth of the rendering time.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def render_pages(
    site: PublicSite,
    writer: OutputFiles,
    overrides: Path | None = None,
    incidents: tuple[int, int] | None = None,
) -> None:
    """Render the HTML pages and the stylesheet of the public site into ``writer``."""
    with _still_heap():
        Renderer(site, overrides).render_all(writer, incidents)


def render_incident_pages(
    site: PublicSite, writer: OutputFiles, start: int, end: int, overrides: Path | None = None
) -> None:
    """Render only the pages of incidents ``start`` to ``end``."""
    with _still_heap():
        for url, html in Renderer(site, overrides).incident_pages(start, end):
            writer.add(url, html)
