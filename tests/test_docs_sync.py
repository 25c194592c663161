"""The documentation says what the code does.

- docs/content-model.md has one table row per field of every file kind in
  ``statuspress.definitions`` (and no row for a field that does not exist), with the right
  required-ness and a type that matches the definition (every allowed value of a choice, the
  length limit, timestamp or date, ...); every required body section is named; and the derive
  rules of ``statuspress.derive``'s docstring are on the page word for word.
- docs/cli.md is exactly what ``scripts/gen-cli-docs`` generates from every command's --help.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from statuspress import definitions as d
from statuspress import derive
from statuspress import schema as s

ROOT = Path(__file__).resolve().parent.parent
MODEL = (ROOT / "docs" / "content-model.md").read_text(encoding="utf-8")
SECTIONS = {
    "site": "## content/site.yaml",
    "services": "## content/services.yaml",
    "incident": "## content/incidents/",
    "known-error": "## content/known-errors/",
    "runbook": "## content/runbooks/",
}
ROW = re.compile(r"^\| `([^`]+)` \| (.+?) \| (.+?) \| (.+) \|$", re.M)


def fields(obj: s.Obj, prefix: str = "") -> dict[str, s.F]:
    """Every documented path of a definition: ``a``, ``a.b``, ``a[].b``."""
    out: dict[str, s.F] = {}
    for key, spec in {**obj.fields, **obj.patterns}.items():
        path = f"{prefix}{key}"
        out[path] = spec
        inner = spec.type
        if isinstance(inner, s.Obj):
            out.update(fields(inner, f"{path}."))
        elif isinstance(inner, s.List) and isinstance(inner.item, s.Obj):
            out.update(fields(inner.item, f"{path}[]."))
    return out


def section(kind: str) -> str:
    start = MODEL.index(SECTIONS[kind] + "\n")
    end = MODEL.find("\n## ", start + 1)
    return MODEL[start : end if end != -1 else None]


def rows(kind: str) -> dict[str, tuple[str, str, str]]:
    found: dict[str, tuple[str, str, str]] = {}
    for match in ROW.finditer(section(kind)):
        key, kind_text, required, meaning = match.groups()
        assert key not in found, f"{key} is documented twice"
        found[key] = (kind_text, required, meaning)
    return found


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_every_field_is_documented_and_nothing_else(kind: str) -> None:
    defined = set(fields(d.DOCUMENTS[kind]))
    documented = set(rows(kind))
    assert sorted(defined - documented) == [], "fields missing from docs/content-model.md"
    assert sorted(documented - defined) == [], "docs/content-model.md documents unknown fields"


def _type_words(t: s.Type) -> list[str]:
    """Words the type column must contain for a definition's type."""
    if isinstance(t, s.Enum):
        return [f"`{v}`" for v in t.values]
    if isinstance(t, s.Timestamp):
        return ["timestamp"]
    if isinstance(t, s.Date):
        return ["date"]
    if isinstance(t, s.Int):
        return ["integer"]
    if isinstance(t, s.Float):
        return ["number"]
    if isinstance(t, s.Bool):
        return ["true/false"]
    if isinstance(t, s.List):
        return ["list"]
    if isinstance(t, s.Map | s.Obj):
        return ["mapping"]
    if isinstance(t, s.Text):
        return ["Markdown", f"up to {t.max_len} characters"]
    if isinstance(t, s.Str):
        return []
    raise AssertionError(t)  # pragma: no cover


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_types_and_required_match_the_definitions(kind: str) -> None:
    documented = rows(kind)
    for path, spec in fields(d.DOCUMENTS[kind]).items():
        type_text, required, meaning = documented[path]
        if spec.required:
            assert required == "required", path
        else:
            assert required == "optional" or required.startswith("required for "), path
        for word in _type_words(spec.type):
            assert word in type_text, (path, word, type_text)
        limit = re.search(r"up to (\d+) characters", type_text)
        if limit and isinstance(spec.type, s.Str):
            assert int(limit.group(1)) == spec.type.max_len, path
        if isinstance(spec.type, s.Int):
            for bound in (spec.type.minimum, spec.type.maximum):
                if bound is not None and bound < 10**9:
                    assert str(bound) in type_text, (path, bound)
        assert len(meaning) > 10, path


def test_body_sections_are_named() -> None:
    for title in (*d.KE_SECTIONS, *d.RUNBOOK_SECTIONS, *d.POSTMORTEM_SECTIONS):
        assert title in MODEL, title


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_derive_rules_are_on_the_page_word_for_word() -> None:
    doc = derive.__doc__ or ""
    rules = re.split(r"\n- ", doc.split(":\n", 1)[1])
    rules = [r.strip().lstrip("- ") for r in rules if r.strip()]
    assert len(rules) >= 3
    page = _squash(MODEL)
    for rule in rules:
        assert _squash(rule) in page, rule


def test_cli_page_equals_the_generated_help() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen-cli-docs"), "--stdout"],
        capture_output=True,
        text=True,
        check=True,
    )
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == result.stdout, "docs/cli.md is stale: run scripts/gen-cli-docs"
    for command in ("build", "check", "schemas", "serve"):
        assert f"## statuspress {command}\n" in current
