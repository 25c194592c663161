"""Extension points: where outputs, importers, notifiers and alert formats plug in.

Each kind of extension is one *group*. The built-in implementations and any third-party
package's are found the same way: built-ins are passed in by the module that owns the group,
and installed packages add theirs through Python entry points named
``statuspress.<group>`` (for example ``statuspress.outputs``), as in::

    [project.entry-points."statuspress.outputs"]
    sitemap = "statuspress_sitemap:SitemapOutput"

The object an entry point names must satisfy the group's typed interface, which lives beside
the code that calls it (``public.outputs.Output``, ``importers.Importer``,
``notify.channels.Notifier``, ``alerts.AlertFormat``). This module only finds them and turns
a plugin's failure into a message that names the plugin, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Final, TypeVar

from .errors import BuildError

GROUPS: Final = ("outputs", "importers", "notifiers", "alert_formats")
"""Every extension group; the entry-point group of ``g`` is ``statuspress.g``."""

T = TypeVar("T")
R = TypeVar("R")


class PluginError(BuildError):
    """A plugin could not be loaded or failed while running; the message names it."""


def entry_point_group(group: str) -> str:
    if group not in GROUPS:
        raise ValueError(f"unknown extension group {group!r}")
    return f"statuspress.{group}"


def _installed(group: str) -> tuple[EntryPoint, ...]:
    return _scan(group, tuple(sys.path))


@functools.lru_cache(maxsize=16)
def _scan(group: str, path: tuple[str, ...]) -> tuple[EntryPoint, ...]:
    # Sorted by name so the order (and so the output) never depends on install order. Cached
    # per import path: scanning every installed package's metadata costs 50-90 ms, and `serve`
    # renders the public site after every edit.
    return tuple(sorted(entry_points(group=entry_point_group(group)), key=lambda ep: ep.name))


def installed_names(group: str) -> list[str]:
    """Names of the installed plugins of ``group``, without importing them (for ``check``)."""
    return [ep.name for ep in _installed(group)]


def plugin_label(group: str, name: str, ep: EntryPoint | None = None) -> str:
    """How messages name a plugin: ``outputs plugin 'x' (pkg.module:obj)``."""
    where = f" ({ep.value})" if ep is not None else ""
    return f"{group[:-1] if group.endswith('s') else group} plugin '{name}'{where}"


def discover(group: str, builtins: Mapping[str, T]) -> dict[str, T]:
    """The built-ins of ``group`` followed by every installed plugin of it, by name.

    A plugin whose name is a built-in's is refused (it would silently change a built-in
    output); one that cannot be imported raises :class:`PluginError` naming it. An entry
    point that names a class is instantiated without arguments.
    """
    found: dict[str, T] = dict(builtins)
    for ep in _installed(group):
        label = plugin_label(group, ep.name, ep)
        if ep.name in found:
            raise PluginError(f"{label}: the name '{ep.name}' is already taken by a built-in")
        try:
            obj = ep.load()
            if isinstance(obj, type):
                obj = obj()
        except Exception as exc:  # a third party's import error: report it, never a traceback
            raise PluginError(f"{label} failed to load: {type(exc).__name__}: {exc}") from exc
        found[ep.name] = obj
    return found


def run_plugin(group: str, name: str, func: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Call one plugin's hook; any exception it raises becomes a :class:`PluginError`.

    Built-ins are called through here too, so a bug in either is reported the same way. Our
    own expected errors (``StatuspressError``) pass through unchanged: they already say what
    is wrong.
    """
    from .errors import StatuspressError

    try:
        return func(*args, **kwargs)
    except StatuspressError:
        raise
    except Exception as exc:
        label = plugin_label(group, name)
        raise PluginError(f"{label} failed: {type(exc).__name__}: {exc}") from exc
