"""The known-error index stays a page a responder can scan, whatever the size of the KEDB."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from internal_golden import NOW, pages
from statuspress.internal import kedb

DEMO = Path(__file__).resolve().parent.parent / "content"


def rows(markdown: str, heading: str) -> list[str]:
    """The table rows under a heading, one string per row."""
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"<tr><td data-label=\"ID\">(.*?)</tr>", section, flags=re.S)


def test_the_index_lists_the_most_recently_seen_first_and_at_most_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = pages(DEMO, NOW)["known-errors/index.md"]
    every_open = rows(full, "Open known errors")
    assert len(every_open) > 3
    monkeypatch.setattr(kedb, "INDEX_OPEN", 3)
    monkeypatch.setattr(kedb, "INDEX_CLOSED", 1)
    index = pages(DEMO, NOW)["known-errors/index.md"]
    shown = rows(index, "Open known errors")
    assert shown == every_open[:3]
    assert f"The 3 seen most recently of {len(every_open)}" in index
    seen = re.findall(r"Last seen\">([^<]*)<", "".join(every_open))
    assert len(seen) == len(every_open)
    dated = [s for s in seen if s != "never"]
    assert dated == sorted(dated, reverse=True)
    assert seen[len(dated) :] == ["never"] * (len(seen) - len(dated))
    closed = rows(index, "Resolved and retired")
    assert len(closed) == 1
    assert "(the 1 seen most recently below)" in index
