"""The public status page's HTML, built from tests/fixtures/small (see its files) at NOW.

The fixture at 2026-11-27T12:00Z (Europe/Berlin, CET = UTC+1): an active checkout incident
(partial outage), API maintenance in progress, an upcoming checkout maintenance, a resolved API
outage crossing local midnight, two overlapping website incidents, a webhooks outage on the
25-hour day when DST ends, a hostile-text incident, and never-public ones (gameday,
``public: false``, internal service only).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.parse
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from statuspress.build import build
from statuspress.derive import Segment
from statuspress.errors import BuildError, ContentError
from statuspress.public.templating import Clock
from statuspress.public.uptime import compute, format_percent

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small" / "content"
BERLIN = ZoneInfo("Europe/Berlin")

PUBLIC_INCIDENTS = {
    "2025-12-10-checkout-slow",
    "2026-09-15-hostile-text",
    "2026-10-06-api-maintenance",
    "2026-10-25-webhooks-delayed",
    "2026-11-20-slow-website",
    "2026-11-20-website-down",
    "2026-11-24-api-outage",
    "2026-11-27-api-maintenance",
    "2026-11-27-checkout-errors",
    "2026-12-02-checkout-maintenance",
}
NEVER_PUBLIC = {"2026-11-05-private", "2026-11-10-gameday", "2026-11-12-ci-runners-full"}
PUBLIC_SERVICES = {"web", "checkout", "api", "webhooks"}


def build_public(content: Path, out: Path) -> Path:
    build(content, out, NOW, internal=False)
    return out / "public"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_public(FIXTURE, tmp_path_factory.mktemp("small"))


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def bar_days(service: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The day marks of a service's uptime bar, oldest first (quiet <i>, eventful span.d)."""
    return [
        d
        for d in service.xpath(".//div[@class='bar']//*[self::i or starts-with(@class, 'd ')]")
        if not d.xpath("ancestor::span[@class='tip']")
    ]


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def facts(doc: lxml.html.HtmlElement, css: str = "facts") -> dict[str, str]:
    """A definition list as {term: description}."""
    terms = [text(x) for x in doc.xpath(f"//dl[@class='{css}']/dt")]
    values = [text(x) for x in doc.xpath(f"//dl[@class='{css}']/dd")]
    return dict(zip(terms, values, strict=True))


def section(doc: lxml.html.HtmlElement, title_id: str) -> lxml.html.HtmlElement:
    found = doc.xpath(f"//section[@aria-labelledby='{title_id}']")
    assert found, f"no section labelled {title_id}"
    return found[0]


# --- pages exist -----------------------------------------------------------------------------


def test_every_page_is_built(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "style.css").is_file()
    assert (site / "uptime" / "index.html").is_file()
    assert (site / "history" / "index.html").is_file()
    built_incidents = {p.name for p in (site / "incidents").iterdir()}
    assert built_incidents == PUBLIC_INCIDENTS
    for inc in PUBLIC_INCIDENTS:
        assert (site / "incidents" / inc / "index.html").is_file()
    built_services = {p.parent.name for p in (site / "services").glob("*/index.html")}
    assert built_services == PUBLIC_SERVICES
    months = sorted(p.parent.name for p in (site / "history").glob("*/index.html"))
    # Every month from the oldest incident to now, empty ones included, then the month of the
    # upcoming maintenance.
    assert months[0] == "2025-12" and months[-1] == "2026-12" and len(months) == 13


# --- home page -------------------------------------------------------------------------------


def test_banner_names_the_worst_current_state_in_words(site: Path) -> None:
    doc = parse(site / "index.html")
    banner = doc.xpath("//section[contains(@class, 'banner')]")[0]
    assert text(banner.xpath(".//h1")[0]) == "Partial outage"
    assert "banner-part" in banner.get("class")
    # The build time is the page's generation time, never "updated" (see the incidents' own).
    assert "Page generated at 27 Nov 2026, 13:00 CET" in text(banner)
    assert "Updated" not in text(banner)


def test_active_incidents_show_when_they_were_last_updated(site: Path) -> None:
    """The latest posted update's time, on the home page's card and the incident page."""
    doc = parse(site / "index.html")
    card = section(doc, "active-title").xpath(".//article")[0]
    last = card.xpath(".//p[@class='card-meta']/span[starts-with(., 'Last updated')]")
    assert [text(x) for x in last] == ["Last updated 27 Nov 2026, 12:15 CET"]
    assert last[0].xpath("time/@datetime") == ["2026-11-27T11:15:00Z"]
    page = parse(site / "incidents/2026-11-27-checkout-errors/index.html")
    assert facts(page)["Last updated"] == "27 Nov 2026, 12:15 CET"
    # Only what is still going on says it; a resolved record is complete.
    resolved = parse(site / "incidents/2026-11-24-api-outage/index.html")
    assert "Last updated" not in facts(resolved)
    footer = text(doc.xpath("//footer")[0])
    assert "Page generated at 27 Nov 2026, 13:00 CET." in footer


