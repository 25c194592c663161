"""Incident-management maturity: the domain article's levels 1-4 evaluated from the content.

The article (docs/internal-site.md, "Maturity") describes four levels: Reactive, Defined,
Managed, Optimized. Each level's traits become criteria that the content can prove or disprove;
a level is reached when every measured criterion of it and of the levels below is met. Traits
the files cannot show (blameless culture, remediation automation) are listed as "not measured"
and never decide the level, so the page does not claim what it cannot see.

Time rules: "recent" means the 365 days up to ``--now`` (site time zone, by the day an incident
started); quarters are calendar quarters in the site's time zone and only complete ones enter the
MTBF trend, so a quarter in progress never looks better than it will be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..derive import POSTMORTEM_GRACE, World
from ..durations import format_minutes
from ..models import Incident
from . import metrics as m

LEVELS: dict[int, tuple[str, str]] = {
    1: (
        "Reactive",
        "Incidents are handled ad hoc; no defined process, no post-incident reviews. Every "
        "organisation starts here: level 1 has no criteria.",
    ),
    2: (
        "Defined",
        "A basic process exists: severity levels, an on-call rotation, an owner of "
        "communication, reviews of major incidents, metrics tracked.",
    ),
    3: (
        "Managed",
        "The process is followed consistently: runbooks for common failure modes, MTTA and MTTR "
        "targets met, action items tracked to completion, monitoring covers the critical paths.",
    ),
    4: (
        "Optimized",
        "Incident data drives prevention, gamedays test readiness, and the time between "
        "failures improves quarter over quarter.",
    ),
}
WINDOW_DAYS = 365
REVIEWED_SHARE = 0.8
"""Level 2: reviews "happen for major incidents" (at least this share); level 3 wants all."""
TRACKED_SHARE = 0.8
"""Level 2: MTTA and MTTR are measurable for at least this share of resolved incidents."""
TOP_SERVICES = 3
EVIDENCE_LIMIT = 10

MTBF_DEFINITION = (
    "MTBF of a quarter: the hours of the calendar quarter (site time zone) divided by the real "
    "incidents (not maintenance, not gamedays) that started in it; none started: no failures. "
    "Improving: fewer incidents in the last complete quarter than in the one before."
)
MET, MISSED, NOT_MEASURED = "met", "missed", "not measured"


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    level: int
    name: str
    definition: str
    status: str
    """``met``, ``missed`` or ``not measured``."""
    value: str
    """The number behind the verdict, as people read it ("10 of 11 (90.9%)")."""
    evidence: tuple[str, ...] = ()
    """What decided it: offending ids, or the figures compared."""


@dataclass(frozen=True, slots=True)
class Quarter:
    label: str
    """``2026-Q3``."""
    hours: float
    incidents: int

    @property
    def mtbf(self) -> float | None:
        """Hours of the quarter per failure; None when the quarter had no failure."""
        return self.hours / self.incidents if self.incidents else None


@dataclass(frozen=True, slots=True)
class Trend:
    """MTBF of one service (or ``all``) over the last complete quarters, oldest first."""

    service: str
    quarters: tuple[Quarter, ...]
    trend: str
    """``improving``, ``not improving`` or ``no failures`` (none in the last two quarters)."""


@dataclass(slots=True)
class Maturity:
    today: dt.date
    since: dt.date
    level: int
    criteria: list[Criterion]
    overall: Trend
    services: list[Trend] = field(default_factory=list)

    def at(self, level: int) -> list[Criterion]:
        return [c for c in self.criteria if c.level == level]

    @property
    def missing(self) -> list[Criterion]:
        """What stands between the level reached and the next one (empty at level 4)."""
        return [c for c in self.at(self.level + 1) if c.status == MISSED]


def _share(hits: int, total: int) -> str:
    return f"{hits} of {total} ({m.fmt_share(hits / total)})" if total else "0 of 0"


def _ids(items: Sequence[str]) -> tuple[str, ...]:
    shown = tuple(items[:EVIDENCE_LIMIT])
    more = len(items) - len(shown)
    return (*shown, f"and {more} more") if more else shown


def fmt_mtbf(q: Quarter) -> str:
    return m.fmt_hours(q.mtbf) if q.incidents else "no failures"


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(start: dt.date) -> dt.date:
    return dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)


def quarters(world: World, count: int = 4) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The last ``count`` complete calendar quarters before today (site time zone), oldest first."""
    tz = world.content.site.tz
    end = _quarter_start(world.today)
    out = []
    for _ in range(count):
        start = _quarter_start(end - dt.timedelta(days=1))
        out.append(
            (
                f"{start.year}-Q{(start.month - 1) // 3 + 1}",
                dt.datetime.combine(start, dt.time(), tz),
                dt.datetime.combine(end, dt.time(), tz),
            )
        )
        end = start
    return list(reversed(out))


