"""Text-level edits of YAML front matter that leave every other byte alone.

Re-dumping YAML would lose comments, key order, quoting and line endings, and turn a one-line
change into a noisy diff in review. Instead PyYAML composes the node graph (which knows where each
key and value starts and ends in the text) and the edits insert or remove whole lines at those
places, written in the style of the file: its list indentation and its line ending. Every edit is
checked afterwards by reading the result back (see :mod:`statuspress.authoring.update`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import StatuspressError
from .common import block_literal, key, quoted

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_BREAKS = "\r\n"
_NULLS = ("", "~", "null", "Null", "NULL")


class EditError(StatuspressError):
    """The front matter has a shape these edits do not handle safely."""


@dataclass(slots=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class FrontMatter:
    """A document's text with the position of its front matter and its composed YAML."""

    text: str
    start: int
    """Index where the YAML starts (after the first ``---`` line)."""
    end: int
    """Index where the closing ``---`` line starts."""
    newline: str
    root: MappingNode
    edits: list[Edit] = field(default_factory=list)

    # -- positions ---------------------------------------------------------------------------
    def pos(self, index: int) -> int:
        """A node mark index (relative to the YAML) as an index into the whole text."""
        return self.start + index

    def line_start(self, index: int) -> int:
        while index > 0 and self.text[index - 1] not in _BREAKS:
            index -= 1
        return index

    def line_end(self, index: int) -> int:
        """Index just after the line break ending the line that holds ``index``."""
        if index > 0 and self.text[index - 1] in _BREAKS and index <= self.end:
            # Already at the start of a line (a block scalar ends after its line breaks).
            if not (self.text[index - 1] == "\r" and self.text[index : index + 1] == "\n"):
                return index
        while index < len(self.text) and self.text[index] not in _BREAKS:
            index += 1
        if self.text.startswith("\r\n", index):
            return index + 2
        return index + 1 if index < len(self.text) else index

    def content_end(self, node: Node) -> int:
        """Where a value's own text ends: its last scalar, or the bracket closing a flow."""
        while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, MappingNode) else last
        return self.pos(node.end_mark.index)

    def key_column(self) -> int:
        return self.root.value[0][0].start_mark.column if self.root.value else 0

    def find(self, name: str) -> tuple[ScalarNode, Node] | None:
        for key_node, value_node in self.root.value:
            if isinstance(key_node, ScalarNode) and key_node.value == name:
                return key_node, value_node
        return None

    # -- edits -------------------------------------------------------------------------------
    def insert(self, index: int, text: str) -> None:
        self.edits.append(Edit(index, index, text))

    def remove(self, start: int, end: int) -> None:
        self.edits.append(Edit(start, end, ""))

    def result(self) -> str:
        text = self.text
        # From the end backwards so earlier positions stay valid; at one position a removal
        # (the longer span) goes first so an insertion there is not removed with it.
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text

    def lines(self, lines: list[str]) -> str:
        return "".join(line + self.newline for line in lines)


def parse(text: str) -> FrontMatter:
    """Locate the front matter of ``text`` (as read from disk) and compose its YAML."""
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    offset = 1 if text.startswith("\ufeff") else 0
    first_end = _next_break(text, offset)
    if text[offset:first_end] != "---":
        raise EditError("the file does not start with a '---' front matter line")
    start = _after_break(text, first_end)
    index = start
    while index < len(text):
        end_of_line = _next_break(text, index)
        if text[index:end_of_line].rstrip() in ("---", "..."):
            break
        index = _after_break(text, end_of_line)
    else:
        raise EditError("the front matter has no closing '---' line")
    try:
        root = yaml.compose(text[start:index], Loader=_Loader)
    except yaml.YAMLError as exc:
        raise EditError(f"the front matter is not valid YAML: {exc}") from None
    if not isinstance(root, MappingNode) or root.flow_style:
        raise EditError("the front matter is not a block mapping (key: value lines)")
    return FrontMatter(text, start, index, newline, root)


def _next_break(text: str, index: int) -> int:
    while index < len(text) and text[index] not in _BREAKS:
        index += 1
    return index


def _after_break(text: str, index: int) -> int:
    if text.startswith("\r\n", index):
        return index + 2
    return index + 1 if index < len(text) else index


# -- the edits update needs ------------------------------------------------------------------


def _flow_map(services: dict[str, str]) -> str:
    return "{" + ", ".join(f"{key(k)}: {v}" for k, v in services.items()) + "}"


