"""The schema's quick path (``Type.quick``) gives exactly what the full check gives.

``quick`` exists only for speed: it converts a valid value without building locations, or
says "ask check". Wherever it answers, the full ``check`` must accept the same document
without a report and convert it to the same value. Compared on every YAML document in the
repository's content, fixtures, malformed and hostile cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from statuspress import definitions as d
from statuspress.readers import split_front_matter
from statuspress.schema import INVALID, Where
from statuspress.yaml import load

ROOT = Path(__file__).parent.parent
FOLDERS = ["content", "tests/fixtures", "tests/malformed", "tests/hostile"]


def _kind(path: Path) -> str | None:
    if path.name == "site.yaml":
        return "site"
    if path.name == "services.yaml":
        return "services"
    if path.suffix != ".md":
        return None
    parts = path.parts
    if "incidents" in parts:
        return "incident"
    if "known-errors" in parts:
        return "known-error"
    if "runbooks" in parts:
        return "runbook"
    return None


def documents() -> list[tuple[str, str, object]]:
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            kind = _kind(path)
            if kind is None or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
            except (UnicodeDecodeError, OSError):
                continue
            if path.suffix == ".md":
                parts = split_front_matter(text.removeprefix("\ufeff"))
                if parts is None:
                    continue
                text = parts[0]
            value, problems = load(text)
            if value is not None:
                found.append((kind, path.relative_to(ROOT).as_posix(), value))
    return found


DOCUMENTS = documents()


def test_there_are_documents_of_every_kind() -> None:
    kinds = {kind for kind, _, _ in DOCUMENTS}
    assert kinds == {"site", "services", "incident", "known-error", "runbook"}
    assert len(DOCUMENTS) > 200


@pytest.mark.parametrize(("kind", "where", "value"), DOCUMENTS, ids=[w for _, w, _ in DOCUMENTS])
def test_quick_agrees_with_check(kind: str, where: str, value: object) -> None:
    schema = d.DOCUMENTS[kind]
    quick = schema.quick(value)
    reports: list[str] = []
    full = schema.check(value, Where(where, 1, "", lambda *a: reports.append(str(a))))
    if quick is INVALID:
        return  # quick defers; check alone decides (and reports)
    assert reports == [], (where, reports)
    assert full == quick, where
