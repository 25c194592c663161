"""The Arabic (right-to-left) status page in a real Chromium, at desktop and phone widths.

Built from tests/fixtures/small with ``language: ar`` and ``languages: [ar, en]`` (so the
language switcher is on the page too). Checks, at 1280 px and 375 px: the page is laid out
right to left, nothing overflows horizontally, axe-core finds no WCAG 2.1 AA violation, and
the uptime bars run oldest -> newest in reading order (oldest day at the right).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import format_axe, run_axe, serving, vnu_check
from i18n_support import localised
from playwright.sync_api import Page
from statuspress.build import build

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
WIDTHS = [1280, 375]
PAGES = ["index.html", "incidents/2026-11-24-api-outage/index.html", "uptime/index.html"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "bypass_csp": True}  # so axe-core can be injected


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("arabic")
    build(localised(root, language="ar", languages=["ar", "en"]), root / "out", NOW, internal=False)
    return root / "out" / "public"


@pytest.fixture(scope="module")
def base(public: Path) -> Iterator[str]:
    with serving(public, "/status/") as url:
        yield url


def test_vnu_reports_no_error_in_either_language(public: Path) -> None:
    pages = [public / p for p in PAGES] + [public / "en" / p for p in PAGES]
    assert vnu_check(pages) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_arabic_page_fits_and_is_accessible(page: Page, base: str, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + path)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    scroll: int = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{path}: {scroll}px wide in a {width}px viewport"
    violations = run_axe(page)
    assert violations == [], format_axe(violations)


@pytest.mark.parametrize("width", WIDTHS)
def test_uptime_bars_run_oldest_to_newest_in_reading_order(
    page: Page, base: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base)
    # Days are marks (<i>) or, with something to tell, focusable spans; narrow screens hide
    # the oldest ones, so compare the first and last day shown.
    days = page.locator(".svc").first.locator(".bar :is(i, span.d) >> visible=true")
    oldest, today = days.first.bounding_box(), days.last.bounding_box()
    assert oldest is not None and today is not None
    assert oldest["x"] > today["x"]  # right to left: the oldest day at the inline start
    foot = page.locator(".svc").first.locator(".bar-foot span >> visible=true")
    ago, now = foot.first.bounding_box(), foot.last.bounding_box()
    assert ago is not None and now is not None and ago["x"] > now["x"]
    assert foot.last.inner_text() == "اليوم"
    # A card's coloured edge is on its inline start: the right.
    card = page.locator(".card").first
    assert card.evaluate("e => getComputedStyle(e).borderRightWidth") == "4px"
    assert card.evaluate("e => getComputedStyle(e).borderLeftWidth") == "1px"


def test_language_switcher_links_to_the_same_page(page: Page, base: str) -> None:
    page.goto(base + PAGES[1])
    page.get_by_role("link", name="English").click()
    assert page.url == base + "en/" + PAGES[1]
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.get_by_role("link", name="العربية").click()
    assert page.url == base + PAGES[1]


@pytest.mark.parametrize("width", WIDTHS)
def test_day_tooltips_stay_on_screen(page: Page, base: str, width: int) -> None:
    """Right to left, every day's tooltip opens towards the middle of the bar, never off it."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base)
    days = page.locator(".bar span.d >> visible=true")
    assert days.count() >= 3
    for n in range(days.count()):
        day = days.nth(n)
        day.focus()
        tip = day.locator(".tip").bounding_box()
        assert tip is not None and tip["width"] > 50
        assert 0 <= tip["x"] and tip["x"] + tip["width"] <= width, (n, tip)
