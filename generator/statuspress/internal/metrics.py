"""Incident metrics: the numbers behind the internal metrics page and ``statuspress report``.

Definitions (printed beside every number, documented in docs/internal-site.md):

- Only real incidents count (``Incident.in_metrics``): maintenance and gamedays never do.
- An incident belongs to the month (and to the ``--since``/``--until`` period) of the day it
  *started* in the site's time zone, even when it was resolved in a later month.
- Durations come from :func:`statuspress.derive.durations`; an incident without the timestamp a
  duration needs (no acknowledgement, not yet resolved, ...) is left out of that duration only and
  still counts in every rate.
- Median: the middle value, or the mean of the two middle values for an even count.
  p90: nearest rank, the value at position ceil(0.9 * n) of the sorted values (1-based).
- An incident on several services counts once for each of them in the per-service figures.
- Known failure mode: an incident naming a known error that existed before the incident
  started (:func:`known_since`); every other incident, with or without known errors, is novel.
- A quarter is a calendar quarter of the site's time zone (``2026-Q1``), by start day.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..derive import SEVERITY_RANK, World, durations
from ..models import Incident, Targets

# Metric id -> (name, unit, definition). The page, the report and the docs print these.
DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "mtta": (
        "MTTA (time to acknowledge)",
        "minutes",
        "From detection (detected_at, else started_at) to the first human acknowledgement "
        "(acknowledged_at). Incidents without acknowledged_at are left out.",
    ),
    "mttr": (
        "MTTR (time to resolve)",
        "minutes",
        "From detection to confirmed resolution (resolved_at). Unresolved incidents are left out.",
    ),
    "ttd": (
        "Time to detect",
        "minutes",
        "From the start of impact (started_at) to detection (detected_at). Incidents without "
        "detected_at are left out.",
    ),
    "ttm": (
        "Time to mitigate",
        "minutes",
        "From detection to mitigation (mitigated_at), when user impact stopped. Incidents "
        "without mitigated_at are left out.",
    ),
    "mtbf": (
        "MTBF per service",
        "hours",
        "Mean time between the starts of consecutive incidents on the same service; needs at "
        "least two incidents on that service in the period.",
    ),
    "recurrence_rate": (
        "Recurrence rate",
        "share",
        "Share of incidents that name a known error an earlier incident (by started_at) "
        "already named: repeats of a failure we had seen before.",
    ),
    "escalation_rate": (
        "Escalation rate",
        "share",
        "Share of incidents that needed escalation beyond the initial responders "
        "(non-empty escalated).",
    ),
    "monitoring_ratio": (
        "Monitoring-detected ratio",
        "share",
        "Share of incidents first detected by monitoring (detection: monitoring) among "
        "incidents whose detection source is recorded.",
    ),
    "customer_share": (
        "Customer-reported share",
        "share",
        "Share of incidents first reported by customers (detection: customer) among "
        "incidents whose detection source is recorded. Should fall over time.",
    ),
    "known_error_share": (
        "Resolved with a known error",
        "share",
        "Share of incidents linked to a known error (non-empty known_errors): the "
        "investigation was already done.",
    ),
    "workaround_share": (
        "Resolved with a known-error workaround",
        "share",
        "Share of resolved incidents that were known failure modes: they name a known error "
        "that existed before they started, so its workaround was at hand. The article's mature "
        "range is 30-40%.",
    ),
    "mttr_known": (
        "MTTR, known failure modes",
        "minutes",
        "MTTR of incidents naming a known error that existed before they started: its "
        "identified date (front matter) when given and earlier than the incident's start day, "
        "else the start of the first incident of any kind (gamedays too) that named it.",
    ),
    "mttr_novel": (
        "MTTR, novel incidents",
        "minutes",
        "MTTR of every other incident: no known error, or only known errors first recorded "
        "with or after it.",
    ),
    "category": (
        "By category",
        "incidents",
        "Incidents and MTTR per value of category.system, category.type and category.cause; "
        "incidents without the field count as 'unset'.",
    ),
    "customer_share_by_quarter": (
        "Customer-reported share per quarter",
        "share",
        "The customer-reported share of the incidents that started in each calendar quarter. "
        "Decreasing when the latest quarter with a recorded detection is lower than the one "
        "before it.",
    ),
    "pages_per_shift": (
        "Pages per 12-hour shift",
        "pages",
        "Monitoring-detected incidents per 12-hour on-call shift (00:00-12:00 and "
        "12:00-24:00 site time), counting only incident pages (a lower bound of all pages). "
        "Compared with the target: the busiest shift.",
    ),
}
DURATION_METRICS = ("mtta", "mttr", "ttd", "ttm")
RATE_METRICS = (
    "recurrence_rate",
    "escalation_rate",
    "monitoring_ratio",
    "customer_share",
    "known_error_share",
    "workaround_share",
)
CATEGORY_FIELDS = ("system", "type", "cause")


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile: the value at rank ceil(0.9 n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(0.9 * len(ordered))) - 1]


@dataclass(frozen=True, slots=True)
class Stat:
    """Count, mean, median and p90 of one duration over a group of incidents."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        return cls(
            len(values),
            statistics.fmean(values) if values else None,
            median(values),
            p90(values),
        )


