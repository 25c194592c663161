"""The public status page: HTML, feeds, Statuspage-compatible JSON, calendar, badges.

Every renderer here receives only :class:`~statuspress.public.project.PublicSite`, the public
projection of the world, never the world itself: that is how the internal records stay internal.
"""

from __future__ import annotations

from ..derive import World
from ..writer import SiteWriter
from . import split
from .api import render_api
from .badges import render_badges
from .calendar import render_calendar
from .feeds import render_feeds
from .pages import copy_logo, render_incident_pages, render_pages
from .project import PublicSite, project

__all__ = ["PublicSite", "project", "render"]


def render(world: World, writer: SiteWriter) -> None:
    """Render the whole public site into ``writer``."""
    site = project(world)
    theme_dir = world.content.site.theme_dir
    overrides = (world.content.root.parent / theme_dir) if theme_dir else None
    if site.logo:
        copy_logo(world.content.root, site.logo, writer)
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
        return list(collected.files.items())

    def parent() -> None:
        render_pages(site, writer, overrides=overrides, incidents=(0, half))

    for rel, data in split.run_split(child, parent, parallel=half < count):
        writer.add(rel, data)
