"""History feeds: ``history.rss``, ``history.atom`` and per service ``services/<id>/history.atom``
and ``services/<id>/history.rss``.

As on Statuspage, there is one entry per incident or maintenance, revised in place: its id never
changes, its ``updated`` moves with each posted update, and its content holds every posted
update, newest first. Feed readers therefore see a new update as a changed entry, not a new one.
Everything is derived from the public projection, so the bytes depend only on content and "now".
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from html import escape
from itertools import islice

import jinja2
from feedgen.feed import FeedGenerator
from markupsafe import Markup

from .. import markdown
from ..writer import OutputFiles
from .machine import (
    absolute,
    by_recent_change,
    change_key,
    clean_text,
    incident_url,
    latest_change,
    local_time,
    status_label,
)
from .memo import RenderMemo
from .project import PublicIncident, PublicService, PublicSite

MAX_ENTRIES = 50

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
# Entry content: HTML built with autoescape; only sanitised Markdown output is marked safe.
_CONTENT = _ENV.from_string(
    """\
{% if window %}
<p><strong>{{ words.maintenance }}</strong><br>{{ window }}</p>
{% endif %}
{% if postmortem %}
<p><strong>{{ words.postmortem }}</strong></p>
{{ postmortem }}
{% endif %}
{% for u in updates %}
<p><small><time datetime="{{ u.iso }}">{{ u.when }}</time></small><br>
<strong>{{ u.label }}</strong></p>
{{ u.html }}
{% endfor %}
{% if services %}
<p>{{ affected }}</p>
{% endif %}
"""
)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def entry_html(site: PublicSite, inc: PublicIncident) -> str:
    """The HTML content of one entry: every posted update, newest first."""
    updates = [
        {
            "iso": _utc(u.at).isoformat().replace("+00:00", "Z"),
            "when": local_time(site, u.at),
            "label": status_label(site, u.status),
            "html": Markup(markdown.render(u.message)),
        }
        for u in reversed(inc.updates)
    ]
    window = ""
    if inc.is_maintenance and inc.scheduled_start and inc.scheduled_end:
        window = f"{local_time(site, inc.scheduled_start)} – {local_time(site, inc.scheduled_end)}"
    names = [s.name for s in site.services if s.id in inc.services]
    _ = site.texts.gettext
    if inc.is_maintenance:
        affected = _("This maintenance affected: %(services)s.")
    else:
        affected = _("This incident affected: %(services)s.")
    html = _CONTENT.render(
        window=window,
        postmortem=Markup(markdown.render(inc.postmortem_summary))
        if inc.postmortem_summary
        else "",
        updates=updates,
        services=", ".join(names),
        affected=affected % {"services": ", ".join(names)},
        words={"maintenance": _("Scheduled maintenance"), "postmortem": _("Postmortem")},
    )
    return clean_text(html)


def entry_summary(site: PublicSite, inc: PublicIncident) -> str:
    """Plain-text summary: the latest update (RSS ``description``, Atom ``summary``)."""
    if not inc.updates:
        return status_label(site, inc.status)
    last = inc.updates[-1]
    label = status_label(site, last.status)
    return clean_text(f"{label} - {markdown.plain(last.message)}")


class _Entries:
    """Entry content and summary per incident, rendered once for all the feeds it is in.

    With serve's memo, an entry is also reused from the last render while the incident and
    the site's settings are equal.
    """

    def __init__(self, site: PublicSite, memo: RenderMemo | None = None) -> None:
        self.site = site
        self._cache: dict[str, tuple[str, str]] = {}
        self.memo = memo
        self.settings = memo.settings(site) if memo else ()

    def __call__(self, inc: PublicIncident) -> tuple[str, str]:
        if inc.id not in self._cache:
            if self.memo is None:
                self._cache[inc.id] = self.make(inc)
            else:
                key = (self.settings, inc)
                self._cache[inc.id] = self.memo.get("entry:" + inc.id, key, lambda: self.make(inc))
        return self._cache[inc.id]

    def make(self, inc: PublicIncident) -> tuple[str, str]:
        return (entry_html(self.site, inc), entry_summary(self.site, inc))


def _feed(
    site: PublicSite,
    entries: list[PublicIncident],
    entries_of: _Entries,
    *,
    self_url: str,
    self_type: str,
    alternate: str,
    title: str,
    description: str,
) -> FeedGenerator:
    """A feed of ``entries``: the most recently changed incidents, in that order."""
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(clean_text(title))
    fg.description(clean_text(description))
    fg.author({"name": clean_text(site.title), "uri": absolute(site)})
    # feedgen's RSS <link> is the last link set: self first, alternate last.
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=alternate, rel="alternate", type="text/html")
    fg.language(site.language)
    fg.generator("statuspress")
    # feedgen defaults `updated`/`lastBuildDate` to the wall clock: always set them.
    newest = max((i.updated_at for i in entries), default=None)
    fg.updated(_utc(latest_change(site) if newest is None else newest))
    for inc in entries:
        url = incident_url(site, inc)
        fe = fg.add_entry(order="append")
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(clean_text(inc.title))
        fe.link(href=url, rel="alternate", type="text/html")
        fe.published(_utc(inc.created_at))
        fe.updated(_utc(inc.updated_at))
        html, summary = entries_of(inc)
        # RSS readers render <description> as HTML, so the plain text goes in escaped; Atom is
        # told the same (type="html") so both show the identical, inert text.
        fe.summary(escape(summary, quote=False), type="html")
        fe.content(html, type="html")
    return fg


def _description(site: PublicSite, what: str) -> str:
    return site.description or _history_of(site, what)


def _history_of(site: PublicSite, what: str) -> str:
    return site.texts.gettext("Incident and maintenance history of %(name)s") % {"name": what}


def service_feed(
    site: PublicSite,
    service: PublicService,
    entries_of: _Entries | None = None,
    kind: str = "atom",
    ordered: list[PublicIncident] | None = None,
) -> FeedGenerator:
    """One service's feed; ``kind`` ``atom`` or ``rss`` only changes its self link.

    ``ordered``: the site's incidents by :func:`by_recent_change`, if known already."""
    rel = f"services/{service.id}/"
    return _feed(
        site,
        _newest(ordered or by_recent_change(site.incidents), service.id),
        entries_of or _Entries(site),
        self_url=absolute(site, f"{rel}history.{kind}"),
        self_type=f"application/{kind}+xml",
        alternate=absolute(site, rel),
        title=site.texts.gettext("%(title)s - %(service)s Incident History")
        % {"title": site.title, "service": service.name},
        description=_history_of(site, service.name),
    )


