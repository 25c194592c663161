"""The fast YAML path (statuspress.yaml.fast) against the full one (libyaml, yaml.load_full).

Whatever the fast path accepts it must read exactly as the full parser does: the same values
and Python types, the same LMap/LList classes with the same ``.line`` and ``.lines``, and no
problem the full parser would report. Everything else it must decline. Checked on every YAML
text of the demo content, the fixtures, the malformed and hostile corpora and a generated
corpus, and on generated texts (hypothesis, derandomised in CI like the other property tests).
The generated corpus and the demo incidents must also be *accepted*: that is where the speed
comes from.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from check_support import TESTS, make_corpus, property_settings
from hypothesis import given
from hypothesis import strategies as st
from statuspress.readers import split_front_matter
from statuspress.yaml import LList, LMap, load, load_full
from statuspress.yaml import fast as fastyaml

ROOT = TESTS.parent


def assert_same(fast: Any, slow: Any, where: str = "") -> None:
    """Equal values of identical types, walking LMap/LList and comparing their line maps."""
    assert type(fast) is type(slow), (where, fast, slow)
    if isinstance(slow, LMap):
        assert fast.line == slow.line, where
        assert list(fast.lines.items()) == list(slow.lines.items()), where
        assert list(fast) == list(slow), where
        for key in slow:
            assert_same(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(slow, LList):
        assert fast.line == slow.line, where
        assert fast.lines == slow.lines, where
        assert len(fast) == len(slow), where
        for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    elif isinstance(slow, float):
        assert repr(fast) == repr(slow) or (math.isnan(fast) and math.isnan(slow)), where
    else:
        assert fast == slow, (where, fast, slow)


def agrees(text: str, offset: int = 0) -> bool:
    """Check the fast path against the full parser; True when the fast path accepted."""
    fast = fastyaml.parse(text, offset)
    if fast is fastyaml.DECLINED:
        return False
    slow, problems = load_full(text, offset)
    assert problems == [], (text, problems)
    assert_same(fast, slow)
    value, problems = load(text, offset)  # and load() hands the fast value out
    assert problems == []
    assert_same(value, slow)
    return True


def yaml_texts(root: Path) -> Iterator[tuple[str, str, int]]:
    """(file, YAML text, line offset) for every .md front matter and .yaml file under root,
    as the reader gives them to the loader and also with CR line ends left in."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".md", ".yaml", ".yml"):
            continue
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        normal = raw.replace("\r\n", "\n").replace("\r", "\n")
        for text in dict.fromkeys((normal, raw)):
            if path.suffix == ".md":
                parts = split_front_matter(text)
                if parts is not None:
                    yield str(path), parts[0], parts[1]
            else:
                yield str(path), text, 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    return make_corpus(300, 3, out)


@pytest.mark.parametrize(
    "folder", ["content", "tests/malformed", "tests/hostile", "tests/fixtures"]
)
def test_agrees_with_libyaml_on_every_file(folder: str) -> None:
    accepted = declined = 0
    for name, text, offset in yaml_texts(ROOT / folder):
        try:
            ok = agrees(text, offset)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
        accepted += ok
        declined += not ok
    assert accepted > 0
    # The malformed and hostile corpora hold problems the fast path must leave to libyaml.
    assert folder in ("content", "tests/fixtures") or declined > 0


def test_demo_incidents_are_read_by_the_fast_path() -> None:
    texts = list(yaml_texts(ROOT / "content" / "incidents"))
    assert len(texts) > 40
    for name, text, offset in texts:
        assert agrees(text, offset), f"{name}: declined"


def test_generated_corpus_agrees_and_is_read_by_the_fast_path(corpus: Path) -> None:
    texts = list(yaml_texts(corpus))
    assert len(texts) > 300
    for name, text, offset in texts:
        assert agrees(text, offset), f"{name}: declined"


# --- Chosen cases ----------------------------------------------------------------------------