@dataclass(frozen=True, slots=True)
class Ratio:
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(slots=True)
class Facts:
    """What the metrics need from one incident (computed once)."""

    incident: Incident
    month: str
    day: dt.date
    minutes: dict[str, float | None]
    recurring: bool
    known: bool = False
    """A known failure mode: it names a known error that existed before it started."""
    quarter: str = ""


@dataclass(slots=True)
class Group:
    """The metrics of one set of incidents (all, one severity, one service, one month)."""

    key: str
    incidents: int
    durations: dict[str, Stat]
    rates: dict[str, Ratio]
    ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ServiceMTBF:
    service: str
    incidents: int
    hours: Stat


@dataclass(frozen=True, slots=True)
class ShiftLoad:
    shifts: int
    pages: int
    busiest: str
    busiest_pages: int

    @property
    def mean(self) -> float:
        return self.pages / self.shifts if self.shifts else 0.0


@dataclass(slots=True)
class Metrics:
    since: dt.date | None
    until: dt.date | None
    targets: Targets
    overall: Group
    by_severity: list[Group]
    by_service: list[Group]
    by_month: list[Group]
    mtbf: list[ServiceMTBF]
    shifts: ShiftLoad | None
    excluded: dict[str, int]
    """Maintenance and gamedays in the period, shown so readers see what was left out."""
    split: list[Split] = field(default_factory=list)
    """MTTR of known failure modes and novel incidents, per severity then overall."""
    by_category: dict[str, list[Group]] = field(default_factory=dict)
    by_quarter: list[Group] = field(default_factory=list)

    @property
    def customer_trend(self) -> str:
        """``decreasing``, ``not decreasing`` or ``""`` (fewer than two quarters with data)."""
        values = [v for g in self.by_quarter if (v := g.rates["customer_share"].value) is not None]
        if len(values) < 2:
            return ""
        return "decreasing" if values[-1] < values[-2] else "not decreasing"


@dataclass(frozen=True, slots=True)
class Split:
    """MTTR of one severity (or ``all``) split into known failure modes and novel incidents."""

    key: str
    known: Stat
    novel: Stat
    known_target: float | None
    novel_target: float | None


def _recurring(incidents: Iterable[Incident]) -> set[str]:
    """Ids of incidents naming a known error that a strictly earlier incident named."""
    out: set[str] = set()
    seen: set[str] = set()
    ordered = sorted(incidents, key=lambda i: (i.started_at, i.id))
    index = 0
    while index < len(ordered):
        # Incidents starting at the same moment are not "earlier" than each other.
        same = [ordered[index]]
        while index + len(same) < len(ordered) and (
            ordered[index + len(same)].started_at == same[0].started_at
        ):
            same.append(ordered[index + len(same)])
        for inc in same:
            if seen.intersection(inc.known_errors):
                out.add(inc.id)
        for inc in same:
            seen.update(inc.known_errors)
        index += len(same)
    return out


def known_since(world: World) -> dict[str, dt.datetime]:
    """For each known error, the moment from which an incident naming it is a known failure.

    With an ``identified`` date in the known error's front matter: the start of the next day
    (site time zone), so incidents that started on that day, likely the ones that revealed
    it, stay novel. Without one: just after the start of the first incident of any kind that
    names it, gamedays included (the known error was written from what that incident found;
    content does not date a file otherwise). A known error nothing names and nothing dates is
    absent.
    """
    tz = world.content.site.tz
    out: dict[str, dt.datetime] = {}
    for inc in world.content.incidents.values():
        for ke in inc.known_errors:
            after = inc.started_at + dt.timedelta(microseconds=1)
            if ke not in out or after < out[ke]:
                out[ke] = after
    for known in world.content.known_errors.values():
        if known.identified is not None:
            next_day = known.identified + dt.timedelta(days=1)
            out[known.id] = dt.datetime.combine(next_day, dt.time(), tzinfo=tz)
    return out


