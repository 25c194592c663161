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
from .calendar import render_calendar
from .feeds import render_feeds
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

    def render(self, site: PublicSite, files: OutputFiles) -> None:
        render_pages(site, files, overrides=self.overrides)

    def render_share(self, site: PublicSite, files: OutputFiles, start: int, stop: int) -> None:
        if start == 0:
            render_pages(site, files, overrides=self.overrides, incidents=(0, stop))
        else:
            render_incident_pages(site, files, start, stop, overrides=self.overrides)


def builtin_outputs(overrides: Path | None = None) -> dict[str, Output]:
    """The built-in outputs in the order they render (pages first)."""
    return {
        "pages": Pages(overrides),
        "feeds": _Function(render_feeds),
        "api": _Function(render_api),
        "calendar": _Function(render_calendar),
        "badges": _Function(render_badges),
    }


def registered_outputs(overrides: Path | None = None) -> dict[str, Output]:
    """Built-in outputs, then installed plugins' (``statuspress.outputs``), by name."""
    found: dict[str, object] = discover("outputs", builtin_outputs(overrides))
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
