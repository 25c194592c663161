"""The internal knowledge base, built with mkdocs-material from generated Markdown.

Stages: metrics and page Markdown from the derived world (:mod:`.pages`), then mkdocs' own
build in a temporary folder (:mod:`.mkdocs_build`); the built tree is handed to the SiteWriter,
which swaps it into ``OUT/internal`` atomically. Nothing here ever writes under ``OUT/public``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ..derive import World
from ..writer import SiteWriter
from . import metrics
from .layout import Layout
from .mkdocs_build import BuiltSite, build_site
from .pages import generate


def build_internal(world: World, workdir: Path, progress: Callable[[str], None]) -> BuiltSite:
    """Generate every page and build the site into ``workdir/site``."""
    site = world.content.site
    progress("internal: computing metrics and writing pages")
    layout = Layout(world)
    pages = generate(layout, metrics.compute(world))
    extra = (world.content.root.parent / site.docs_dir) if site.docs_dir else None
    progress(f"internal: mkdocs build of {len(pages)} pages")
    return build_site(
        pages,
        workdir,
        content_root=world.content.root,
        site_name=f"{site.title}: knowledge base",
        now=world.now,
        site_url=site.internal_url,
        extra_docs=extra,
    )


def render(world: World, writer: SiteWriter, progress: Callable[[str], None]) -> None:
    """Render the internal site into ``writer`` (copied into OUT/internal at commit)."""
    # The writer copies the built tree at commit time, after this returns, then removes it.
    workdir = writer.work_dir()
    try:
        built = build_internal(world, workdir, progress)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    progress(f"internal: {built.pages} pages, search index {built.search_index_bytes / 1e6:.2f} MB")
    writer.add_tree("", built.site_dir)
