"""Line-aware YAML loading for content files.

PyYAML loses line numbers once it has built Python objects, silently keeps the last of two
duplicate keys, and happily expands alias bombs. Content is written by people in pull requests,
so this module composes the node graph with the C parser when available and builds plain values
itself: mappings remember the line of every key, sequences the line of every item, duplicate keys
and aliases become diagnostics, and timestamps stay strings so the schema can insist on an offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # The C parser is ~10x faster; fall back cleanly where libyaml is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 32
"""Deepest nesting accepted; real content needs about 4 levels."""

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_SCALARS = SafeConstructor()
_BRACKETS = re.compile(r"[\[\]{}]")


class LMap(dict[str, Any]):
    """A mapping that remembers where it and each of its keys stand (1-based file lines)."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LList(list[Any]):
    """A sequence that remembers the line of each item."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass(slots=True)
class YamlProblem:
    line: int
    field: str
    message: str


@dataclass(slots=True)
class _Builder:
    offset: int
    check_aliases: bool
    problems: list[YamlProblem] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)

    def line(self, node: Node) -> int:
        return self.offset + node.start_mark.line + 1

    def build(self, node: Node, path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(self.line(node), path)
        if self.check_aliases:
            if id(node) in self.seen:
                self.problems.append(
                    YamlProblem(self.line(node), path, "YAML aliases (*name) are not supported")
                )
                return None
            self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, MappingNode):
            result = LMap(self.line(node))
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.problems.append(
                        YamlProblem(self.line(key_node), path, "mapping keys must be plain text")
                    )
                    continue
                key = key_node.value
                if key == "<<":
                    self.problems.append(
                        YamlProblem(
                            self.line(key_node), path, "YAML merge keys (<<) are not supported"
                        )
                    )
                    continue
                key_path = f"{path}.{key}" if path else key
                if key in result:
                    self.problems.append(
                        YamlProblem(
                            self.line(key_node),
                            key_path,
                            f"duplicate key (first defined at line {result.lines[key]})",
                        )
                    )
                    continue
                result.lines[key] = self.line(key_node)
                result[key] = self.build(value_node, key_path, depth + 1)
            return result
        if isinstance(node, SequenceNode):
            items = LList(self.line(node))
            for index, item in enumerate(node.value):
                items.lines.append(self.line(item))
                items.append(self.build(item, f"{path}[{index}]", depth + 1))
            return items
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover

    def scalar(self, node: ScalarNode, path: str) -> Any:
        tag = node.tag
        # Timestamps stay text: the schema decides whether a date or an offset-aware time fits.
        if tag in (_TIMESTAMP_TAG, _STR_TAG):
            return node.value
        constructor = SafeConstructor.yaml_constructors.get(tag)
        if constructor is None or not tag.startswith("tag:yaml.org,2002:"):
            self.problems.append(YamlProblem(self.line(node), path, f"unsupported YAML tag {tag}"))
            return None
        try:
            return constructor(_SCALARS, node)
        except (ConstructorError, ValueError) as exc:
            self.problems.append(YamlProblem(self.line(node), path, f"invalid value: {exc}"))
            return None


class _TooDeep(Exception):
    def __init__(self, line: int, path: str) -> None:
        self.line = line
        self.path = path


def load(text: str, line_offset: int = 0) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; return its value and every problem found.

    ``line_offset`` is the number of file lines before ``text`` starts, so that every reported
    line is a line of the file the writer has open.
    """
    depth = 0
    deepest = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        return None, [YamlProblem(line_offset + 1, "", f"nesting deeper than {MAX_DEPTH} levels")]
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        problem = exc.problem or str(exc)
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        if exc.context_mark and mark is not exc.context_mark:
            started = line_offset + exc.context_mark.line + 1
            if started != line:
                problem += f" (the construct started at line {started})"
        return None, [YamlProblem(line, "", f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(line_offset + 1, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [YamlProblem(line_offset + 1, "", f"nesting deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, []
    builder = _Builder(line_offset, check_aliases="*" in text)
    try:
        value = builder.build(node, "", 0)
    except _TooDeep as exc:
        return None, [YamlProblem(exc.line, exc.path, f"nesting deeper than {MAX_DEPTH} levels")]
    return value, builder.problems
