"""A pure-Python reader for the plain YAML that content files are written in.

Composing nodes in libyaml and building values from them is about half of the time ``check``
spends reading a large tree, and almost every content file uses the same small part of YAML:
block mappings and sequences nested by indentation, one-line scalars, one-line flow
collections of scalars, folded and literal block scalars. :func:`parse` reads exactly that
part, line by line, and builds the same values as :func:`statuspress.yaml.full.load_full` (the same
``LMap``/``LList`` line maps, the same scalar types through the same classifier).

It is a fast path, not a second YAML implementation: whenever a text holds anything it is not
certain to read the way libyaml does (anchors, aliases, tags, complex or duplicate keys,
multi-line plain or quoted scalars, unusual escapes, tabs, document markers, directives,
characters YAML refuses, deep nesting, a value that would not construct), it returns
:data:`DECLINED` and the caller runs the full parser, which also writes every diagnostic.
tests/test_fastyaml.py compares the two on every content, fixture, malformed and hostile file,
a generated corpus and generated texts.
"""

from __future__ import annotations

import re
from typing import Any

from .nodes import MAX_DEPTH, LList, LMap
from .scalars import IMPLICIT as _IMPLICIT
from .scalars import plain as _plain_value

DECLINED: Any = object()
"""Returned by :func:`parse` for a text the full parser must read."""


class _Decline(Exception):
    """Raised anywhere in the parse: the text needs the full parser."""


# One line: a blank or comment line matches the first branch and gives only empty groups.
# Any other line gives its indentation, an optional "- " item marker, an optional plain key
# with its ":", and the value, classified on the way: a double-quoted scalar without escapes,
# a plain scalar of characters that never end or start a token (ids, words, numbers, dates),
# or anything else, which _Parser.scalar reads. Keys are restricted the same way, so such a
# key reads the same in libyaml. ``findall`` gives one tuple per line, in C. (Possessive
# quantifiers only save backtracking: no branch can match what they gave up.)
_KEY_CHARS = r"[A-Za-z0-9_][A-Za-z0-9_./-]{0,999}"  # libyaml refuses keys of 1024+ characters
_SIMPLE = r"[A-Za-z0-9_][A-Za-z0-9_.+/:-]*+(?<!:)"
_ROW = re.compile(
    r"^(?: *+(?:#.*)?$|"
    r"( *+)(- ++|-$)?"
    rf"(?:({_KEY_CHARS}):(?: ++|$))?"
    r'(?:("[^"\\\n]*+") *+|'
    rf"({_SIMPLE}) *+|"
    r"(.+))?$)",
    re.MULTILINE,
)
_BLANK = ("",) * 6
# Quoted keys (rare in content): the whole quoted scalar, then ":" and a space or the end.
_DQ_BODY = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
_SQ_BODY = r"'([^']*(?:''[^']*)*)'"
_QUOTED_KEY = re.compile(rf"(?:{_DQ_BODY}|{_SQ_BODY}):(?: +|$)")
# What may follow a value on its line: nothing, spaces, or spaces and a comment.
_TAIL = r"(?: +(?:#.*)?)?"
_TAIL_ONLY = re.compile(_TAIL)
_DQ = re.compile(_DQ_BODY + _TAIL)
_SQ = re.compile(_SQ_BODY + _TAIL)
_BLOCK_HEADER = re.compile(r"([|>])(-?)" + _TAIL)
# Flow items: a quoted scalar or a plain one without any character that is special in flow
# context (a ":" anywhere declines, whatever libyaml's version does with it).
_FLOW_ITEM = re.compile(
    rf"{_DQ_BODY}|{_SQ_BODY}|((?:[^ \-?:,\[\]{{}}#&*!|>'\"%@`]|-[^ ,\[\]{{}}#:])[^:,\[\]{{}}#]*)"
)
_FLOW_KEY = re.compile(rf"(?:({_KEY_CHARS})|{_DQ_BODY}|{_SQ_BODY}): +")
_SPACES = re.compile(" *")

