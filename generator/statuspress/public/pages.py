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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2 import pass_context

from .. import logo as logos
from ..errors import BuildError
from ..i18n import folder_name, texts_for
from ..writer import OutputFiles, safe_relpath
from . import templating as t
from .memo import ANY, RenderMemo, lookup
from .project import PublicIncident, PublicService, PublicSite
from .uptime import PERIODS, Day, ServiceUptime, compute

STYLESHEET = "style.css"
LIVE_PAGE = "live.html"
"""The twin of the home page and of each active incident's page that reloads itself."""
RTL_STYLESHEET = "rtl.css"
"""Linked after ``style.css`` on right-to-left pages: the layout mirrored."""
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
STATUS_ORDER = tuple(DAY_CLASS)
NARROW_DAYS = 30
"""Days of an uptime bar shown on narrow screens (the older ones are hidden by CSS)."""
TIP_EVENTS = 3
"""Incidents and maintenances a day's tooltip links to; the rest: a link to the month."""

_TZ = (("site", "tz"),)
READS: dict[str, tuple[tuple[str, ...], ...]] = {
    # Functions (globals) and filters that read more than their arguments, and what they read
    # (serve's page memo, :mod:`.memo`); the rest of ours are pure functions of their arguments.
    "url": (("root",), ("theme",)),
    "when": _TZ,
    "month_key": _TZ,
    "anchor": (),
    "datetime": _TZ,
    "date": _TZ,
    "time": _TZ,
    "service_names": (("services", ANY, "service", "name"),),
    "service_statuses": (("services", ANY, "service", "name"),),
    "markdown": (),
    "iso": (),
    "status_label": (),
    "impact_label": (),
    "incident_status_label": (),
    "month_name": (),
    "duration": (),
    "percent": (),
}
PAGE_NAMES = frozenset(
    {"root", "site_root", "alternates", "page_url", "canonical", "templates_considered"}
)
"""Context names that differ from page to page (besides a page's own values)."""
_INCIDENT_EXTRA = frozenset({"incident", "month", "live"})
_INCIDENT_SLOT = ("incident.html", _INCIDENT_EXTRA)


@dataclass(frozen=True, slots=True)
class BarDay:
    """One day of an uptime bar. The template writes its words (tooltip, links)."""

    css: str
    """Worst status class (``ok``, ``deg``, ...) and where its tooltip opens (``pl``, ``pm``,
    ``pr``: see :func:`_tip_side`)."""
    date: dt.date
    percent: str
    events: tuple[PublicIncident, ...] = ()
    """Incidents and maintenances that day (at most ``TIP_EVENTS``)."""
    more: int = 0
    """Further events that day, found in the history month."""
    month: str = ""

    @property
    def quiet(self) -> bool:
        """No incident nor maintenance that day: a plain green day without tooltip."""
        return not self.events


@dataclass(frozen=True, slots=True)
class Banner:
    """The overall status at the top of the home page (the template words it)."""

    css: str
    status: str
    """Worst current status of any public service."""
    services: list[str]
    """Names of the services not operational (those under maintenance only if that is all)."""
    incidents: list[PublicIncident]
    """Active incidents."""
    maintenance: list[PublicIncident]
    """Maintenance in progress."""


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
    event_days: int = 0
    """Days of the bar with an incident or maintenance (the screen-reader summary)."""
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
    periods: dict[int, str] = field(default_factory=dict)
    """30/90/365 -> the mean of its services' uptime (each service weighs the same)."""


@dataclass(slots=True)
class Month:
    key: str
    """``YYYY-MM``; also the folder name under ``history/``."""
    year: int
    month: int
    incidents: list[PublicIncident]
    """Newest first."""
    name: str = ""
    """``November 2026``, in the page's language."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where an incident sits in history (the display zone's day and month, its rank among
    the newest), worked out once per incident object: serve's memo keeps them between
    renders, for the incidents that did not change."""

    incident: PublicIncident
    day: dt.date
    month: str
    """``YYYY-MM``."""
    newest: tuple[float, str]
    """Sort key: newest first, by :func:`anchor_time`, ties by id."""


@dataclass(slots=True)
class RecentDay:
    date: dt.date
    incidents: list[PublicIncident]
    hidden: int
    """Incidents that day not listed (the home page's limit); the month page has them all."""
    month: str


