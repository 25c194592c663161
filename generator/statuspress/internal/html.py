"""Generated structures (fact lines, tables, timelines) as ready HTML, escaped by markupsafe.

Python-Markdown spends most of a big build running its inline patterns over generated tables
and link lists. The same structures written as raw HTML blocks pass through it untouched, which
halves the internal build at 10,000 incidents. Writers' Markdown (postmortem bodies, runbooks,
known errors) still goes through mkdocs as Markdown.

mkdocs does not rewrite links inside raw HTML, so :func:`href` computes the final relative URL
itself; the build forces ``use_directory_urls: true`` so that these URLs hold. Every value is
escaped by :class:`markupsafe.Markup` formatting (what Jinja2's autoescape uses), never pasted.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from .. import markdown as public_markdown
from .layout import url_of
from .mdext import CLOSE, OPEN


def fmt(template: str, *values: object) -> Markup:
    """``template`` (a trusted literal) with every value HTML-escaped: Markup.format's contract
    at C speed (markupsafe's ``escape`` plus ``str.format``), which matters at 10,000 incidents.
    """
    return Markup(template.format(*(escape(v) for v in values)))


@lru_cache(maxsize=1 << 16)
def href(target: str, here: str) -> str:
    """The relative URL from page ``here`` to page ``target`` (Markdown paths, directory URLs)."""
    page, _, anchor = target.partition("#")
    to = url_of(page).rstrip("/")
    base = url_of(here).rstrip("/")
    rel = posixpath.relpath(to or ".", base or ".")
    rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def a(text: str | Markup, target: str, here: str) -> Markup:
    return fmt('<a href="{}">{}</a>', href(target, here), text)


# A tracker link: an absolute http(s) URL and nothing that would need quoting (spaces, quotes,
# `<>`, control characters). Anything else (an id like OPS-12, `javascript:`, `data:`, a
# relative path) stays plain text, so a ticket can never run a script or point inside the site.
_URL_CHAR = r"[^\s\x00-\x1f\x7f-\x9f\"'<>\\^`{|}"
_TICKET_URL = re.compile(rf"https?://{_URL_CHAR}/?#]+{_URL_CHAR}]*")


def ticket(value: str) -> str | Markup:
    """An action item's ``ticket``: a link when it is a tracker URL, else the text as written."""
    if _TICKET_URL.fullmatch(value):
        return fmt('<a href="{}">{}</a>', value, value)
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[str | Markup]]) -> Markup:
    """A table; cells are escaped unless Markup. Newlines keep cell texts apart for search.

    Each cell carries its column's header as ``data-label``: on a phone the stylesheet shows a
    row as a card of labelled lines instead of a table wider than the screen.
    """
    head = "".join(f"<th>{escape(x)}</th>" for x in headers)
    cells = [f'<td data-label="{escape(x)}">' for x in headers]
    body = "\n".join(
        "<tr>" + "\n".join(f"{cells[n]}{escape(c)}</td>" for n, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return Markup(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")


def facts(items: Sequence[tuple[str, str | Markup]], searchable: bool = True) -> Markup:
    """``Label value · Label value`` on one line (optionally kept out of the search index)."""
    parts = " · ".join(
        f"<strong>{escape(k)}</strong> {escape(v)}" if k else str(escape(v)) for k, v in items
    )
    attrs = "" if searchable else " data-search-exclude"
    return Markup(f'<p class="sp-facts"{attrs}>{parts}</p>')


def bullets(items: Sequence[str | Markup], searchable: bool = True) -> Markup:
    attrs = "" if searchable else " data-search-exclude"
    return Markup(f"<ul{attrs}>\n" + "\n".join(f"<li>{escape(i)}</li>" for i in items) + "\n</ul>")


def join(parts: Sequence[str | Markup], sep: str = ", ") -> Markup:
    return Markup(escape(sep)).join(escape(p) for p in parts)


def public_text(text: str) -> Markup:
    """A public update or summary: the public site's sanitised Markdown, inline.

    The public renderer's own function (memoised, with its shortcut for plain prose), so an
    update reads the same on both sites.
    """
    html = public_markdown.render(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def block(markup: Markup) -> str:
    """A raw HTML block for a Markdown page, between the markers :mod:`.mdext` passes through
    untouched (without that extension they are plain comments around ordinary raw HTML)."""
    return f"\n{OPEN}\n{markup}\n{CLOSE}\n"
