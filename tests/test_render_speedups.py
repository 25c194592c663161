"""The rendering shortcuts must not change a single output byte.

- ``markdown.render`` and ``markdown.plain`` skip markdown-it and nh3 for one line of plain
  prose; the shortcut is compared with the full path on every message of the demo content and
  of a generated corpus, on every line of their files, on hand-picked edge cases and on
  Hypothesis-generated texts (a fixed seed in CI, see ``check_support.property_settings``);
- the ``service_names`` and ``service_statuses`` filters give what the template loops they
  replaced gave;
- moments are formatted from their fields, not with ``strftime``: same text.
"""

from __future__ import annotations

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
from statuspress.check import load
from statuspress.public import templating
from statuspress.public.pages import Renderer
from statuspress.public.project import project

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
    world = load(content, NOW).world
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
    site = project(load(content, NOW).world)
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