def is_known(inc: Incident, since: dict[str, dt.datetime]) -> bool:
    return any(ke in since and inc.started_at >= since[ke] for ke in inc.known_errors)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def facts(world: World) -> list[Facts]:
    """Per-incident facts for every incident that counts in metrics, oldest first."""
    tz = world.content.site.tz
    real = [i for i in world.content.incidents.values() if i.in_metrics]
    recurring = _recurring(real)
    since = known_since(world)
    out = []
    for inc in sorted(real, key=lambda i: (i.started_at, i.id)):
        d = durations(inc)
        resolved = world.states.get(inc.id) == "resolved"
        local = inc.started_at.astimezone(tz)
        out.append(
            Facts(
                incident=inc,
                month=local.strftime("%Y-%m"),
                day=local.date(),
                minutes={
                    "mtta": d.to_acknowledge,
                    "mttr": d.to_resolve if resolved else None,
                    "ttd": d.to_detect,
                    "ttm": d.to_mitigate,
                },
                recurring=inc.id in recurring,
                known=is_known(inc, since),
                quarter=quarter_of(local.date()),
            )
        )
    return out


def group(key: str, items: Sequence[Facts]) -> Group:
    stats = {
        name: Stat.of([m for f in items if (m := f.minutes[name]) is not None])
        for name in DURATION_METRICS
    }
    detected = [f for f in items if f.incident.detection]
    rates = {
        "recurrence_rate": Ratio(sum(f.recurring for f in items), len(items)),
        "escalation_rate": Ratio(sum(bool(f.incident.escalated) for f in items), len(items)),
        "monitoring_ratio": Ratio(
            sum(f.incident.detection == "monitoring" for f in detected), len(detected)
        ),
        "customer_share": Ratio(
            sum(f.incident.detection == "customer" for f in detected), len(detected)
        ),
        "known_error_share": Ratio(sum(bool(f.incident.known_errors) for f in items), len(items)),
        "workaround_share": Ratio(
            sum(f.known for f in items if f.minutes["mttr"] is not None),
            sum(f.minutes["mttr"] is not None for f in items),
        ),
    }
    return Group(key, len(items), stats, rates, [f.incident.id for f in items])


def _grouped(
    items: Sequence[Facts], keys: Callable[[Facts], Iterable[str]], order: Callable[[str], Any]
) -> list[Group]:
    buckets: dict[str, list[Facts]] = {}
    for f in items:
        for k in keys(f):
            buckets.setdefault(k, []).append(f)
    return [group(k, buckets[k]) for k in sorted(buckets, key=order)]


def _mtbf(items: Sequence[Facts]) -> list[ServiceMTBF]:
    starts: dict[str, list[dt.datetime]] = {}
    for f in items:
        for service in f.incident.services:
            starts.setdefault(service, []).append(f.incident.started_at)
    out = []
    for service in sorted(starts):
        times = sorted(starts[service])
        gaps = [(b - a).total_seconds() / 3600.0 for a, b in zip(times, times[1:], strict=False)]
        out.append(ServiceMTBF(service, len(times), Stat.of(gaps)))
    return out


def _shifts(world: World, items: Sequence[Facts], first: dt.date, last: dt.date) -> ShiftLoad:
    tz = world.content.site.tz
    counts: dict[tuple[dt.date, int], int] = {}
    for f in items:
        if f.incident.detection != "monitoring":
            continue
        local = f.incident.detected.astimezone(tz)
        slot = (local.date(), 0 if local.hour < 12 else 1)
        counts[slot] = counts.get(slot, 0) + 1
    shifts = ((last - first).days + 1) * 2
    if not counts:
        return ShiftLoad(shifts, 0, "", 0)
    (day, half), top = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    label = f"{day.isoformat()} {'00:00-12:00' if half == 0 else '12:00-24:00'}"
    return ShiftLoad(shifts, sum(counts.values()), label, top)


