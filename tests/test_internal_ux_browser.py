"""The internal knowledge base as a responder uses it, in a real Chromium (issue #17, 9-14).

The demo content is built once at NOW and served over HTTP. Checks: axe-core finds no WCAG 2.1
AA violation (nor a best-practice one) on every page type, in the light palette and after
switching to the dark one with material's toggle; commands have a working copy button; tables
fit a 1280 px window and turn into labelled cards on a phone; alert names never break
mid-word; chart labels are never covered by bars and every bar has its value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import format_axe, run_axe, serving
from playwright.sync_api import Browser, Page, expect
from statuspress.build import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
PAGES = {
    "home": "",
    "known-error list": "known-errors/",
    "known-errors by service": "known-errors/service/payments-api/",
    "runbook list": "runbooks/",
    "incident list": "incidents/",
    "incident month": "incidents/2026/11/",
    "service list": "services/",
    "known error": "known-errors/KE-0010/",
    "runbook": "runbooks/postgres-connection-pool/",
    "incident": "incidents/2026-11-24-payment-processing-outage/",
    "service": "services/payments-api/",
    "action items": "action-items/",
    "metrics": "metrics/",
    "maturity": "maturity/",
}
# material gives each code block's copy button an unlabelled <nav> of its own, so a page with
# two commands has two navigation landmarks of the same name (a best practice, not WCAG).
AXE_SKIP = ("landmark-unique",)
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe-core is injected as a script, which the pages' Content-Security-Policy forbids."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="module")
def internal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("kb-ux") / "out"
    build(ROOT / "content", out, NOW, public=False)
    with serving(out / "internal") as url:
        yield url


def switch_to_dark(page: Page) -> None:
    """Use material's palette toggle in the header, as a reader does."""
    page.locator("label[title='Switch to dark mode']").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation_on_any_page_type(
    page: Page, internal_url: str, name: str, scheme: str
) -> None:
    page.set_viewport_size(WIDE)
    page.emulate_media(color_scheme="light")
    page.goto(internal_url + PAGES[name])
    if scheme == "dark":
        switch_to_dark(page)
        # The choice is kept: the next page opens dark too.
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    else:
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    violations = run_axe(page, skip=AXE_SKIP)
    assert violations == [], format_axe(violations)


def test_copy_button_copies_a_workaround_command(browser: Browser, internal_url: str) -> None:
    context = browser.new_context(viewport=WIDE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(internal_url + "known-errors/KE-0010/")
        block = page.locator("pre:has(code)").first
        expected = block.locator("code").inner_text()
        block.hover()
        button = block.locator("button[data-md-type='copy']")
        expect(button).to_be_visible()
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == expected.strip()
        assert copied.strip()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["action-items/", PAGES["incident"]])
