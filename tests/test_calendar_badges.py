"""maintenance.ics read back by the icalendar parser, and the shields.io endpoint badges."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from icalendar import Calendar
from jsonschema import Draft202012Validator
from public_support import (
    BASE_URL,
    HOST,
    INTERNAL_NAME,
    MAINTENANCE_WINDOWS,
    NOW,
    SCHEMAS,
    add_update,
    base_content,
    build_public,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_public(tmp_path_factory.mktemp("ics"), base_content())


def read_calendar(site: Path) -> Calendar:
    return Calendar.from_ical((site / "maintenance.ics").read_bytes())


def events(site: Path) -> dict[str, Any]:
    return {str(ev["uid"]): ev for ev in read_calendar(site).walk("VEVENT")}


def test_calendar_header(site: Path) -> None:
    raw = (site / "maintenance.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    cal = read_calendar(site)
    assert str(cal["version"]) == "2.0"
    assert str(cal["prodid"]) == "-//statuspress//Maintenance calendar//EN"
    assert str(cal["method"]) == "PUBLISH"
    assert str(cal["x-wr-calname"]) == "Example Status - Scheduled maintenance"


def test_one_event_per_public_maintenance_with_its_window(site: Path) -> None:
    cal = read_calendar(site)
    found = [ev for ev in cal.walk("VEVENT")]
    assert [str(ev["uid"]) for ev in found] == [
        f"old-work@{HOST}",
        f"cdn-work@{HOST}",
        f"db-upgrade@{HOST}",
    ]  # chronological by window
    for ev in found:
        incident_id = str(ev["uid"]).split("@")[0]
        start, end = MAINTENANCE_WINDOWS[incident_id]
        assert ev.decoded("dtstart") == start
        assert ev.decoded("dtend") == end
        assert ev.decoded("dtstart").utcoffset() == dt.timedelta(0)
        assert str(ev["url"]) == f"{BASE_URL}incidents/{incident_id}/"
        assert str(ev["status"]) == "CONFIRMED"
    upcoming = [ev for ev in found if ev.decoded("dtstart") > NOW]
    assert [str(ev["summary"]) for ev in upcoming] == ["Database upgrade"]


def test_event_fields_come_from_the_content_not_the_clock(site: Path) -> None:
    upcoming = events(site)[f"db-upgrade@{HOST}"]
    assert upcoming.decoded("dtstamp") == dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
    assert int(upcoming["sequence"]) == 1
    description = str(upcoming["description"])
    # Plain text of the latest update: no Markdown marks, no HTML entities.
    assert description.startswith("Scheduled: Orders & invoices may be delayed for 5 minutes.")
    assert "Affected: Public API, Billing & Invoices" in description
    assert "&amp;" not in description and "**" not in description
    done = events(site)[f"old-work@{HOST}"]
    assert int(done["sequence"]) == 4
    assert done.decoded("dtstamp") == dt.datetime(2026, 10, 6, 1, 30, tzinfo=dt.UTC)


def test_a_new_update_revises_the_event(tmp_path: Path) -> None:
    content = base_content()
    add_update(
        content,
        "db-upgrade",
        {"at": "2026-11-27T11:30:00Z", "status": "scheduled", "message": "Moved by one hour."},
    )
    content["incidents"]["db-upgrade"]["front"]["scheduled_start"] = "2026-11-28T03:00:00Z"
    content["incidents"]["db-upgrade"]["front"]["scheduled_end"] = "2026-11-28T05:00:00Z"
    ev = events(build_public(tmp_path, content))[f"db-upgrade@{HOST}"]
    assert int(ev["sequence"]) == 2
    assert ev.decoded("dtstamp") == dt.datetime(2026, 11, 27, 11, 30, tzinfo=dt.UTC)
    assert ev.decoded("dtstart") == dt.datetime(2026, 11, 28, 3, tzinfo=dt.UTC)
    assert str(ev["description"]).startswith("Scheduled: Moved by one hour.")


def test_calendar_survives_hostile_text(tmp_path: Path) -> None:
    content = base_content()
    front = content["incidents"]["db-upgrade"]["front"]
    front["title"] = "Upgrade; with, commas\\ and 🚨 \u202eRTL"
    front["updates"][0]["message"] = "Line one\n\nLine two <script>x</script>"
    ev = events(build_public(tmp_path, content))[f"db-upgrade@{HOST}"]
    assert str(ev["summary"]) == "Upgrade; with, commas\\ and 🚨 \u202eRTL"
    assert "Line two <script>x</script>" in str(ev["description"])


def test_calendar_is_deterministic(tmp_path: Path) -> None:
    a = build_public(tmp_path / "a", base_content())
    b = build_public(tmp_path / "b", base_content(), now=NOW + dt.timedelta(minutes=5))
    assert (a / "maintenance.ics").read_bytes() == (b / "maintenance.ics").read_bytes()


def test_calendar_without_maintenance_is_still_a_valid_calendar(tmp_path: Path) -> None:
    content = base_content()
    for name in MAINTENANCE_WINDOWS:
        del content["incidents"][name]
    cal = read_calendar(build_public(tmp_path, content))
    assert list(cal.walk("VEVENT")) == []
    # RFC 5545 requires at least one component: the site's zone, which no event depends on.
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["tzid"]) for z in zones] == ["Europe/Berlin"]
    assert {str(c["tzname"]) for c in zones[0].subcomponents} == {"CET", "CEST"}


# --- badges --------------------------------------------------------------------------------


def badge(site: Path, name: str) -> dict[str, object]:
    doc = json.loads((site / "badges" / f"{name}.json").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "shields-endpoint.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    return doc


def test_service_badges(site: Path) -> None:
    assert sorted(p.name for p in (site / "badges").glob("*.json")) == [
        "_overall.json",
        "api.json",
        "billing.json",
        "cdn.json",
        "web.json",
    ]
    assert badge(site, "api") == {
        "schemaVersion": 1,
        "label": "Public API",
        "message": "partial outage",
        "color": "orange",
    }
    assert badge(site, "cdn") == {
        "schemaVersion": 1,
        "label": "Images & Static Content",
        "message": "under maintenance",
        "color": "blue",
    }
    assert badge(site, "web")["message"] == "operational"
    assert badge(site, "web")["color"] == "brightgreen"
    for path in (site / "badges").rglob("*"):
        if path.is_file():
            assert INTERNAL_NAME not in path.read_text(encoding="utf-8")


def svg_badge(path: Path) -> tuple[str, list[str], list[str]]:
    """An SVG badge's title, its texts and its fills (parsed as XML: well-formed or fails)."""
    root = ElementTree.parse(path).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    title = root.find("s:title", ns)
    assert title is not None and root.get("role") == "img"
    assert root.get("aria-label") == title.text
    texts = [t.text or "" for t in root.iterfind(".//s:text", ns)]
    fills = [r.get("fill", "") for r in root.iterfind("s:rect", ns)]
    return title.text or "", texts, fills


