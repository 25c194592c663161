"""Uptime of public services, per day and over 30/90/365 days.

The rule (documented in docs/public-site.md and tested by hand-computed cases):

- days are calendar days in the site's time zone, so a day lasts 23, 24 or 25 hours; the last
  day is "now"'s day and counts only its elapsed minutes;
- downtime minutes of a service = minutes in ``major_outage`` + 0.3 x minutes in
  ``partial_outage``; ``degraded_performance`` and ``under_maintenance`` count 0;
- where several incidents overlap on one service, each minute counts once, at the worst status
  any of them gives it then (never double-counted);
- a day's uptime is ``100 x (1 - downtime / minutes of the day)``; a period's is the same over
  the sum of its days.

Input is :attr:`PublicSite.segments` (public incidents on public services only), so uptime
never reflects internal-only work.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..derive import STATUS_RANK, Segment

DOWNTIME_WEIGHT = {
    "major_outage": 1.0,
    "partial_outage": 0.3,
    "degraded_performance": 0.0,
    "under_maintenance": 0.0,
    "operational": 0.0,
}
PERIODS = (30, 90, 365)


@dataclass(frozen=True, slots=True)
class Day:
    """One calendar day of one service."""

    date: dt.date
    minutes: float
    """Length of the day in minutes (1380/1440/1500; today: the minutes elapsed so far)."""
    downtime: float
    """Weighted downtime minutes."""
    worst: str
    """Worst status any incident gave the service that day (``operational`` if none)."""
    incidents: tuple[str, ...]
    """Ids of incidents with a non-operational segment on this service that day."""

    @property
    def percent(self) -> float:
        if self.minutes <= 0:
            return 100.0
        return 100.0 * (1.0 - self.downtime / self.minutes)


@dataclass(slots=True)
class ServiceUptime:
    service: str
    days: list[Day] = field(default_factory=list)
    """Oldest first; the last is today."""

    def last(self, count: int) -> list[Day]:
        return self.days[-count:] if count > 0 else []

    def percent(self, count: int) -> float:
        """Uptime over the last ``count`` days."""
        days = self.last(count)
        total = sum(d.minutes for d in days)
        if total <= 0:
            return 100.0
        return 100.0 * (1.0 - sum(d.downtime for d in days) / total)


def day_bounds(tz: dt.tzinfo, first: dt.date, count: int) -> list[dt.datetime]:
    """UTC starts of ``count`` local days from ``first``, plus the end of the last one."""
    out = []
    for n in range(count + 1):
        day = first + dt.timedelta(days=n)
        out.append(dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC))
    return out


def merge(segments: Iterable[Segment]) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Flatten overlapping segments of one service into disjoint spans at the worst status."""
    points: set[dt.datetime] = set()
    segs = list(segments)
    for s in segs:
        points.add(s.start)
        points.add(s.end)
    edges = sorted(points)
    if len(edges) < 2:
        return []
    # For each elementary interval between two edges, the worst status of covering segments.
    worst: list[int] = [0] * (len(edges) - 1)
    index = {t: i for i, t in enumerate(edges)}
    for s in segs:
        rank = STATUS_RANK.get(s.status, 0)
        for i in range(index[s.start], index[s.end]):
            if rank > worst[i]:
                worst[i] = rank
    names = {rank: name for name, rank in STATUS_RANK.items()}
    spans: list[tuple[dt.datetime, dt.datetime, str]] = []
    for i, rank in enumerate(worst):
        if rank == 0:
            continue
        start, end, status = edges[i], edges[i + 1], names[rank]
        if spans and spans[-1][1] == start and spans[-1][2] == status:
            spans[-1] = (spans[-1][0], end, status)
        else:
            spans.append((start, end, status))
    return spans


def _overlap(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime) -> float:
    """Minutes of overlap of [a0, a1) and [b0, b1)."""
    start, end = max(a0, b0), min(a1, b1)
    return (end - start).total_seconds() / 60.0 if end > start else 0.0


def calendar(bounds: Sequence[dt.datetime], first: dt.date, now: dt.datetime) -> list[Day]:
    """The days delimited by ``bounds`` without any downtime: dates and lengths in minutes."""
    days = []
    for n in range(len(bounds) - 1):
        start, end = bounds[n], bounds[n + 1]
        length = (min(end, now) - start).total_seconds() / 60.0 if start < now else 0.0
        days.append(Day(first + dt.timedelta(days=n), max(length, 0.0), 0.0, "operational", ()))
    return days


def service_days(
    segments: Sequence[Segment],
    bounds: Sequence[dt.datetime],
    first: dt.date,
    now: dt.datetime,
    quiet: Sequence[Day] | None = None,
) -> list[Day]:
    """Per-day uptime of one service over the days delimited by ``bounds``.

    ``quiet`` is :func:`calendar` of the same days, if the caller has it already: days without
    incidents are taken from it as they are (days are immutable, so services share them).
    """
    if quiet is None:
        quiet = calendar(bounds, first, now)
    count = len(bounds) - 1
    lo, hi = bounds[0], min(bounds[-1], now)
    relevant = [s for s in segments if s.end > lo and s.start < hi]
    # The same instants, in UTC like the bounds: datetimes of one zone compare without an
    # offset lookup each time (segments carry their writers' UTC offsets).
    utc = dt.UTC
    clipped = [
        Segment(
            s.service,
            max(s.start, lo).astimezone(utc),
            min(s.end, hi).astimezone(utc),
            s.status,
            s.incident_id,
        )
        for s in relevant
    ]
    downtime = [0.0] * count
    worst = [0] * count
    incidents: list[set[str]] = [set() for _ in range(count)]
    for start, end, status in merge(clipped):
        weight = DOWNTIME_WEIGHT.get(status, 0.0)
        rank = STATUS_RANK.get(status, 0)
        first_day = max(bisect.bisect_right(bounds, start) - 1, 0)
        for n in range(first_day, count):
            if bounds[n] >= end:
                break
            worst[n] = max(worst[n], rank)
            if weight:
                downtime[n] += weight * _overlap(start, end, bounds[n], bounds[n + 1])
    for s in clipped:
        first_day = max(bisect.bisect_right(bounds, s.start) - 1, 0)
        for n in range(first_day, count):
            if bounds[n] >= s.end:
                break
            incidents[n].add(s.incident_id)
    names = {rank: name for name, rank in STATUS_RANK.items()}
    days = list(quiet)
    for n in range(count):
        if worst[n] or downtime[n] or incidents[n]:
            day = quiet[n]
            days[n] = Day(
                date=day.date,
                minutes=day.minutes,
                downtime=downtime[n],
                worst=names[worst[n]],
                incidents=tuple(sorted(incidents[n])),
            )
    return days


def compute(
    services: Iterable[str],
    segments: Iterable[Segment],
    tz: dt.tzinfo,
    now: dt.datetime,
    days: int,
) -> dict[str, ServiceUptime]:
    """Uptime of each service over the ``days`` local days ending with ``now``'s day."""
    today = now.astimezone(tz).date()
    first = today - dt.timedelta(days=days - 1)
    bounds = day_bounds(tz, first, days)
    quiet = calendar(bounds, first, now)
    by_service: dict[str, list[Segment]] = {}
    for seg in segments:
        by_service.setdefault(seg.service, []).append(seg)
    return {
        sid: ServiceUptime(sid, service_days(by_service.get(sid, []), bounds, first, now, quiet))
        for sid in services
    }


def format_percent(value: float) -> str:
    """Two decimals, rounded down, so any downtime at all never shows as 100% (English)."""
    from ..i18n import Formats

    return Formats().percent(value)
