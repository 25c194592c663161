"""The rendering shortcuts must not change a single output byte.

- ``markdown.render`` and ``markdown.plain`` skip markdown-it and nh3 for one line of plain
  prose; the shortcut is compared with the full path on every message of the demo content and
  of a generated corpus, on every line of their files, on hand-picked edge cases and on
  Hypothesis-generated texts (a fixed seed in CI, see ``check_support.property_settings``);
- the ``service_names`` and ``service_statuses`` filters give what the template loops they
  replaced gave;
- moments are formatted from their fields, not with ``strftime``: same text;
- uptime compares instants in UTC and shares the days without incidents between services:
  the same days as the straightforward computation (kept here as the reference).
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib.util
import sys
import zoneinfo
from collections.abc import Iterable
from pathlib import Path

import pytest
from check_support import property_settings
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from statuspress import markdown
from statuspress.derive import STATUS_RANK, Segment
from statuspress.loader import load_world
from statuspress.public import api, templating
from statuspress.public.pages import Renderer
from statuspress.public.project import project
from statuspress.public.uptime import DOWNTIME_WEIGHT, Day, compute, day_bounds, merge

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def same_as_full_path(text: str) -> bool:
    """Assert the shortcut (if taken) gives what markdown-it + nh3 give; return if taken."""
    shortcut = markdown._is_prose(text)
    assert markdown.render.__wrapped__(text) == markdown._render_markdown(text), text
    assert markdown.plain.__wrapped__(text) == markdown._plain_markdown(text), text
    return shortcut


def texts_of(content: Path) -> list[str]:
    """Every message, summary and title of a content folder, and every line of its files."""
    world = load_world(content, NOW).world
    texts: set[str] = set()
    for inc in world.content.incidents.values():
        texts.add(inc.title)
        texts.update(u.message for u in inc.updates)
        if inc.postmortem is not None:
            texts.add(inc.postmortem.public_summary)
    for path in content.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yaml", ".yml"):
            lines = path.read_text(encoding="utf-8").splitlines()
            texts.update(lines)
            texts.update(line.strip() for line in lines)
            texts.update(line.partition(": ")[2].strip("'\"") for line in lines)
    return sorted(texts)


def check_all(texts: Iterable[str]) -> tuple[int, int]:
    taken = total = 0
    for text in texts:
        total += 1
        taken += same_as_full_path(text)
    return taken, total


def test_demo_content_messages() -> None:
    taken, total = check_all(texts_of(ROOT / "content"))
    assert taken > 100 and total > taken  # both paths were exercised


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench/make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    content = tmp_path_factory.mktemp("corpus") / "content"
    module.write(module.generate(150, 3), content)
    return content


def test_generated_corpus_messages(corpus: Path) -> None:
    taken, total = check_all(texts_of(corpus))
    assert taken > 300 and total > taken


EDGE_CASES = [
    "",
    " ",
    "a",
    "A & B",
    "A &B",
    "A&B",
    "A &amp; B",
    "A &copy; B",
    "A &#169; B",
    "A & #1;",
    "Tom & Jerry &",
    "&",
    "& x",
    "Say \"hi\" and 'bye'",
    '"quoted"',
    "'single'",
    "(aside) done.",
    "1. first",
    "1) first",
    "1.5 hours",
    "123456789. x",
    "1234567890. x",
    "2026 was long",
    "10:30 UTC",
    "# heading",
    "Issue #12 fixed!",
    "#12",
    "- item",
    "-x",
    "+ item",
    "+1",
    "= x",
    "===",
    "---",
    "***",
    "___",
    "a  b",
    "a   b   c",
    " leading",
    "   three",
    "    four",
    "trailing ",
    "trailing  ",
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "crlf\r\nline",
    "a\x00b",
    "a\x1bb",
    "a\x7fb",
    "a\x85b",
    "nbsp\xa0here",
    "thin\u2009space",
    "em\u2003space",
    "ideographic\u3000space",
    "zero\u200bwidth",
    "bidi\u202eevil",
    "bom\ufeffhere",
    "Éclair down",
    "Straße gesperrt",
    "İstanbul ılık",
    "日本語のテキスト",
    "Ελληνικά κείμενο",
    "عربي نص",
    "x² and ½",
    "\U0001f4a5 boom",
    "a\u0301 combining",
    "https://example.com/path?q=1",
    "mail ops@example.com now",
    "www.example.com",
    "<https://example.com>",
    "a < b > c",
    "a_b_c",
    "*em*",
    "`code`",
    "~~del~~",
    "a | b",
    "[x](y)",
    "![x](y)",
    "a\\b",
    "50% of $5 @ 3/4 + 1 = 2; ok? yes!",
    "Hello: world, again.",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases(text: str) -> None:
    same_as_full_path(text)


def test_shortcut_output() -> None:
    """The shortcut's contract, spelled out."""
    assert markdown.render('Fixed & deployed, "really".') == (
        '<p>Fixed &amp; deployed, "really".</p>'
    )
    assert markdown.plain("Fixed & deployed.") == "Fixed & deployed."
    assert markdown._is_prose("We are investigating elevated error rates on Checkout.")
    assert not markdown._is_prose("We are *investigating*.")


