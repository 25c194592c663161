"""Plain scalars under the YAML 1.2 core schema, the one schema-aware editors use.

yaml-language-server (the editor support the README recommends) reads YAML 1.2; PyYAML reads
YAML 1.1, where ``title: No`` is the boolean false, ``017`` is 15 and ``1e3`` is text. So
that ``check`` and the writer's editor never disagree about a value, both readers resolve
plain scalars here, by the 1.2 core schema's rules:

- null: empty, ``~``, ``null``/``Null``/``NULL``
- bool: ``true``/``True``/``TRUE``, ``false``/``False``/``FALSE``
- int: ``[-+]?[0-9]+`` (decimal, leading zeros allowed), ``0o[0-7]+``, ``0x[0-9a-fA-F]+``
- float: ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?``, ``.inf``, ``.nan``
- anything else is text (timestamps included: the schema parses them itself).

A plain scalar that a YAML 1.1 tool (PyYAML, older editors, many CI linters) would read as a
different value gets a warning that says how to write it so that every tool agrees.
"""

from __future__ import annotations

import math
import re
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))

_LEGACY_RESOLVER = Resolver()
_LEGACY_CONSTRUCTOR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_LEGACY_BUILT = {_TAG + t for t in ("null", "bool", "int", "float")}

IMPLICIT = frozenset("0123456789-+.~nNtTfF") | frozenset(
    ch for ch in Resolver.yaml_implicit_resolvers if ch not in "<="
)
"""First characters of plain scalars that may be something other than text, in YAML 1.2 or
in YAML 1.1 (which adds yes/no/on/off and more): any other plain scalar is text in both."""

TEXT: Any = object()
"""Returned by :func:`core_value` for a scalar that is text."""

_CACHE: dict[str, tuple[Any, str]] = {}
_CACHE_MAX = 50_000


def core_value(value: str) -> Any:
    """The value of a plain scalar under the YAML 1.2 core schema, or :data:`TEXT`."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT10.fullmatch(value):
        return int(value)
    if _INT8.fullmatch(value):
        return int(value[2:], 8)
    if _INT16.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INF.fullmatch(value):
        return -math.inf if value[0] == "-" else math.inf
    if _NAN.fullmatch(value):
        return math.nan
    return TEXT


def _legacy_value(value: str) -> Any:
    """What PyYAML's YAML 1.1 SafeLoader makes of a plain scalar (timestamps count as text)."""
    tag = _LEGACY_RESOLVER.resolve(ScalarNode, value, (True, False))
    if tag not in _LEGACY_BUILT:
        return TEXT
    try:
        return SafeConstructor.yaml_constructors[tag](_LEGACY_CONSTRUCTOR, ScalarNode(tag, value))
    except (ValueError, OverflowError):
        return TEXT


def _show(value: Any, plain: str) -> str:
    if value is TEXT:
        return f'the text "{plain}"'
    if value is None:
        return "null (no value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"the number {value!r}"


def _literal(value: Any) -> str:
    """How to write ``value`` so that YAML 1.1 and 1.2 both read it so."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return "-.inf" if value < 0 else ".inf"
    return repr(value)


def _same(a: Any, b: Any) -> bool:
    if a is TEXT or b is TEXT:
        return a is b
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def plain(value: str) -> tuple[Any, str]:
    """A plain scalar's YAML 1.2 value (the text itself when it is text) and a warning.

    The warning is empty unless a YAML 1.1 tool reads ``value`` as something else; then it
    says what each reads and how to write the value so that both agree.
    """
    if not value or value[0] not in IMPLICIT:
        return value, ""
    # Dates and timestamps (YYYY-...), a good part of every file, are text in both versions
    # (the schema parses them): skip the classifier and the cache, which they would only fill.
    if len(value) > 4 and value[4] == "-" and value[:4].isdigit():
        return value, ""
    cached = _CACHE.get(value)
    if cached is not None:
        return cached
    new = core_value(value)
    old = _legacy_value(value)
    warning = ""
    if not _same(new, old):
        if new is TEXT:
            fix = f'write "{value}" in quotes to keep it text, or {_literal(old)} for the value'
        else:
            fix = f'write {_literal(new)} for the value, or "{value}" in quotes for text'
        warning = (
            f"'{value}' is {_show(new, value)} in YAML 1.2 (statuspress and schema-aware "
            f"editors) but {_show(old, value)} in YAML 1.1 tools: {fix}"
        )
    result = (value if new is TEXT else new), warning
    if len(_CACHE) < _CACHE_MAX:
        _CACHE[value] = result  # the values are immutable
    return result
