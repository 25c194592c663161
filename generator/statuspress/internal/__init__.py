"""The internal knowledge base, built with mkdocs-material from generated Markdown.

Stages: metrics and page Markdown from the derived world (:mod:`.pages`), then mkdocs' own
build in a temporary folder (:mod:`.mkdocs_build`); the built tree is handed to the SiteWriter,
which swaps it into ``OUT/internal`` atomically. Nothing here ever writes under ``OUT/public``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..derive import World
from ..writer import SiteWriter
from . import metrics
from .layout import Layout
from .mkdocs_build import BuiltSite, build_site
from .pages import generate


@dataclass(frozen=True, slots=True)
class Prepared:
    """Every page's Markdown and what mkdocs needs besides: nothing of the content models."""

    pages: dict[str, str]
    content_root: Path
    site_name: str
    now: dt.datetime
    site_url: str
    extra_docs: Path | None


def prepare(world: World, progress: Callable[[str], None]) -> Prepared:
    """Compute the metrics and generate every page's Markdown."""
    site = world.content.site
    progress("internal: computing metrics and writing pages")
    pages = generate(Layout(world), metrics.compute(world))
    return Prepared(
        pages,
        world.content.root,
        f"{site.title}: knowledge base",
        world.now,
        site.internal_url,
        (world.content.root.parent / site.docs_dir) if site.docs_dir else None,
    )


def build_prepared(prepared: Prepared, workdir: Path, progress: Callable[[str], None]) -> BuiltSite:
    """Build the generated pages with mkdocs into ``workdir/site``."""
    progress(f"internal: mkdocs build of {len(prepared.pages)} pages")
    return build_site(
        prepared.pages,
        workdir,
        content_root=prepared.content_root,
        site_name=prepared.site_name,
        now=prepared.now,
        site_url=prepared.site_url,
        extra_docs=prepared.extra_docs,
    )


def build_internal(world: World, workdir: Path, progress: Callable[[str], None]) -> BuiltSite:
    """Generate every page and build the site into ``workdir/site``."""
    return build_prepared(prepare(world, progress), workdir, progress)


def render(prepared: Prepared, writer: SiteWriter, progress: Callable[[str], None]) -> None:
    """Build the prepared site into ``writer`` (copied into OUT/internal at commit)."""
    # The writer copies the built tree at commit time, after this returns, then removes it.
    workdir = writer.work_dir()
    try:
        built = build_prepared(prepared, workdir, progress)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    progress(f"internal: {built.pages} pages, search index {built.search_index_bytes / 1e6:.2f} MB")
    writer.add_tree("", built.site_dir)