PROSE = "abcxyzABCXYZ0129 .,:;!?'\"()/%$@#&+=-éßıΩ日"
MARKDOWN = "*_[]<>\\`|~\n\t\r\x00\x0b\x1b\xa0\u2003\u200b\ufeff{}^"


@property_settings(ci_examples=1500)
@given(
    st.one_of(
        st.text(alphabet=PROSE, max_size=40),
        st.text(alphabet=PROSE + MARKDOWN, max_size=40),
        st.text(max_size=40),
        st.lists(
            st.sampled_from(["We", "are", "1.", "2)", "&", "#", "-", "+", "=", "'", '"', "é"]),
            max_size=8,
        ).map(" ".join),
    )
)
def test_any_text(text: str) -> None:
    same_as_full_path(text)


# --- service lists -------------------------------------------------------------------------

# The loops of partials/incident-card.html and partials/timeline.html before the filters.
CARD_LOOP = (
    "{% for sid in statuses %}{% if sid in services %}{{ services[sid].service.name }}"
    "{% if not loop.last %}, {% endif %}{% endif %}{% endfor %}"
)
UPDATE_LOOP = (
    "{% for sid, status in statuses|dictsort %}{% if sid in services %}"
    "{{ services[sid].service.name }}: {{ status|status_label }}"
    "{% if not loop.last %}; {% endif %}{% endif %}{% endfor %}"
)


@pytest.mark.parametrize("which", ["demo", "corpus"])
def test_service_filters_equal_the_loops(which: str, corpus: Path) -> None:
    content = ROOT / "content" if which == "demo" else corpus
    site = project(load_world(content, NOW).world)
    renderer = Renderer(site, None)
    env = renderer.env
    card, update = env.from_string(CARD_LOOP), env.from_string(UPDATE_LOOP)
    seen = 0
    for inc in site.incidents:
        names = env.filters["service_names"](inc.services)
        assert card.render(statuses=inc.services) == escape(names)
        for u in inc.updates:
            if u.services:
                seen += 1
                statuses = env.filters["service_statuses"](u.services)
                assert update.render(statuses=u.services) == escape(statuses)
    assert seen > 20


# --- moments -------------------------------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
]


@property_settings(ci_examples=600)
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001 - Hypothesis wants naive bounds
        max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.just(dt.UTC),
    ),
    zone=st.one_of(
        st.sampled_from(ZONES).map(zoneinfo.ZoneInfo),
        st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
    ),
)
def test_moments_format_as_strftime_did(moment: dt.datetime, zone: dt.tzinfo) -> None:
    clock = templating.Clock(zone)
    local = moment.astimezone(zone)
    name = templating.zone_name(local)
    month = templating.MONTHS[local.month - 1][:3]
    assert clock.datetime(moment) == f"{local.day} {month} {local.year}, {local:%H:%M} {name}"
    assert clock.time(moment) == f"{local:%H:%M} {name}"
    assert templating.iso_utc(moment.astimezone(zone)) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- uptime --------------------------------------------------------------------------------


def reference_days(
    segments: list[Segment], tz: dt.tzinfo, now: dt.datetime, count: int
) -> list[Day]:
    """Per-day uptime of one service as ``uptime.service_days`` computed it at first."""
    first = now.astimezone(tz).date() - dt.timedelta(days=count - 1)
    bounds = day_bounds(tz, first, count)
    lo, hi = bounds[0], min(bounds[-1], now)
    clipped = [
        Segment(s.service, max(s.start, lo), min(s.end, hi), s.status, s.incident_id)
        for s in segments
        if s.end > lo and s.start < hi
    ]
    downtime = [0.0] * count
    worst = [0] * count
    incidents: list[set[str]] = [set() for _ in range(count)]
    for start, end, status in merge(clipped):
        weight = DOWNTIME_WEIGHT.get(status, 0.0)
        rank = STATUS_RANK.get(status, 0)
        for n in range(max(bisect.bisect_right(bounds, start) - 1, 0), count):
            if bounds[n] >= end:
                break
            worst[n] = max(worst[n], rank)
            if weight:
                a, b = max(start, bounds[n]), min(end, bounds[n + 1])
                downtime[n] += weight * ((b - a).total_seconds() / 60.0 if b > a else 0.0)
    for s in clipped:
        for n in range(max(bisect.bisect_right(bounds, s.start) - 1, 0), count):
            if bounds[n] >= s.end:
                break
            incidents[n].add(s.incident_id)
    names = {rank: name for name, rank in STATUS_RANK.items()}
    days = []
    for n in range(count):
        start, end = bounds[n], bounds[n + 1]
        length = (min(end, now) - start).total_seconds() / 60.0 if start < now else 0.0
        days.append(
            Day(
                first + dt.timedelta(days=n),
                max(length, 0.0),
                downtime[n],
                names[worst[n]],
                tuple(sorted(incidents[n])),
            )
        )
    return days


