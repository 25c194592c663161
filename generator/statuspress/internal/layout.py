"""Where every internal page lives, and the lookups the page generators share.

Paths are Markdown paths inside the generated docs folder (``known-errors/KE-0007.md``); mkdocs
turns them into directory URLs (``known-errors/KE-0007/``). They are part of the product: people
paste them into chats and tickets, so they depend only on ids and dates, never on counts.

Which incidents get a page of their own: every SEV-1 and SEV-2, every gameday, every incident
with a postmortem or action items, and every one not yet over. The rest (minor incidents and
maintenance without follow-up) are written as full records on one page per ISO week, which keeps
the build fast and the search index small on long histories. Monthly listing pages link to all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..derive import World
from ..models import Incident, KnownError, Runbook, Service

OWN_PAGE_SEVERITIES = ("SEV-1", "SEV-2")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def url_of(path: str) -> str:
    """The directory URL mkdocs gives a Markdown path (relative to the site root)."""
    page, sep, anchor = path.partition("#")
    frag = f"#{anchor}" if sep else ""
    if page == "index.md":
        return frag
    if page.endswith("/index.md"):
        return page[: -len("index.md")] + frag
    return page[: -len(".md")] + "/" + frag


@dataclass(slots=True)
class Layout:
    """Paths of every page plus backlinks the content model does not precompute."""

    world: World
    own: set[str] = field(default_factory=set)
    incidents_by_runbook: dict[str, list[Incident]] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)
    """Every incident, newest first."""

    def __post_init__(self) -> None:
        content = self.world.content
        self.incidents = sorted(
            content.incidents.values(), key=lambda i: (i.started_at, i.id), reverse=True
        )
        for inc in self.incidents:
            if self.has_own_page(inc):
                self.own.add(inc.id)
            for rb in inc.runbooks:
                self.incidents_by_runbook.setdefault(rb, []).append(inc)

    @property
    def tz(self) -> dt.tzinfo:
        return self.world.content.site.tz

    def has_own_page(self, inc: Incident) -> bool:
        return (
            inc.is_gameday
            or inc.severity in OWN_PAGE_SEVERITIES
            or inc.postmortem is not None
            or bool(inc.action_items)
            or self.world.states.get(inc.id) not in ("resolved", "completed")
        )

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz)

    # -- paths --------------------------------------------------------------------------------
    def incident(self, inc: Incident) -> str:
        if inc.id in self.own:
            return f"incidents/{inc.id}.md"
        return f"{self.week(self.local(inc.started_at).date())}#{inc.id}"

    @staticmethod
    def month(year: int, month: int) -> str:
        return f"incidents/{year:04d}/{month:02d}.md"

    def month_of(self, inc: Incident) -> str:
        local = self.local(inc.started_at)
        return self.month(local.year, local.month)

    @staticmethod
    def week(day: dt.date) -> str:
        year, week, _ = day.isocalendar()
        return f"incidents/weeks/{year:04d}-W{week:02d}.md"

    @staticmethod
    def known_error(ke: KnownError | str) -> str:
        return f"known-errors/{ke if isinstance(ke, str) else ke.id}.md"

    @staticmethod
    def ke_status(status: str) -> str:
        return f"known-errors/status/{status}.md"

    @staticmethod
    def ke_service(service: str) -> str:
        return f"known-errors/service/{service}.md"

    @staticmethod
    def runbook(rb: Runbook | str) -> str:
        return f"runbooks/{rb if isinstance(rb, str) else rb.id}.md"

    @staticmethod
    def service(svc: Service | str) -> str:
        return f"services/{svc if isinstance(svc, str) else svc.id}.md"

    def internal_url(self, path: str) -> str:
        """Absolute URL of a page on the internal site (or the site path without one)."""
        base = self.world.content.site.internal_url
        rel = url_of(path)
        return (base.rstrip("/") + "/" + rel) if base else rel

    def service_name(self, service_id: str) -> str:
        svc = self.world.content.services.get(service_id)
        return svc.name if svc else service_id
