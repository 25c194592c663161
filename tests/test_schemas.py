"""The shipped JSON Schemas: up to date, valid, and in agreement with ``statuspress check``.

Both come from ``statuspress.definitions``, so they should agree by construction; these tests
make sure they do in practice:

- ``schemas/`` at the repository root and the copy inside the package equal what
  ``statuspress schemas`` writes now;
- every file of the demo content, the test fixture site and a synthetic corpus validates
  against its schema (values as the loader reads them, timestamps as text);
- malformed files whose mistake is visible to a schema are rejected by both;
- a property test builds random documents from the definitions (valid and invalid values
  of every field type) and checks that the validator and the JSON Schema accept the same ones.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from check_support import TESTS, make_corpus, make_tree, property_settings
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from statuspress import definitions as d
from statuspress import schema as s
from statuspress.cli import cli
from statuspress.readers import split_front_matter
from statuspress.schemas_out import schema_texts
from statuspress.yaml import load

ROOT = TESTS.parent
KINDS = {"site": d.SITE, "services": d.SERVICES, "incident": d.INCIDENT}
KINDS.update({"known-error": d.KNOWN_ERROR, "runbook": d.RUNBOOK})


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_texts()[f"{kind}.schema.json"])
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


VALIDATORS = {kind: validator(kind) for kind in KINDS}


def kind_of(rel: str) -> str:
    if rel in ("site.yaml", "services.yaml"):
        return rel[: -len(".yaml")]
    return {"incidents": "incident", "known-errors": "known-error", "runbooks": "runbook"}[
        rel.split("/")[0]
    ]


def document(path: Path) -> Any:
    """A file's YAML as the loader reads it (the front matter of a Markdown file)."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if path.suffix == ".md":
        parts = split_front_matter(text)
        assert parts is not None, path
        text = parts[0]
    value, problems = load(text)
    assert problems == [], (path, problems)
    return value


def content_files(content: Path) -> list[Path]:
    files = [content / "site.yaml", content / "services.yaml"]
    for folder in ("incidents", "known-errors", "runbooks"):
        files += sorted(
            p
            for p in (content / folder).rglob("*.md")
            if not p.name.startswith((".", "_")) and p.name != "README.md"
        )
    return files


def schema_errors(kind: str, value: Any) -> list[str]:
    return [e.message for e in VALIDATORS[kind].iter_errors(value)]