def test_no_empty_history_months_after_now(tmp_path: Path) -> None:
    """A maintenance years ahead gets its own month page, not every empty month up to it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    planned = content / "incidents/2026/2026-12-02-checkout-maintenance.md"
    far = planned.read_text(encoding="utf-8").replace("2026-12-02T", "2029-03-02T")
    (content / "incidents/2026/2029-03-02-checkout-maintenance.md").write_text(far)
    site = build_public(content, tmp_path / "out")
    months = sorted(p.parent.name for p in (site / "history").glob("*/index.html"))
    assert months[-3:] == ["2026-11", "2026-12", "2029-03"]
    assert len(months) == 14
    history = parse(site / "history/index.html")
    listed = history.xpath("//section[@aria-labelledby='archive-title']//a/@href")
    assert "2029-03/index.html" in " ".join(listed) and "2027-01" not in " ".join(listed)


def test_banner_says_all_operational_without_incidents(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for name in ("2026-11-27-checkout-errors.md", "2026-11-27-api-maintenance.md"):
        (content / "incidents" / "2026" / name).unlink()
    doc = parse(build_public(content, tmp_path / "out") / "index.html")
    assert text(doc.xpath("//h1")[0]) == "All systems operational"
    assert not doc.xpath("//section[@aria-labelledby='active-title']")


def test_active_incident_shows_its_updates_newest_first(site: Path) -> None:
    doc = parse(site / "index.html")
    active = section(doc, "active-title")
    titles = [text(a) for a in active.xpath(".//h3/a")]
    assert titles == ["Checkout errors for some customers"]
    assert active.xpath(".//h3/a/@href") == ["incidents/2026-11-27-checkout-errors/index.html"]
    steps = [
        text(s) for s in active.xpath(".//ol[@class='timeline']/li/p[@class='upd-head']/strong")
    ]
    assert steps == ["Identified", "Investigating"]
    times = active.xpath(".//ol[@class='timeline']/li//time")
    assert [t.get("datetime") for t in times] == ["2026-11-27T11:15:00Z", "2026-11-27T10:40:00Z"]
    assert [text(t) for t in times] == ["27 Nov 2026, 12:15 CET", "27 Nov 2026, 11:40 CET"]
    # Markdown rendered (bold), hostile code shown as text.
    assert active.xpath(".//strong[text()='Orders already placed are safe.']")
    assert "<script>alert(1)</script>" in text(active)


def test_maintenance_in_progress_and_upcoming_are_listed(site: Path) -> None:
    doc = parse(site / "index.html")
    maint = section(doc, "maint-title")
    titles = [text(a) for a in maint.xpath(".//h3/a")]
    assert titles == ["API maintenance in progress", "Planned checkout maintenance"]
    upcoming = maint.xpath(".//article")[1]
    assert "Scheduled 2 Dec 2026, 02:00 CET to 2 Dec 2026, 04:00 CET" in text(upcoming)
    assert upcoming.xpath(".//time/@datetime")[:2] == [
        "2026-12-02T01:00:00Z",
        "2026-12-02T03:00:00Z",
    ]


def test_services_by_group_with_status_text_and_uptime(site: Path) -> None:
    doc = parse(site / "index.html")
    services = section(doc, "services-title")
    groups = [text(h.xpath("./span")[0]) for h in services.xpath(".//h3")]
    assert groups == ["Shop", "Platform", "Other services"]
    rows = {
        text(li.xpath(".//a[@class='svc-name']")[0]): li
        for li in services.xpath(".//li[@class='svc']")
    }
    assert list(rows) == ["Website", "Checkout", "Public API", "Webhooks"]
    status = {name: text(li.xpath(".//p[@class='svc-head']/span")[0]) for name, li in rows.items()}
    assert status == {
        "Website": "Operational",
        "Checkout": "Partial outage",
        "Public API": "Under maintenance",
        "Webhooks": "Operational",
    }
    for li in rows.values():
        days = bar_days(li)
        assert len(days) == 90
        assert all(d.tag == "i" or d.get("tabindex") == "0" for d in days)
        # The last 30 days sit outside .old, which narrow screens hide.
        assert len(li.xpath(".//div[@class='bar']/span[@class='old']/*")) == 60
    api_tips = [text(t) for t in rows["Public API"].xpath(".//span[@class='tip']")]
    assert api_tips == [
        "6 Oct 2026 100% uptime Maintenance: API database upgrade",
        "24 Nov 2026 97.91% uptime Public API unavailable",
        "25 Nov 2026 95.83% uptime Public API unavailable",
        "27 Nov 2026 100% uptime Maintenance: API maintenance in progress",
    ]
    api_days = bar_days(rows["Public API"])
    assert api_days[-3].get("class") == "d maj pr"
    assert api_days[-3].xpath(".//a/@href") == ["incidents/2026-11-24-api-outage/index.html"]
    # Screen readers get one short summary instead of a text per day.
    summary = text(rows["Public API"].xpath(".//p[@class='vh']")[0])
    assert summary == (
        "Public API, last 90 days: 99.93% uptime, 4 days with incidents or maintenance:"
    )
    webhooks = text(rows["Webhooks"].xpath(".//p[@class='vh']")[0])
    assert webhooks.endswith("2 days with incidents or maintenance:")
    web_tips = [text(t) for t in rows["Website"].xpath(".//span[@class='tip']")]
    assert web_tips == [
        "20 Nov 2026 96.04% uptime Website down during deploy Website slow and partly failing"
    ]
    assert "99.93% uptime" in text(rows["Public API"].xpath(".//p[@class='bar-foot']")[0])
    legend = text(services.xpath(".//ul[@class='legend']")[0])
    assert "Partial outage" in legend and "Major outage" in legend


def test_recent_history_shows_the_last_seven_days(site: Path) -> None:
    doc = parse(site / "index.html")
    recent = section(doc, "recent-title")
    days = [text(h) for h in recent.xpath(".//h3")]
    assert days == [f"{d} Nov 2026" for d in range(27, 20, -1)]
    titles = [text(a) for a in recent.xpath(".//h4/a")]
    # The active incident and the maintenance in progress are listed above, not again here.
    assert titles == ["Public API unavailable"]
    cards = [text(a) for a in doc.xpath("//article//*[self::h3 or self::h4]/a")]
    assert cards.count("Checkout errors for some customers") == 1
    assert "Planned checkout maintenance" not in text(recent)
    assert recent.xpath(".//a[@href='history/index.html']")


def test_home_page_stays_small_with_many_incidents(tmp_path: Path) -> None:
    """Past incidents beyond the limits are left to history/, not piled onto the home page."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    start = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.UTC)
    for n in range(60):
        at = (start + dt.timedelta(minutes=10 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        (content / "incidents" / f"bulk-{n:03d}.md").write_text(
            f"---\ntitle: Bulk incident {n}\nseverity: SEV-4\n"
            "services: {web: degraded_performance}\n"
            f"started_at: {at}\nresolved_at: {at}\nupdates:\n  - at: {at}\n    status: resolved\n"
            f"    message: Done {n}.\n---\n",
            encoding="utf-8",
        )
    doc = parse(build_public(content, tmp_path / "out") / "index.html")
    recent = section(doc, "recent-title")
    assert len(recent.xpath(".//article")) == 10
    more = [text(a) for a in recent.xpath(".//a") if "more incident" in text(a)]
    assert more and all(a.endswith("that day in the history") for a in more)


# --- incident pages --------------------------------------------------------------------------


def test_resolved_incident_page_is_its_public_record(site: Path) -> None:
    doc = parse(site / "incidents" / "2026-11-24-api-outage" / "index.html")
    assert text(doc.xpath("//h1")[0]) == "Public API unavailable"
    assert facts(doc) == {
        "Status": "Resolved",
        "Impact": "Critical impact",
        "Started": "24 Nov 2026, 23:30 CET",
        "Resolved": "25 Nov 2026, 01:30 CET",
        "Customer impact": "1 h 30 min",
        "Until resolved": "2 h",
    }
    assert doc.xpath("//dl[@class='facts']//time/@datetime") == [
        "2026-11-24T22:30:00Z",
        "2026-11-25T00:30:00Z",
    ]
    affected = [text(li) for li in section(doc, "affected-title").xpath(".//li")]
    assert affected == ["Public API Major outage"]
    assert "Primary Database Cluster" not in text(doc)
    summary = text(section(doc, "pm-title"))
    assert "We now test failovers every week." in summary
    updates = section(doc, "updates-title")
    assert [text(s) for s in updates.xpath(".//p[@class='upd-head']/strong")] == [
        "Resolved",
        "Monitoring",
        "Identified",
        "Investigating",
    ]
    assert "Public API: Degraded performance" in text(updates)
    crumbs = doc.xpath("//nav[@aria-label='Breadcrumb']//a/@href")
    assert crumbs == [
        "../../index.html",
        "../../history/index.html",
        "../../history/2026-11/index.html",
    ]


def test_draft_postmortem_summary_is_not_shown(site: Path) -> None:
    doc = parse(site / "incidents" / "2026-11-20-slow-website" / "index.html")
    assert "Draft summary" not in text(doc)
    assert not doc.xpath("//section[@aria-labelledby='pm-title']")


def test_maintenance_page_shows_its_window(site: Path) -> None:
    doc = parse(site / "incidents" / "2026-10-06-api-maintenance" / "index.html")
    assert facts(doc) == {
        "Status": "Completed",
        "Impact": "Maintenance",
        "Scheduled": "6 Oct 2026, 02:00 CEST to 6 Oct 2026, 04:00 CEST",
        "Completed": "6 Oct 2026, 03:10 CEST",
    }


def test_active_incident_page_says_it_is_ongoing(site: Path) -> None:
    doc = parse(site / "incidents" / "2026-11-27-checkout-errors" / "index.html")
    assert facts(doc) == {
        "Status": "Identified",
        "Impact": "Major impact",
        "Started": "27 Nov 2026, 11:30 CET",
        "Resolved": "Not yet: this incident is ongoing",
        "Last updated": "27 Nov 2026, 12:15 CET",
    }


def test_every_time_carries_its_zone(site: Path) -> None:
    """Each <time> has a UTC datetime attribute and a text ending with the zone name."""
    for page in html_pages(site):
        for node in parse(page).xpath("//time"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", node.get("datetime")), page
            assert re.search(r"\d\d:\d\d (CET|CEST)$", text(node)), (page, text(node))


# --- history ---------------------------------------------------------------------------------


def test_month_pages_link_to_the_previous_and_next_month(site: Path) -> None:
    def pager(month: str) -> dict[str, str]:
        doc = parse(site / "history" / month / "index.html")
        return {a.get("rel"): a.get("href") for a in doc.xpath("//nav[@class='pager']/a")}

    assert pager("2026-11") == {
        "prev": "../../history/2026-10/index.html",
        "next": "../../history/2026-12/index.html",
    }
    assert pager("2025-12") == {"next": "../../history/2026-01/index.html"}
    assert pager("2026-12") == {"prev": "../../history/2026-11/index.html"}
    doc = parse(site / "history" / "2026-11" / "index.html")
    assert text(doc.xpath("//h1")[0]) == "November 2026"
    titles = [text(a) for a in doc.xpath("//article//h2/a")]
    assert titles == [
        "API maintenance in progress",
        "Checkout errors for some customers",
        "Public API unavailable",
        "Website down during deploy",
        "Website slow and partly failing",
    ]
    empty = parse(site / "history" / "2026-03" / "index.html")
    assert "No incidents reported this month." in text(empty)


def test_history_index_lists_recent_months_and_all_months(site: Path) -> None:
    doc = parse(site / "history" / "index.html")
    recent = [text(h) for h in doc.xpath("//section[@class='month']/h2")]
    assert recent == ["December 2026", "November 2026", "October 2026"]
    archive = section(doc, "archive-title")
    assert [text(h) for h in archive.xpath(".//h3")] == ["2026", "2025"]
    links = archive.xpath(".//a/@href")
    assert len(links) == 13
    assert "../history/2025-12/index.html" in links
    assert "Planned checkout maintenance" in text(doc)


# --- services and uptime ---------------------------------------------------------------------


def test_service_page_has_status_uptime_and_history(site: Path) -> None:
    doc = parse(site / "services" / "api" / "index.html")
    assert text(doc.xpath("//h1")[0]) == "Public API"
    assert "Current status: Under maintenance" in text(doc)
    assert len(bar_days(doc)) == 90
    assert facts(doc, "periods") == {
        "Last 30 days": "99.78%",
        "Last 90 days": "99.93%",
        "Last 365 days": "99.98%",
    }
    history = [text(a) for a in section(doc, "history-title").xpath(".//h3/a")]
    # The last 90 days; what is in progress is listed once, under "Ongoing".
    assert history == ["Public API unavailable", "API database upgrade"]
    ongoing = [text(a) for a in section(doc, "active-title").xpath(".//h3/a")]
    assert ongoing == ["API maintenance in progress"]
    hrefs = doc.xpath("//a/@href")
    assert "../../services/api/history.atom" in hrefs
    assert "../../services/api/history.rss" in hrefs
    assert "../../badges/api.json" in hrefs
    assert doc.xpath("//img/@src") == ["../../badges/api.svg", "../../badges/uptime/api.svg"]
    assert doc.xpath("//link[@rel='alternate'][@href='../../services/api/history.atom']")
    assert doc.xpath("//link[@rel='alternate'][@href='../../services/api/history.rss']")


def test_service_page_links_older_incidents_by_month(site: Path) -> None:
    """Older than the bar's 90 days: not listed one by one, but by history month."""
    doc = parse(site / "services" / "checkout" / "index.html")
    history = section(doc, "history-title")
    titles = [text(a) for a in history.xpath(".//article//h3/a")]
    assert "Slow checkout" not in titles
    months = [(text(a), a.get("href")) for a in history.xpath(".//ul[@class='archive']//a")]
    assert months == [("December 2025", "../../history/2025-12/index.html")]
    assert "(1 incident)" in text(history)


def test_uptime_page_matches_the_hand_computation(site: Path) -> None:
    """30/90/365-day uptime, computed by hand in the fixture's docstring terms.

    Minutes: 30 days = 29 x 1440 + 780 elapsed today (13:00 CET) = 42,540; 90 days add the
    25-hour day of 25 Oct: 88 x 1440 + 1500 + 780 = 129,000; 365 days also hold the 23-hour
    29 Mar: 362 x 1440 + 1380 + 1500 + 780 = 524,940.
    Downtime: API 30 + 60 major (maintenance 0); website 57 (overlap counted once at the worst
    status); checkout 90 x 0.3 = 27 (active); webhooks 60 major (degraded 0).
    """
    doc = parse(site / "uptime" / "index.html")
    rows = {
        text(tr.xpath("./th")[0]): [text(td) for td in tr.xpath("./td")]
        for tr in doc.xpath("//table//tr[td]")
    }
    assert rows == {
        "Shop (mean of its services)": ["99.90%", "99.96%", "99.99%"],
        "Platform (mean of its services)": ["99.78%", "99.93%", "99.98%"],
        "Other services (mean of its services)": ["100%", "99.95%", "99.98%"],
        "Website": ["99.86%", "99.95%", "99.98%"],
        "Checkout": ["99.93%", "99.97%", "99.99%"],
        "Public API": ["99.78%", "99.93%", "99.98%"],
        "Webhooks": ["100%", "99.95%", "99.98%"],
    }


# --- uptime rule (unit) ----------------------------------------------------------------------


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def seg(start: dt.datetime, end: dt.datetime, status: str, inc: str = "i") -> Segment:
    return Segment("svc", start, end, status, inc)


def test_uptime_counts_major_fully_partial_at_30_percent_and_real_day_lengths() -> None:
    now = utc(2026, 11, 27, 12, 0)  # 13:00 CET: 780 minutes of today have elapsed
    segments = [
        # Crosses local midnight (23:00Z): 30 min on 24 Nov, 60 min on 25 Nov, all major.
        seg(utc(2026, 11, 24, 22, 30), utc(2026, 11, 25, 0, 0), "major_outage", "a"),
        # Degraded and maintenance: no downtime.
        seg(utc(2026, 11, 25, 0, 0), utc(2026, 11, 25, 0, 30), "degraded_performance", "a"),
        seg(utc(2026, 11, 26, 1, 0), utc(2026, 11, 26, 3, 0), "under_maintenance", "m"),
        # 29 Mar 2026 lasts 23 h in Berlin: 60 major minutes of 1380.
        seg(utc(2026, 3, 29, 10, 0), utc(2026, 3, 29, 11, 0), "major_outage", "b"),
        # 25 Oct 2026 lasts 25 h: 100 partial minutes = 30 downtime minutes of 1500.
        seg(utc(2026, 10, 25, 10, 0), utc(2026, 10, 25, 11, 40), "partial_outage", "c"),
        # Today: 60 partial minutes = 18 of 780 elapsed.
        seg(utc(2026, 11, 27, 10, 0), utc(2026, 11, 27, 11, 0), "partial_outage", "d"),
    ]
    up = compute(["svc", "other"], segments, BERLIN, now, 365)["svc"]
    days = {d.date.isoformat(): d for d in up.days}
    assert len(up.days) == 365 and up.days[-1].date == dt.date(2026, 11, 27)
    assert days["2026-11-24"].minutes == 1440 and days["2026-11-24"].downtime == 30
    assert days["2026-11-25"].downtime == 60
    assert format_percent(days["2026-11-24"].percent) == "97.91%"  # 97.9166...
    assert format_percent(days["2026-11-25"].percent) == "95.83%"  # 95.8333...
    assert days["2026-11-26"].downtime == 0 and days["2026-11-26"].worst == "under_maintenance"
    assert days["2026-03-29"].minutes == 1380
    assert format_percent(days["2026-03-29"].percent) == "95.65%"  # 1 - 60/1380 = 95.652...
    assert days["2026-10-25"].minutes == 1500
    assert days["2026-10-25"].downtime == pytest.approx(30)
    assert format_percent(days["2026-10-25"].percent) == "98.00%"
    assert days["2026-11-27"].minutes == 780 and days["2026-11-27"].downtime == pytest.approx(18)
    assert format_percent(days["2026-11-27"].percent) == "97.69%"  # 1 - 18/780 = 97.692...
    assert days["2026-11-24"].incidents == ("a",) and days["2026-11-25"].incidents == ("a",)
    # 30 days: 29 x 1440 + 780 minutes; 90 + 18 downtime.
    assert up.percent(30) == pytest.approx(100 * (1 - 108 / (29 * 1440 + 780)))
    total_365 = 362 * 1440 + 1380 + 1500 + 780
    assert up.percent(365) == pytest.approx(100 * (1 - (108 + 60 + 30) / total_365))
    other = compute(["svc", "other"], segments, BERLIN, now, 365)["other"]
    assert other.percent(365) == 100.0 and format_percent(other.percent(365)) == "100%"


def test_uptime_counts_overlapping_incidents_once_at_the_worst_status() -> None:
    now = utc(2026, 11, 27, 12, 0)
    segments = [
        seg(utc(2026, 11, 20, 10, 0), utc(2026, 11, 20, 12, 0), "partial_outage", "slow"),
        seg(utc(2026, 11, 20, 11, 0), utc(2026, 11, 20, 11, 30), "major_outage", "down"),
        seg(utc(2026, 11, 20, 11, 0), utc(2026, 11, 20, 11, 20), "partial_outage", "third"),
    ]
    day = next(
        d for d in compute(["svc"], segments, BERLIN, now, 30)["svc"].days if d.date.day == 20
    )
    # partial 10:00-11:00 (18) + major 11:00-11:30 (30) + partial 11:30-12:00 (9); not 36+30+6.
    assert day.downtime == pytest.approx(57)
    assert day.worst == "major_outage"
    assert day.incidents == ("down", "slow", "third")


def test_uptime_percent_rounds_down_so_downtime_never_shows_as_100() -> None:
    assert format_percent(99.9999) == "99.99%"
    assert format_percent(99.125) == "99.12%"
    assert format_percent(100.0) == "100%"
    assert format_percent(0.0) == "0.00%"


# --- hostile text ----------------------------------------------------------------------------


def test_hostile_text_is_escaped_and_sanitised_everywhere(site: Path) -> None:
    for page in html_pages(site):
        doc = parse(page)
        assert not doc.xpath("//script"), page
        assert not doc.xpath("//svg | //iframe | //object | //embed"), page
        # The fixture has no logo: the only images are the site's own badges.
        for src in doc.xpath("//img/@src"):
            assert "/badges/" in src and src.endswith(".svg"), page
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                if name in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith(("javascript:", "data:")), page
    doc = parse(site / "incidents" / "2026-09-15-hostile-text" / "index.html")
    title = "Quotes \" ' & <b>bold</b> ]]> <script>alert(1)</script> 🚀 مرحبا بالعالم"
    assert text(doc.xpath("//h1")[0]) == title
    assert text(doc.xpath("//title")[0]) == f"{title} · Small Co Status"
    body = text(doc)
    assert "CDATA end ]]> inside, quotes \" and ' and & ampersands; emoji 🚀🔥" in body
    assert "right-to-left: שלום עולם" in body
    assert "<img src=x onerror=alert(1)>" in body  # shown as text
    links = doc.xpath("//div[@class='msg']//a")
    assert [a.get("href") for a in links] == ["https://example.com/ok"]
    assert doc.xpath("//div[@class='msg']//a[text()='ok']/@rel") == ["nofollow noopener noreferrer"]


# --- links -----------------------------------------------------------------------------------


def resolve(page: Path, href: str, root: Path) -> Path | None:
    """The built file a relative link points at, or None for external links."""
    parsed = urllib.parse.urlsplit(href)
    if parsed.scheme or href.startswith("//"):
        assert parsed.scheme in ("http", "https", "mailto"), href
        return None
    path = urllib.parse.unquote(parsed.path)
    if not path:
        return page
    target = (page.parent / path).resolve()
    if path.endswith("/"):
        target = target / "index.html"
    assert target.is_relative_to(root.resolve()), f"{page}: {href} leaves the site"
    return target


def test_every_link_resolves_to_a_built_file(site: Path) -> None:
    checked = 0
    for page in html_pages(site):
        doc = parse(page)
        ids = set(doc.xpath("//@id"))
        for element, attribute, link, _ in doc.iterlinks():
            if attribute not in ("href", "src"):
                continue
            if element.tag == "link" and element.get("rel") == "canonical":
                assert link.startswith("https://status.small.example/"), link
                continue
            target = resolve(page, link, site)
            if target is None:
                continue
            assert target.is_file(), f"{page.relative_to(site)}: {link} -> missing {target}"
            fragment = urllib.parse.urlsplit(link).fragment
            if fragment and target == page:
                assert fragment in ids, f"{page}: #{fragment} has no target"
            checked += 1
    assert checked > 500


def test_links_are_relative_and_canonical_is_absolute(site: Path) -> None:
    doc = parse(site / "incidents" / "2026-11-24-api-outage" / "index.html")
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        "https://status.small.example/incidents/2026-11-24-api-outage/"
    ]
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["../../style.css"]
    alternates = doc.xpath("//link[@rel='alternate']/@href")
    assert alternates == ["../../history.atom", "../../history.rss"]
    hrefs = [h for h in doc.xpath("//a/@href") if not h.startswith(("http", "mailto", "#"))]
    assert hrefs and all(not h.startswith("/") for h in hrefs)


def test_footer_links_to_feeds_calendar_and_api(site: Path) -> None:
    doc = parse(site / "index.html")
    footer = doc.xpath("//footer")[0]
    assert footer.xpath(".//a/@href")[:4] == [
        "history.atom",
        "history.rss",
        "maintenance.ics",
        "api/v2/summary.json",
    ]
    assert "Times are shown in Europe/Berlin time." in text(footer)


# --- themes ----------------------------------------------------------------------------------


def test_templates_considered_comment_names_the_candidates(site: Path) -> None:
    html = (site / "incidents" / "2026-11-24-api-outage" / "index.html").read_text()
    assert (
        "<!-- Templates considered: incident-2026-11-24-api-outage.html, *incident.html -->" in html
    )
    assert "<!-- Templates considered: *index.html -->" in (site / "index.html").read_text()


def test_overrides_folder_extends_the_default_templates(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme_dir: overrides\n", encoding="utf-8")
    (overrides / "base.html").write_text(
        '{% extends "default:base.html" %}\n'
        "{% block footer_note %}<p>Custom footer for {{ site.title }}</p>{% endblock %}\n",
        encoding="utf-8",
    )
    (overrides / "incident-2026-11-24-api-outage.html").write_text(
        '{% extends "incident.html" %}{% block title %}Special: {{ incident.title }}{% endblock %}',
        encoding="utf-8",
    )
    (overrides / "partials" / "status-badge.html").write_text(
        '{% macro status_badge(status) %}<b class="mine">{{ status }}</b>{% endmacro %}\n'
        "{% macro impact_badge(impact) %}<b>{{ impact }}</b>{% endmacro %}\n",
        encoding="utf-8",
    )
    (overrides / "extra.css").write_text(":root { --link: #5a189a; }\n", encoding="utf-8")
    (overrides / "theme.yml").write_text("extra_css: [extra.css]\nrecent_days: 3\n")
    site = build_public(content, tmp_path / "out")
    page = site / "incidents" / "2026-11-24-api-outage" / "index.html"
    doc = parse(page)
    assert text(doc.xpath("//title")[0]) == "Special: Public API unavailable"
    assert "*incident-2026-11-24-api-outage.html, incident.html" in page.read_text()
    assert "Custom footer for Small Co Status" in text(doc)
    assert doc.xpath("//b[@class='mine']/text()") == ["major_outage"]
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["../../style.css", "../../extra.css"]
    assert (site / "extra.css").read_text() == ":root { --link: #5a189a; }\n"
    home = parse(site / "index.html")
    assert len(section(home, "recent-title").xpath(".//h3")) == 3


def test_broken_override_fails_the_build_and_names_the_template(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "uptime.html").write_text("{% block content %}{% endblok %}\n")
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "theme_dir: theme\n")
    with pytest.raises(BuildError, match=r"uptime\.html:1"):
        build(content, tmp_path / "out", NOW, internal=False)
    assert not (tmp_path / "out" / "public").exists()


def test_unknown_theme_setting_is_an_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "theme.yml").write_text("recent_dayz: 3\n")
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "theme_dir: theme\n")
    with pytest.raises(BuildError, match="unknown theme setting 'recent_dayz'.*recent_days"):
        build(content, tmp_path / "out", NOW, internal=False)