def same_uptime(segments: list[Segment], tz: dt.tzinfo, now: dt.datetime, count: int) -> None:
    services = sorted({s.service for s in segments} | {"quiet"})
    got = compute(services, segments, tz, now, count)
    for sid in services:
        expected = reference_days([s for s in segments if s.service == sid], tz, now, count)
        # repr: the floats to the last bit, and -0.0 apart from 0.0.
        assert repr(got[sid].days) == repr(expected), sid


@pytest.mark.parametrize("which", ["demo", "corpus"])
def test_uptime_of_content(which: str, corpus: Path) -> None:
    site = project(load_world(ROOT / "content" if which == "demo" else corpus, NOW).world)
    assert site.segments
    same_uptime(site.segments, site.tz, site.now, 365)


OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
segments = st.builds(
    lambda service, start, minutes, zone, status, incident: Segment(
        service,
        start.astimezone(zone),
        (start + dt.timedelta(minutes=minutes)).astimezone(zone),
        status,
        incident,
    ),
    service=st.sampled_from(["api", "web"]),
    start=st.datetimes(
        min_value=dt.datetime(2026, 10, 1),  # noqa: DTZ001 - Hypothesis wants naive bounds
        max_value=dt.datetime(2026, 11, 28),  # noqa: DTZ001
        timezones=st.just(dt.UTC),
    ),
    minutes=st.one_of(st.integers(1, 3000), st.floats(0.001, 600.0)),
    zone=st.one_of(OFFSETS, st.sampled_from(ZONES).map(zoneinfo.ZoneInfo)),
    status=st.sampled_from(sorted(STATUS_RANK)),
    incident=st.sampled_from(["a", "b", "c", "d"]),
)


@property_settings(ci_examples=300)
@given(
    segs=st.lists(segments, max_size=12),
    zone=st.sampled_from(["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "UTC"]),
    now=st.datetimes(
        min_value=dt.datetime(2026, 10, 20),  # noqa: DTZ001
        max_value=dt.datetime(2026, 11, 30),  # noqa: DTZ001
        timezones=st.sampled_from([dt.UTC, zoneinfo.ZoneInfo("Asia/Kolkata")]),
    ),
    count=st.sampled_from([1, 2, 7, 40]),
)
def test_uptime_of_any_segments(
    segs: list[Segment], zone: str, now: dt.datetime, count: int
) -> None:
    same_uptime(segs, zoneinfo.ZoneInfo(zone), now, count)


@pytest.mark.parametrize("which", ["demo", "corpus"])
def test_api_pieces_dump_as_json_does(which: str, corpus: Path) -> None:
    """Serve's piecewise indented JSON (kept texts of kept objects) equals ``json.dumps``, on
    every document of a site, made twice (the second time from kept texts), and on edge
    cases: empty values, nested lists, strings with line breaks, quotes and non-ASCII."""
    content = ROOT / "content" if which == "demo" else corpus
    site = project(load_world(content, NOW).world)
    docs = api.documents(site)
    docs["edge.json"] = {
        "empty": [],
        "nothing": {},
        "none": None,
        "text": 'two\nlines "quoted" \\ and ünïcode \u2028',
        "nested": [[1, [2, {}]], {"a": [{"b": []}]}, "x", 3.5, True],
        "objects": [{"k": "v\nw"}, {}],
    }
    docs["empty.json"] = {}
    known: dict[int, tuple[object, str]] = {}
    for round_ in range(2):
        pieces = api.Pieces(known)
        for rel, doc in docs.items():
            assert pieces.dump(doc) == api.dump(doc), f"{rel} (round {round_})"
        pieces.end()
    assert known, "the second round reused the texts of the first"