def test_action_item_tables_fit_a_1280_px_window(page: Page, internal_url: str, path: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + path)
    tables = page.locator("article table")
    assert tables.count() >= 1
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('article table')]
            .filter((t) => (t.closest('.md-typeset__scrollwrap') || t.parentElement)
                .scrollWidth > (t.closest('.md-typeset__scrollwrap') || t.parentElement)
                .clientWidth + 1)
            .map((t) => t.querySelector('th') && t.querySelector('thead').innerText)"""
    )
    assert overflowing == []


def test_alert_names_never_break_mid_word(page: Page, internal_url: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + "runbooks/")
    broken = page.evaluate(
        # An inline element broken over two lines has two boxes.
        """() => [...document.querySelectorAll('article td code')]
            .filter((c) => c.getClientRects().length > 1).map((c) => c.textContent)"""
    )
    names = page.locator("article td code").all_inner_texts()
    assert "HikariPoolPendingThreadsHigh" in names
    assert broken == []
    # Nor do ids and dates in the known-error list ("KE-" above "0013").
    page.goto(internal_url + "known-errors/")
    split = page.evaluate(
        """() => [...document.querySelectorAll('td[data-label="ID"], td[data-label="Last seen"]')]
            .filter((td) => {
                const range = document.createRange();
                range.selectNodeContents(td);
                return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
            }).map((td) => td.textContent)"""
    )
    assert page.locator('td[data-label="ID"]').count() >= 10
    assert split == []


@pytest.mark.parametrize(
    "path", ["known-errors/", "runbooks/", "action-items/", "incidents/2026/11/"]
)
def test_lists_are_labelled_cards_on_a_phone(page: Page, internal_url: str, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(internal_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    table = page.locator("article table").last
    assert table.locator("thead").evaluate("(e) => getComputedStyle(e).display") == "none"
    row = table.locator("tbody tr").first
    assert row.evaluate("(e) => getComputedStyle(e).display") == "block"
    second = row.locator("td").nth(1)
    label = second.evaluate("(e) => getComputedStyle(e, '::before').content")
    header = table.locator("th").nth(1).inner_text()
    assert label == f'"{header}: "'
    # Every cell stays inside the screen.
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('article td')]"
        ".map((c) => c.getBoundingClientRect().right))"
    )
    assert right <= PHONE["width"]


def test_chart_labels_are_never_covered_and_every_bar_has_its_value(
    page: Page, internal_url: str
) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + "metrics/")
    report = page.evaluate(
        """() => [...document.querySelectorAll('svg.sp-chart')].map((svg) => {
            const box = (e) => e.getBoundingClientRect();
            const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
                                  a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
            const bars = [...svg.querySelectorAll('rect')].map(box);
            const texts = [...svg.querySelectorAll('text')];
            const outer = box(svg);
            return {
                title: svg.querySelector('title').textContent,
                desc: svg.querySelector('desc').textContent,
                bars: bars.length,
                barHeights: bars.map((b) => b.height),
                gridlines: svg.querySelectorAll('line.sp-grid').length,
                covered: texts.filter((t) => bars.some((b) => hit(box(t), b)))
                    .map((t) => t.textContent),
                outside: texts.filter((t) => box(t).left < outer.left - 0.5 ||
                    box(t).right > outer.right + 0.5).map((t) => t.textContent),
                texts: texts.map((t) => t.textContent),
            };
        })"""
    )
    assert len(report) >= 4
    for chart in report:
        assert chart["covered"] == [], chart["title"]
        assert chart["outside"] == [], chart["title"]
        assert chart["gridlines"] >= 2, chart["title"]
        # No chart is one huge bar: a bar is a row's height whatever the number of bars.
        assert all(h < 30 for h in chart["barHeights"]), chart["title"]
        # Each bar's value (as the description lists it) is written on the chart.
        values = [part.split(": ", 1)[1] for part in chart["desc"].split(". Target")[0].split("; ")]
        missing = [v for v in values if v not in chart["texts"]]
        assert missing == [], chart["title"]
    single = next(c for c in report if c["title"].startswith("Monitoring-detected ratio"))
    assert single["bars"] == 1
    assert "73.2%" in single["texts"]


def test_known_error_list_puts_open_ones_first_with_linked_titles_and_symptoms(
    page: Page, internal_url: str
) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + "known-errors/")
    tables = page.locator("article table")
    first = tables.first
    headers = first.locator("th").all_inner_texts()
    assert headers[:3] == ["ID", "Known error", "Symptoms"]
    statuses = [r.locator("td").nth(3).inner_text() for r in first.locator("tbody tr").all()]
    assert statuses and set(statuses) <= {"investigating", "known error", "fix in progress"}
    # Resolved and retired ones follow, after every open one.
    later = [r.locator("td").nth(3).inner_text() for r in tables.nth(1).locator("tbody tr").all()]
    assert later and set(later) <= {"resolved", "retired"}
    # The title is the link to the known error; its symptoms are in the row.
    row = first.locator("tbody tr", has_text="KE-0010")
    row.locator("td").nth(1).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/known-errors/KE-0010/$"))
    page.go_back()
    assert "Deploy pipelines blocked" in row.locator("td").nth(2).inner_text()


@pytest.mark.parametrize("path", ["known-errors/", "runbooks/", "action-items/", "incidents/"])
def test_listing_pages_hide_the_table_of_contents_and_use_the_full_width(
    page: Page, internal_url: str, path: str
) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + path)
    expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
    width = page.locator("article").evaluate("(e) => e.getBoundingClientRect().width")
    assert width > 900
    # A page of one known error keeps its table of contents and the usual width.
    page.goto(internal_url + "known-errors/KE-0010/")
    expect(page.locator(".md-sidebar--secondary")).to_be_visible()


def test_a_known_error_past_its_review_date_says_so(page: Page, internal_url: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + "known-errors/KE-0010/")  # review_by 2026-10-30, NOW 2026-11-27
    box = page.locator(".admonition.warning", has_text="Review overdue")
    expect(box).to_contain_text("due for review on 2026-10-30")
    expect(page.locator("article")).to_contain_text("Review by: 2026-10-30 (overdue)")
    expect(page.locator("article")).to_contain_text(
        "Also known as: disk pressure, DiskPressure, runner out of disk"
    )
    page.goto(internal_url + "known-errors/KE-0007/")
    expect(page.locator(".admonition", has_text="Review overdue")).to_have_count(0)
    page.goto(internal_url + "runbooks/postgres-connection-pool/")
    expect(page.locator("article")).to_contain_text("Also known as: out of database connections")


def test_counts_of_one_are_singular(page: Page, internal_url: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(internal_url + "runbooks/")
    expect(page.locator("article")).to_contain_text("1 runbook is stale")
    wrong = re.compile(
        r"\b1 (runbooks|occurrences|incidents|known errors|gamedays|open action items)\b"
    )
    # Pages that said "1 occurrences", "1 incidents" and "1 known errors" before.
    for path in ("known-errors/KE-0006/", "incidents/2026/04/", "services/search/", ""):
        page.goto(internal_url + path)
        assert not wrong.search(page.locator("article").inner_text()), path