def test_logo_is_published_and_shown(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "assets").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect/></svg>\n'
    (content / "assets" / "logo.svg").write_text(svg)
    (content / "site.yaml").write_text(
        (content / "site.yaml").read_text() + "logo: assets/logo.svg\n"
    )
    site = build_public(content, tmp_path / "out")
    assert (site / "assets" / "logo.svg").read_text() == svg
    doc = parse(site / "services" / "web" / "index.html")
    assert doc.xpath("//header//img/@src") == ["../../assets/logo.svg"]


# --- determinism and atomicity ---------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_input_and_now_give_identical_bytes(site: Path, tmp_path: Path) -> None:
    again = build_public(FIXTURE, tmp_path / "again")
    first, second = snapshot(site), snapshot(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    before = snapshot(build_public(content, out))
    broken = content / "incidents" / "2026" / "2026-11-20-website-down.md"
    broken.write_text(broken.read_text().replace("web: major_outage", "web: exploded"))
    (content / "incidents" / "2026" / "2026-11-26-new.md").write_text(
        "---\ntitle: Would be new\nseverity: SEV-4\nservices: {web: degraded_performance}\n"
        "started_at: 2026-11-26T10:00:00Z\n---\n"
    )
    with pytest.raises(ContentError):
        build(content, out, NOW, internal=False)
    assert snapshot(out / "public") == before
    assert [p.name for p in out.iterdir()] == ["public"]


def test_directory_urls_setting_links_to_folders(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "theme.yml").write_text("directory_urls: true\n")
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "theme_dir: theme\n")
    site = build_public(content, tmp_path / "out")
    doc = parse(site / "incidents" / "2026-11-24-api-outage" / "index.html")
    crumbs = doc.xpath("//nav[@aria-label='Breadcrumb']//a/@href")
    assert crumbs == ["../../", "../../history/", "../../history/2026-11/"]
    home = parse(site / "index.html")
    assert home.xpath("//a[@class='brand']/@href") == ["./"]
    for page in html_pages(site):
        for _, attribute, link, _ in parse(page).iterlinks():
            target = resolve(page, link, site) if attribute in ("href", "src") else None
            assert target is None or target.is_file(), (page, link)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Berlin", "27 Nov 2026, 13:00 CET"),
        ("UTC", "27 Nov 2026, 12:00 UTC"),
        ("America/Sao_Paulo", "27 Nov 2026, 09:00 UTC-03:00"),
        ("Asia/Kathmandu", "27 Nov 2026, 17:45 UTC+05:45"),
    ],
)
def test_times_name_their_zone_even_without_an_abbreviation(zone: str, expected: str) -> None:
    assert Clock(ZoneInfo(zone)).datetime(NOW) == expected


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"uptime.html": "{{ 1 + 'a' }}"}, r"template uptime\.html: TypeError"),
        ({"uptime.html": "{{ nothing.here }}"}, r"template uptime\.html: 'nothing' is undefined"),
        (
            {
                "uptime.html": '{% from "p.html" import link %}{{ link() }}',
                "p.html": "{% macro link() %}{{ url('') }}{% endmacro %}",
            },
            "url\\(\\) needs the page: import the partial that calls it 'with context'",
        ),
        ({"theme.yml": "recent_days: -1\n"}, "recent_days: must be 0 or more"),
        ({"theme.yml": "extra_css: [1]\n"}, "extra_css: expected a list of file names"),
        ({"theme.yml": "extra_css: [missing.css]\n"}, "extra_css: missing.css not found"),
    ],
)
def test_theme_mistakes_are_build_errors(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for name, body in files.items():
        (tmp_path / "theme" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "theme" / name).write_text(body)
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "theme_dir: theme\n")
    with pytest.raises(BuildError, match=message):
        build(content, tmp_path / "out", NOW, internal=False)


