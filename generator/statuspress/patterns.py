"""Known-error ``re:`` signatures, compiled by RE2: matching time is linear in the text.

A signature is written by anyone who can open a pull request and later run by responders'
``statuspress match`` on pasted log lines. Python's backtracking ``re`` takes exponential time
on patterns like ``^(a+)+$``; RE2 never backtracks, so no pattern can hang a lookup. The price
is RE2's syntax: no backreferences and no lookaround, which ``check`` reports with the line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

PREFIX = "re:"


def _options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern to stderr itself
    return options


@lru_cache(maxsize=1024)
def compile_signature(pattern: str) -> tuple[Any, str]:
    """``(compiled, "")`` or ``(None, why RE2 cannot run it)`` for one pattern (no prefix)."""
    import re2  # imported here: `check` only pays for it when a signature is a pattern

    try:
        return re2.compile(pattern, options=_options()), ""
    except re2.error as exc:
        why = exc.args[0] if exc.args else str(exc)
        if isinstance(why, bytes):
            why = why.decode("utf-8", "replace")
        return None, str(why)


def search(pattern: str, text: str) -> tuple[int, int] | None:
    """The span of the first match of ``pattern`` in ``text``; None when none (or invalid)."""
    compiled, _ = compile_signature(pattern)
    if compiled is None:
        return None
    found = compiled.search(text)
    return None if found is None else (found.start(), found.end())


def problem(pattern: str) -> str:
    """Why ``pattern`` cannot be a signature, or an empty string when it can."""
    _, why = compile_signature(pattern)
    if not why:
        return ""
    hint = ""
    if why.startswith("invalid perl operator") or re.match(r"invalid escape sequence: \\\d", why):
        hint = " (RE2 runs in linear time, so it has no lookaround or backreferences)"
    elif why == "invalid escape sequence: \\Z":
        hint = " (use \\z for the end of the text)"
    return f"invalid regular expression for RE2: {why}{hint}"
