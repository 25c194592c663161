"""What the Jinja environments of the public and internal sites share: the loader order and
the options.

Templates are looked up in a site's overrides folder first, then in the built-in folder;
``default:NAME`` always names the built-in template, so an override can extend or include the
original. Each site adds its own escaping and filters (public/templating.py, HTML autoescape;
internal/templating.py, Markdown escaping).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2

from .errors import BuildError

OPTIONS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "auto_reload": False,
    # A site has a few dozen templates at most, and every page looks up several: a plain dict
    # (no eviction) spares the LRU cache's lock and bookkeeping.
    "cache_size": -1,
}
"""Environment options of both sites (strict about undefined values, exact whitespace)."""


class Environment(jinja2.Environment):
    """Jinja's environment, with each template's globals a plain dict.

    Jinja layers a template's globals over the environment's in a ``ChainMap`` so later
    changes to ``env.globals`` still show; but every ``{% from ... import %}`` then compares
    the two key by key in Python (a tenth of an incident page's time). Here every global is set
    before the first template loads (as Jinja asks anyway), so a snapshot gives the same pages.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def overridable(builtin: Path, overrides: Path | None) -> jinja2.BaseLoader:
    """``overrides`` (when given) before ``builtin``, and ``default:NAME`` for the built-in."""
    theme = jinja2.FileSystemLoader(str(builtin))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"default": theme}, delimiter=":")]
    if overrides is not None:
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(theme)
    return jinja2.ChoiceLoader(loaders)


def syntax_error(exc: jinja2.TemplateSyntaxError, what: str = "template") -> BuildError:
    """A template's syntax mistake as a :class:`BuildError` naming its ``file:line``."""
    return BuildError(f"{what} {exc.filename or exc.name}:{exc.lineno}: {exc.message}")
