"""Helpers shared by the machine-readable outputs: feeds, JSON API, calendar and badges.

They read only :class:`~statuspress.public.project.PublicSite` data, like the renderers.
"""

from __future__ import annotations

import datetime as dt
import re
from operator import attrgetter, itemgetter
from urllib.parse import urlsplit

from .. import derive
from ..i18n import N_
from .project import PublicIncident, PublicSite

# Characters XML 1.0 and iCalendar forbid (C0 controls but tab/newline/return, lone
# surrogates, U+FFFE/U+FFFF) plus DEL and C1 controls, which no reader shows sensibly.
# YAML escapes such as "\x01" can put them into a title or message.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# English msgids; the feeds, calendar and badges show them through ``site.texts``.
STATUS_LABELS = {
    "investigating": N_("Investigating"),
    "identified": N_("Identified"),
    "monitoring": N_("Monitoring"),
    "resolved": N_("Resolved"),
    "postmortem": N_("Postmortem"),
    "scheduled": N_("Scheduled"),
    "in_progress": N_("In progress"),
    "verifying": N_("Verifying"),
    "completed": N_("Completed"),
}

COMPONENT_LABELS = {
    "operational": N_("operational"),
    "degraded_performance": N_("degraded performance"),
    "partial_outage": N_("partial outage"),
    "major_outage": N_("major outage"),
    "under_maintenance": N_("under maintenance"),
}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clean_text(text: str) -> str:
    """``text`` without the characters XML and iCalendar cannot carry."""
    return _UNSAFE.sub("", text)


def absolute(site: PublicSite, rel: str = "") -> str:
    """Absolute URL of a path under the public site (``base_url`` always ends in ``/``)."""
    base = site.base_url if site.base_url.endswith("/") else site.base_url + "/"
    return base + rel


def incident_url(site: PublicSite, inc: PublicIncident) -> str:
    return absolute(site, f"incidents/{inc.id}/")


def host(site: PublicSite) -> str:
    """Host name of the public site (for calendar UIDs)."""
    return urlsplit(site.base_url).hostname or "localhost"


def local_time(site: PublicSite, moment: dt.datetime) -> str:
    """``27 Nov 2026, 11:55 CET``: the page's zone, in the site's language."""
    t = moment.astimezone(site.tz)
    if site.texts.locale.language != "en":
        return site.texts.formats.datetime(t)
    zone = t.tzname() or t.strftime("%z")
    return f"{t.day} {_MONTHS[t.month - 1]} {t.year}, {t.hour:02d}:{t.minute:02d} {zone}"


def status_label(site: PublicSite, status: str) -> str:
    """An update status in the site's language (an unknown one as it is)."""
    return site.texts.gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def latest_change(site: PublicSite, ordered: list[PublicIncident] | None = None) -> dt.datetime:
    """When anything public last changed: the latest incident change, else ``now``.

    ``ordered``: :func:`by_recent_change` of the site's incidents, if known already (its
    first is the latest change)."""
    if ordered is not None:
        return min(ordered[0].updated_at, site.now) if ordered else site.now
    # The latest of the changes each capped at now is the latest change capped at now.
    latest = max(map(_updated, site.incidents), default=None)
    return site.now if latest is None else min(latest, site.now)


_updated = attrgetter("updated_at")


def change_key(inc: PublicIncident) -> tuple[float, str]:
    """Most recently changed first; the id breaks ties so the order never flips."""
    return (-inc.updated_at.timestamp(), inc.id)


def by_recent_change(
    incidents: list[PublicIncident], keys: list[tuple[float, str]] | None = None
) -> list[PublicIncident]:
    """``incidents`` by :func:`change_key` (``keys``: theirs, worked out already)."""
    if keys is None:
        return sorted(incidents, key=change_key)
    return [inc for _, inc in sorted(zip(keys, incidents, strict=True), key=itemgetter(0))]


def maintenance_end(inc: PublicIncident) -> dt.datetime | None:
    """When a completed maintenance ended (resolved_at, its completed update, else its window)."""
    return derive.maintenance_end(inc) if inc.state == "completed" else None