def validator_errors(kind: str, value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    s.check_document(KINDS[kind], value, "x", 1, lambda _p, _l, f, m: found.append((f, m)))
    return found


# --- the files are current ---------------------------------------------------------------


def test_shipped_schemas_equal_the_definitions() -> None:
    folder = ROOT / "schemas"  # the wheel ships this folder as statuspress/schemas
    shipped = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.json")}
    assert shipped == schema_texts(), f"{folder} is stale: run `statuspress schemas --out schemas`"


def test_statuspress_schemas_writes_them(tmp_path: Path) -> None:
    (tmp_path / "gone.schema.json").write_text("{}", encoding="utf-8")  # a retired file kind
    result = CliRunner().invoke(cli, ["schemas", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 5 schemas to {tmp_path}\n"
    written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert written == schema_texts()


def test_the_package_ships_the_schemas(tmp_path: Path) -> None:
    """A wheel built from the tree carries the repository's schemas/ as statuspress/schemas/."""
    pytest.importorskip("hatchling")
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w"]
        + [str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    import zipfile

    (wheel,) = tmp_path.glob("statuspress-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in schema_texts():
        assert f"statuspress/schemas/{name}" in names


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_schema_is_valid_json_schema(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_texts()[f"{kind}.schema.json"]))


# --- valid content passes both ---------------------------------------------------------------


def _corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    return make_corpus(120, 7, out)


@pytest.mark.parametrize("tree", ["demo", "fixture", "corpus"])
def test_valid_content_validates_against_the_schemas(
    tree: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    content = {
        "demo": lambda: ROOT / "content",
        "fixture": lambda: TESTS / "fixtures" / "small" / "content",
        "corpus": lambda: _corpus(tmp_path_factory),
    }[tree]()
    files = content_files(content)
    assert len(files) > 5
    for path in files:
        rel = path.relative_to(content).as_posix()
        value = document(path)
        kind = kind_of(rel)
        assert schema_errors(kind, value) == [], rel
        assert validator_errors(kind, value) == [], rel


# --- schema-level mistakes fail both ---------------------------------------------------------

SCHEMA_LEVEL = [
    ("malformed", "unknown-key-with-suggestion"),
    ("malformed", "unknown-key-in-update"),
    ("malformed", "unknown-key-without-suggestion"),
    ("malformed", "unknown-key-in-site"),
    ("malformed", "unknown-key-in-service"),
    ("malformed", "wrong-type-services-list"),
    ("malformed", "wrong-type-public-text"),
    ("malformed", "wrong-type-affected-users"),
    ("malformed", "wrong-type-updates-mapping"),
    ("malformed", "bad-severity"),
    ("malformed", "bad-component-status"),
    ("malformed", "bad-update-status"),
    ("malformed", "bad-service-id"),
    ("malformed", "required-field-empty"),
    ("malformed", "missing-required-fields"),
    ("malformed", "naive-timestamp"),
    ("malformed", "date-instead-of-timestamp"),
    ("malformed", "impossible-date"),
    ("malformed", "timestamp-year-typo"),
    ("malformed", "duplicate-list-item"),
    ("malformed", "runbook-bad-review-date"),
    ("hostile", "year-one"),
    ("hostile", "year-9999"),
    ("hostile", "before-1970"),
    ("hostile", "after-2100"),
    ("hostile", "offset-beyond-14-hours"),
    ("hostile", "offset-hours-only"),
    ("hostile", "leap-day-in-common-year"),
    ("hostile", "leap-second"),
    ("hostile", "hour-24"),
    ("hostile", "unix-epoch-number"),
    ("hostile", "date-year-9999"),
    ("hostile", "due-date-year-one"),
    ("hostile", "huge-integer"),
    ("hostile", "overlong-title"),
    ("hostile", "overlong-message"),
    ("hostile", "blank-unicode-title"),
    ("hostile", "escaped-control-character"),
    ("hostile", "related-reference-nul"),
    ("hostile", "runbook-reference-traversal"),
    ("hostile", "known-error-reference-absolute"),
    ("hostile", "service-key-traversal"),
    ("hostile", "service-key-upper-case"),
    ("hostile", "logo-path-traversal"),
    ("hostile", "theme-dir-absolute"),
    ("hostile", "docs-dir-backslash"),
    ("hostile", "base-url-javascript"),
    ("hostile", "support-url-javascript"),
    ("hostile", "file-size-limit-below-minimum"),
    ("hostile", "file-size-limit-above-maximum"),
]


@pytest.mark.parametrize(("corpus", "case"), SCHEMA_LEVEL, ids=[c for _, c in SCHEMA_LEVEL])
def test_schema_level_mistakes_are_rejected_by_both(corpus: str, case: str, tmp_path: Path) -> None:
    folder = TESTS / corpus / case
    (path,) = [p for p in folder.rglob("*") if p.is_file()]
    rel = path.relative_to(folder).as_posix()
    value = document(path)
    kind = kind_of(rel)
    assert schema_errors(kind, value), f"the JSON Schema accepts {case}"
    assert validator_errors(kind, value), f"the validator accepts {case}"
    # ...and the real command agrees that this file is wrong.
    make_tree(tmp_path, folder)
    result = CliRunner().invoke(
        cli, ["check", "--content", str(tmp_path / "content"), "--now", "2026-11-27T12:00:00Z"]
    )
    assert result.exit_code == 1
    assert rel in result.stdout


# --- property: the two agree on random documents ---------------------------------------------

_TEXTS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "\u00a0", "ok", "a\x1bb", "x" * 600, "Web", "web", "-x", "a-b"]),
)


def _timestamps() -> st.SearchStrategy[str]:
    parts = st.tuples(
        st.integers(1960, 2110),
        st.integers(0, 13),
        st.integers(0, 32),
        st.sampled_from(["T", "t", " ", "_"]),
        st.integers(0, 25),
        st.integers(0, 61),
        st.one_of(st.none(), st.integers(0, 61)),
        st.sampled_from(["", ".5", ".123456789", "."]),
        st.sampled_from(["Z", "z", "", "+01:00", "-0500", "+14:00", "-14:30", "+1", "+24:00"]),
    )

    def show(p: tuple[Any, ...]) -> str:
        y, mo, da, sep, h, mi, sec, frac, zone = p
        clock = f"{h:02d}:{mi:02d}" + ("" if sec is None else f":{sec:02d}{frac}")
        return f"{y:04d}-{mo:02d}-{da:02d}{sep}{clock}{zone}"

    return parts.map(show)


def _dates() -> st.SearchStrategy[str]:
    return st.tuples(st.integers(1960, 2110), st.integers(0, 13), st.integers(0, 32)).map(
        lambda p: f"{p[0]:04d}-{p[1]:02d}-{p[2]:02d}"
    )


def values(t: s.Type, unique_items: bool = False) -> st.SearchStrategy[Any]:
    """Valid and invalid values for one schema type (everything JSON can carry)."""
    scalars = st.one_of(st.booleans(), st.integers(-5, 5), st.floats(-3, 3), _TEXTS)
    if isinstance(t, s.Enum):
        return st.one_of(st.sampled_from(t.values), scalars)
    if isinstance(t, s.Timestamp):
        return st.one_of(_timestamps(), _dates(), scalars)
    if isinstance(t, s.Date):
        return st.one_of(_dates(), _timestamps(), scalars)
    if isinstance(t, s.Str):
        if t.regex is not None:
            # Texts that fit the pattern often enough to exercise the valid side too.
            fitting = st.from_regex(t.regex, fullmatch=True).filter(lambda v: len(v) < 200)
            return st.one_of(fitting, _TEXTS, st.integers(0, 9))
        if unique_items:
            # A number and its text are one item to the validator, two to JSON Schema.
            return _TEXTS
        return st.one_of(_TEXTS, st.integers(-5, 5), st.booleans())
    if isinstance(t, s.Bool):
        return st.one_of(st.booleans(), st.sampled_from(["yes", "true", 1]))
    if isinstance(t, s.Int):
        low = (t.minimum or 0) - 2
        high = (t.maximum or 100) + 2
        return st.one_of(st.integers(low, high), st.sampled_from([1.5, 2.0, "3", True]))
    if isinstance(t, s.Float):
        high = t.maximum if t.maximum is not None else 100.0
        return st.one_of(
            st.floats(t.minimum - 1, high + 1), st.integers(-1, 5), st.sampled_from(["1", False])
        )
    if isinstance(t, s.List):
        items = values(t.item, unique_items=t.unique)
        return st.one_of(st.lists(items, max_size=3), scalars)
    if isinstance(t, s.Map):
        return st.one_of(st.dictionaries(values(t.key), values(t.value), max_size=2), scalars)
    if isinstance(t, s.Obj):
        return objects(t)
    raise AssertionError(t)  # pragma: no cover


def objects(obj: s.Obj) -> st.SearchStrategy[Any]:
    """A valid document with zero to two fields replaced by anything (so about a third pass)."""
    fields = sorted(obj.fields)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        optional = draw(st.lists(st.sampled_from(fields), unique=True, max_size=4))
        chosen = sorted(set(optional) | set(obj._required))
        out = {key: draw(_valid(obj.fields[key].type)) for key in chosen}
        for key in draw(st.lists(st.sampled_from(fields), unique=True, max_size=2)):
            out[key] = draw(st.one_of(st.none(), values(obj.fields[key].type)))
        if obj._required and draw(st.integers(0, 9)) == 0:
            out.pop(draw(st.sampled_from(obj._required)), None)
        if draw(st.integers(0, 9)) == 0:
            out[draw(st.sampled_from(["unknown", "titel", "x"]))] = "value"
        return out

    return st.one_of(build(), st.sampled_from([[], "text", 1]))


def _valid(t: s.Type) -> st.SearchStrategy[Any]:
    """Values that are always valid for ``t`` (so whole documents pass often enough)."""
    if isinstance(t, s.Enum):
        return st.sampled_from(t.values)
    if isinstance(t, s.Timestamp):
        return st.sampled_from(["2026-11-24T02:47:00Z", "2024-02-29T23:59:59.5+14:00"])
    if isinstance(t, s.Date):
        return st.sampled_from(["2026-12-01", "2024-02-29"])
    if isinstance(t, s.Str):
        if t.regex is not None:
            return st.from_regex(t.regex, fullmatch=True).filter(lambda v: len(v) < 100)
        return st.sampled_from(["ok", "Some text", "42"])
    if isinstance(t, s.Bool):
        return st.booleans()
    if isinstance(t, s.Int):
        return st.just(t.minimum if t.minimum is not None else 1)
    if isinstance(t, s.Float):
        return st.just(t.minimum)
    if isinstance(t, s.List):
        return st.lists(_valid(t.item), max_size=1)
    if isinstance(t, s.Map):
        return st.dictionaries(_valid(t.key), _valid(t.value), max_size=1)
    if isinstance(t, s.Obj):
        return st.fixed_dictionaries({k: _valid(t.fields[k].type) for k in t._required})
    raise AssertionError(t)  # pragma: no cover


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_validator_and_json_schema_accept_the_same_documents(kind: str) -> None:
    obj = KINDS[kind]

    @property_settings(ci_examples=120, long_examples=3000)
    @given(doc=objects(obj))
    def agree(doc: Any) -> None:
        by_validator = validator_errors(kind, doc)
        by_schema = schema_errors(kind, doc)
        assert bool(by_validator) == bool(by_schema), (by_validator, by_schema)

    agree()


@property_settings(ci_examples=300, long_examples=20_000)
@given(text=st.one_of(_timestamps(), _dates(), st.text(max_size=30)))
def test_timestamp_and_date_patterns_match_the_validator(text: str) -> None:
    for t, pattern in ((s.Timestamp(), s.OFFSET_RE), (s.Date(), s.DATE_RE)):
        accepted = t.check(text, s.Where("x", 1, "f", lambda *_: None)) is not s.INVALID
        assert accepted == bool(re.match(pattern, text)), (type(t).__name__, text)