def _trend(service: str, qs: tuple[Quarter, ...]) -> Trend:
    if len(qs) < 2 or (qs[-1].incidents == 0 and qs[-2].incidents == 0):
        return Trend(service, qs, "no failures" if len(qs) >= 2 else "not improving")
    # Fewer failures means a higher MTBF: quarters differ by at most two days, so an equal
    # count is "not improving" even when the longer quarter divides into a few more hours.
    improving = qs[-1].incidents < qs[-2].incidents
    return Trend(service, qs, "improving" if improving else "not improving")


def real_incidents(world: World) -> list[Incident]:
    """Incidents the metrics count (no gamedays or maintenance) that started by now, by id."""
    return sorted(
        (i for i in world.content.incidents.values() if i.in_metrics and i.started_at <= world.now),
        key=lambda i: i.id,
    )


def mtbf_trends(world: World, real: Sequence[Incident]) -> tuple[Trend, list[Trend]]:
    """MTBF per complete quarter (hours in the quarter / real incidents that started in it)."""
    spans = quarters(world)
    hours = [(end - start).total_seconds() / 3600.0 for _, start, end in spans]
    # One pass: each incident into its quarter, for all services and for each of its own.
    counts: dict[str, list[int]] = {"": [0] * len(spans)}
    for inc in real:
        for index, (_, start, end) in enumerate(spans):
            if start <= inc.started_at < end:
                counts[""][index] += 1
                for s in inc.services:
                    counts.setdefault(s, [0] * len(spans))[index] += 1
                break
        else:
            for s in inc.services:
                counts.setdefault(s, [0] * len(spans))

    def series(key: str) -> tuple[Quarter, ...]:
        return tuple(
            Quarter(label, h, n)
            for (label, _, _), h, n in zip(spans, hours, counts[key], strict=True)
        )

    overall = _trend("all", series(""))
    per = [_trend(s, series(s)) for s in sorted(k for k in counts if k)]
    return overall, per


def _local_day(world: World, inc: Incident) -> dt.date:
    return inc.started_at.astimezone(world.content.site.tz).date()


def _postmortem_due(world: World, real: Sequence[Incident]) -> list[Incident]:
    """SEV-1/2 incidents resolved more than the grace period (5 days) ago: a review is due."""
    return [
        i
        for i in real
        if i.severity in ("SEV-1", "SEV-2")
        and i.resolved_at is not None
        and world.now - i.resolved_at > POSTMORTEM_GRACE  # the rule check warns on
    ]


