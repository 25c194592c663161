"""What ``check`` needs to know about notification channels, without importing them."""

from __future__ import annotations

from typing import Final

from ..plugins import installed_names

BUILTIN_FORMATS: Final = ("statuspage", "text")
"""``text``: a message rendered from a template, sent through Apprise; ``statuspage``: the JSON
bodies Atlassian Statuspage posts to webhook subscribers."""


def known_formats() -> tuple[str, ...]:
    """Built-in formats plus those installed packages add (``statuspress.notifiers``).

    Only the entry points' names are read: loading them is left to ``notify`` itself.
    """
    extra = set(installed_names("notifiers"))
    return tuple(sorted(set(BUILTIN_FORMATS) | extra))
