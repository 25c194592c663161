"""History feeds (RSS, Atom, per-service Atom) read by real clients: feedparser, jing, lxml."""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path

import feedparser
import pytest
from browser import atom_validate
from lxml import etree
from public_support import (
    BASE_URL,
    INTERNAL_NAME,
    NEVER_PUBLIC,
    NOW,
    PUBLIC_INCIDENTS,
    add_update,
    base_content,
    build_public,
    resolved_incident,
)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_public(tmp_path_factory.mktemp("feeds"), base_content())


def url(incident_id: str) -> str:
    return f"{BASE_URL}incidents/{incident_id}/"


def parse(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, getattr(feed, "bozo_exception", None)
    return feed


def atom_schematron(path: Path) -> list[str]:
    """The two RFC 4287 rules jing skips (its Schematron part), checked with lxml."""
    root = etree.parse(str(path)).getroot()
    problems = []
    entries = root.findall(f"{ATOM}entry")
    if root.find(f"{ATOM}author") is None:
        problems += [
            f"entry {e.findtext(f'{ATOM}id')}: no author and the feed has none"
            for e in entries
            if e.find(f"{ATOM}author") is None
        ]
    for e in entries:
        alternate = [
            link for link in e.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
        ]
        if not alternate and e.find(f"{ATOM}content") is None:
            problems.append(f"entry {e.findtext(f'{ATOM}id')}: no alternate link and no content")
    return problems


def test_rss_and_atom_parse_with_one_entry_per_public_incident(site: Path) -> None:
    rss, atom = parse(site / "history.rss"), parse(site / "history.atom")
    assert rss.version == "rss20"
    assert atom.version == "atom10"
    for feed in (rss, atom):
        assert feed.feed.title == "Example Status - Incident History"
        assert {e.id for e in feed.entries} == {url(i) for i in PUBLIC_INCIDENTS}
        assert [e.link for e in feed.entries] == [e.id for e in feed.entries]
        text = str(feed)
        for hidden in NEVER_PUBLIC:
            assert hidden not in text
        assert INTERNAL_NAME not in text
        assert "Jane Commander" not in text and "db-primary-7" not in text
    # Most recently changed first: the active SEV-1's last update (11:10Z) is the newest change.
    assert atom.entries[0].id == url("api-down")
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]


def test_entry_content_lists_updates_newest_first_with_zone(site: Path) -> None:
    atom = parse(site / "history.atom")
    entry = next(e for e in atom.entries if e.id == url("api-down"))
    html = entry.content[0].value
    assert entry.content[0].type == "text/html"
    assert html.index("Identified") < html.index("Investigating")
    assert "<strong>identified</strong> the cause &amp; are fixing it" in html
    # 11:10Z is 12:10 in Europe/Berlin (CET in November), shown with its zone.
    assert "27 Nov 2026, 12:10 CET" in html
    assert "This incident affected: Public API." in html
    # The summary is escaped plain text declared as HTML (RSS readers render <description> as
    # HTML); feedparser hands HTML over as written.
    assert entry.summary_detail.type == "text/html"
    assert entry.summary == "Identified - We have identified the cause &amp; are fixing it."
    assert entry.published_parsed[:5] == (2026, 11, 27, 10, 40)  # started_at
    assert entry.updated_parsed[:5] == (2026, 11, 27, 11, 10)
    resolved = next(e for e in atom.entries if e.id == url("slow-web"))
    assert "A cache node ran out of memory." in resolved.content[0].value
    maintenance = next(e for e in atom.entries if e.id == url("db-upgrade"))
    assert "28 Nov 2026, 03:00 CET – 28 Nov 2026, 05:00 CET" in maintenance.content[0].value


def test_atom_feeds_are_valid_rfc4287(site: Path) -> None:
    feeds = [site / "history.atom", *sorted((site / "services").glob("*/history.atom"))]
    assert len(feeds) == 5
    for path in feeds:
        assert atom_validate(path) == [], path
        assert atom_schematron(path) == [], path


def test_schematron_check_catches_what_it_checks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.atom"
    bad.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title>'
        "<updated>2026-01-01T00:00:00Z</updated><entry><id>urn:e</id><title>e</title>"
        '<updated>2026-01-01T00:00:00Z</updated><link rel="related" href="http://x/"/>'
        "</entry></feed>"
    )
    assert len(atom_schematron(bad)) == 2


def test_feed_metadata_is_explicit_and_absolute(site: Path) -> None:
    root = etree.parse(str(site / "history.atom")).getroot()
    links = root.findall(f"{ATOM}link")
    assert [(ln.get("rel"), ln.get("href")) for ln in links] == [
        ("self", f"{BASE_URL}history.atom"),
        ("alternate", f"{BASE_URL}history/"),
    ]
    assert root.findtext(f"{ATOM}id") == f"{BASE_URL}history.atom"
    generator = root.find(f"{ATOM}generator")
    assert generator is not None and generator.text == "statuspress"
    assert generator.get("version") is None
    entry_updated = [e.findtext(f"{ATOM}updated") for e in root.findall(f"{ATOM}entry")]
    assert root.findtext(f"{ATOM}updated") == max(entry_updated) == "2026-11-27T11:10:00+00:00"
    rss = etree.parse(str(site / "history.rss")).getroot()
    channel = rss.find("channel")
    assert channel is not None
    assert channel.findtext("link") == f"{BASE_URL}history/"
    assert channel.findtext("description") == "Status of the Example services."
    assert channel.find(f"{ATOM}link").get("href") == f"{BASE_URL}history.rss"
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) == dt.datetime(
        2026, 11, 27, 11, 10, tzinfo=dt.UTC
    )
    for item in channel.findall("item"):
        assert item.findtext("title")
        assert item.findtext("link", "").startswith(f"{BASE_URL}incidents/")
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "true"
        assert guid.text == item.findtext("link")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.findtext(f"{CONTENT_NS}encoded")