def evaluate(world: World) -> Maturity:
    """Every criterion of levels 2-4 with its evidence, and the level reached."""
    content = world.content
    today = world.today
    since = today - dt.timedelta(days=WINDOW_DAYS - 1)
    real = real_incidents(world)
    recent = [i for i in real if _local_day(world, i) >= since]
    res = m.compute(world, since, today)
    out: list[Criterion] = []

    # -- level 2: defined ----------------------------------------------------------------------
    unset = [i.id for i in real if not i.severity]
    own = sum(bool(s.severity_criteria) for s in content.services.values())
    out.append(
        Criterion(
            "severity_levels", 2, "Severity levels defined and used",
            "Every real incident carries a severity (SEV-1..SEV-4, criteria company-wide or "
            "per service).",
            MET if not unset else MISSED,
            _share(len(real) - len(unset), len(real)) + f"; {own} services with own criteria",
            _ids(unset),
        )
    )  # fmt: skip
    no_primary = sorted(s.id for s in content.services.values() if not s.routing.get("primary"))
    out.append(
        Criterion(
            "on_call", 2, "On-call rotation",
            "Every service names a primary on-call responder in its routing (services.yaml).",
            MET if not no_primary else MISSED,
            _share(len(content.services) - len(no_primary), len(content.services)),
            _ids(no_primary),
        )
    )  # fmt: skip
    no_ic = [i.id for i in real if not i.commander]
    out.append(
        Criterion(
            "communication_owner", 2, "Communication has an owner",
            "Every real incident names an incident commander, the sole author of its "
            "communication.",
            MET if not no_ic else MISSED,
            _share(len(real) - len(no_ic), len(real)),
            _ids(no_ic),
        )
    )  # fmt: skip
    due = _postmortem_due(world, real)
    unreviewed = [i.id for i in due if i.postmortem is None]
    reviewed = len(due) - len(unreviewed)
    out.append(
        Criterion(
            "reviews_major", 2, "Reviews for major incidents",
            f"At least {REVIEWED_SHARE:.0%} of SEV-1/2 incidents resolved more than 5 days ago "
            "have a postmortem.",
            MET if not due or reviewed / len(due) >= REVIEWED_SHARE else MISSED,
            _share(reviewed, len(due)),
            _ids(unreviewed),
        )
    )  # fmt: skip
    resolved = [i for i in real if world.states.get(i.id) == "resolved"]
    untracked = [i.id for i in resolved if i.acknowledged_at is None]
    tracked = len(resolved) - len(untracked)
    out.append(
        Criterion(
            "metrics_tracked", 2, "Metrics tracked",
            f"MTTA and MTTR can be measured (acknowledged_at and resolved_at) for at least "
            f"{TRACKED_SHARE:.0%} of resolved real incidents.",
            MET if resolved and tracked / len(resolved) >= TRACKED_SHARE else MISSED,
            _share(tracked, len(resolved)),
            _ids(untracked),
        )
    )  # fmt: skip

    # -- level 3: managed ----------------------------------------------------------------------
    out.append(
        Criterion(
            "reviews_all", 3, "Reviews for every major incident",
            "Every SEV-1/2 incident resolved more than 5 days ago has a postmortem (the process "
            "is followed consistently).",
            MET if not unreviewed else MISSED,
            _share(reviewed, len(due)),
            _ids(unreviewed),
        )
    )  # fmt: skip
    counts: dict[str, int] = {}
    for inc in recent:
        for s in inc.services:
            counts[s] = counts.get(s, 0) + 1
    top = sorted(counts, key=lambda s: (-counts[s], s))[:TOP_SERVICES]
    stale = world.stale_runbooks
    covered = {
        s: sorted(r.id for r in world.runbooks_by_service.get(s, []) if r.id not in stale)
        for s in top
    }
    bare = [s for s in top if not covered[s]]
    out.append(
        Criterion(
            "runbooks", 3, "Runbooks for common failure modes",
            f"Each of the {TOP_SERVICES} services with the most real incidents in the last "
            f"{WINDOW_DAYS} days has a runbook that is not past its review date.",
            MET if top and not bare else MISSED,
            _share(len(top) - len(bare), len(top)),
            tuple(
                f"{s} ({counts[s]} incidents): {', '.join(covered[s]) or 'no current runbook'}"
                for s in top
            ),
        )
    )  # fmt: skip
    checks: list[str] = []
    misses = 0
    for metric in ("mtta", "mttr"):
        for g in res.by_severity:
            target = m.duration_target(res.targets, metric, g.key)
            mean = g.durations[metric].mean
            verdict = m.verdict(mean, target)
            if not verdict:
                continue
            misses += verdict == "missed"
            checks.append(
                f"{metric.upper()} {g.key}: mean {format_minutes(mean)}, target "
                f"{format_minutes(target)}, {verdict}"
            )
    out.append(
        Criterion(
            "targets_met", 3, "MTTA and MTTR targets met",
            f"In the last {WINDOW_DAYS} days the mean MTTA and the mean MTTR of every severity "
            "meet the site.yaml targets.",
            MET if checks and not misses else MISSED,
            f"{len(checks) - misses} of {len(checks)} met",
            tuple(checks),
        )
    )  # fmt: skip
    late = [
        f"{a.incident_id} {a.id} (due {a.due.isoformat()})"
        for inc in real
        for a in inc.action_items
        if a.status == "open" and a.due is not None and a.due < today
    ]
    undated = [
        f"{a.incident_id} {a.id} ({a.priority}, no due date)"
        for inc in real
        for a in inc.action_items
        if a.status == "open" and a.due is None and a.priority in ("P0", "P1")
    ]
    items = [a for inc in real for a in inc.action_items]
    out.append(
        Criterion(
            "action_items", 3, "Action items closed on time",
            "No open action item is past its due date, and every open P0/P1 item has one.",
            MET if not late and not undated else MISSED,
            f"{len(late)} overdue, {len(undated)} P0/P1 without due date, of {len(items)} items",
            _ids(late + undated),
        )
    )  # fmt: skip
    ratio = res.overall.rates["monitoring_ratio"]
    goal = res.targets.monitoring_detected_ratio
    out.append(
        Criterion(
            "monitoring", 3, "Monitoring covers the critical paths",
            f"In the last {WINDOW_DAYS} days at least the target share (site.yaml "
            "monitoring_detected_ratio) of incidents was first detected by monitoring.",
            m.verdict(ratio.value, goal, "min") or MISSED,
            f"{_share(ratio.hits, ratio.total)}, target {m.fmt_share(goal)}",
        )
    )  # fmt: skip

    # -- level 4: optimized --------------------------------------------------------------------
    reviews = [i for i in real if i.severity in ("SEV-1", "SEV-2") and i.postmortem is not None]
    no_prevent = [i.id for i in reviews if not any(a.type == "prevent" for a in i.action_items)]
    out.append(
        Criterion(
            "prevention", 4, "Incident data drives prevention",
            "Every SEV-1/2 postmortem produced at least one action item of type prevent.",
            MET if reviews and not no_prevent else MISSED,
            _share(len(reviews) - len(no_prevent), len(reviews)),
            _ids(no_prevent),
        )
    )  # fmt: skip
    gamedays = sorted(
        i.id
        for i in content.incidents.values()
        if i.is_gameday and i.started_at <= world.now and _local_day(world, i) >= since
    )
    out.append(
        Criterion(
            "gamedays", 4, "Gamedays test response readiness",
            f"At least one gameday (kind: gameday) was held in the last {WINDOW_DAYS} days.",
            MET if gamedays else MISSED,
            f"{len(gamedays)} gameday{'' if len(gamedays) == 1 else 's'}",
            _ids(gamedays),
        )
    )  # fmt: skip
    overall, per_service = mtbf_trends(world, real)
    q = overall.quarters
    out.append(
        Criterion(
            "mtbf_improving", 4, "MTBF improving quarter over quarter",
            "The MTBF of all services together (hours of the quarter per real incident that "
            "started in it) rose from the quarter before to the last complete quarter: fewer "
            "real incidents started in it (or none in either).",
            # No failure in either quarter: nothing left to improve, which is no shortfall.
            MET if overall.trend in ("improving", "no failures") else MISSED,
            f"{q[-2].label} {fmt_mtbf(q[-2])} -> {q[-1].label} {fmt_mtbf(q[-1])}"
            if len(q) >= 2
            else "n/a",
            tuple(f"{x.label}: {x.incidents} incidents" for x in q[-2:]),
        )
    )  # fmt: skip
    for cid, name, why in (
        ("automation", "Automation handles common remediation",
         "Whether a fix ran by itself is not recorded in the incident files."),
        ("blameless", "Blameless reviews",
         "Culture is not in the files; read the postmortems."),
    ):  # fmt: skip
        out.append(Criterion(cid, 4, name, why, NOT_MEASURED, "n/a"))

    level = 1
    for n in (2, 3, 4):
        if any(c.status == MISSED for c in out if c.level == n):
            break
        level = n
    return Maturity(today, since, level, out, overall, per_service)


