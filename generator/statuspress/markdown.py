"""Markdown to safe HTML for public text (update messages, public postmortem summaries).

markdown-it-py with raw HTML disabled does the parsing (so ``<script>`` is shown as text, not
run), and nh3 (ammonia) then allows only a short list of tags and URL schemes as a second line
of defence: a status page is published from pull requests, so nothing in it may execute.
"""

from __future__ import annotations

import html as _html
import re
import string
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "hr", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEMES = {"http", "https", "mailto"}


# C0/C1 control characters (but tab and newline) are invalid in HTML and XML 1.0 documents;
# a pasted terminal escape sequence must not break the page or the feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control(text: str) -> str:
    """Remove characters no HTML or XML document may contain."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Headings inside an update would outrank the page's own; render them one level down.
    return md


# Most update messages are one line of prose, which markdown-it turns into a single <p> with
# only `&` (and `"`, which nh3 turns back) escaped. Such a text is recognised by a whitelist
# and skips both libraries; tests/test_render_speedups.py checks that it gives the same bytes.
# Allowed: ASCII letters and digits, space, the punctuation below and letters of any script.
# Never: Markdown syntax (`*_[]<>\\`|~`), newlines, tabs, control characters, other spaces.
_PROSE_PUNCTUATION = " .,:;!?'\"()/%$@#&+=-"
_PROSE_ASCII = re.compile(r"[A-Za-z0-9" + re.escape(_PROSE_PUNCTUATION) + "]+")
_PROSE_CHARS = frozenset(string.ascii_letters + string.digits + _PROSE_PUNCTUATION)
# What may open a block (`#`, `-`, `+`, `=`, an indenting space, `1.` or `2)`) must not lead,
# and `&` must not start an entity: it does only when a letter, a digit or `#` follows it.
_LEADING_BLOCK = re.compile(r"[^A-Za-z0-9'\"(]|[0-9]+[.)]")
_ENTITY = re.compile(r"&(?! )")


def _is_prose(text: str) -> bool:
    """Whether markdown-it renders ``text`` as one paragraph of plain, unmarked text."""
    if not text or text[-1] == " " or _ENTITY.search(text):
        return False
    if text.isascii():
        return _PROSE_ASCII.fullmatch(text) is not None and not _LEADING_BLOCK.match(text)
    if not (text[0].isalpha() or not _LEADING_BLOCK.match(text)):
        return False
    return all(c in _PROSE_CHARS or (not c.isascii() and c.isalpha()) for c in text)


# Pure functions of the text: memoised, since every build renders the same messages again
# (pages and feeds both, and `statuspress serve` rebuilds after every edit).
@lru_cache(maxsize=32768)
def render(text: str) -> str:
    """Render public Markdown to sanitised HTML."""
    if _is_prose(text):
        return "<p>" + text.replace("&", "&amp;") + "</p>"
    return _render_markdown(text)


@lru_cache(maxsize=32768)
def plain(text: str) -> str:
    """Markdown to plain text (feed titles, calendar descriptions, JSON bodies)."""
    if _is_prose(text):
        return text
    return _plain_markdown(text)


def _render_markdown(text: str) -> str:
    """:func:`render` without the shortcut for plain prose: markdown-it, then nh3."""
    html = _parser().render(strip_control(text))
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h4>").replace(f"</h{level}>", "</h4>")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()


def _plain_markdown(text: str) -> str:
    """:func:`plain` without the shortcut for plain prose."""
    # nh3 returns HTML (entities escaped); plain-text consumers need the characters themselves.
    return _html.unescape(nh3.clean(_parser().render(strip_control(text)), tags=set())).strip()