def test_service_feeds_hold_only_incidents_touching_the_service(site: Path) -> None:
    assert sorted(p.name for p in (site / "services").iterdir()) == [
        "api",
        "billing",
        "cdn",
        "web",
    ]
    expected = {
        "api": {"api-down", "db-upgrade"},
        "web": {"slow-web", "old-work"},
        "cdn": {"cdn-work"},
        "billing": {"db-upgrade"},
    }
    for service, incidents in expected.items():
        feed = parse(site / "services" / service / "history.atom")
        assert {e.id for e in feed.entries} == {url(i) for i in incidents}
        assert feed.feed.links[0].rel == "self"
        assert feed.feed.links[0].href == f"{BASE_URL}services/{service}/history.atom"
        # The RSS twin beside it: same entries, its own self link, RSS 2.0 to a real parser.
        rss = parse(site / "services" / service / "history.rss")
        assert rss.version == "rss20" and not rss.bozo
        assert {e.id for e in rss.entries} == {url(i) for i in incidents}
        assert [e.title for e in rss.entries] == [e.title for e in feed.entries]
        channel = etree.parse(str(site / "services" / service / "history.rss")).find("channel")
        assert channel is not None
        assert channel.findtext("link") == f"{BASE_URL}services/{service}/"
        assert channel.findtext("description")


def test_entries_are_revised_in_place(tmp_path: Path) -> None:
    content = base_content()
    before = parse(build_public(tmp_path / "a", content) / "history.atom")
    add_update(
        content,
        "api-down",
        {
            "at": "2026-11-27T11:50:00Z",
            "status": "monitoring",
            "message": "A fix is live; error rates are back to normal.",
        },
    )
    after = parse(build_public(tmp_path / "b", content) / "history.atom")
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    old = {e.id: e for e in before.entries}
    new = {e.id: e for e in after.entries}
    changed = new[url("api-down")]
    assert changed.updated_parsed > old[url("api-down")].updated_parsed
    assert changed.updated_parsed[:5] == (2026, 11, 27, 11, 50)
    assert changed.published == old[url("api-down")].published
    html = changed.content[0].value
    assert html.index("A fix is live") < html.index("identified") < html.index("investigating")
    for key in PUBLIC_INCIDENTS - {"api-down"}:
        assert new[url(key)].updated == old[url(key)].updated
        assert new[url(key)].content[0].value == old[url(key)].content[0].value


def test_feeds_keep_the_50_most_recently_changed(tmp_path: Path) -> None:
    content = base_content()
    first = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n in range(60):
        content["incidents"][f"bulk-{n:02d}"] = resolved_incident(n, first + dt.timedelta(days=n))
    site = build_public(tmp_path, content)
    for name in ("history.atom", "history.rss"):
        ids = [e.id for e in parse(site / name).entries]
        assert len(ids) == 50
        assert url("api-down") in ids
        assert url("bulk-59") in ids and url("bulk-00") not in ids
    web = parse(site / "services" / "web" / "history.atom")
    assert len(web.entries) == 50


HOSTILE_TITLE = "<script>alert(1)</script> ]]> 🚨 עברית \u202eevil\u202c bell &amp;"
HOSTILE_MESSAGE = (
    "<script>alert('x')</script> ]]> <img src=x onerror=alert(1)> 😀 שלום "
    "[click](javascript:alert(1)) `]]>` & done"
)


def test_hostile_text_keeps_feeds_well_formed_and_inert(tmp_path: Path) -> None:
    content = base_content()
    front = content["incidents"]["api-down"]["front"]
    front["title"] = HOSTILE_TITLE
    front["updates"][0]["message"] = HOSTILE_MESSAGE
    content["services"]["services"][0]["name"] = "API <b>bold</b>"
    site = build_public(tmp_path, content)
    feeds = [site / "history.atom", site / "history.rss", site / "services/api/history.atom"]
    for path in feeds:
        root = etree.parse(str(path)).getroot()  # raises on malformed XML
        contents = [
            el.text or ""
            for el in root.iter(f"{ATOM}content", f"{CONTENT_NS}encoded", "description")
        ]
        assert contents
        for html in contents:
            assert "<script" not in html.lower()
            assert "onerror" not in html.lower() or "&lt;img" in html
            assert 'href="javascript' not in html.lower()
        assert parse(path).entries
    atom = parse(site / "history.atom")
    entry = next(e for e in atom.entries if e.id == url("api-down"))
    assert entry.title == "<script>alert(1)</script> ]]> 🚨 עברית \u202eevil\u202c bell &amp;"
    assert "😀 שלום" in entry.content[0].value
    assert atom_validate(site / "history.atom") == []


def test_same_input_gives_same_bytes(tmp_path: Path) -> None:
    a = build_public(tmp_path / "a", base_content())
    b = build_public(tmp_path / "b", base_content())
    feeds = ["history.atom", "history.rss", "services/api/history.atom"]
    for name in feeds:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # A later "now" with nothing new posted changes nothing in the history feeds.
    c = build_public(tmp_path / "c", base_content(), now=NOW + dt.timedelta(minutes=5))
    assert (a / "history.atom").read_bytes() == (c / "history.atom").read_bytes()