def compute(world: World, since: dt.date | None = None, until: dt.date | None = None) -> Metrics:
    """Every metric over incidents that started between ``since`` and ``until`` (inclusive)."""
    every = facts(world)
    items = [
        f for f in every if (since is None or f.day >= since) and (until is None or f.day <= until)
    ]
    tz = world.content.site.tz
    excluded: dict[str, int] = {"maintenance": 0, "gameday": 0}
    for inc in world.content.incidents.values():
        if inc.in_metrics:
            continue
        day = inc.started_at.astimezone(tz).date()
        if (since is None or day >= since) and (until is None or day <= until):
            excluded[inc.kind] = excluded.get(inc.kind, 0) + 1
    shifts = None
    if items:
        first = since or items[0].day
        last = until or max(world.today, items[-1].day)
        shifts = _shifts(world, items, first, last)
    return Metrics(
        since=since,
        until=until,
        targets=world.content.site.targets,
        overall=group("all", items),
        by_severity=_grouped(
            items,
            lambda f: [f.incident.severity or "unset"],
            lambda k: SEVERITY_RANK.get(k, 9),
        ),
        by_service=_grouped(items, lambda f: sorted(f.incident.services), lambda k: k),
        by_month=_grouped(items, lambda f: [f.month], lambda k: k),
        mtbf=_mtbf(items),
        shifts=shifts,
        excluded=excluded,
        split=_split(world.content.site.targets, items),
        by_category={
            name: _grouped(items, _category(name), lambda k: (k == "unset", k))
            for name in CATEGORY_FIELDS
        },
        by_quarter=_grouped(items, lambda f: [f.quarter], lambda k: k),
    )


def _category(name: str) -> Callable[[Facts], list[str]]:
    return lambda f: [f.incident.category.get(name) or "unset"]


def _split(targets: Targets, items: Sequence[Facts]) -> list[Split]:
    """Per severity present (then ``all``): MTTR of known failure modes and of novel incidents."""
    buckets: dict[str, list[Facts]] = {}
    for f in items:
        buckets.setdefault(f.incident.severity or "unset", []).append(f)
    out = []
    for key in [*sorted(buckets, key=lambda k: SEVERITY_RANK.get(k, 9)), "all"]:
        chosen = items if key == "all" else buckets[key]
        known = [m for f in chosen if f.known and (m := f.minutes["mttr"]) is not None]
        novel = [m for f in chosen if not f.known and (m := f.minutes["mttr"]) is not None]
        out.append(
            Split(
                key,
                Stat.of(known),
                Stat.of(novel),
                targets.mttr_known_minutes.get(key),
                targets.mttr_novel_minutes.get(key),
            )
        )
    return out


# --- targets ---------------------------------------------------------------------------------


def duration_target(targets: Targets, metric: str, severity: str) -> float | None:
    """The site.yaml target in minutes for MTTA/MTTR at one severity (None: no target)."""
    if metric == "mtta":
        return targets.mtta_minutes.get(severity)
    if metric == "mttr":
        return targets.mttr_minutes.get(severity)
    return None


def rate_target(targets: Targets, metric: str) -> tuple[float, str] | None:
    """(target, direction) for a rate: direction ``min`` (at least) or ``max`` (at most)."""
    if metric == "monitoring_ratio":
        return targets.monitoring_detected_ratio, "min"
    if metric == "recurrence_rate":
        return targets.recurrence_rate, "max"
    if metric == "escalation_rate":
        return targets.escalation_rate, "max"
    return None


def rate_range(targets: Targets, metric: str) -> tuple[float, float] | None:
    """(low, high) for a rate that should stay within a range (the workaround share)."""
    if metric == "workaround_share":
        return targets.workaround_share_min, targets.workaround_share_max
    return None


def rate_verdict(targets: Targets, metric: str, value: float | None) -> str:
    """``met``/``missed`` against the rate's target or range, ``""`` without either."""
    span = rate_range(targets, metric)
    if span:
        if value is None:
            return ""
        return "met" if span[0] <= value <= span[1] else "missed"
    goal = rate_target(targets, metric)
    return verdict(value, goal[0], goal[1]) if goal else ""


def rate_goal_text(targets: Targets, metric: str) -> str:
    """The target as people read it: ``≥ 70.0%``, ``≤ 20.0%``, ``30.0%-40.0%`` or ``""``."""
    span = rate_range(targets, metric)
    if span:
        return f"{fmt_share(span[0])}-{fmt_share(span[1])}"
    goal = rate_target(targets, metric)
    if not goal:
        return ""
    return ("≥ " if goal[1] == "min" else "≤ ") + fmt_share(goal[0])


def verdict(value: float | None, target: float | None, direction: str = "max") -> str:
    """``met``, ``missed`` or ``""`` (no value or no target)."""
    if value is None or target is None:
        return ""
    ok = value <= target if direction == "max" else value >= target
    return "met" if ok else "missed"


# --- formatting shared by the page and the report ------------------------------------------


def fmt_hours(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"


def fmt_share(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"