def test_svg_badges_beside_the_endpoint_json(site: Path) -> None:
    """Status per service and overall, uptime per service: images the page serves itself."""
    names = sorted(
        p.relative_to(site / "badges").as_posix() for p in (site / "badges").rglob("*.svg")
    )
    assert names == [
        "_overall.svg",
        "api.svg",
        "billing.svg",
        "cdn.svg",
        "uptime/api.svg",
        "uptime/billing.svg",
        "uptime/cdn.svg",
        "uptime/web.svg",
        "web.svg",
    ]
    assert svg_badge(site / "badges" / "api.svg") == (
        "Public API: partial outage",
        ["Public API", "partial outage"],
        ["#555", "#bc4c00", "#bc4c00"],
    )
    title, texts, fills = svg_badge(site / "badges" / "cdn.svg")
    assert texts == ["Images & Static Content", "under maintenance"] and fills[1] == "#0969da"
    assert svg_badge(site / "badges" / "web.svg")[1] == ["Website", "operational"]
    overall = json.loads((site / "badges" / "_overall.json").read_text(encoding="utf-8"))
    assert svg_badge(site / "badges" / "_overall.svg")[1] == [overall["label"], overall["message"]]
    # Uptime over uptime_days, the same figure as the service page shows.
    for sid in ("api", "web", "cdn"):
        _, texts, _ = svg_badge(site / "badges" / "uptime" / f"{sid}.svg")
        page = (site / "services" / sid / "index.html").read_text(encoding="utf-8")
        assert texts[1].endswith("%") and f"{texts[1]} uptime" in page, sid


def test_overall_badge_follows_the_page_status(site: Path, tmp_path: Path) -> None:
    assert badge(site, "_overall") == {
        "schemaVersion": 1,
        "label": "Example Status",
        "message": "major service outage",
        "color": "red",
    }
    content = base_content()
    content["incidents"] = {"old-work": content["incidents"]["old-work"]}
    calm = build_public(tmp_path, content)
    assert badge(calm, "_overall")["message"] == "all systems operational"
    assert badge(calm, "_overall")["color"] == "brightgreen"


def test_major_outage_and_degraded_badges(tmp_path: Path) -> None:
    content = base_content()
    front = content["incidents"]["api-down"]["front"]
    front["updates"][1]["services"] = {"api": "major_outage"}
    content["incidents"]["slow-web"]["front"].update(
        started_at="2026-11-27T09:00:00Z",
        updates=[{"at": "2026-11-27T09:05:00Z", "status": "investigating", "message": "Slow."}],
    )
    del content["incidents"]["slow-web"]["front"]["resolved_at"]
    site = build_public(tmp_path, content)
    assert (badge(site, "api")["message"], badge(site, "api")["color"]) == ("major outage", "red")
    assert (badge(site, "web")["message"], badge(site, "web")["color"]) == (
        "degraded performance",
        "yellow",
    )
