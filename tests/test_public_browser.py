"""The public status page in a real Chromium, served under a sub-path like GitHub Pages.

Built from tests/fixtures/small (which includes hostile text) at NOW. Checks: pages load with
no console error, no failed request and no dialog; every link on the home page answers 200;
axe-core finds no WCAG 2.1 AA violation in light or dark mode; vnu finds no HTML error; the
page opened from disk (file://) gets its stylesheet; an uptime day's tooltip opens on hover,
keyboard focus and tap, below its day and inside the bar; phones see the last 30 days and a
sideways-scrolling uptime table; the opt-in live twin reloads itself and the normal page does
not (axe: exactly `meta-refresh` on the twin); bar fills and banners keep their contrast;
nothing overflows a phone-sized viewport.
"""

from __future__ import annotations

import datetime as dt
import shutil
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
    # Follow a few through real navigation too, by clicking (each page's icon loads after
    # "load": wait for it, or the next click aborts the request).
    page.goto(base)
    page.wait_for_load_state("networkidle")
    for name, target in (("History", "history/"), ("Uptime", "uptime/"), ("Status", "")):
        page.get_by_role("link", name=name, exact=True).first.click()
        assert page.url == base + target + "index.html"
        page.wait_for_load_state("networkidle")
    assert watch.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "name", ["home", "incident", "active", "history", "month", "service", "uptime", "hostile"]
)
def test_axe_finds_no_wcag_violation(page: Page, base: str, name: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base + PAGES[name])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(13, 17, 23)")
    violations = run_axe(page)
    assert violations == [], format_axe(violations)


LIVE_SECONDS = 2


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture with a short reload interval, so a test can watch the live twin reload."""
    content = tmp_path_factory.mktemp("live-content") / "content"
    shutil.copytree(FIXTURE, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(f"live_refresh_seconds: {LIVE_SECONDS}\n")
    out = tmp_path_factory.mktemp("live-site")
    build(content, out, NOW, internal=False)
    with serving(out / "public", PREFIX) as url:
        yield url


def loads_within(page: Page, seconds: float) -> int:
    """How many times the page's document loads again within ``seconds``."""
    count = [0]
    page.on("load", lambda _: count.__setitem__(0, count[0] + 1))
    page.wait_for_timeout(seconds * 1000)
    return count[0]


@pytest.mark.parametrize("path", ["", "incidents/2026-11-27-checkout-errors/"])
def test_live_twin_reloads_itself_and_the_normal_page_does_not(
    page: Page, live_base: str, path: str
) -> None:
    page.goto(live_base + path + "index.html")
    assert page.locator("meta[http-equiv='refresh']").count() == 0
    assert loads_within(page, LIVE_SECONDS * 2 + 0.5) == 0
    # The reader opts in with a visible link, under the sub-path ...
    page.get_by_role(
        "link", name=f"Follow live: reload this page every {LIVE_SECONDS} seconds"
    ).click()
    page.wait_for_load_state("load")
    assert page.url == live_base + path + "live.html"
    assert page.locator("meta[http-equiv='refresh']").get_attribute("content") == str(LIVE_SECONDS)
    assert loads_within(page, LIVE_SECONDS * 2 + 1.5) >= 1
    assert page.url == live_base + path + "live.html"
    # ... and turns it off again.
    page.get_by_role("link", name="Stop refreshing").click()
    page.wait_for_load_state("load")
    assert page.url == live_base + path + "index.html"
    assert loads_within(page, LIVE_SECONDS * 2 + 0.5) == 0


def test_live_twin_exists_only_while_something_is_active(public: Path) -> None:
    assert (public / "live.html").is_file()
    assert (public / "incidents" / "2026-11-27-checkout-errors" / "live.html").is_file()
    assert (public / "incidents" / "2026-11-27-api-maintenance" / "live.html").is_file()
    assert not (public / "incidents" / "2026-11-24-api-outage" / "live.html").exists()
    resolved = (public / "incidents" / "2026-11-24-api-outage" / "index.html").read_text()
    assert "live.html" not in resolved
    twin = (public / "live.html").read_text()
    assert '<meta name="robots" content="noindex">' in twin
    assert '<link rel="canonical" href="https://status.small.example/">' in twin
    for feed in ("history.atom", "history.rss"):
        assert "live.html" not in (public / feed).read_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["live.html", "incidents/2026-11-27-checkout-errors/live.html"])
def test_axe_on_the_live_twin_reports_only_the_chosen_refresh(
    page: Page, base: str, path: str, scheme: str
) -> None:
    """axe's meta-refresh rule cannot know the reader chose this page; nothing else fails."""
    page.emulate_media(color_scheme=scheme)
    page.goto(base + path)
    violations = run_axe(page)
    assert [v["id"] for v in violations] == ["meta-refresh"], format_axe(violations)


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
    page.locator(".card-title a", has_text="Public API unavailable").click()
    assert page.url == (public / PAGES["incident"]).as_uri()
    assert page.locator("h1").inner_text() == "Public API unavailable"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle")
        == "solid"
    )


def api_day(page: Page, from_end: int = 3) -> Any:
    """The Public API's day ``from_end`` days back from the end of its bar (3: 25 Nov)."""
    return page.locator(".svc", has_text="Public API").locator(".bar i, .bar .d").nth(-from_end)


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found