def render_feeds(site: PublicSite, writer: OutputFiles, memo: RenderMemo | None = None) -> None:
    """Write the site-wide RSS and Atom feeds and an Atom and an RSS feed per public service.

    ``memo`` (serve): a feed whose entries and settings are unchanged is reused.
    """
    title = site.texts.gettext("%(title)s - Incident History") % {"title": site.title}
    entries_of = _Entries(site, memo)
    common = {
        "alternate": absolute(site, "history/"),
        "title": title,
        "description": _description(site, site.title),
    }
    keys = memo.per_incident("changes", site.incidents, None, change_key) if memo else None
    ordered = by_recent_change(site.incidents, keys)
    newest = ordered[:MAX_ENTRIES]

    def site_feed(name: str, media_type: str) -> FeedGenerator:
        return _feed(
            site,
            newest,
            entries_of,
            self_url=absolute(site, name),
            self_type=media_type,
            **common,
        )

    def site_feeds() -> tuple[bytes, bytes]:
        rss = site_feed("history.rss", "application/rss+xml").rss_str(pretty=True)
        atom = site_feed("history.atom", "application/atom+xml").atom_str(pretty=True)
        return rss, atom

    # A feed reads its entries (the most recently changed incidents), the settings, and, when
    # it has no entry, the latest change of the whole site.
    base = (memo.settings(site), latest_change(site, ordered)) if memo else ()
    if memo is None:
        rss, atom = site_feeds()
    else:
        rss, atom = memo.get("feeds:site", (base, newest), site_feeds)
    writer.add("history.rss", rss)
    writer.add("history.atom", atom)
    listed = list(newest)
    for service in site.services:
        make = partial(_service_feeds, site, service, entries_of, ordered)
        if memo is None:
            atom, rss = make()
        else:
            entries = _newest(ordered, service.id)
            listed.extend(entries)
            atom, rss = memo.get(f"feeds:{service.id}", (base, service, entries), make)
        writer.add(f"services/{service.id}/history.atom", atom)
        writer.add(f"services/{service.id}/history.rss", rss)
    if memo is not None:  # the entries of feeds reused whole, for the next time
        memo.touch("entry:" + inc.id for inc in listed)


def _newest(ordered: list[PublicIncident], service_id: str) -> list[PublicIncident]:
    """The most recently changed incidents of one service (``ordered``: the site's)."""
    return list(islice((i for i in ordered if service_id in i.services), MAX_ENTRIES))


def _service_feeds(
    site: PublicSite,
    service: PublicService,
    entries_of: _Entries,
    ordered: list[PublicIncident],
) -> tuple[bytes, bytes]:
    atom: bytes = service_feed(site, service, entries_of, "atom", ordered).atom_str(pretty=True)
    rss: bytes = service_feed(site, service, entries_of, "rss", ordered).rss_str(pretty=True)
    return atom, rss
