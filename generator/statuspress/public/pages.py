"""Placeholder: being written (issue 3)."""

from __future__ import annotations

from pathlib import Path

from ..writer import SiteWriter
from .project import PublicSite


def render_pages(site: PublicSite, writer: SiteWriter, overrides: Path | None = None) -> None:
    _ = (site, writer, overrides)
