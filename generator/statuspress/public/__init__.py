"""The public status page: HTML, feeds, Statuspage-compatible JSON, calendar, badges.

Every renderer here receives only :class:`~statuspress.public.project.PublicSite`, the public
projection of the world, never the world itself: that is how the internal records stay internal.
Only :func:`render` (from a loaded world) and :func:`load_public` (from the files, for a
public-only build) see the content, and both hand it straight to :mod:`.project`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..derive import World
from ..i18n import folder_name, texts_for
from ..loader import Loaded, load
from ..models import Content
from ..plugins import run_plugin
from ..writer import OutputFiles, SiteWriter
from . import split
from .memo import RenderMemo
from .outputs import Output, SharedOutput, registered_outputs, render_output
from .pages import copy_logo
from .project import Projector, PublicSite, assemble, localise, project

__all__ = ["PublicSite", "assemble", "project", "load_public", "render", "render_site"]


def render(world: World, writer: SiteWriter) -> None:
    """Render the whole public site into ``writer``."""
    render_site(project(world), world.content, writer)


def load_public(content_dir: Path, now: dt.datetime) -> Loaded:
    """Check the content like ``check`` does and keep only each incident's public projection.

    What a public-only build reads: the same diagnostics as a full load (raises
    :class:`ContentError` on any error), but incidents are projected where they are read, on
    as many processes as ``check`` uses, and their full models are dropped right away.
    """
    return load(content_dir, now, keep=Projector(now)).raise_on_errors()


LOCALISED_OUTPUTS = ("pages", "feeds", "calendar", "badges")
"""Outputs built again for every other language (the JSON API and plugins' outputs are not:
their values are for machines, the same in every language)."""


def render_site(
    site: PublicSite, content: Content, writer: SiteWriter, memo: RenderMemo | None = None
) -> None:
    """Render every registered output of a projected public site into ``writer``.

    ``content`` gives only the theme and logo locations. The outputs come from one registry
    (:mod:`.outputs`): the built-ins and any installed plugin's, in that order. With several
    ``languages`` the default one is rendered at the root and every other one under
    ``<tag>/`` (its pages, feeds, calendar and badges). ``memo`` (serve): reuse what the last
    render made from equal inputs, in this process (one memo per language and place, since a
    language's messages are compiled into its templates).
    """
    theme_dir = content.site.theme_dir
    overrides = (content.root.parent / theme_dir) if theme_dir else None
    if site.logo:
        copy_logo(content.root, site.logo, writer)
    if memo is not None:
        memo.begin()
        writer.paths = memo.paths  # the checks of 6,000 mostly unchanged paths, kept
    for tag in site.languages:
        texts = texts_for(tag, overrides)
        local = localise(site, tag, texts)
        root = tag == site.languages[0]
        mine = memo.for_language(tag, root, texts) if memo is not None else None
        outputs = registered_outputs(overrides, mine)
        if root:
            _render_outputs(local, outputs, writer, "", mine)
        else:
            chosen = {n: o for n, o in outputs.items() if n in LOCALISED_OUTPUTS}
            _render_outputs(local, chosen, writer, folder_name(tag) + "/", mine)
    if memo is not None:
        memo.end()
        if len(memo.paths) > 2 * len(writer.files):  # paths of pages since removed
            memo.paths = {rel: memo.paths[rel] for rel in writer.files if rel in memo.paths}


class _Prefixed:
    """Files of one language's site, under its folder of the one writer."""

    def __init__(self, files: OutputFiles, prefix: str) -> None:
        self.files, self.prefix = files, prefix

    def add(self, rel: str, data: bytes | str) -> None:
        self.files.add(self.prefix + rel, data)


STREAM_EVERY = 200
"""Rendered files a process holds before it writes them into the staging folder."""


class _Streamed:
    """A writer whose files go to its staging folder every :data:`STREAM_EVERY` files.

    Each process of a public build would otherwise hold its whole share of the site (about
    30 MB of pages each at 10,000 incidents) until the end of the render: that was the build's
    peak memory. The writer still claims (checks) every path as it is added.
    """

    def __init__(self, writer: SiteWriter) -> None:
        self.writer = writer

    def add(self, rel: str, data: bytes | str) -> None:
        self.writer.add(rel, data)
        if len(self.writer.files) >= STREAM_EVERY:
            self.writer.flush()


def streamed(writer: SiteWriter) -> OutputFiles:
    """``writer``, written out as it goes when it has a staging folder (a build that commits)."""
    return _Streamed(writer) if writer.staging is not None else writer


def _render_outputs(
    site: PublicSite,
    outputs: dict[str, Output],
    writer: SiteWriter,
    prefix: str,
    memo: RenderMemo | None,
) -> None:
    count = len(site.incidents)
    # On large sites a forked child renders the later ~45% of incident pages (of every output
    # that renders in shares) and every other output while this process renders the rest.
    half = count * 11 // 20 if memo is None and split.can_fork(count) else count
    shared: dict[str, SharedOutput] = {
        n: o for n, o in outputs.items() if isinstance(o, SharedOutput)
    }
    whole = {n: o for n, o in outputs.items() if n not in shared}

    def files(target: OutputFiles) -> OutputFiles:
        return _Prefixed(target, prefix) if prefix else target

    def child() -> split.Files:
        collected = SiteWriter(writer.dest)  # collects only; the parent's writer commits
        # The parent will write to disk: write this share there, on this core, as it is
        # rendered, and send back only the names (the parent's writer still checks every one).
        collected.staging = writer.staging
        target = streamed(collected)
        if half < count:
            for name, part in shared.items():
                run_plugin("outputs", name, part.render_share, site, files(target), half, count)
        for name, output in whole.items():
            render_output(name, output, site, files(target))
        if writer.staging is not None:
            collected.flush()
            return [(rel, None) for rel in collected.placed]
        return list(collected.files.items())

    def parent() -> None:
        target = streamed(writer)
        for name, part in shared.items():
            run_plugin("outputs", name, part.render_share, site, files(target), 0, half)
        if writer.staging is not None and half < count:
            writer.flush()  # while the child may still be rendering

    for rel, data in split.run_split(child, parent, parallel=half < count):
        if data is None:
            writer.place(rel)
        else:
            writer.add(rel, data)