class Renderer:
    """Renders every public HTML page from one :class:`PublicSite`."""

    def __init__(
        self, site: PublicSite, overrides: Path | None, memo: RenderMemo | None = None
    ) -> None:
        self.site = site
        self.memo = memo
        self.theme_dir = t.theme_root()
        self.overrides = overrides
        self.theme = t.load_theme_config(self.theme_dir, overrides)
        self.texts = site.texts
        self.clock = t.Clock(site.tz, site.texts.formats)
        self.env = t.make_env(
            overrides, self.theme_dir, site.texts, memo.bytecode if memo else None
        )
        self._shared: dict[tuple[str, frozenset[str]], tuple[object, list[tuple[str, ...]]]] = {}
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
        # One pass for the lists several parts of several pages use.
        self.maintenances: list[PublicIncident] = []
        self.active_events: list[PublicIncident] = []
        """Active incidents and maintenance in progress: what the live pages follow."""
        for inc in site.incidents:
            if inc.is_maintenance:
                self.maintenances.append(inc)
            if inc.is_active:
                self.active_events.append(inc)
        self.active_incidents = [i for i in self.active_events if not i.is_maintenance]
        self.places = self._places()
        """Incident id -> :class:`Place`, newest first."""
        self.stylesheets = [STYLESHEET, *self.theme.extra_css]
        if self.texts.direction == "rtl":
            self.stylesheets.insert(1, RTL_STYLESHEET)
        self._languages()
        self._incident_fast: object | None | Literal[False] = False
        """See :meth:`_kept_incident_page` (False: not known yet)."""
        self._prepare()
        # Site-wide values are globals too, so partials that need no page value (status badge,
        # uptime bar, timeline) import without context: cached once instead of per page.
        self.env.globals.update(site=site, theme=self.theme, services=self.services)

    def _languages(self) -> None:
        """Where the other languages of this site are (for hreflang and the switcher)."""
        site = self.site
        tags = site.languages or [site.language]
        default = site.language == tags[0]
        # This language's root -> the default language's root (the site's root).
        self.up = "" if default else "../"
        prefix = "" if default else folder_name(site.language) + "/"
        self.home_base = site.base_url[: len(site.base_url) - len(prefix)]
        self.others = [
            (tag, texts_for(tag, self.overrides).name(), "" if n == 0 else folder_name(tag) + "/")
            for n, tag in enumerate(tags)
        ] if len(tags) > 1 else []  # fmt: skip

    def alternates(self, url: str, root: str) -> list[dict[str, Any]]:
        """The page at ``url`` in every language: tag, name, relative and absolute links."""
        page = url if self.theme.directory_urls else url + "index.html"
        return [
            {
                "tag": tag,
                "name": name,
                "href": (root + self.up + folder + page) or "./",
                "absolute": self.home_base + folder + url,
                "current": tag == self.site.language,
            }
            for tag, name, folder in self.others
        ]

    # -- model -------------------------------------------------------------------------------

    def _places(self) -> dict[str, Place]:
        """Every incident's :class:`Place`, newest first (serve's memo keeps those of the
        incidents that are the same objects as last time, in the same display zone)."""
        site = self.site
        if self.memo is None:
            places = [self.place(inc) for inc in site.incidents]
        else:
            places = self.memo.per_incident("places", site.incidents, site.tz, self.place)
        # The site's order (by start) is this order but where an incident has a window of its
        # own: nearly sorted already, which the sort only checks.
        places.sort(key=_rank)
        return {p.incident.id: p for p in places}

    def place(self, inc: PublicIncident) -> Place:
        anchor = anchor_time(inc)
        local = self.clock.local(anchor)
        return Place(inc, local.date(), f"{local.year:04d}-{local.month:02d}", _newest_first(inc))

    def month_key(self, inc: PublicIncident) -> str:
        """``YYYY-MM`` of the incident's place in history."""
        place = self.places.get(inc.id)
        if place is None or place.incident is not inc:
            place = self.place(inc)
        return place.month

    # Filters for the service lists of cards and updates: one call instead of a template loop
    # per name (pages list thousands). Ids that are not public services are left out (the
    # projection keeps none anyway).
    def service_names(self, statuses: dict[str, str]) -> str:
        """``Checkout, Payments API``: the services of an incident, in its order."""
        services = self.services
        return ", ".join(services[sid].service.name for sid in statuses if sid in services)

    def service_statuses(self, statuses: dict[str, str]) -> str:
        """``Checkout: Major outage; Payments API: Operational``, by id (as ``dictsort``)."""
        services, gettext = self.services, self.texts.gettext
        return "; ".join(
            f"{services[sid].service.name}: {gettext(t.label(t.STATUS_LABELS, status))}"
            for sid, status in sorted(statuses.items(), key=_folded_key)
            if sid in services
        )

    def _prepare(self) -> None:
        site = self.site
        days = max(max(PERIODS), site.uptime_days)
        ids = [s.id for s in site.services]
        if self.memo is None:
            uptime = compute(ids, site.segments, site.tz, site.now, days)
        else:
            uptime = self.memo.get(
                "uptime",
                (ids, site.segments, site.tz, site.now, days),
                lambda: compute(ids, site.segments, site.tz, site.now, days),
            )
        format_percent = self.texts.formats.percent
        self.services: dict[str, ServiceView] = {}
        for svc in site.services:
            up = uptime[svc.id]
            shown = up.last(site.uptime_days)
            bar = [self._bar_day(d, n, len(shown)) for n, d in enumerate(shown)]
            self.services[svc.id] = ServiceView(
                service=svc,
                uptime=up,
                bar=bar,
                percent=format_percent(up.percent(site.uptime_days)),
                periods={p: format_percent(up.percent(p)) for p in PERIODS},
                event_days=sum(1 for b in bar if not b.quiet),
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

    def _bar_day(self, day: Day, index: int, count: int) -> BarDay:
        events = [self.incidents_by_id[i] for i in day.incidents if i in self.incidents_by_id]
        css = DAY_CLASS.get(day.worst, "ok")
        if not events:
            return BarDay(css, day.date, self.texts.formats.percent(day.percent))
        events.sort(key=lambda e: (e.is_maintenance, _newest_first(e)))
        return BarDay(
            f"{css} {_tip_side(index, count)}",
            day.date,
            self.texts.formats.percent(day.percent),
            tuple(events[:TIP_EVENTS]),
            max(len(events) - TIP_EVENTS, 0),
            f"{day.date:%Y-%m}",
        )

    def _groups(self) -> list[GroupView]:
        percent = self.texts.formats.percent
        grouped: dict[str, list[ServiceView]] = {}
        for view in self.services.values():
            grouped.setdefault(view.service.group, []).append(view)
        out = []
        for g in self.site.groups:
            members = grouped.pop(g.id, [])
            if members:
                mean = _mean(members, percent)
                out.append(GroupView(g.id, g.name, g.description, members, _worst(members), mean))
        rest = [v for members in grouped.values() for v in members]
        if rest:
            name = self.texts.gettext("Other services") if out else ""
            out.append(GroupView("", name, "", rest, _worst(rest), _mean(rest, percent)))
        return out

    def _months(self) -> list[Month]:
        """Every month from the oldest incident to now, and later months that hold something.

        Past months are all listed (an empty month is news: nothing happened); after now only
        months with scheduled maintenance (or a mistyped year) get a page, never a run of
        empty future months.
        """
        by_month: dict[str, list[PublicIncident]] = {}
        for place in self.places.values():  # newest first: so is each month
            by_month.setdefault(place.month, []).append(place.incident)
        current = f"{self.clock.local(self.site.now):%Y-%m}"
        first = min([*by_month, current])
        keys = []
        year, month = (int(x) for x in first.split("-"))
        while (key := f"{year:04d}-{month:02d}") <= current:
            keys.append(key)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        keys.extend(sorted(k for k in by_month if k > current))
        formats = self.texts.formats
        months = [
            Month(
                k,
                int(k[:4]),
                int(k[5:]),
                by_month.get(k, []),
                formats.month(int(k[:4]), int(k[5:])),
            )
            for k in keys
        ]
        months.reverse()  # newest first
        return months

    def recent(self) -> list[RecentDay]:
        """The home page's past days, today first, with at most ``recent_limit`` incidents."""
        today = self.clock.local(self.site.now).date()
        first = today - dt.timedelta(days=self.theme.recent_days - 1)
        by_day: dict[dt.date, list[PublicIncident]] = {}
        for place in self.places.values():  # newest first: so is each day
            inc = place.incident
            # Upcoming ones are not history; active ones are listed above it, once.
            if first <= place.day <= today and inc.state != "scheduled" and not inc.is_active:
                by_day.setdefault(place.day, []).append(inc)
        budget = self.theme.recent_limit
        out = []
        for n in range(self.theme.recent_days):
            day = today - dt.timedelta(days=n)
            items = by_day.get(day, [])
            shown = items[: max(budget, 0)]
            budget -= len(shown)
            out.append(RecentDay(day, shown, len(items) - len(shown), f"{day:%Y-%m}"))
        return out

    def _banner(self) -> Banner:
        """The overall status: the worst current state and what it touches."""
        worst = self.worst
        css = DAY_CLASS[worst] if worst != "operational" else ""
        if not css:
            css = "inc" if self.active_incidents else "ok"
        down = [v.service.name for v in self.services.values()]
        statuses = [v.service.status for v in self.services.values()]
        named = [n for n, s in zip(down, statuses, strict=True) if s not in _NOT_DOWN]
        if not named:
            named = [n for n, s in zip(down, statuses, strict=True) if s == "under_maintenance"]
        maintenance = [m for m in self.maintenances if m.state == "in_progress"]
        return Banner(css, worst, named, self.active_incidents, maintenance)

    # -- pages -------------------------------------------------------------------------------

    def render_all(self, writer: OutputFiles, incidents: tuple[int, int] | None = None) -> None:
        """Render every page; ``incidents`` limits incident pages to that index range."""
        site = self.site
        active = self.active_incidents
        in_progress = [m for m in self.maintenances if m.state == "in_progress"]
        upcoming = sorted(
            (m for m in self.maintenances if m.state == "scheduled"),
            key=lambda m: (anchor_time(m), m.id),
        )
        home = {
            "active_incidents": active,
            "maintenance_in_progress": in_progress,
            "upcoming": upcoming[: self.theme.upcoming_limit],
            "upcoming_hidden": max(len(upcoming) - self.theme.upcoming_limit, 0),
            "recent": self.recent(),
        }
        self.page(writer, "", ["index.html"], **home)
        if self.active_events:
            # The twin that reloads itself exists only while something is active.
            writer.add(LIVE_PAGE, self.html("", ["index.html"], live=True, **home))
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
                active=[i for i in self.active_events if sid in i.services],
                **self._service_history(view),
            )
        self.page(writer, "uptime/", ["uptime.html"])
        self.static(writer)

    def _service_history(self, view: ServiceView) -> dict[str, Any]:
        """A service page's incidents of the last ``uptime_days`` days and the older months.

        Serve's memo keeps it while the service's incidents are the same (one edit changes
        the lists of the services it touches only)."""
        today = self.clock.local(self.site.now).date()
        first = today - dt.timedelta(days=self.site.uptime_days - 1)
        limit = self.theme.service_history_limit
        if self.memo is None:
            return self._history_of(view, first, limit)
        return self.memo.get(
            "service-history:" + view.service.id,
            (view.incidents, self.site.tz, first, limit),
            lambda: self._history_of(view, first, limit),
        )

    def _history_of(self, view: ServiceView, first: dt.date, limit: int) -> dict[str, Any]:
        recent: list[PublicIncident] = []
        older: dict[str, int] = {}
        places = self.places
        for inc in view.incidents:
            if inc.is_active:
                continue  # listed as ongoing above
            place = places[inc.id]
            if inc.state == "scheduled" or place.day >= first:
                recent.append(inc)
            else:
                older[place.month] = older.get(place.month, 0) + 1
        return {
            "history": recent[:limit],
            "history_hidden": max(len(recent) - limit, 0),
            "history_first": first,
            "older_months": sorted(older.items(), reverse=True),
        }

    def incident_page(self, inc: PublicIncident, live: bool = False) -> tuple[str, str | bytes]:
        url = f"incidents/{inc.id}/"
        if self.memo is not None and not live:
            kept = self._kept_incident_page(url, inc)
            if kept is not None:
                return url + "index.html", kept
        candidates = [f"incident-{inc.id}.html", "incident.html"]
        name = LIVE_PAGE if live else "index.html"
        return url + name, self.html(
            url, candidates, incident=inc, month=self.month_key(inc), live=live
        )

    def _kept_incident_page(self, url: str, inc: PublicIncident) -> bytes | None:
        """Serve: the last render of this incident's page when it would be made from the same
        values, checked without building them (5,800 pages at 10,000 incidents).

        What :meth:`_remembered` would decide for ``html(url, ...)``: the same template
        (``incident.html``: no incident has a template of its own), shared key and page
        values. Of those, the address and the way up to the root follow from the URL, the
        base URL, the language's folder and the shared key, which are checked once a render
        (:meth:`_incident_shortcut`); the month follows from the incident and the display
        zone, which the shared key holds. So the same incident object gives the same page.
        """
        assert self.memo is not None
        if self._incident_fast is False:
            # The first incident page of this render goes the whole way (its shared key).
            if _INCIDENT_SLOT not in self._shared:
                return None
            self._incident_fast = self._incident_shortcut()
        shared = self._incident_fast
        if shared is None:
            return None
        return self.memo.same_page(url, shared, "incident", inc)

    def _incident_shortcut(self) -> object | None:
        """The shared key of the incident pages when :meth:`_kept_incident_page` may reuse
        them by their incident alone. None: this render checks each page whole, as the last
        render did not make them all with the same shared key, base URL and way up to the
        root; and on sites with a page template for some incident, or several languages
        (their links to the other languages are lists)."""
        assert self.memo is not None
        known: set[str] | None = getattr(self.env, "statuspress_templates", None)
        if known is None or self.others or any(n.startswith("incident-") for n in known):
            return None
        shared = self._shared[_INCIDENT_SLOT][0]
        constants = (shared, self.site.base_url, self.up)
        return shared if self.memo.unchanged("incident-pages", constants) else None

    def incident_pages(self, start: int, end: int) -> list[tuple[str, str | bytes]]:
        """The pages of incidents ``start`` to ``end`` (in the projection's order).

        An active incident (or maintenance in progress) also gets its live twin.
        """
        pages = []
        for inc in self.site.incidents[start:end]:
            pages.append(self.incident_page(inc))
            if inc.is_active:
                pages.append(self.incident_page(inc, live=True))
        return pages

    def page(self, writer: OutputFiles, url: str, candidates: list[str], **extra: Any) -> None:
        """Render one page at ``url`` (``""`` or ``a/b/``) into ``url + index.html``."""
        writer.add(url + "index.html", self.html(url, candidates, **extra))

    def html(self, url: str, candidates: list[str], **extra: Any) -> str | bytes:
        """The HTML of the page at ``url`` from the first template of ``candidates`` found."""
        template = t.select(self.env, candidates)
        depth = url.count("/")
        # What differs from page to page (PAGE_NAMES), then the page's own values.
        page = {
            "root": "../" * depth,
            "site_root": "../" * depth + self.up,
            "alternates": self.alternates(url, "../" * depth) if self.others else [],
            "page_url": url,
            "canonical": self.site.base_url + url,
            "templates_considered": t.considered(candidates, template.name or ""),
            **extra,
        }
        if self.memo is None:
            return t.render(template, self.context(page))
        return self._remembered(url, template, page, frozenset(extra))

    def context(self, page: dict[str, Any]) -> dict[str, Any]:
        """A page's whole context: the site-wide values, then the page's own."""
        return {
            "site": self.site,
            "theme": self.theme,
            "now": self.site.now,
            "overall": self.worst,
            "banner": self.banner,
            "groups": self.groups,
            "services": self.services,
            "incidents": self.incidents_by_id,
            "months": self.months,
            "periods": PERIODS,
            "live": False,
            "live_page": LIVE_PAGE,
            "live_seconds": self.site.live_refresh_seconds,
            "narrow_days": NARROW_DAYS,
            "stylesheets": self.stylesheets,
            **page,
        }

    def _remembered(
        self, url: str, template: jinja2.Template, page: dict[str, Any], extra: frozenset[str]
    ) -> bytes:
        """The page from serve's memo when nothing its templates read has changed."""
        assert self.memo is not None
        name = template.name or ""
        slot = (name, extra)
        found = self._shared.get(slot)
        if found is None:
            found = self._shared[slot] = self._shared_key(
                name, self.context(page), PAGE_NAMES | extra
            )
        shared, own_paths = found
        globals_ = self.env.globals
        context = self.context
        # The live twin of a page has the same URL and a file of its own.
        file = url + LIVE_PAGE if page.get("live") is True else url
        return self.memo.page(
            file,
            name,
            shared,
            page,
            # Own paths start at a page value (PAGE_NAMES or the page's own), all in ``page``.
            lambda: tuple(lookup(page, globals_, p) for p in own_paths),
            lambda: t.render(template, context(page)),
        )

    def _shared_key(
        self, name: str, context: dict[str, Any], page_names: frozenset[str]
    ) -> tuple[object, list[tuple[str, ...]]]:
        """What every page of template ``name`` reads alike (canonical), and the paths that
        differ from page to page. A page whose reads are not all known gets a fresh key."""
        assert self.memo is not None
        reads = self.memo.reads(self.env, name)
        paths: set[tuple[str, ...]] = set()
        for path in reads.paths:
            head = path[0]
            if head in READS and head not in context and callable(self.env.globals.get(head)):
                paths.update(READS[head])
            else:
                paths.add(path)
        calls: list[tuple[object, ...]] = []
        for kind, used, table, builtin in (
            ("filter", reads.filters, self.env.filters, jinja2.filters.FILTERS),
            ("test", reads.tests, self.env.tests, jinja2.tests.TESTS),
        ):
            for fname in sorted(used):
                func = table.get(fname)
                if kind == "filter" and fname in READS:
                    paths.update(READS[fname])
                elif func is not None and func is builtin.get(fname):
                    calls.append((kind, fname))
                else:
                    calls.append((kind, fname, func))  # undeclared: a new object each render
        # A path under another one adds nothing: the whole value is compared already.
        paths = {p for p in paths if not any(p[:n] in paths for n in range(1, len(p)))}
        own = sorted(p for p in paths if p[0] in page_names)
        shared = sorted(p for p in paths if p[0] not in page_names)
        values = tuple(lookup(context, self.env.globals, p) for p in shared)
        key: object = (reads.sources, tuple(shared), values, tuple(calls))
        if not reads.known:
            key = object()
        return self.memo.shared_key(name, page_names, key), own

    def static(self, writer: OutputFiles) -> None:
        """Stylesheet and icon (an override's file of the same name wins), and ``extra_css``."""
        folders = [self.overrides, self.theme_dir] if self.overrides else [self.theme_dir]
        names = [*STATIC, RTL_STYLESHEET] if RTL_STYLESHEET in self.stylesheets else STATIC
        for name in names:
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


