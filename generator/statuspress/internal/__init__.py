"""The internal knowledge base, built with mkdocs-material from generated Markdown."""

from __future__ import annotations

from collections.abc import Callable

from ..derive import World
from ..writer import SiteWriter


def render(world: World, writer: SiteWriter, progress: Callable[[str], None]) -> None:
    """Render the internal site into ``writer`` (filled in by the internal-site work)."""
    _ = (world, writer, progress)
