"""How deep the raw HTML of a Markdown body nests elements it leaves open.

The internal site indexes every page with mkdocs-material's search plugin, whose HTML parser
keeps a list of the elements still open and walks all of it at each tag and text. A body that
opens elements without closing them makes that cost depth x tags: 40,000 ``<div>`` (200 KB, well
under the file size limit) took 66 s to index (issue #10). Writing meant for people nests a
handful of elements, so ``check`` refuses a body that leaves more than :data:`MAX_DEPTH` open,
with the line where it got there. Tags inside fenced code, code spans and comments are text,
not elements, and do not count.
"""

from __future__ import annotations

import re

MAX_DEPTH = 100
"""Open elements a body may leave nested (a table in a details block in a list is about 8)."""

# The elements HTML never closes (material's indexer does not count them either).
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?>")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def too_deep(body: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """(line offset in ``body``, depth) where open raw HTML elements first exceed ``limit``.

    Open elements are counted the way material's indexer does: a start tag opens one, an end
    tag closes the innermost only if it has the same name (otherwise it is ignored), and void
    elements and ``<x/>`` open nothing. None when the body stays within the limit.
    """
    if body.count("<") <= limit:  # nearly every body: too few tags to get that deep
        return None
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    stack: list[str] = []
    fence = ""
    for offset, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if "<" not in line:
            continue
        if "`" in line:
            line = _without_code_spans(line)
        for match in _TAG.finditer(line):
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                if stack and stack[-1] == name:
                    stack.pop()
            elif name not in VOID and not match.group(0).endswith("/>"):
                stack.append(name)
                if len(stack) > limit:
                    return offset, len(stack)
    return None


def _without_code_spans(line: str) -> str:
    """``line`` without its code spans: a run of n backticks up to the next run of exactly n
    (CommonMark's rule), found in one pass so no line makes this slow."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        size = runs[index][1] - runs[index][0]
        following[index] = last.get(size)
        last[size] = index
    kept: list[str] = []
    done = 0
    index = 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        kept.append(line[done : runs[index][0]])
        done = runs[closing][1]
        index = closing + 1
    kept.append(line[done:])
    return "".join(kept)