def test_every_time_carries_its_utc_instant_as_a_tooltip() -> None:
    """Issue #17 item 6: each <time> shows the site's zone and has the UTC instant in title."""
    import re as _re

    golden = Path(__file__).parent / "golden" / "small"
    pages = [golden / "index.html", *sorted((golden / "incidents").rglob("index.html"))]
    found = 0
    for page in pages:
        html = page.read_text()
        times = _re.findall(r"<time ([^>]*)>", html)
        for attrs in times:
            match = _re.fullmatch(r'datetime="([^"]+)" title="([^"]+)"', attrs)
            assert match, (page, attrs)
            instant, title = match.groups()
            # One date format for pages and tooltips: "24 Nov 2026, 22:30 UTC".
            moment = dt.datetime.fromisoformat(instant)
            assert title == f"{moment.day} {moment:%b %Y, %H:%M} UTC"
            found += 1
    assert found > 20


# --- banner and labels (issue #17 items 4-5) -------------------------------------------------


def test_banner_names_the_affected_service_and_maintenance_in_progress(site: Path) -> None:
    doc = parse(site / "index.html")
    banner = doc.xpath("//section[contains(@class, 'banner')]")[0]
    assert banner.get("class") == "banner banner-part"
    assert text(banner.xpath(".//h1")[0]) == "Partial outage"
    assert text(banner.xpath(".//p[@class='banner-svc']")[0]) == "Affected: Checkout"
    maintenance = banner.xpath(".//p[@class='banner-maint']")[0]
    assert text(maintenance) == (
        "Maintenance in progress: API maintenance in progress, until 27 Nov 2026, 14:00 CET"
    )
    assert maintenance.xpath(".//a/@href") == ["incidents/2026-11-27-api-maintenance/index.html"]


