"""The public status page: HTML, feeds, Statuspage-compatible JSON, calendar, badges.

Every renderer here receives only :class:`~statuspress.public.project.PublicSite`, the public
projection of the world, never the world itself: that is how the internal records stay internal.
"""

from __future__ import annotations

from ..derive import World
from ..writer import SiteWriter
from .project import PublicSite, project

__all__ = ["PublicSite", "project", "render"]


def render(world: World, writer: SiteWriter) -> None:
    """Render the whole public site into ``writer``."""
    site = project(world)
    _ = site  # Renderers are added by the public-site work (issue 3).
