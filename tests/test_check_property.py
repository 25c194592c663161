"""Property: however a valid content file is mangled, ``check`` answers and never crashes.

Hypothesis takes the files of the base tree (tests/malformed/_base/content) and applies random
mutations of the kinds an editor, a merge or a careless paste produces: byte flips, deleted
and duplicated lines, renamed keys, swapped and replaced values, changed indentation and
random Unicode. ``statuspress check`` (the real click command, in process) must exit with 0 or
1, print no traceback, and give every problem a ``path:line:`` location in the mutated file.

CI runs a bounded, derandomised number of examples (a fixed seed, so a failure reproduces);
``STATUSPRESS_HYPOTHESIS=long pytest tests/test_check_property.py`` runs 5,000 fresh ones.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from check_support import BASE, NOW, make_tree, property_settings
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from statuspress.cli import cli

FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*") if p.is_file())
KEYS = sorted(
    {
        m.group(1)
        for rel in FILES
        for m in re.finditer(r"^\s*-?\s*([a-z_]+):", (BASE / rel).read_text(), re.M)
    }
)
# Values that stress the schema and the YAML parser when swapped in for a real one.
NASTY_VALUES = [
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[a, [b, [c]]]",
    "{a: {b: c}}",
    "yes",
    "-1",
    "0x1F",
    "1e400",
    ".nan",
    "-.inf",
    "99999999999999999999999999",
    "2026-13-45T25:61:61Z",
    "2026-11-24T02:47:00",
    "2026-11-24",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "SEV-0",
    "KE-0001",
    "../../etc/passwd",
    "&anchor value",
    "*anchor",
    "!!python/object/apply:os.system [id]",
    "!!binary aGk=",
    "'unterminated",
    '"bad \\escape"',
    "<script>alert(1)</script>",
    "\u202eevil",
    "|",
    ">-",
    "- item",
    "key: value",
    "'\\t'",
    "\U0001f4a5",
]
DIAGNOSTIC = re.compile(r"^content/[^:]+(:\d+)?: (warning: )?.+$")


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: int
    other: int
    text: str


mutations = st.builds(
    Mutation,
    kind=st.sampled_from(
        [
            "flip_byte",
            "delete_line",
            "duplicate_line",
            "rename_key",
            "swap_values",
            "replace_value",
            "indent",
            "dedent",
            "insert_unicode",
            "truncate",
        ]
    ),
    at=st.integers(min_value=0, max_value=10_000),
    other=st.integers(min_value=0, max_value=10_000),
    text=st.one_of(
        st.sampled_from(NASTY_VALUES + KEYS),
        st.text(max_size=12),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=6),
    ),
)


def _value_lines(lines: list[bytes]) -> list[int]:
    return [i for i, line in enumerate(lines) if b": " in line]


def mutate(data: bytes, m: Mutation) -> bytes:
    """Apply one mutation; every kind degrades gracefully on tiny or empty input."""
    lines = data.split(b"\n")
    n = len(lines)
    i, j = m.at % n, m.other % n
    encoded = m.text.encode("utf-8", "surrogatepass")
    if m.kind == "flip_byte":
        if not data:
            return encoded
        pos = m.at % len(data)
        return data[:pos] + bytes([(data[pos] ^ (1 + m.other % 255)) & 0xFF]) + data[pos + 1 :]
    if m.kind == "delete_line":
        del lines[i]
    elif m.kind == "duplicate_line":
        lines.insert(j, lines[i])
    elif m.kind == "rename_key":
        with_keys = [k for k, line in enumerate(lines) if b":" in line]
        if with_keys:
            k = with_keys[m.at % len(with_keys)]
            head, _, tail = lines[k].partition(b":")
            indent = head[: len(head) - len(head.lstrip(b" -"))]
            lines[k] = indent + encoded + b":" + tail
    elif m.kind == "swap_values":
        values = _value_lines(lines)
        if len(values) >= 2:
            a, b = values[m.at % len(values)], values[m.other % len(values)]
            ka, _, va = lines[a].partition(b": ")
            kb, _, vb = lines[b].partition(b": ")
            lines[a], lines[b] = ka + b": " + vb, kb + b": " + va
    elif m.kind == "replace_value":
        values = _value_lines(lines)
        if values:
            k = values[m.at % len(values)]
            key, _, _ = lines[k].partition(b": ")
            lines[k] = key + b": " + encoded
    elif m.kind == "indent":
        lines[i] = b" " * (1 + m.other % 5) + lines[i]
    elif m.kind == "dedent":
        lines[i] = lines[i][1 + m.other % 4 :] if lines[i].startswith(b" ") else lines[i]
    elif m.kind == "insert_unicode":
        pos = m.at % (len(data) + 1)
        return data[:pos] + encoded + data[pos:]
    elif m.kind == "truncate":
        return data[: m.at % (len(data) + 1)]
    return b"\n".join(lines)


@property_settings(ci_examples=150)
@given(
    target=st.lists(st.sampled_from(FILES), min_size=1, max_size=2, unique=True),
    steps=st.lists(mutations, min_size=1, max_size=4),
)
def test_mutated_content_never_crashes_check(target: list[str], steps: list[Mutation]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = make_tree(Path(tmp))
        for rel in target:
            data = (content / rel).read_bytes()
            for step in steps:
                data = mutate(data, step)
            (content / rel).write_bytes(data)
        for strict in ([], ["--strict"]):
            result = CliRunner().invoke(
                cli, ["check", "--content", str(content), "--now", NOW, *strict]
            )
            # CliRunner records an unexpected exception instead of raising it: there must be
            # none (SystemExit is how the command sets its exit code).
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                result.exception
            )
            assert result.exit_code in (0, 1)
            assert "Traceback" not in result.output
            lines = result.stdout.splitlines()
            for line in lines:
                shown = line.replace(str(content), "content", 1)
                assert DIAGNOSTIC.match(shown), line
            errors = [line for line in lines if ": warning: " not in line]
            assert (result.exit_code == 1) == bool(errors or (strict and lines))


@property_settings(ci_examples=60)
@given(steps=st.lists(mutations, min_size=1, max_size=3))
def test_the_same_tree_always_gives_the_same_answer(steps: list[Mutation]) -> None:
    """Deterministic output: two runs over one mangled tree print the same bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        content = make_tree(Path(tmp))
        rel = FILES[sum(s.at for s in steps) % len(FILES)]
        data = (content / rel).read_bytes()
        for step in steps:
            data = mutate(data, step)
        (content / rel).write_bytes(data)
        runs = [
            CliRunner().invoke(cli, ["check", "--content", str(content), "--now", NOW])
            for _ in range(2)
        ]
        assert runs[0].stdout == runs[1].stdout
        assert runs[0].exit_code == runs[1].exit_code
