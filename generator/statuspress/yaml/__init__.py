"""Reading content YAML: line-aware values, YAML 1.2 scalars, every problem with its line.

:func:`load` is what every reader calls. Most content is plain block YAML that the line
reader in :mod:`.fast` reads in a fraction of libyaml's time; it declines anything it is not
sure of, or that needs a message, and :mod:`.full` (libyaml) reads that. Both build the same
:class:`LMap`/:class:`LList` values through the same scalar rules (:mod:`.scalars`);
tests/test_fastyaml.py holds them to it.

Modules: ``nodes`` (the values), ``scalars`` (YAML 1.2 core schema, YAML 1.1 warnings),
``full`` (libyaml), ``fast`` (the line reader). None imports this package's ``__init__``.
"""

from __future__ import annotations

from typing import Any

from . import fast
from .full import load_full
from .nodes import MAX_DEPTH, LList, LMap, YamlProblem

__all__ = ["MAX_DEPTH", "LList", "LMap", "YamlProblem", "load", "load_full"]


def load(text: str, line_offset: int = 0) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; return its value and every problem found.

    ``line_offset`` is the number of file lines before ``text`` starts, so that every reported
    line is a line of the file the writer has open. A document with an alias, a syntax error or
    nesting deeper than :data:`MAX_DEPTH` gives ``None`` and one problem. Problems are errors
    unless their ``level`` says ``warning``.
    """
    value = fast.parse(text, line_offset)
    if value is not fast.DECLINED:
        return value, []
    return load_full(text, line_offset)
