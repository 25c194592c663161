"""The public status page: HTML, feeds, Statuspage-compatible JSON, calendar, badges.

Every renderer here receives only :class:`~statuspress.public.project.PublicSite`, the public
projection of the world, never the world itself: that is how the internal records stay internal.
"""

from __future__ import annotations

from ..derive import World
from ..writer import SiteWriter
from .api import render_api
from .badges import render_badges
from .calendar import render_calendar
from .feeds import render_feeds
from .pages import copy_logo, render_pages
from .project import PublicSite, project

__all__ = ["PublicSite", "project", "render"]


def render(world: World, writer: SiteWriter) -> None:
    """Render the whole public site into ``writer``."""
    site = project(world)
    theme_dir = world.content.site.theme_dir
    overrides = (world.content.root.parent / theme_dir) if theme_dir else None
    if site.logo:
        copy_logo(world.content.root, site.logo, writer)
    render_pages(site, writer, overrides=overrides)
    render_feeds(site, writer)
    render_api(site, writer)
    render_calendar(site, writer)
    render_badges(site, writer)