def assert_tip_beside_day(page: Page, day: Any) -> None:
    """The tooltip is shown, below its own day, and inside the bar's width."""
    tip = day.locator(".tip")
    t, d = box(tip), box(day)
    bar = box(page.locator(".svc", has_text="Public API").locator(".bar"))
    assert t["width"] > 100 and t["height"] > 10
    assert t["x"] <= d["x"] + 1 and d["x"] + d["width"] <= t["x"] + t["width"] + 1  # spans it
    assert bar["x"] - 1 <= t["x"] and t["x"] + t["width"] <= bar["x"] + bar["width"] + 1
    assert d["y"] + d["height"] <= t["y"] <= d["y"] + d["height"] + 12  # right below it
    # Not faded: the tooltip is drawn fully opaque.
    assert day.evaluate("e => getComputedStyle(e).opacity") == "1"


def test_uptime_day_tooltip_shows_on_hover_next_to_its_day(page: Page, base: str) -> None:
    page.goto(base)
    day = api_day(page)
    tip = day.locator(".tip")
    assert tip.inner_text().split("\n") == ["25 Nov 2026 95.83% uptime", "Public API unavailable"]
    assert box(tip)["width"] <= 1
    day.hover()
    assert_tip_beside_day(page, day)
    # A day in the left half opens rightwards, still inside the bar.
    early = page.locator(".svc", has_text="Public API").locator(".bar .d").first
    early.hover()
    assert_tip_beside_day(page, early)
    # The pointer can travel from the day down into the tooltip and click its link.
    day.hover()
    d = box(day)
    link = box(tip.locator("a"))
    page.mouse.move(d["x"] + d["width"] / 2, d["y"] + d["height"] - 1)
    page.mouse.move(link["x"] + 5, link["y"] + link["height"] / 2, steps=8)
    assert box(tip)["width"] > 100
    page.mouse.down()
    page.mouse.up()
    page.wait_for_url("**/incidents/2026-11-24-api-outage/index.html")


def test_uptime_day_tooltip_shows_on_keyboard_focus(page: Page, base: str) -> None:
    page.goto(base)
    day = api_day(page)
    day.focus()
    assert page.evaluate("document.activeElement.classList.contains('d')")
    assert_tip_beside_day(page, day)
    # Tab moves into the tooltip's link, which keeps it open, and Enter follows it.
    page.keyboard.press("Tab")
    link = day.locator(".tip a")
    assert link.evaluate("a => a === document.activeElement")
    assert_tip_beside_day(page, day)
    page.keyboard.press("Enter")
    page.wait_for_url("**/incidents/2026-11-24-api-outage/index.html")


def test_uptime_day_tooltip_shows_on_tap(browser: Browser, base: str) -> None:
    """On a phone (touch, 375 px): a tap on a day opens its tooltip, inside the bar."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(base)
        day = api_day(page)
        day.scroll_into_view_if_needed()
        day.tap()
        assert_tip_beside_day(page, day)
        day.locator(".tip a").tap()
        page.wait_for_url("**/incidents/2026-11-24-api-outage/index.html")
    finally:
        context.close()


def test_narrow_screen_shows_the_last_30_days(page: Page, base: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(base)
    service = page.locator(".svc", has_text="Public API")
    visible = service.locator(".bar i:visible, .bar .d:visible")
    assert visible.count() == 30
    widths = [box(visible.nth(n))["width"] for n in (0, 15, 29)]
    assert min(widths) >= 8  # readable marks, not 2-3 px slivers
    foot = service.locator(".bar-foot").inner_text()
    assert "30 days ago" in foot and "90 days ago" not in foot and "99.78% uptime" in foot
    page.set_viewport_size({"width": 1280, "height": 800})
    assert visible.count() == 90
    foot = service.locator(".bar-foot").inner_text()
    assert "90 days ago" in foot and "99.93% uptime" in foot


def test_uptime_table_scrolls_sideways_on_a_phone(page: Page, base: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(base + PAGES["uptime"])
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator(".scroll-hint").is_visible()
    # The scroll shadows are drawn (background layers) and the region takes keyboard focus.
    assert "radial-gradient" in wrap.evaluate("e => getComputedStyle(e).backgroundImage")
    wrap.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-wrap').scrollLeft > 0")


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


def _luminance(rgb: str) -> float:
    parts = [int(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    chans = [c / 255 for c in parts]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in chans]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bar_states_differ_by_pattern_and_reach_3_to_1(page: Page, base: str, scheme: str) -> None:
    """WCAG 1.4.11: each non-operational fill is 3:1 against the page and has its own pattern."""
    page.emulate_media(color_scheme=scheme)
    page.goto(base)
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    patterns = {}
    for state in ("mnt", "deg", "part", "maj"):
        swatch = page.locator(f".legend .sw.{state}")
        fill = swatch.evaluate("e => getComputedStyle(e).backgroundColor")
        assert contrast(fill, body) >= 3, (state, fill, body)
        patterns[state] = swatch.evaluate("e => getComputedStyle(e).backgroundImage")
        assert "gradient" in patterns[state], state
    assert len(set(patterns.values())) == 4


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("variant", ["ok", "inc", "deg", "part", "maj", "mnt"])
def test_every_banner_keeps_4_5_to_1(page: Page, base: str, scheme: str, variant: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(base)
    banner = page.locator(".banner")
    banner.evaluate("(e, v) => { e.className = 'banner banner-' + v; }", variant)
    colours = banner.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor,"
        " getComputedStyle(e.querySelector('a')).color]"
    )
    text_colour, background, link = colours
    assert contrast(text_colour, background) >= 4.5, colours
    assert contrast(link, background) >= 4.5, colours
