"""Line-aware YAML loading with libyaml: the reference reader, and the one for unusual YAML.

PyYAML loses line numbers once it has built Python objects, silently keeps the last of two
duplicate keys, and happily expands alias bombs. Content is written by people in pull requests,
so this module composes the node graph with the C parser when available and builds plain values
itself: mappings remember the line of every key, sequences the line of every item, duplicate keys
and aliases become diagnostics, and timestamps stay strings so the schema can insist on an offset.

Plain scalars follow the YAML 1.2 core schema (:mod:`.scalars`), not PyYAML's YAML 1.1, so
``check`` reads a value as schema-aware editors do. Loading is the hot path of ``check`` (one
call per content file), so text is told apart with a first-character test instead of
PyYAML's per-scalar regular-expression loop, and field paths (only needed for messages) are
built lazily. :func:`statuspress.yaml.load` tries the line reader in :mod:`.fast` first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.reader
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import WARNING
from .nodes import MAX_DEPTH, LList, LMap, YamlProblem
from .scalars import IMPLICIT, plain

try:  # The C parser is ~10x faster; fall back cleanly where libyaml is missing.
    # Only libyaml's parser and composer are used (values are built here), so the loader is
    # CParser alone: no constructor or resolver state to set up for every file.
    from yaml._yaml import CParser as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_TIMESTAMP_TAG = _TAG + "timestamp"
_STR_TAG = _TAG + "str"
_NULL_TAG = _TAG + "null"
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"
# Scalar tags whose value is kept or constructed; anything else (binary, python/*, custom) is
# refused with a message instead of being turned into an object nobody expects.
_CONSTRUCTED = {_TAG + t for t in ("null", "bool", "int", "float")}
_SCALARS = SafeConstructor()
_PLAIN_TAG = "tag:statuspress,2026:plain"
"""A plain scalar that may not be text: :func:`.scalars.plain` decides what it is."""
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_ODD_BREAK_NAMES = {
    "\x85": "U+0085 NEXT LINE",
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
}


def _resolve_plain(value: str) -> str:
    """Text for any plain scalar that cannot be anything else; the rest is resolved later."""
    return _PLAIN_TAG if value and value[0] in IMPLICIT else (_STR_TAG if value else _NULL_TAG)


class _Loader(_BaseLoader):
    """libyaml's parser and composer with a cheap resolver (no path resolvers exist)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _resolve_plain(value) if implicit[0] else _STR_TAG
        return _MAP_TAG if kind is MappingNode else _SEQ_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


# A field path as a cheap linked tuple: (parent, key-or-index); joined only for messages.
_Path = tuple[Any, str | int] | None


def _join(path: _Path) -> str:
    parts: list[str | int] = []
    while path is not None:
        path, step = path
        parts.append(step)
    text = ""
    for step in reversed(parts):
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text = f"{text}.{step}" if text else step
    return text


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _TooDeep(Exception):
    def __init__(self, line: int, path: str) -> None:
        self.line = line
        self.path = path


class _AliasFound(Exception):
    pass


