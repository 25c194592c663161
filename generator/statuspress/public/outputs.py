"""The registry of public outputs: pages, feeds, JSON API, calendar, badges, and plugins'.

The public renderer iterates this registry; nothing else lists the outputs. Each output sees
only the public projection (:class:`~statuspress.public.project.PublicSite`) and a place to
add files, so a third-party output can no more leak an internal record than a built-in can.

A package adds an output with an entry point in the ``statuspress.outputs`` group naming an
object (or a class, instantiated without arguments) that has a ``render(site, files)``
method, or is such a function itself. Its files go through the same writer as the built-in
ones: a path outside the site or one another output already wrote fails the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..plugins import PluginError, discover, plugin_label, run_plugin
from ..writer import OutputFiles
from .api import render_api
from .badges import render_badges
from .memo import RenderMemo
from .pages import render_incident_pages, render_pages
from .project import PublicSite


@runtime_checkable
class Output(Protocol):
    """One public output."""

    def render(self, site: PublicSite, files: OutputFiles) -> None: ...


@runtime_checkable
class SharedOutput(Output, Protocol):
    """An output big enough to be rendered in shares on two processes.

    ``render_share(site, files, start, stop)`` renders the part that depends on incidents
    ``start`` to ``stop`` (of ``site.incidents``); share 0 also renders everything else.
    """

    def render_share(self, site: PublicSite, files: OutputFiles, start: int, stop: int) -> None: ...


@dataclass(frozen=True, slots=True)
class _Function:
    """A built-in output that is a plain function of the projection."""

    func: Callable[[PublicSite, OutputFiles], None]

    def render(self, site: PublicSite, files: OutputFiles) -> None:
        self.func(site, files)


@dataclass(frozen=True, slots=True)
class Pages:
    """The HTML pages and stylesheet; incident pages can be split across processes."""

    overrides: Path | None = None
    """The site's theme folder, searched before the built-in theme."""
    memo: RenderMemo | None = None
    """Serve's memory of the last render (pages whose inputs are unchanged are reused)."""

    def render(self, site: PublicSite, files: OutputFiles) -> None:
        render_pages(site, files, overrides=self.overrides, memo=self.memo)

    def render_share(self, site: PublicSite, files: OutputFiles, start: int, stop: int) -> None:
        if start == 0:
            render_pages(site, files, overrides=self.overrides, incidents=(0, stop), memo=self.memo)
        else:
            render_incident_pages(site, files, start, stop, overrides=self.overrides)


@dataclass(frozen=True, slots=True)
class _Remembered:
    """A built-in output that can reuse serve's last result (``render(site, files, memo)``)."""

    func: Callable[[PublicSite, OutputFiles, RenderMemo | None], None]
    memo: RenderMemo | None

    def render(self, site: PublicSite, files: OutputFiles) -> None:
        self.func(site, files, self.memo)


def _feeds(site: PublicSite, files: OutputFiles, memo: RenderMemo | None) -> None:
    # Imported on first use, like the calendar: feedgen, lxml and icalendar take 8.6 MB and
    # 36 ms that the parent of a split public build never needs (the forked child renders
    # feeds and calendar); the parent's memory is the build's peak.
    from .feeds import render_feeds

    render_feeds(site, files, memo)


def _calendar(site: PublicSite, files: OutputFiles, memo: RenderMemo | None) -> None:
    from .calendar import render_calendar

    render_calendar(site, files, memo)


def builtin_outputs(
    overrides: Path | None = None, memo: RenderMemo | None = None
) -> dict[str, Output]:
    """The built-in outputs in the order they render (pages first).

    ``memo``: serve's memory of the last render; a build passes none.
    """
    return {
        "pages": Pages(overrides, memo),
        "feeds": _Remembered(_feeds, memo),
        "api": _Remembered(render_api, memo),
        "calendar": _Remembered(_calendar, memo),
        "badges": _Remembered(render_badges, memo),
    }


def registered_outputs(
    overrides: Path | None = None, memo: RenderMemo | None = None
) -> dict[str, Output]:
    """Built-in outputs, then installed plugins' (``statuspress.outputs``), by name."""
    found: dict[str, object] = discover("outputs", builtin_outputs(overrides, memo))
    outputs: dict[str, Output] = {}
    for name, obj in found.items():
        if isinstance(obj, Output):
            outputs[name] = obj
        elif callable(obj):
            outputs[name] = _Function(obj)
        else:
            label = plugin_label("outputs", name)
            raise PluginError(f"{label}: {type(obj).__name__} has no render(site, files) method")
    return outputs


def render_output(name: str, output: Output, site: PublicSite, files: OutputFiles) -> None:
    """Render one output; a failure names the output (built-in or plugin)."""
    run_plugin("outputs", name, output.render, site, files)