# Characters that start something other than a plain scalar (or may, depending on what
# follows); "-" followed by a non-space does start a plain scalar ("-1", "-x").
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# The double-quoted escapes json.dumps writes (plus "\0" and "\/"); any other declines.
_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "0": "\0",
}
_HEX = frozenset("0123456789abcdefABCDEF")
_DEPTH_LIMIT = MAX_DEPTH - 2
"""Deeper collections decline, well before the full parser's own limit reports them."""
_KEY_LIMIT = 1000
"""libyaml refuses a key that spans 1024 characters or more; longer ones decline."""
_FLOW_LIMIT = 1000
"""Flow collections longer than this decline (the same libyaml limit, for flow keys)."""


def parse(text: str, line_offset: int = 0) -> Any:
    """The value :func:`statuspress.yaml.load` gives ``text`` when it finds no problem,
    or :data:`DECLINED` when the text needs the full parser."""
    # Only printable characters and line feeds (Python's "printable" is stricter than
    # YAML's): tabs (indentation errors), CR, NEL, the line and paragraph separators (other
    # line breaks), the BOM, surrogates and control characters all take the full parser.
    if not text.replace("\n", " ").isprintable():
        return DECLINED
    try:
        return _Parser(text, line_offset).document()
    except _Decline:
        return DECLINED


def _unescape(body: str) -> str:
    """The text of a one-line double-quoted scalar with backslash escapes."""
    out: list[str] = []
    pos = 0
    while True:
        found = body.find("\\", pos)
        if found < 0:
            out.append(body[pos:])
            return "".join(out)
        out.append(body[pos:found])
        code = body[found + 1 : found + 2]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            pos = found + 2
        elif code == "u":
            digits = body[found + 2 : found + 6]
            if len(digits) != 4 or not _HEX.issuperset(digits):
                raise _Decline
            point = int(digits, 16)
            if 0xD800 <= point <= 0xDFFF:  # libyaml refuses surrogate escapes
                raise _Decline
            out.append(chr(point))
            pos = found + 6
        else:
            raise _Decline


def _quoted_key(rest: str) -> tuple[str, str]:
    """A quoted key at the start of ``rest`` and what follows its ":"."""
    match = _QUOTED_KEY.match(rest)
    if match is None or match.end() > _KEY_LIMIT:
        raise _Decline
    return _quoted(match.group(1), match.group(2)), rest[match.end() :]


def _quoted(double: str | None, single: str | None) -> str:
    if double is not None:
        return _unescape(double) if "\\" in double else double
    assert single is not None
    return single.replace("''", "'")


def _plain(value: str) -> Any:
    """A plain scalar's value, as :mod:`.scalars` gives it to the full builder too.

    A value that needs a warning (YAML 1.1 reads it otherwise) declines: the full builder
    reports it with its field path.
    """
    result, warning = _plain_value(value)
    if warning:
        raise _Decline
    return result


