"""Small helpers for writing the generated Markdown safely and consistently.

Everything a writer typed that lands inside generated Markdown (titles in tables, owners, alert
names) goes through :func:`esc` or :func:`code`, so a ``|`` cannot break a table and a ``<``
cannot open raw HTML. Front matter is written by PyYAML, never pasted together, and its title
is stored as HTML text (:func:`front_matter`). HTML made by :mod:`.html` goes into a page only
as a block (:func:`.html.block`): inside a Markdown line the text of an HTML element is still
read as Markdown, so ``[x](javascript:...)`` in a name would turn into a link.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from markupsafe import escape

# Only what Python-Markdown treats as inline syntax anywhere in a line: escaping more (every
# dash and dot) costs build time on 10,000 incidents for nothing.
_SPECIAL = re.compile(r"([\\`*_\[\]|{}])")
_LINE_START = re.compile(r"^([#>]|[+\-](?=\s|$))|^(\d+)([.)])(?=\s|$)")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})([ \t]+)(.+?)[ \t#]*$")
EXCLUDE = "{ data-search-exclude }"
"""attr_list marker: material's search skips a heading marked with it and its whole section."""


def esc(text: str) -> str:
    """Inline text with Markdown and HTML specials neutralised (safe in tables and links)."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    # At the start of a line these would begin a heading, list or quote.
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def code(text: str) -> str:
    """An inline code span that survives backticks and pipes inside ``text``."""
    text = " ".join(str(text).split())
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # A pipe inside a code span still splits a table row in Python-Markdown: use the entity.
    return f"{ticks}{pad}{text}{pad}{ticks}".replace("|", "&#124;")


def fence(text: str, lang: str = "text") -> str:
    """A fenced code block whose fence is longer than any backtick run inside ``text``."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def link(text: str, target: str, here: str) -> str:
    """A Markdown link from page ``here`` to page ``target`` (both paths in docs_dir)."""
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(here) or ".")
    return f"[{esc(text)}]({rel}{'#' + anchor if anchor else ''})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table; cells must already be escaped (they usually hold links or code)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def front_matter(title: str, **meta: Any) -> str:
    """A page's front matter: ``title`` (plain text) and other keys (``search``, ``hide``).

    mkdocs-material prints ``page.meta.title`` into the page's ``<title>`` and header without
    escaping it (the Jinja environment has no autoescape), so the title is stored as HTML text:
    ``Pay <img ...>`` is written ``Pay &lt;img ...&gt;`` and shown as typed. Quotes are escaped
    too, for a template override that puts the title in an attribute. No other key is printed.
    """
    data = {"title": str(escape(title)), **meta}
    # width: a long title stays on one line (a folded YAML line could start with "---").
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1 << 16)
    return "---\n" + dumped + "---\n\n"


def plural(count: int, one: str, many: str = "") -> str:
    """``1 runbook``, ``3 runbooks``; ``many`` when adding an "s" is wrong (``runbooks are``)."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def indent(text: str, prefix: str = "    ") -> str:
    """Indent a block (for admonition bodies); blank lines stay blank."""
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


def admonition(kind: str, title: str, body: str, collapsible: bool = False) -> str:
    marker = "???" if collapsible else "!!!"
    return f'{marker} {kind} "{title.replace(chr(34), "&quot;")}"\n\n{indent(body)}\n'


def shift_headings(
    body: str, levels: int, searchable: Iterable[str] = (), mark: bool = True
) -> str:
    """Push a writer's headings ``levels`` deeper and hide them (and their text) from search.

    Headings whose lowercased title is in ``searchable`` stay in the search index; with
    ``mark=False`` (pages left out of search altogether) nothing is marked. Fenced code is left
    alone. A writer's ``{#id .class}`` attribute list is kept.
    """
    keep = {s.lower() for s in searchable}
    out = []
    in_fence = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            hashes = "#" * min(6, len(match.group(1)) + levels)
            title = match.group(3)
            bare = re.sub(r"\s*\{[^}]*\}\s*$", "", title)
            if not mark or bare.strip().lower() in keep:
                line = f"{hashes} {title}"
            elif title.rstrip().endswith("}") and "{" in title:
                line = f"{hashes} {title.rstrip()[:-1].rstrip()} data-search-exclude }}"
            else:
                line = f"{hashes} {title} {EXCLUDE}"
        out.append(line)
    return "\n".join(out)


def when(moment: dt.datetime | None, tz: dt.tzinfo) -> str:
    """A timestamp in the site's zone with the zone's abbreviation: 2025-11-28 20:02 CET."""
    if moment is None:
        return "n/a"
    local = moment.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "n/a"


def label(value: str) -> str:
    """``fix_in_progress`` -> ``fix in progress``."""
    return value.replace("_", " ")


def split_sections(body: str) -> tuple[str, list[tuple[str, str]]]:
    """A body's text before its first level-2 heading, then (title, text) per ``##`` section.

    Deeper headings stay inside their section's text; fenced code is never split.
    """
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match and len(match.group(1)) == 2:
            sections.append((match.group(3).strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble).strip(), [(t, "\n".join(b).strip()) for t, b in sections]