def _rank(place: Place) -> tuple[float, str]:
    return place.newest


_NOT_DOWN = ("operational", "under_maintenance")


def _tip_side(index: int, count: int) -> str:
    """Where a day's tooltip opens so it stays inside the bar, wide and narrow.

    ``pl``: from the day's left edge rightwards on both; ``pr``: leftwards from its right edge
    on both; ``pm``: leftwards on wide screens (right half of all days) but rightwards on
    narrow ones (left half of the last ``NARROW_DAYS``).
    """
    wide_left = index < count / 2
    shown = min(count, NARROW_DAYS)
    narrow_left = index - (count - shown) < shown / 2
    if wide_left:
        return "pl"
    return "pm" if narrow_left else "pr"


def _mean(views: list[ServiceView], format_percent: Callable[[float], str]) -> dict[int, str]:
    """A group's uptime: the mean of its services' (each day has the same minutes for all)."""
    return {
        p: format_percent(sum(v.uptime.percent(p) for v in views) / len(views)) for p in PERIODS
    }


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
def _still_heap(kept: bool = False) -> Iterator[None]:
    """Keep the garbage collector from rescanning the (large, long-lived) model while rendering.

    Rendering allocates a lot and each collection of the oldest generation walks every object
    of the loaded content; with 10,000 incidents that was a fifth of the rendering time. A
    caller that keeps the heap frozen itself (``kept``: serve, between its rebuilds) keeps it
    so (``gc.get_freeze_count`` would tell, but it walks every frozen object to count them).
    """
    gc.freeze()
    try:
        yield
    finally:
        if not kept:
            gc.unfreeze()


def render_pages(
    site: PublicSite,
    writer: OutputFiles,
    overrides: Path | None = None,
    incidents: tuple[int, int] | None = None,
    memo: RenderMemo | None = None,
) -> None:
    """Render the HTML pages and the stylesheet of the public site into ``writer``.

    ``memo`` (serve): reuse the pages of the last render whose inputs are unchanged.
    """
    with _still_heap(kept=memo is not None):
        Renderer(site, overrides, memo).render_all(writer, incidents)


def render_incident_pages(
    site: PublicSite, writer: OutputFiles, start: int, end: int, overrides: Path | None = None
) -> None:
    """Render only the pages of incidents ``start`` to ``end``."""
    with _still_heap():
        for url, html in Renderer(site, overrides).incident_pages(start, end):
            writer.add(url, html)