def _quarters(t: Trend) -> list[dict[str, object]]:
    return [
        {
            "quarter": q.label,
            "hours": round(q.hours, 2),
            "incidents": q.incidents,
            "mtbf_hours": None if q.mtbf is None else round(q.mtbf, 2),
        }
        for q in t.quarters
    ]


def as_dict(res: Maturity) -> dict[str, object]:
    """The whole evaluation as plain data (``statuspress report --maturity --format json``)."""
    return {
        "as_of": res.today.isoformat(),
        "window": {"since": res.since.isoformat(), "until": res.today.isoformat()},
        "level": res.level,
        "level_name": LEVELS[res.level][0],
        "next_level": res.level + 1 if res.level < 4 else None,
        "missing_for_next_level": [c.id for c in res.missing],
        "levels": [
            {
                "level": n,
                "name": name,
                "description": text,
                "reached": n <= res.level,
                "criteria": [
                    {
                        "id": c.id,
                        "name": c.name,
                        "definition": c.definition,
                        "status": c.status,
                        "value": c.value,
                        "evidence": list(c.evidence),
                    }
                    for c in res.at(n)
                ],
            }
            for n, (name, text) in LEVELS.items()
        ],
        "mtbf_trend": trend_dict(res.overall, res.services),
    }


def trend_dict(overall: Trend, per_service: Sequence[Trend]) -> dict[str, object]:
    """The MTBF trend as plain data (``report --format json`` and ``report --maturity``)."""
    return {
        "definition": MTBF_DEFINITION,
        "overall": {"trend": overall.trend, "quarters": _quarters(overall)},
        "by_service": [
            {"service": t.service, "trend": t.trend, "quarters": _quarters(t)} for t in per_service
        ],
    }
