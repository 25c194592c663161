"""Time: offsets, DST, leap days, the accepted range of years, "now", and zones in the output.

Every timestamp in content carries an offset, so an instant is exact whatever zone it was
written in: durations across a DST change count real minutes, and the same instants written
with different offsets give the same results. Years outside 1970..2100 are refused (a typo,
and beyond them date arithmetic overflows). Every moment the public site prints carries its
zone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pytest
from check_support import base_text, check, make_tree, property_settings
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree, html
from statuspress.build import build
from statuspress.derive import durations
from statuspress.loader import load_world

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
UTC = dt.UTC


def incident(
    started: str,
    resolved: str,
    *,
    detected: str | None = None,
    updates: tuple[str, ...] = (),
    extra: str = "",
) -> str:
    """A resolved SEV-3 incident on the public ``web`` service."""
    lines = [
        "---",
        "title: Checkout errors",
        "severity: SEV-3",
        "services:",
        "  web: partial_outage",
        f"started_at: {started}",
    ]
    if detected:
        lines.append(f"detected_at: {detected}")
    lines.append(f"resolved_at: {resolved}")
    lines.append("updates:")
    for index, at in enumerate((*updates, resolved)):
        last = index == len(updates)
        lines += [
            f"  - at: {at}",
            f"    status: {'resolved' if last else 'investigating'}",
            f"    message: Update {index + 1}.",
        ]
    return "\n".join(lines) + "\n" + extra + "---\n\nBody.\n"


def read(tmp_path: Path, files: dict[str, str], now: dt.datetime = NOW):  # type: ignore[no-untyped-def]
    make_tree(tmp_path, files=files)
    result = load_world(tmp_path / "content", now)
    assert result.errors == [], [d.format() for d in result.errors]
    return result


# --- DST ---------------------------------------------------------------------------------------


def test_duration_across_the_autumn_dst_change(tmp_path: Path) -> None:
    # Berlin, 25 Oct 2026: 03:00 CEST becomes 02:00 CET. 01:30 CEST to 02:30 CET is two hours
    # (the wall clock says one).
    result = read(
        tmp_path,
        {
            "incidents/2026/fall-back.md": incident(
                "2026-10-25T01:30:00+02:00",
                "2026-10-25T02:30:00+01:00",
                detected="2026-10-25T02:10:00+02:00",
                updates=("2026-10-25T02:20:00+01:00",),
            )
        },
    )
    inc = result.world.content.incidents["fall-back"]
    assert inc.started_at == dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    assert inc.resolved_at == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    spans = durations(inc)
    assert spans.impact == 120.0
    assert spans.to_detect == 40.0
    assert spans.to_resolve == 80.0


def test_duration_across_the_spring_dst_change(tmp_path: Path) -> None:
    # Berlin, 29 Mar 2026: 02:00 CET becomes 03:00 CEST. 01:30 CET to 03:30 CEST is one hour.
    result = read(
        tmp_path,
        {
            "incidents/2026/spring-forward.md": incident(
                "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"
            )
        },
    )
    assert durations(result.world.content.incidents["spring-forward"]).impact == 60.0


def test_an_update_written_in_the_other_offset_is_still_in_order(tmp_path: Path) -> None:
    """02:20+01:00 is after 02:40+02:00: order is decided by the instant, not the text."""
    read(
        tmp_path,
        {
            "incidents/2026/ordered.md": incident(
                "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:30:00+01:00",
                updates=("2026-10-25T02:40:00+02:00", "2026-10-25T02:20:00+01:00"),
            )
        },
    )


OFFSETS = [
    "Z",
    "+00:00",
    "+01:00",
    "+0200",
    "-05:00",
    "+05:30",
    "+05:45",
    "-09:30",
    "+14:00",
    "-12:00",
]


def _written(moment: dt.datetime, offset: str) -> str:
    if offset == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = int(offset[1:3]), int(offset[-2:])
    zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S") + offset


@property_settings(ci_examples=40, long_examples=1000)
@given(
    start=st.datetimes(dt.datetime(1971, 1, 1), dt.datetime(2099, 1, 1)),  # noqa: DTZ001
    minutes=st.lists(st.integers(1, 5000), min_size=3, max_size=3),
    offsets=st.lists(st.sampled_from(OFFSETS), min_size=4, max_size=4),
)
def test_any_offsets_for_the_same_instants_give_the_same_results(
    start: dt.datetime, minutes: list[int], offsets: list[str]
) -> None:
    started = start.replace(tzinfo=UTC, microsecond=0)
    detected = started + dt.timedelta(minutes=minutes[0])
    update = detected + dt.timedelta(minutes=minutes[1])
    resolved = update + dt.timedelta(minutes=minutes[2])
    now = max(resolved + dt.timedelta(days=1), NOW)
    results = []
    for zones in (["Z"] * 4, offsets):
        text = incident(
            _written(started, zones[0]),
            _written(resolved, zones[3]),
            detected=_written(detected, zones[1]),
            updates=(_written(update, zones[2]),),
        )
        with tempfile.TemporaryDirectory() as tmp:
            result = read(Path(tmp), {"incidents/2026/any-offset.md": text}, now=now)
        inc = result.world.content.incidents["any-offset"]
        results.append(
            (
                durations(inc),
                [u.at for u in inc.updates],
                result.world.states,
                [d.format() for d in result.diagnostics],
            )
        )
    assert results[0] == results[1]
    assert results[0][0].impact == sum(minutes)


# --- leap days ----------------------------------------------------------------------------------


def test_leap_days(tmp_path: Path) -> None:
    runbook = base_text("runbooks/postgres-connection-pool.md").replace(
        "last_reviewed: 2026-10-01\nreview_every: 90",
        "last_reviewed: 2024-02-29\nreview_every: 365",
    )
    make_tree(
        tmp_path,
        files={
            "incidents/2024/leap.md": incident("2024-02-29T23:30:00Z", "2024-03-01T00:30:00Z"),
            "runbooks/postgres-connection-pool.md": runbook,
        },
    )
    result = load_world(tmp_path / "content", NOW)
    assert durations(result.world.content.incidents["leap"]).impact == 60.0
    # 2024-02-29 + 365 days is 2025-02-28 (there is no 29 February 2025).
    assert [d.format() for d in result.diagnostics] == [
        "content/runbooks/postgres-connection-pool.md:5: warning: "
        "last_reviewed: runbook is stale: review was due 2025-02-28"
    ]


# --- the accepted range ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "resolved", "refused"),
    [
        ("1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z", None),
        # 1969 in UTC but 1970 as written: the year as written counts, the instant is exact.
        ("1970-01-01T00:30:00+01:00", "1970-01-01T01:00:00+01:00", None),
        # Already 2101 in UTC: still computable, and a whole build works with it.
        ("2100-12-31T22:00:00-12:00", "2100-12-31T23:59:59-12:00", None),
        ("1969-12-31T23:59:59Z", "1970-01-01T01:00:00Z", "started_at"),
        ("2026-11-20T09:00:00Z", "2101-01-01T00:00:00Z", "resolved_at"),
        ("0001-01-01T00:00:00Z", "2026-11-20T09:00:00Z", "started_at"),
        ("2026-11-20T09:00:00Z", "9999-12-31T23:59:59-01:00", "resolved_at"),
    ],
)
def test_year_range(started: str, resolved: str, refused: str | None, tmp_path: Path) -> None:
    make_tree(tmp_path, files={"incidents/2026/edge.md": incident(started, resolved)})
    # Checked once the incident is over (an incident may not start in the future).
    now = max(NOW, dt.datetime.fromisoformat(resolved)) if refused is None else NOW
    code, lines = check(tmp_path, "--now", now.isoformat())
    if refused is None:
        # Only warnings (in 2101 the base tree's reviews are overdue), no error.
        assert (code, [line for line in lines if ": warning: " not in line]) == (0, [])
        report = build(tmp_path / "content", tmp_path / "site", now, internal=False)
        assert report.public_files > 0
    else:
        value = started if refused == "started_at" else resolved
        line = 6 if refused == "started_at" else 7
        assert code == 1
        assert (
            f"content/incidents/2026/edge.md:{line}: {refused}: '{value}' is out of range: "
            "use a year from 1970 to 2100"
        ) in lines


def test_dates_out_of_range_do_not_overflow(tmp_path: Path) -> None:
    """last_reviewed far in the future would overflow `+ review_every days`: refused first."""
    runbook = base_text("runbooks/postgres-connection-pool.md").replace(
        "last_reviewed: 2026-10-01\nreview_every: 90",
        "last_reviewed: 2100-12-31\nreview_every: 3650",
    )
    make_tree(tmp_path, files={"runbooks/postgres-connection-pool.md": runbook})
    assert check(tmp_path) == (0, [])
    make_tree(
        tmp_path,
        files={"runbooks/postgres-connection-pool.md": runbook.replace("2100-12-31", "9999-12-31")},
    )
    assert check(tmp_path) == (
        1,
        [
            "content/runbooks/postgres-connection-pool.md:5: last_reviewed: '9999-12-31' is out "
            "of range: use a year from 1970 to 2100"
        ],
    )


# --- now --------------------------------------------------------------------------------------


def test_now_in_any_offset_or_epoch_is_the_same_moment(tmp_path: Path) -> None:
    make_tree(tmp_path, files={"runbooks/postgres-connection-pool.md": _stale_runbook()})
    base = check(tmp_path)  # --now 2026-11-27T12:00:00Z
    assert base[0] == 0 and base[1]
    for now in ("2026-11-27T13:00:00+01:00", "2026-11-27T07:00:00-05:00", "@1795780800"):
        assert check(tmp_path, "--now", now) == base
    assert check(tmp_path, env={"SOURCE_DATE_EPOCH": "1795780800"}) == base


def _stale_runbook() -> str:
    return base_text("runbooks/postgres-connection-pool.md").replace(
        "last_reviewed: 2026-10-01", "last_reviewed: 2026-05-01"
    )


@pytest.mark.parametrize(("zone", "overdue"), [("UTC", False), ("Pacific/Kiritimati", True)])
def test_today_is_the_date_in_the_site_zone(zone: str, overdue: bool, tmp_path: Path) -> None:
    """Due 2026-11-27: at 12:00 UTC that is still today in UTC, but already the 28th at +14:00."""
    item = (
        "action_items:\n  - id: AI-9\n    title: Alert sooner\n    owner: bob\n"
        "    due: 2026-11-27\n    priority: P1\n"
    )
    site = base_text("site.yaml").replace("timezone: Europe/Berlin", f"timezone: {zone}")
    make_tree(
        tmp_path,
        files={
            "site.yaml": site,
            "incidents/2026/due-today.md": incident(
                "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z", extra=item
            ),
        },
    )
    code, lines = check(tmp_path)
    assert code == 0
    expected = (
        [
            "content/incidents/2026/due-today.md:16: warning: action_items[0].due: P1 action item "
            "'AI-9' is overdue (due 2026-11-27)"
        ]
        if overdue
        else []
    )
    assert lines == expected


# --- zones in the output ------------------------------------------------------------------------

MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ZONED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
ZONE_WORD = re.compile(r"\b(UTC|GMT|[A-Z]{3,5})\b|[+-]\d{2}:?\d{2}")


def test_every_moment_in_the_public_site_carries_its_zone(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        files={
            "incidents/2026/fall-back.md": incident(
                "2026-10-25T01:30:00+02:00",
                "2026-10-25T02:30:00+01:00",
                updates=("2026-10-25T02:20:00+01:00",),
            )
        },
    )
    build(tmp_path / "content", tmp_path / "site", NOW, internal=False)
    public = tmp_path / "site" / "public"
    seen = {"html": 0, "json": 0, "xml": 0, "ics": 0}
    for path in sorted(p for p in public.rglob("*") if p.is_file()):
        rel = path.relative_to(public).as_posix()
        if path.suffix == ".html":
            doc = html.fromstring(path.read_bytes())
            for node in doc.iter("time"):
                when = node.get("datetime", "")
                if MOMENT.match(when):  # a moment, not a date or a duration
                    assert ZONED.fullmatch(when), (rel, when)
                    assert ZONE_WORD.search(node.text_content()), (rel, node.text_content())
                    seen["html"] += 1
        elif path.suffix == ".json":
            for value in _strings(json.loads(path.read_bytes())):
                if MOMENT.match(value):
                    assert ZONED.fullmatch(value), (rel, value)
                    seen["json"] += 1
        elif path.suffix in (".atom", ".rss", ".xml"):
            for node in etree.fromstring(path.read_bytes()).iter():
                text = (node.text or "").strip()
                if MOMENT.match(text):
                    assert ZONED.fullmatch(text), (rel, text)
                    seen["xml"] += 1
                elif isinstance(node.tag, str) and node.tag.endswith(("pubDate", "lastBuildDate")):
                    assert re.search(r"([+-]\d{4}|GMT|UTC)$", text), (rel, text)
                    seen["xml"] += 1
        elif path.suffix == ".ics":
            for line in path.read_text(encoding="utf-8").splitlines():
                if re.match(r"(DTSTART|DTEND|DTSTAMP|LAST-MODIFIED|CREATED)[;:]", line):
                    assert line.endswith("Z") or "TZID=" in line, (rel, line)
                    seen["ics"] += 1
    assert all(seen.values()), seen
    page = (public / "incidents/fall-back/index.html").read_text(encoding="utf-8")
    # The two ends of the incident are shown in the site's zone, each with its own abbreviation.
    assert "CEST" in page and "CET" in page.replace("CEST", "")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