ACCEPTED = [
    "",
    "# only a comment\n\n",
    "a: 1\nb: -2\nc: 1.5\nd: .inf\ne: -.inf\nf: 0x1F\ni: 12-30\n",
    "a: true\nb: False\nd: y\ne: ~\nf: null\ng:\nh: Null\n",
    "a: 2026-01-02\nb: 2026-11-24T02:47:00+01:00\nc: =\ne: .nan\n",
    "a: \"x \\\"q\\\" \\\\ \\n \\t \\u00e9 \\/\"\nb: 'it''s'\nc: \"\"\nd: ''\n",
    "a: b # comment\nc: 'd'  # comment\ne: \"f\" #\n  # indented comment\ng: h#i\n",
    "a:\n  b:\n    c: 1\n  d: [x, 'y', \"z\"]\ne: {p: 1, 'q': two words}\nf: []\ng: {}\n",
    "a:\n- 1\n- b: 2\n  c: 3\n-   d: 4\n    e: 5\nf: 6\n",
    "x:\n  - a:\n    - q\n    b: 2\n  - 'r'\n",
    "a: >-\n  folded\n  text\n\n  para\nb: |\n  literal\n    more\n\n  end\nc: >\n  x\n",
    "a: |-\n    # not a comment\n    key: not a key\n\n\nb: 1",
    '"quoted key": 1\n\'single key\': 2\n"": 3\n"a\\"b": [4]\n',
    "s: http://x.y/z?q=1#f\nt: a, b\nu: -x\nv: a:b\n",
    "a:\n- \"\": 1\n  b: 2\n- '': 3\n- 'k''s': 4\n",
]

