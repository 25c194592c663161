"""Script injection through titles and names on the internal site, tried in a real Chromium.

The demo content is built with ``Pay <img src=x onerror=alert(1)>`` and
``X" onmouseover="alert(1)`` in the site title, incident, known-error, runbook, service and
group names and action-item owners (tests/hostile_kb.py; issue #10 defect 2). Two checks:

- with the page's Content-Security-Policy bypassed, so the escaping itself is what is tested:
  no dialog opens (``alert`` is replaced by a flag as well), no element of the payload exists,
  hovering the header, logo, title and search results runs nothing, and the text shows as typed;
- with the policy enforced: material's search (its bundle and web worker) still works and the
  browser reports no policy violation and no console error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from browser import serving
from hostile_kb import ATTRIBUTE, BOTH, ELEMENT, write_hostile_demo
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, expect
from statuspress.build import build

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
PAGES = (
    "",
    "incidents/2026-11-24-payment-processing-outage/",
    "incidents/2026-06-09-orders-failing-database-disk-full/",
    "incidents/",
    "incidents/2026/11/",
    "known-errors/",
    "known-errors/KE-0007/",
    "known-errors/KE-0001/",
    "known-errors/service/payments-api/",
    "runbooks/",
    "runbooks/postgres-connection-pool/",
    "runbooks/redis-memory-pressure/",
    "services/",
    "services/payments-api/",
    "services/checkout/",
    "action-items/",
    "action-items/pay-img-src-x-onerror-alert-1/",
    "action-items/x-onmouseover-alert-1/",
    "maturity/",
)
# Flags instead of dialogs, and every CSP violation the page reports, from before any script.
INIT = """
window.__ran = [];
window.alert = window.confirm = window.prompt = (m) => { window.__ran.push(String(m)); };
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
PAYLOAD_NODES = "img[src='x'], [onerror], [onmouseover]"


@pytest.fixture(scope="module")
def internal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-kb")
    content = write_hostile_demo(root)
    build(content, root / "out", NOW, public=False)
    with serving(root / "out" / "internal") as url:
        yield url


class Watch:
    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))

    def _dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")


def _context(browser: Browser, bypass_csp: bool) -> BrowserContext:
    context = browser.new_context(bypass_csp=bypass_csp, viewport={"width": 1280, "height": 800})
    context.add_init_script(INIT)
    return context


def _search(page: Page, query: str) -> None:
    page.locator("input.md-search__input").click()
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text("Type to start searching", timeout=15_000)
    page.locator("input.md-search__input").fill(query)
    page.locator("input.md-search__input").press("End")  # material searches on keyup
    expect(meta).to_have_text(re.compile(r"\d+ matching document"), timeout=10_000)


def test_hostile_titles_and_names_never_run(browser: Browser, internal_url: str) -> None:
    context = _context(browser, bypass_csp=True)
    page = context.new_page()
    watch = Watch(page)
    try:
        for path in PAGES:
            page.goto(internal_url + path)
            page.wait_for_load_state("networkidle")
            # Hover what carries the site or page title: logo (aria-label), header, heading.
            for selector in (".md-header__button.md-logo", ".md-header__title", "article h1"):
                page.locator(selector).first.hover()
            assert page.locator(PAYLOAD_NODES).count() == 0, path
            assert page.evaluate("window.__ran") == [], path
        # The text is shown as typed, in the header, the page title and the heading.
        page.goto(internal_url + "known-errors/KE-0007/")
        assert page.title().startswith(f"KE-0007: {ELEMENT} - {BOTH}: knowledge base")
        expect(page.locator("article h1")).to_contain_text(f"KE-0007: {ELEMENT}")
        logo = page.locator(".md-header__button.md-logo")
        assert logo.get_attribute("aria-label") == f"{BOTH}: knowledge base"
        assert logo.get_attribute("title") == f"{BOTH}: knowledge base"
        page.goto(internal_url + "known-errors/KE-0001/")
        expect(page.locator("article h1")).to_contain_text(ATTRIBUTE)
        # Search results print titles as HTML: the payload stays text there too.
        _search(page, "Pay")
        results = page.locator(".md-search-result__item")
        expect(results.first).to_be_visible()
        for item in results.all()[:10]:
            item.hover()
        assert ELEMENT in page.locator(".md-search-result").inner_text()
        assert page.locator(PAYLOAD_NODES).count() == 0
        # A known error's aliases (material's tags) are printed in its search result.
        page.goto(internal_url)
        _search(page, "onmouseover")
        tags = page.locator(".md-search-result .md-tag")
        expect(tags.first).to_be_visible()
        assert BOTH in tags.all_text_contents()
        assert page.locator(PAYLOAD_NODES).count() == 0
        assert page.evaluate("window.__ran") == []
    finally:
        context.close()
    assert watch.problems == []


def test_content_security_policy_lets_material_search_work(
    browser: Browser, internal_url: str
) -> None:
    context = _context(browser, bypass_csp=False)
    page = context.new_page()
    watch = Watch(page)
    try:
        page.goto(internal_url)
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
        assert "script-src 'self'" in (policy.get_attribute("content") or "")
        assert (
            page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0
        )
        # The search worker loads its index and answers; a result opens its page.
        _search(page, "too many clients")
        page.locator("li.md-search-result__item a").first.click()
        expect(page).to_have_url(re.compile(r"/known-errors/KE-0007/"))
        page.wait_for_load_state("networkidle")
        for path in PAGES[:4]:
            page.goto(internal_url + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__violations") == [], path
        assert page.evaluate("window.__ran") == []
    finally:
        context.close()
    assert watch.problems == []
