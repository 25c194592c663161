"""Placeholder: being written (issue 3)."""

from __future__ import annotations

from ..writer import SiteWriter
from .project import PublicSite


def render_calendar(site: PublicSite, writer: SiteWriter) -> None:
    _ = (site, writer)