class _Parser:
    """Recursive descent over the text's significant lines (no blank or comment lines).

    Document markers and directives (``---``, ``...``, ``%`` at the start of a line) need no
    check of their own: a line at column 0 must be a key of the top mapping, which such a
    line never is, and no construct read here spans lines that start at column 0.
    """

    def __init__(self, text: str, line_offset: int) -> None:
        self.offset = line_offset
        self.text = text
        self.lines: list[str] | None = None  # split only for block scalars
        found = _ROW.findall(text)
        if len(found) != text.count("\n") + 1:  # one match per line, or give up
            raise _Decline
        # (line index, (indentation, "- ", key, "quoted", plain, other)), significant lines only
        self.rows = [(index, row) for index, row in enumerate(found) if row != _BLANK]

    def document(self) -> Any:
        rows = self.rows
        if not rows:
            return None  # only blank lines and comments: an empty document
        if rows[0][1][0]:
            raise _Decline  # an indented top mapping
        value, end = self.mapping(0, 0, 0)
        if end != len(rows):
            raise _Decline
        return value

    def mapping(self, i: int, column: int, depth: int) -> tuple[LMap, int]:
        """The block mapping whose keys stand at ``column``, starting at row ``i``."""
        if depth > _DEPTH_LIMIT:
            raise _Decline
        rows = self.rows
        count = len(rows)
        offset = self.offset
        result = LMap(offset + rows[i][0] + 1)
        lines = result.lines
        while i < count:
            index, (indent, dash, key, quoted, plain, rest) = rows[i]
            if len(indent) != column:
                if len(indent) > column:  # a continuation line or a misplaced one
                    raise _Decline
                break  # the mapping ends; the caller looks at this row
            if dash:
                raise _Decline
            if not key:
                key, rest = _quoted_key(rest)
            if key in lines or key == "<<":
                raise _Decline
            lines[key] = offset + index + 1
            i += 1
            value: Any
            if quoted:
                value = quoted[1:-1]
            elif plain:
                # The classifier's first test, inlined: no resolver starts with this character.
                value = plain if plain[0] not in _IMPLICIT else _plain(plain)
            elif not rest or rest[0] == "#":
                # Nothing after the colon: a nested block, a sequence at the key's own
                # column (YAML allows that for sequences only), or null.
                if i < count:
                    next_indent = len(rows[i][1][0])
                    if rows[i][1][1] and next_indent >= column:
                        value, i = self.sequence(i, next_indent, depth + 1)
                    elif next_indent > column:
                        value, i = self.mapping(i, next_indent, depth + 1)
                    else:
                        value = None
                else:
                    value = None
            elif rest[0] in "|>":
                value, i = self.block_scalar(rest, index, column, i)
            else:
                value = self.scalar(rest, index, depth + 1)
            result[key] = value
        return result, i

    def sequence(self, i: int, column: int, depth: int) -> tuple[LList, int]:
        """The block sequence whose "- " markers stand at ``column``, starting at row ``i``."""
        if depth > _DEPTH_LIMIT:
            raise _Decline
        rows = self.rows
        count = len(rows)
        offset = self.offset
        result = LList(offset + rows[i][0] + 1)
        lines = result.lines
        while i < count:
            index, (indent, dash, key, quoted, plain, rest) = rows[i]
            if len(indent) != column or not dash:
                if len(indent) > column:
                    raise _Decline
                break  # ends; a key at this column continues the mapping around it
            lines.append(offset + index + 1)
            value: Any
            if key or (rest[:1] in ("'", '"') and _QUOTED_KEY.match(rest)):
                # "- key: value" starts a mapping whose keys stand after the marker (a quoted
                # key is read there, from the rest of the line).
                item_column = column + len(dash)
                rows[i] = (index, (" " * item_column, "", key, quoted, plain, rest))
                value, i = self.mapping(i, item_column, depth + 1)
            else:
                if quoted:
                    value = quoted[1:-1]
                elif plain:
                    value = plain if plain[0] not in _IMPLICIT else _plain(plain)
                # Empty items, nested "- - x" and block scalars as items are left to libyaml.
                elif not rest or rest[0] in "#|>":
                    raise _Decline
                else:
                    value = self.scalar(rest, index, depth + 1)
                i += 1
            result.append(value)
        return result, i

    def scalar(self, rest: str, index: int, depth: int) -> Any:
        """A value that stands on one line: a quoted or plain scalar, a flow collection."""
        first = rest[0]
        if first == '"':
            match = _DQ.fullmatch(rest)
            if match is None:  # not closed on this line, or something follows it
                raise _Decline
            return _quoted(match.group(1), None)
        if first == "'":
            match = _SQ.fullmatch(rest)
            if match is None:
                raise _Decline
            return _quoted(None, match.group(1))
        if first == "[" or first == "{":
            return self.flow(rest, index, depth)
        if first in _INDICATORS and (first != "-" or rest[1:2] in ("", " ")):
            raise _Decline  # anchors, aliases, tags, reserved characters, "- " in a value
        comment = rest.find(" #")
        value = (rest if comment < 0 else rest[:comment]).rstrip(" ")
        if ": " in value or value[-1] == ":":
            raise _Decline  # libyaml would read a mapping here, or refuse it
        return _plain(value)

    def flow(self, rest: str, index: int, depth: int) -> Any:
        """``[a, "b"]`` or ``{k: v, "k": 'v'}`` of scalars, all on one line."""
        if depth > _DEPTH_LIMIT or len(rest) > _FLOW_LIMIT:
            raise _Decline
        line = self.offset + index + 1
        is_map = rest[0] == "{"
        close = "}" if is_map else "]"
        result: LMap | LList = LMap(line) if is_map else LList(line)
        pos = _SPACES.match(rest, 1).end()  # type: ignore[union-attr]
        if rest[pos : pos + 1] == close:
            pos += 1
        else:
            while True:
                key = None
                if is_map:
                    found = _FLOW_KEY.match(rest, pos)
                    if found is None:
                        raise _Decline
                    key = found.group(1)
                    if key is None:
                        key = _quoted(found.group(2), found.group(3))
                    if key in result or key == "<<":
                        raise _Decline
                    pos = found.end()
                item = _FLOW_ITEM.match(rest, pos)
                if item is None:
                    raise _Decline
                double, single, plain = item.groups()
                value = _plain(plain.rstrip(" ")) if plain is not None else _quoted(double, single)
                if isinstance(result, LMap):
                    assert key is not None
                    result.lines[key] = line
                    result[key] = value
                else:
                    result.lines.append(line)
                    result.append(value)
                pos = _SPACES.match(rest, item.end()).end()  # type: ignore[union-attr]
                after = rest[pos : pos + 1]
                pos += 1
                if after == close:
                    break
                if after != ",":
                    raise _Decline
                pos = _SPACES.match(rest, pos).end()  # type: ignore[union-attr]
                if rest[pos : pos + 1] == close:
                    raise _Decline  # a trailing comma: valid, but keep to the plain form
        tail = rest[pos:]
        if tail and not _TAIL_ONLY.fullmatch(tail):
            raise _Decline
        return result

    def block_scalar(self, header: str, index: int, column: int, i: int) -> tuple[str, int]:
        """``|``, ``|-``, ``>`` or ``>-`` after the key on line ``index``, mapping at
        ``column``; returns the text and the first row after it."""
        match = _BLOCK_HEADER.fullmatch(header)
        if match is None:
            raise _Decline  # explicit indentation, "+" chomping, a comment without a space
        literal = match.group(1) == "|"
        clip = not match.group(2)
        if self.lines is None:
            self.lines = self.text.split("\n")
        lines = self.lines
        indent = 0
        last = index  # the last line with content
        texts: list[str | None] = []  # content lines, None for an empty line
        for number in range(index + 1, len(lines)):
            line = lines[number]
            body = line.lstrip(" ")
            if not body:
                # Leading empty lines and lines of spaces past the indentation would take
                # libyaml's rules on leading and trailing spaces.
                if not indent or len(line) > indent:
                    raise _Decline
                texts.append(None)
                continue
            spaces = len(line) - len(body)
            if not indent:
                if spaces <= column:
                    raise _Decline  # an empty block scalar
                indent = spaces
            elif spaces < indent:
                break
            texts.append(line[indent:])
            last = number
        if not indent:
            raise _Decline
        del texts[last - index :]  # trailing empty lines: dropped by "-" and by clipping
        if literal:
            text = "\n".join("" if part is None else part for part in texts)
        else:
            parts: list[str] = []
            empty = 0
            for part in texts:
                if part is None:
                    empty += 1
                    continue
                if part[0] == " ":
                    raise _Decline  # more-indented lines are not folded
                if parts:
                    # Lines fold into one with a space; n empty lines between keep n breaks.
                    parts.append("\n" * empty if empty else " ")
                parts.append(part)
                empty = 0
            text = "".join(parts)
        if clip and last < len(lines) - 1:
            text += "\n"  # the line break after the last line, if the text has one
        rows = self.rows
        while i < len(rows) and rows[i][0] <= last:
            i += 1
        return text, i