DECLINED = [
    # YAML 1.1 reads these otherwise: the full builder warns with the field path
    "g: 017\n",
    "h: 1_000\n",
    "i: 12:30\n",
    "j: No\n",
    "k: [on, off]\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "? a\n: b\n",
    "<<: {a: 1}\n",
    "a: 1\na: 2\n",
    "a: {b: {c: 1}}\n",
    "a: multi\n  line\n",
    'a: "multi\n  line"\n',
    'a: "\\x41"\n',
    "\ta: 1\n",
    "a:\n\t- 1\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: \u2028\n",
    "- a\n- b\n",
    "plain\n",
    "a: b: c\n",
    "a: x:\n",
    "a: -\n",
    "a:\n  -\n    b: 1\n",
    "a: [a,]\n",
    "a: [a:b]\n",
    "a: >+\n  x\n",
    "a: >\n  x\n    more\n  y\n",
    "a: 'x'#c\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\n- b\n",
    "  a: 1\n",
    "a" * 1100 + ": 1\n",
    "a: 1\n" + "".join(f"{'  ' * d}k{d}:\n" for d in range(1, 40)) + "  " * 40 + "z: 1\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_reads_the_plain_forms(text: str) -> None:
    assert agrees(text, 3)


@pytest.mark.parametrize("text", DECLINED)
def test_leaves_everything_else_to_libyaml(text: str) -> None:
    assert fastyaml.parse(text) is fastyaml.DECLINED
    load_full(text)  # and the full parser answers (a value or problems), no crash


# --- Generated texts -------------------------------------------------------------------------

PLAIN = [
    "a", "word", "two words", "1", "-1", "+1", "0", "017", "0x1F", "0o17", "0b101", "1_000",
    "1.5", "1e3", "1.0e+3", "6.8523015e+5", ".inf", "-.inf", ".NaN", ".nan", "190:20:30",
    "true", "True", "TRUE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~",
    "2026-01-02", "2026-01-02T03:04:05Z", "2026-1-2", "2026-11-24 02:47:00", "12:30", "=",
    "<<", "a:b", "a#b", "x.y/z", "SEV-1", "KE-0001", "-x", "--", "-.5", "é", "日本",
    "a, b", "a]", "it's", 'say "hi"', "http://x.y/z?q=1#f", "a:", "a: b", "a #b", "- x",
    "-", "?x", ":x", "[a", "{a", "&a", "*a", "!t", "%x", "@x", "`x", "|", ">", ",", "#",
]  # fmt: skip
KEYS = [
    "a", "b", "key", "SEV-1", "x_y", "on", "null", "1", "y", "a.b/c", "Ü", "a b", "-k",
    '"q k"', "'s k'", '"a\\"b"', '""', "<<", "?k", "&k a", "k:",
]  # fmt: skip
TEXT_CHARS = "ab :#-'\"\\,[]{}01.~!&*?|>%@`/é\t\n\x85\u2028\x00"
BLOCK_HEADERS = ["|", "|-", ">", ">-", "|+", ">2", "| # c", ">-#c"]
BLOCK_LINES = ["text", "more text", "", "  indented", "# not a comment", "k: v", "- x", "  "]


def quoted(text: str, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return json.dumps(text, ensure_ascii=rng.random() < 0.2)
    return "'" + text.replace("'", "''") + "'"


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A nested mapping written out in block style with random layout choices."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    texts = draw(st.lists(st.text(TEXT_CHARS, max_size=8), min_size=1, max_size=6))

    def scalar() -> str:
        roll = rng.random()
        if roll < 0.45:
            return rng.choice(PLAIN)
        if roll < 0.8:
            return quoted(rng.choice(texts), rng)
        items = [rng.choice(PLAIN[:40]) for _ in range(rng.randrange(4))]
        if roll < 0.9:
            return "[" + ", ".join(items) + "]"
        return "{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(items)) + "}"

    out: list[str] = []

    def mapping(indent: str, depth: int, first: str | None = None) -> None:
        keys = rng.sample(KEYS[:12] if rng.random() < 0.8 else KEYS, rng.randrange(1, 4))
        for number, key in enumerate(keys):
            lead = first if number == 0 and first is not None else indent
            roll = rng.random()
            if rng.random() < 0.1:
                out.append(rng.choice(["", indent + "# note", "   ", "#"]))
            if depth < 3 and roll < 0.25:
                out.append(f"{lead}{key}:" + rng.choice(["", " ", " # c"]))
                mapping(indent + " " * rng.randrange(1, 4), depth + 1)
            elif depth < 3 and roll < 0.45:
                out.append(f"{lead}{key}:")
                sequence(indent + rng.choice(["", "", " ", "  ", "    "]), depth + 1)
            elif roll < 0.55:
                out.append(f"{lead}{key}: {rng.choice(BLOCK_HEADERS)}")
                pad = indent + " " * rng.randrange(0, 4)
                for _ in range(rng.randrange(0, 4)):
                    out.append(pad + rng.choice(BLOCK_LINES))
            elif roll < 0.6:
                out.append(f"{lead}{key}:")
            else:
                tail = rng.choice(["", "", "", " ", " # c", "#c"])
                out.append(f"{lead}{key}:{rng.choice([' ', ' ', '  '])}{scalar()}{tail}")

    def sequence(indent: str, depth: int) -> None:
        for _ in range(rng.randrange(1, 4)):
            dash = indent + rng.choice(["- ", "- ", "-  "])
            if depth < 3 and rng.random() < 0.4:
                mapping(" " * len(dash), depth + 1, first=dash)
            else:
                out.append(dash + scalar())

    mapping("", 0)
    # Mangle a few lines the way edits do: indentation, deletions, duplicates, stray text.
    for _ in range(draw(st.integers(0, 2))):
        if not out:
            break
        index = rng.randrange(len(out))
        roll = rng.random()
        if roll < 0.3:
            out[index] = " " * rng.randrange(1, 3) + out[index]
        elif roll < 0.5:
            out[index] = out[index][rng.randrange(0, 3) :]
        elif roll < 0.7:
            out.insert(index, out[index])
        elif roll < 0.85:
            del out[index]
        else:
            cut = rng.randrange(len(out[index]) + 1)
            out[index] = out[index][:cut] + rng.choice(TEXT_CHARS) + out[index][cut:]
    return "\n".join(out) + rng.choice(["", "\n", "\n\n", "\n  "])


LINE_PARTS = st.sampled_from(
    ["", " ", "  ", "- ", "-", "a", "b", "k", ":", ": ", "#", " #", '"', "'", "x y", "[", "]",
     "{", "}", ",", "|", ">-", "&a", "*a", "!t", "?", "~", "1", "2026-01-02", "null", "\t",
     "\\", "\\n"]
)  # fmt: skip


@st.composite
def line_soup(draw: st.DrawFn) -> str:
    """Lines glued from YAML-ish fragments: mostly broken, sometimes valid."""
    lines = draw(st.lists(st.lists(LINE_PARTS, max_size=6).map("".join), max_size=8))
    return "\n".join(lines)


@property_settings(ci_examples=600, long_examples=20000)
@given(documents())
def test_generated_documents_agree_or_decline(text: str) -> None:
    agrees(text, 2)


@property_settings(ci_examples=400, long_examples=20000)
@given(line_soup())
def test_generated_line_soup_agrees_or_declines(text: str) -> None:
    agrees(text)
