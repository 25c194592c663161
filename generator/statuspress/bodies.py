"""Checks of a Markdown body that need nothing from its front matter.

The validator runs them on every file it has a model of. A file whose front matter failed has
no model, but its body is still there: the reader runs the same checks on it, so a writer sees
every error of the file in one run instead of the body's only after fixing the front matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import definitions as d
from .errors import Diagnostics
from .models import Section
from .rawhtml import MAX_DEPTH, too_deep
from .yaml import LMap


def depth(diags: Diagnostics, path: str, body: str, body_line: int) -> None:
    """A body leaving raw HTML elements open too deep: the internal site's search indexer
    would take minutes over it (see :mod:`.rawhtml`)."""
    found = too_deep(body)
    if found:
        diags.error(
            path,
            body_line + found[0],
            "body",
            f"raw HTML here leaves more than {MAX_DEPTH} elements open (never closed); "
            "close them, or put pasted HTML in a fenced code block",
        )


def runbook_sections(
    diags: Diagnostics, path: str, sections: Mapping[str, Section], body_line: int
) -> None:
    for title in d.RUNBOOK_SECTIONS:
        found = sections.get(title.lower())
        if found is None or not found.text:
            diags.error(path, body_line, "body", f"missing required section '## {title}'")


def workaround(diags: Diagnostics, path: str, raw: Any, sections: Mapping[str, Section]) -> None:
    """A known error (status ``known_error``) says how to work around it."""
    found = sections.get("workaround")
    if isinstance(raw, LMap) and raw.get("status") == "known_error" and not (found and found.text):
        diags.error(
            path,
            raw.line_of("status"),
            "status",
            "a known_error needs a '## Workaround' section in the body",
        )


def unread(
    diags: Diagnostics,
    kind: str,
    path: str,
    raw: Any,
    body: str,
    body_line: int,
    sections: Mapping[str, Section],
) -> None:
    """Every body check of a ``kind`` file the reader could not make a model of. ``raw`` is
    its front matter when that parsed (a known error's status may still be readable)."""
    depth(diags, path, body, body_line)
    if kind == "runbook":
        runbook_sections(diags, path, sections, body_line)
    elif kind == "known error":
        workaround(diags, path, raw, sections)
