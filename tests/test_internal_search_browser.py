"""mkdocs-material's own search, in Chromium, finds the right known error or runbook first.

The demo's internal site is built once, served over HTTP (material's search worker does not run
from file://) and searched the way a responder does: symptom words, a pasted log line, an alert
name. Queries and expectations are shared with tests/test_match.py (tests/kb_queries.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import serve_directory, stop_server
from kb_queries import QUERIES
from playwright.sync_api import Page, expect
from statuspress.build import build

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def internal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("search") / "out"
    build(ROOT / "content", out, NOW, public=False)
    proc, url = serve_directory(out / "internal")
    try:
        yield url
    finally:
        stop_server(proc)


def first_result(page: Page, base: str, query: str, typed: bool = False) -> str:
    """Search from a fresh page; return the first result's path (without ?h= and #anchor)."""
    page.goto(base)
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    # Wait for the index to load, so the query below is answered by the finished index.
    expect(meta).to_have_text("Type to start searching", timeout=15_000)
    if typed:
        box.press_sequentially(query)
    else:
        box.fill(query)
        box.press("End")  # material searches on keyup; fill() alone does not trigger it
    expect(meta).to_have_text(re.compile(r"matching document"), timeout=10_000)
    first = page.locator("li.md-search-result__item").first.locator("a.md-search-result__link")
    href = first.first.get_attribute("href") or ""
    return href.removeprefix(base).split("?")[0].split("#")[0]


def test_expected_page_is_the_first_result(page: Page, internal_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    wrong = {}
    for query, expected in QUERIES:
        got = first_result(page, internal_url, query)
        if not got.startswith(expected):
            wrong[query] = got
    assert len(QUERIES) >= 10
    assert wrong == {}


def test_typing_a_log_line_key_by_key_lands_on_the_known_error(
    page: Page, internal_url: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    first_result(page, internal_url, "FATAL: sorry, too many clients already", typed=True)
    # The search worker answers each keystroke in turn: wait for the answer to the whole line
    # (results of an earlier prefix may still be on screen when typing ends).
    first = page.locator("li.md-search-result__item").first.locator("a.md-search-result__link")
    expect(first.first).to_have_attribute(
        "href", re.compile(r"known-errors/KE-0007/"), timeout=10_000
    )
    page.locator("li.md-search-result__item").first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/known-errors/KE-0007/"))
    expect(page.locator("article h1")).to_contain_text("KE-0007")


def test_bulky_pages_stay_out_of_search(page: Page, internal_url: str) -> None:
    """Words only found in timelines and weekly records of minor incidents are not indexed."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(internal_url)
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text("Type to start searching", timeout=15_000)
    # "roster" is only in the Black Friday postmortem's "What went well" (excluded from the
    # index); "autoscaler" is in its Summary (kept).
    box.fill("roster")
    box.press("End")
    expect(meta).to_have_text("No matching documents", timeout=10_000)
    box.fill("autoscaler")
    box.press("End")
    expect(meta).to_have_text(re.compile(r"\d+ matching document"), timeout=10_000)


def test_following_a_result_for_an_id_marks_the_id_not_every_digit(
    page: Page, internal_url: str
) -> None:
    """material marks each searched term on the page it opens (?h=), split on dashes, anywhere
    in the text: after a search for "HikariPool-1" every "1" of dates and durations was marked."""
    page.set_viewport_size({"width": 1280, "height": 800})
    line = "HikariPool-1 - Connection is not available, request timed out after 30000ms"
    assert first_result(page, internal_url, line).startswith("known-errors/KE-0007")
    link = page.locator("li.md-search-result__item").first.locator("a.md-search-result__link")
    assert "h=" in (link.first.get_attribute("href") or "")
    link.first.click()
    expect(page).to_have_url(re.compile(r"/known-errors/KE-0007/"))
    marks = page.locator("mark[data-md-highlight]")
    expect(marks.first).to_be_visible(timeout=10_000)
    marked = {t.strip().lower() for t in marks.all_inner_texts()}
    assert "hikaripool" in marked
    assert not any(t.isdigit() and len(t) <= 2 for t in marked), marked
    # The page's own digits are still plain text (the page has dates with a "1" in them).
    assert "1" in page.locator("article").inner_text()