@dataclass(slots=True)
class _Builder:
    offset: int
    check_aliases: bool
    problems: list[YamlProblem] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)

    def problem(self, node: Node, path: _Path, message: str) -> None:
        self.problems.append(
            YamlProblem(self.offset + node.start_mark.line + 1, _join(path), message)
        )

    def build(self, node: Node, path: _Path, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(self.offset + node.start_mark.line + 1, _join(path))
        if self.check_aliases:
            # The composer shares one node between an anchor and its aliases: meeting a node
            # twice means an alias. Stop before anything is expanded.
            if id(node) in self.seen:
                raise _AliasFound
            self.seen.add(id(node))
        cls = node.__class__
        if cls is ScalarNode:
            return self.scalar(node, path)  # type: ignore[arg-type]
        offset = self.offset
        if cls is MappingNode:
            if node.tag != _MAP_TAG:
                self.problem(node, path, f"unsupported YAML tag {_show_tag(node.tag)}")
                return None
            result = LMap(offset + node.start_mark.line + 1)
            lines = result.lines
            for key_node, value_node in node.value:
                if self.check_aliases:
                    if id(key_node) in self.seen:
                        raise _AliasFound
                    self.seen.add(id(key_node))
                if key_node.__class__ is not ScalarNode:
                    self.problem(key_node, path, "mapping keys must be plain text")
                    continue
                key = key_node.value
                key_line = offset + key_node.start_mark.line + 1
                if key == "<<":
                    self.problem(key_node, path, "YAML merge keys (<<) are not supported")
                    continue
                if key in lines:
                    self.problem(
                        key_node,
                        (path, key),
                        f"duplicate key (first defined at line {lines[key]})",
                    )
                    continue
                lines[key] = key_line
                if (
                    value_node.__class__ is ScalarNode
                    and value_node.tag is _STR_TAG
                    and not self.check_aliases
                ):
                    result[key] = value_node.value  # fast path: plain text
                else:
                    result[key] = self.build(value_node, (path, key), depth + 1)
            return result
        if cls is SequenceNode:
            if node.tag != _SEQ_TAG:
                self.problem(node, path, f"unsupported YAML tag {_show_tag(node.tag)}")
                return None
            items = LList(offset + node.start_mark.line + 1)
            item_lines = items.lines
            fast = not self.check_aliases
            for index, item in enumerate(node.value):
                item_lines.append(offset + item.start_mark.line + 1)
                if fast and item.__class__ is ScalarNode and item.tag is _STR_TAG:
                    items.append(item.value)
                else:
                    items.append(self.build(item, (path, index), depth + 1))
            return items
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover

    def scalar(self, node: ScalarNode, path: _Path) -> Any:
        tag = node.tag
        if tag == _PLAIN_TAG:
            value, warning = plain(node.value)
            if warning:
                self.problems.append(
                    YamlProblem(
                        self.offset + node.start_mark.line + 1, _join(path), warning, WARNING
                    )
                )
            return value
        # Timestamps stay text: the schema decides whether a date or an offset-aware time fits.
        if tag == _STR_TAG or tag == _TIMESTAMP_TAG:
            return node.value
        if tag not in _CONSTRUCTED:
            self.problem(node, path, f"unsupported YAML tag {_show_tag(tag)}")
            return None
        try:
            return SafeConstructor.yaml_constructors[tag](_SCALARS, node)
        except (ConstructorError, ValueError) as exc:
            self.problem(node, path, f"invalid value: {exc}")
            return None


def _alias_problem(text: str, line_offset: int) -> YamlProblem:
    """Where the first alias is, found from the event stream (nodes only know the anchor)."""
    loader = _Loader(text)
    count, first_line, name = 0, 0, ""
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, AliasEvent):
                if not count and event.start_mark is not None:
                    first_line = line_offset + event.start_mark.line + 1
                    name = event.anchor or ""
                count += 1
    finally:
        loader.dispose()
    more = f" ({count} aliases in this file)" if count > 1 else ""
    return YamlProblem(
        first_line or line_offset + 1,
        "",
        f"YAML aliases (*{name}) are not supported; write the value out{more}",
    )


def load_full(text: str, line_offset: int = 0) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document with libyaml: the reference the fast path is tested against.

    ``line_offset`` is the number of file lines before ``text`` starts, so that every reported
    line is a line of the file the writer has open. A document with an alias, a syntax error or
    nesting deeper than :data:`MAX_DEPTH` gives ``None`` and one problem.
    """
    breaks = _ODD_BREAKS.search(text)
    if breaks:
        # YAML counts these as line breaks and editors mostly do not: every line number after
        # one would be off, so refuse it where it stands.
        line = line_offset + text.count("\n", 0, breaks.start()) + 1
        name = _ODD_BREAK_NAMES[breaks.group()]
        return None, [YamlProblem(line, "", f"contains {name}, which YAML reads as a line break")]
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, line_offset)]
    except yaml.reader.ReaderError as exc:
        line = line_offset + text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return None, [
            YamlProblem(
                line, "", f"contains U+{ord(char):04X}, which YAML does not allow; remove it"
            )
        ]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(line_offset + 1, "", f"YAML error: {exc}")]
    except RecursionError:  # pragma: no cover - only the pure-Python parser recurses
        return None, [YamlProblem(line_offset + 1, "", f"nesting deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, []
    builder = _Builder(line_offset, check_aliases="*" in text)
    try:
        value = builder.build(node, None, 0)
    except _TooDeep as exc:
        return None, [YamlProblem(exc.line, exc.path, f"nesting deeper than {MAX_DEPTH} levels")]
    except _AliasFound:
        return None, [_alias_problem(text, line_offset)]
    return value, builder.problems


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line = line_offset + (mark.line + 1 if mark else 1)
    problem = exc.problem or str(exc)
    if "exceeded maximum nesting depth" in problem:
        return YamlProblem(line, "", f"nesting deeper than {MAX_DEPTH} levels")
    if exc.context and exc.problem:
        problem = f"{exc.context}, {exc.problem}"
    if exc.context_mark and mark is not exc.context_mark:
        started = line_offset + exc.context_mark.line + 1
        if started != line:
            problem += f" (the construct started at line {started})"
    if mark is not None:
        lines = text.split("\n")
        if 0 <= mark.line < len(lines) and "\t" in lines[mark.line]:
            problem += "; YAML is indented with spaces, and this line has a tab"
    return YamlProblem(line, "", f"YAML syntax error: {problem}")
