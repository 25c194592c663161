"""``maintenance.ics``: scheduled maintenance as an RFC 5545 calendar.

One VEVENT per public maintenance, past ones included (they stay as past events). Every value
comes from the content, never the wall clock: DTSTAMP is the maintenance's last change and
SEQUENCE the number of posted updates, so a calendar client sees an event revised in place when
an update is posted, and the same content gives the same bytes. A calendar without any
maintenance holds the site's time zone for the year of "now" instead: RFC 5545 wants at least
one component.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from icalendar import Calendar, Event, Timezone

from .. import markdown
from ..writer import OutputFiles
from .machine import clean_text, host, incident_url, status_label
from .memo import RenderMemo
from .project import PublicIncident, PublicSite

PRODID = "-//statuspress//Maintenance calendar//EN"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _description(site: PublicSite, inc: PublicIncident) -> str:
    names = [s.name for s in site.services if s.id in inc.services]
    parts = []
    if inc.updates:
        last = inc.updates[-1]
        label = status_label(site, last.status)
        parts.append(f"{label}: {markdown.plain(last.message)}")
    if names:
        parts.append(site.texts.gettext("Affected: %(names)s") % {"names": ", ".join(names)})
    parts.append(incident_url(site, inc))
    return clean_text("\n\n".join(parts))


def event(site: PublicSite, inc: PublicIncident) -> Event:
    """The VEVENT of one maintenance (which must have a scheduled window)."""
    assert inc.scheduled_start is not None and inc.scheduled_end is not None
    ev = Event()
    ev.add("uid", f"{inc.id}@{host(site)}")
    ev.add("dtstamp", _utc(inc.updated_at))
    ev.add("created", _utc(inc.created_at))
    ev.add("last-modified", _utc(inc.updated_at))
    ev.add("sequence", len(inc.updates))
    ev.add("dtstart", _utc(inc.scheduled_start))
    ev.add("dtend", _utc(inc.scheduled_end))
    ev.add("summary", clean_text(inc.title))
    ev.add("description", _description(site, inc))
    ev.add("url", incident_url(site, inc))
    ev.add("status", "CONFIRMED")
    ev.add("transp", "TRANSPARENT")  # a maintenance window does not make the reader busy
    return ev


def _windows(site: PublicSite) -> list[PublicIncident]:
    windows = [m for m in site.maintenances if m.scheduled_start and m.scheduled_end]
    windows.sort(key=lambda m: (m.scheduled_start or m.started_at, m.id))
    return windows


def _header(site: PublicSite) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = site.texts.gettext("%(title)s - Scheduled maintenance") % {"title": site.title}
    cal.add("x-wr-calname", clean_text(name))
    return cal


def calendar(site: PublicSite) -> Calendar:
    cal = _header(site)
    windows = _windows(site)
    for inc in windows:
        cal.add_component(event(site, inc))
    if not windows:
        # RFC 5545 wants at least one component in a calendar; with no maintenance yet, give
        # the site's display zone (events are in UTC, so it changes no event's time).
        year = site.now.year
        zone = Timezone.from_tzid(
            site.timezone, first_date=dt.date(year, 1, 1), last_date=dt.date(year + 1, 1, 1)
        )
        cal.add_component(zone)
    return cal


def render_calendar(site: PublicSite, writer: OutputFiles, memo: RenderMemo | None = None) -> None:
    """Write ``maintenance.ics``; ``memo`` (serve): reused while settings and windows are equal."""
    windows = _windows(site) if memo is not None else []
    if memo is None or not windows:
        writer.add("maintenance.ics", calendar(site).to_ical())
        return
    # The calendar's text is its own lines, each event's, then its END line (each content
    # line is folded on its own), so an event's text can be kept from the last render.
    settings = memo.settings(site)
    head = _header(site).to_ical()
    assert head.endswith(_END)
    parts = [head[: -len(_END)]]
    for inc in windows:
        parts.append(memo.get(f"event:{inc.id}", (settings, inc), partial(_event_text, site, inc)))
    parts.append(_END)
    writer.add("maintenance.ics", b"".join(parts))


_END = b"END:VCALENDAR\r\n"


def _event_text(site: PublicSite, inc: PublicIncident) -> bytes:
    text: bytes = event(site, inc).to_ical()
    return text