def test_banner_counts_services_from_four_on(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "incidents" / "2026" / "2026-11-27-everything-slow.md").write_text(
        "---\ntitle: Everything slow\nseverity: SEV-3\n"
        "services: {web: degraded_performance, checkout: degraded_performance,"
        " api: degraded_performance, webhooks: degraded_performance}\n"
        "started_at: 2026-11-27T11:30:00Z\nupdates:\n  - at: 2026-11-27T11:30:00Z\n"
        "    status: investigating\n    message: Pages load slowly.\n---\n",
        encoding="utf-8",
    )
    doc = parse(build_public(content, tmp_path / "out") / "index.html")
    # Checkout's partial outage is the worst; every service not operational counts.
    assert text(doc.xpath("//h1")[0]) == "Partial outage"
    assert text(doc.xpath("//p[@class='banner-svc']")[0]) == "Affected: 4 services"


def test_lowest_impact_level_gets_no_badge(site: Path) -> None:
    """SEV-4 maps to Statuspage's impact "none": no "No impact" badge anywhere."""
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        assert "No impact" not in html and "imp-none" not in html, page
    doc = parse(site / "incidents" / "2026-09-15-hostile-text" / "index.html")
    assert "Impact" not in facts(doc)
    critical = parse(site / "incidents" / "2026-11-24-api-outage" / "index.html")
    assert facts(critical)["Impact"] == "Critical impact"
