"""Action items on the internal site: a tracker URL in `ticket` is a link, anything else text."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
from check_support import make_tree
from statuspress.build import build

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
URL = "https://tracker.example.com/browse/PAY-12?focus=comments&tab=1"
HOSTILE = 'https://tracker.example.com/x"onmouseover="alert(1)'

INCIDENT = f"""---
title: Card payments declined
severity: SEV-2
services:
  payments-api: partial_outage
started_at: 2026-11-21T10:00:00Z
resolved_at: 2026-11-21T11:00:00Z
updates:
  - at: 2026-11-21T11:00:00Z
    status: resolved
    message: Card payments work again.
postmortem: {{status: draft, owner: alice}}
action_items:
  - {{id: AI-1, title: Retry declines, owner: bob, due: 2026-12-20, priority: P1, ticket: "{URL}"}}
  - {{id: AI-2, title: Alert on declines, owner: bob, due: 2026-12-21, priority: P2,
     ticket: "javascript:alert(1)"}}
  - {{id: AI-3, title: Runbook for declines, owner: bob, due: 2026-12-22, priority: P2,
     ticket: OPS-7}}
  - {{id: AI-4, title: Load test, owner: bob, due: 2026-12-23, priority: P3,
     ticket: '{HOSTILE}'}}
---

## Summary

Declines.
"""


class _Anchors(HTMLParser):
    """Every link of a page as (href, text), and every attribute name seen."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.attrs: set[str] = set()
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.update(name for name, _ in attrs)
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self.links.append((self._href, ""))

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tickets")
    make_tree(root, files={"incidents/2026/2026-11-21-card-payments-declined.md": INCIDENT})
    build(root / "content", root / "out", NOW, public=False)
    return root / "out" / "internal"


@pytest.mark.parametrize(
    "url", ["incidents/2026-11-21-card-payments-declined", "action-items", "action-items/bob"]
)
def test_ticket_url_is_a_link_and_other_tickets_are_text(site: Path, url: str) -> None:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    parser = _Anchors()
    parser.feed(html)
    external = [(href, text) for href, text in parser.links if "://" in href]
    # The tracker URL (its `&` escaped in the HTML, so the parser gives it back as written).
    assert (URL, URL) in external
    assert [href for href, _ in external if "tracker.example.com" in href] == [URL]
    assert not [href for href, _ in parser.links if href.lower().startswith("javascript")]
    assert "onmouseover" not in parser.attrs
    # Not links, but shown as written.
    assert "javascript:alert(1)" in html
    assert "OPS-7" in html
    assert "https://tracker.example.com/x&#34;onmouseover=&#34;alert(1)" in html
