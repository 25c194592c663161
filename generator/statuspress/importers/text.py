"""Text helpers every importer shares: source text to safe Markdown, ids, times."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

# Control characters the content model refuses in text (tab and line breaks are kept).
# (Lone surrogates too: JSON's \ud800 escapes decode to them and no file can hold one.)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
# Markdown would read these as markup anywhere in a line: escaped so the text stays text.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# ...and these only where a line starts (headings, quotes, lists, setext and thematic breaks).
_LINE_START = re.compile(r"^([ ]{0,3})([#>+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^([ ]{0,3}[0-9]{1,9})([.)])", re.MULTILINE)
# `&` followed by a name or `#` would start an entity after import; `&amp;` keeps it literal.
_ENTITY_START = re.compile(r"&(?=[A-Za-z#])")
_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


# Anything clean() would change; most texts have none of it and skip the five passes.
_NEEDS_CLEANING = re.compile(
    r"[&\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff]|[ \t]\n|\n\n\n|[ \t]$"
)


def clean(text: str) -> str:
    """Source text as we store it: entities decoded, CRLF to LF, no control characters.

    Trailing blanks on each line are dropped (they would only make a Markdown hard break).
    """
    if not _NEEDS_CLEANING.search(text):
        return text.strip()
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def one_line(text: str) -> str:
    """Text for a one-line field: line breaks become spaces."""
    return " ".join(clean(text).split())


def markdown_literal(text: str) -> str:
    """Plain text as Markdown that renders to the same text: every markup character escaped.

    Statuspage bodies and cState updates are shown as text there; escaping keeps them text
    here too, so ``<b>`` stays visible (never HTML) and ``*`` stays an asterisk.
    """
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY_START.sub("&amp;", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\\\2", text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def slug(text: str, limit: int = 60) -> str:
    """Lowercase ASCII letters, digits and '-', at most ``limit`` characters ('' if none)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(out) > limit:
        cut = out[:limit]
        out = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut
    return out.strip("-")


class Ids:
    """Stable ids from names: the slug, made unique in the order names are given."""

    def __init__(self, fallback: str) -> None:
        self.taken: set[str] = set()
        self.fallback = fallback

    def make(self, name: str, prefix: str = "") -> str:
        base = slug(name) or self.fallback
        candidates = [base]
        if prefix:
            candidates.append(slug(f"{prefix} {name}", 100) or base)
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        n = 2
        while f"{candidates[-1]}-{n}" in self.taken:
            n += 1
        chosen = f"{candidates[-1]}-{n}"
        self.taken.add(chosen)
        return chosen


_HUGO_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?"
    r"\s*(?P<zone>Z|z|UTC|[+-][0-9]{2}:?[0-9]{2})?"
)


def parse_time(text: str, zone: dt.tzinfo | None) -> dt.datetime | None:
    """An ISO 8601 / Hugo date; one without an offset is read in ``zone`` (None: refused)."""
    if len(text) >= 20 and text[10] == "T":
        try:  # the common case, Statuspage's own format: the C parser is ten times faster
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return moment
    match = _HUGO_TIME.fullmatch(text.strip())
    if not match:
        return None
    clock = match["time"] or "00:00:00"
    if len(clock) == 5:
        clock += ":00"
    whole, _, fraction = clock.partition(".")
    try:
        moment = dt.datetime.fromisoformat(f"{match['date']}T{whole}")
    except ValueError:
        return None
    if fraction:
        moment = moment.replace(microsecond=int((fraction + "000000")[:6]))
    offset = match["zone"]
    if offset in ("Z", "z", "UTC"):
        return moment.replace(tzinfo=dt.UTC)
    if offset:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if delta > dt.timedelta(hours=14):
            return None
        return moment.replace(tzinfo=dt.timezone(sign * delta))
    if zone is None:
        return None
    return moment.replace(tzinfo=zone)
