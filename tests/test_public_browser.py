"""The public status page in a real Chromium, served under a sub-path like GitHub Pages.

Built from tests/fixtures/small (which includes hostile text) at NOW. Checks: pages load with
no console error, no failed request and no dialog; every link on the home page answers 200;
axe-core finds no WCAG 2.1 AA violation in light or dark mode; vnu finds no HTML error; the
page opened from disk (file://) gets its stylesheet; the day labels of uptime bars appear on
hover; nothing overflows a phone-sized viewport.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import format_axe, run_axe, serving, vnu_check
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Response
from statuspress.build import build

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small" / "content"
PREFIX = "/status/"
PAGES = {
    "home": "index.html",
    "incident": "incidents/2026-11-24-api-outage/index.html",
    "active": "incidents/2026-11-27-checkout-errors/index.html",
    "hostile": "incidents/2026-09-15-hostile-text/index.html",
    "history": "history/index.html",
    "month": "history/2026-11/index.html",
    "service": "services/api/index.html",
    "uptime": "uptime/index.html",
}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Ignore the pages' Content-Security-Policy, so axe-core can be injected and so the
    hostile-text test proves the sanitising itself (the policy is only a second line).
    test_content_security_policy_blocks_nothing_of_ours checks the policy on its own."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site")
    build(FIXTURE, out, NOW, internal=False)
    return out / "public"


@pytest.fixture(scope="module")
def base(public: Path) -> Iterator[str]:
    with serving(public, PREFIX) as url:
        assert url.endswith(PREFIX)
        yield url


class Watch:
    """Records what must never happen while a page loads."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("dialog", self._dialog)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _failed(self, request: Request) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status not in (200, 304):  # 304: the stylesheet, cached from a page before
            self.problems.append(f"HTTP {response.status}: {response.url}")


def test_pages_load_cleanly_under_a_sub_path(page: Page, base: str) -> None:
    watch = Watch(page)
    for path in PAGES.values():
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")  # the icon loads after "load"
        # The stylesheet applied: the header rule has a border only style.css gives it.
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
            )
            == "solid"
        ), path
    assert watch.problems == []


def test_hostile_text_never_runs(page: Page, base: str) -> None:
    watch = Watch(page)
    page.goto(base + PAGES["hostile"])
    page.wait_for_load_state("networkidle")
    page.locator("h1").hover()
    for link in page.locator(".msg a").all():
        link.hover()
    assert page.evaluate("document.scripts.length") == 0
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert watch.problems == []


def test_every_link_on_the_home_page_answers_200(page: Page, base: str) -> None:
    watch = Watch(page)
    page.goto(base)
    hrefs: list[str] = page.evaluate(
        "[...document.querySelectorAll('a[href], link[href]')].map(a => a.href)"
    )
    internal = sorted({h.split("#")[0] for h in hrefs if h.startswith(base)})
    external = [h for h in hrefs if not h.startswith(base)]
    assert all(urllib.parse.urlsplit(h).scheme in ("https", "mailto") for h in external)
    assert len(internal) > 15
    for url in internal:
        response = page.request.get(url)
        assert response.status == 200, url
    # Follow a few through real navigation too, by clicking.
    page.goto(base)
    page.get_by_role("link", name="History", exact=True).first.click()
    assert page.url == base + "history/index.html"
    page.get_by_role("link", name="Uptime", exact=True).first.click()
    assert page.url == base + "uptime/index.html"
    page.get_by_role("link", name="Status", exact=True).first.click()
    assert page.url == base + "index.html"
    assert watch.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "name", ["home", "incident", "active", "history", "month", "service", "uptime"]
)
def test_axe_finds_no_wcag_violation(page: Page, base: str, name: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base + PAGES[name])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(13, 17, 23)")
    violations = run_axe(page)
    assert violations == [], format_axe(violations)


def test_vnu_reports_no_error_on_any_page(public: Path) -> None:
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 20
    assert vnu_check(pages) == []


def test_site_works_from_disk(page: Page, public: Path) -> None:
    """Opened as a file, the relative links still reach the stylesheet and other pages."""
    page.goto((public / "index.html").as_uri())
    banner = page.locator(".banner")
    assert banner.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(168, 68, 0)"
    assert banner.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    page.get_by_role("link", name="Public API unavailable").first.click()
    assert page.url == (public / PAGES["incident"]).as_uri()
    assert page.locator("h1").inner_text() == "Public API unavailable"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle")
        == "solid"
    )


def test_uptime_day_label_shows_on_hover(page: Page, base: str) -> None:
    page.goto(base)
    day = page.locator(".svc", has_text="Public API").locator(".bar li").nth(-3)
    label = day.locator("span")
    assert label.inner_text() == "2026-11-25: 95.83% uptime, 1 incident: Public API unavailable"
    before = label.bounding_box()
    assert before is not None and before["width"] <= 1
    day.hover()
    after = label.bounding_box()
    assert after is not None and after["width"] > 100 and after["height"] > 10


def test_no_horizontal_scrolling_on_a_phone(page: Page, base: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for name in ("home", "incident", "hostile", "uptime", "service"):
        page.goto(base + PAGES[name])
        width: Any = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, name


def test_content_security_policy_blocks_nothing_of_ours(
    browser: Browser, base: str, public: Path
) -> None:
    """With the pages' policy enforced, styles and icon still load, over HTTP and from disk."""
    context = browser.new_context()
    try:
        page = context.new_page()
        watch = Watch(page)
        for url in (
            base + PAGES["home"],
            base + PAGES["hostile"],
            (public / "index.html").as_uri(),
        ):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert (
                page.evaluate(
                    "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
                )
                == "solid"
            ), url
        policy = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        assert policy is not None and "script-src 'none'" in policy
        assert watch.problems == []
        # The policy is enforced: an injected inline script does not run.
        page.goto(base + PAGES["home"])
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = 1'; document.body.append(s); }"
        )
        assert page.evaluate("window.ran") is None
    finally:
        context.close()