def _item_lines(item: dict[str, object], dash: int, col: int) -> list[str]:
    """A block list item ``- at: ...`` with its keys at column ``col``."""
    pad = " " * col
    message = str(item["message"])
    literal = block_literal(message, " " * (col + 2))
    first = " " * dash + "-" + " " * (col - dash - 1)
    lines = [
        f"{first}at: {item['at']}",
        f"{pad}status: {item['status']}",
        *f"{pad}message: {literal or quoted(message)}".split("\n"),
    ]
    if item.get("services"):
        lines.append(f"{pad}services: {_flow_map(item['services'])}")  # type: ignore[arg-type]
    return lines


def _flow_item(item: dict[str, object]) -> str:
    parts = [f"at: {item['at']}", f"status: {item['status']}"]
    parts.append(f"message: {quoted(str(item['message']))}")
    if item.get("services"):
        parts.append(f"services: {_flow_map(item['services'])}")  # type: ignore[arg-type]
    return "{" + ", ".join(parts) + "}"


def append_update(fm: FrontMatter, item: dict[str, object]) -> None:
    """Append ``item`` to ``updates:``, in the list's own style; create the list if needed."""
    found = fm.find("updates")
    root_col = fm.key_column()
    if found is None:
        lines = [" " * root_col + "updates:", *_item_lines(item, root_col + 2, root_col + 4)]
        fm.insert(fm.end, fm.lines(lines))
        return
    key_node, value = found
    key_col = key_node.start_mark.column
    if isinstance(value, SequenceNode) and not value.flow_style and value.value:
        dash = value.start_mark.column
        last = value.value[-1]
        col = last.start_mark.column
        if not isinstance(last, MappingNode) or last.flow_style or col <= dash:
            col = dash + 2
        fm.insert(fm.line_end(fm.content_end(last)), fm.lines(_item_lines(item, dash, col)))
        return
    if isinstance(value, SequenceNode) and value.flow_style and value.value:
        close = fm.pos(value.end_mark.index) - 1  # the ']'
        before = close
        while before > fm.pos(value.start_mark.index) and fm.text[before - 1].isspace():
            before -= 1
        sep = " " if fm.text[before - 1] == "," else ", "
        fm.insert(before, sep + _flow_item(item))
        return
    empty_flow = isinstance(value, SequenceNode) and value.flow_style and not value.value
    null = isinstance(value, ScalarNode) and value.tag.endswith(":null") and value.value in _NULLS
    if not (empty_flow or null):
        raise EditError("'updates' is not a list; fix it by hand")
    start, stop = fm.pos(value.start_mark.index), fm.pos(value.end_mark.index)
    rest_end = _next_break(fm.text, stop)
    if not fm.text[stop:rest_end].strip():
        # Nothing but spaces follow: drop the spaces before `[]` too, leaving `updates:`.
        while start > fm.pos(key_node.end_mark.index) + 1 and fm.text[start - 1] == " ":
            start -= 1
    if stop > start:
        fm.remove(start, stop)
    lines = _item_lines(item, key_col + 2, key_col + 4)
    fm.insert(fm.line_end(stop), fm.lines(lines))


def set_resolved_at(fm: FrontMatter, at: str, after: tuple[str, ...]) -> None:
    """Add ``resolved_at:`` after the last of the ``after`` keys present."""
    insert_key(fm, "resolved_at", at, after)


def insert_key(fm: FrontMatter, name: str, value: str, after: tuple[str, ...]) -> None:
    """Add the top-level line ``name: value`` after the last of the ``after`` keys present
    (at the end of the front matter when none is); ``value`` is written as given."""
    anchor = None
    for key_name in after:
        found = fm.find(key_name)
        if found is not None:
            anchor = found
    line = " " * fm.key_column() + f"{name}: {value}"
    if anchor is None:
        fm.insert(fm.end, fm.lines([line]))
        return
    fm.insert(fm.line_end(fm.content_end(anchor[1])), fm.lines([line]))


def remove_key(fm: FrontMatter, name: str) -> None:
    """Remove a top-level ``name:`` and its value (whole lines)."""
    found = fm.find(name)
    if found is None:
        return
    key_node, value = found
    start = fm.line_start(fm.pos(key_node.start_mark.index))
    fm.remove(start, fm.line_end(fm.content_end(value)))
