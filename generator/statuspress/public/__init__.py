"""The public status page: HTML, feeds, Statuspage-compatible JSON, calendar, badges.

Every renderer here receives only :class:`~statuspress.public.project.PublicSite`, the public
projection of the world, never the world itself: that is how the internal records stay internal.
Only :func:`render` (from a loaded world) and :func:`scan_public` (from the files, for a
public-only build) see the content, and both hand it straight to :mod:`.project`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..check import Scan, scan
from ..derive import World
from ..errors import ContentError
from ..models import Content, Incident
from ..writer import SiteWriter
from . import split
from .api import render_api
from .badges import render_badges
from .calendar import render_calendar
from .feeds import render_feeds
from .pages import copy_logo, render_incident_pages, render_pages
from .project import PublicSite, assemble, project, project_incident, public_service_ids

__all__ = ["PublicSite", "assemble", "project", "render", "render_site", "scan_public"]


def render(world: World, writer: SiteWriter) -> None:
    """Render the whole public site into ``writer``."""
    render_site(project(world), world.content, writer)


def scan_public(content_dir: Path, now: dt.datetime) -> Scan:
    """Check the content like ``check`` does and keep only each incident's public projection.

    What a public-only build reads: the same diagnostics as a full load (raises
    :class:`ContentError` on any error), but incidents are projected where they are read, on
    as many processes as ``check`` uses, and their full models are dropped right away.
    """
    public_ids: set[str] | None = None

    def keep(content: Content, incident: Incident) -> object:
        nonlocal public_ids
        if public_ids is None:
            public_ids = public_service_ids(content)
        return project_incident(incident, public_ids, now)

    result = scan(content_dir, now, keep=keep)
    if result.summary.errors:
        raise ContentError(result.summary.diagnostics)
    return result


def render_site(site: PublicSite, content: Content, writer: SiteWriter) -> None:
    """Render a projected public site; ``content`` gives only the theme and logo locations."""
    theme_dir = content.site.theme_dir
    overrides = (content.root.parent / theme_dir) if theme_dir else None
    if site.logo:
        copy_logo(content.root, site.logo, writer)
    count = len(site.incidents)
    # On large sites a forked child renders the later ~45% of incident pages and every
    # machine-readable output while this process renders the rest of the pages.
    half = count * 11 // 20 if split.can_fork(count) else count

    def child() -> split.Files:
        collected = SiteWriter(writer.dest)  # collects only; the parent's writer commits
        render_incident_pages(site, collected, half, count, overrides=overrides)
        render_feeds(site, collected)
        render_api(site, collected)
        render_calendar(site, collected)
        render_badges(site, collected)
        if writer.staging is not None:
            # The parent will write to disk: write this share there now, on this core, and
            # send back only the names (the parent's writer still checks every one).
            collected.write_files(writer.staging)
            return [(rel, None) for rel in collected.files]
        return list(collected.files.items())

    def parent() -> None:
        render_pages(site, writer, overrides=overrides, incidents=(0, half))
        if writer.staging is not None and half < count:
            writer.flush()  # while the child may still be rendering

    for rel, data in split.run_split(child, parent, parallel=half < count):
        if data is None:
            writer.place(rel)
        else:
            writer.add(rel, data)
