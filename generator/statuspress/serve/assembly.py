"""serve's assembly of the public site after an edit: only what changed is placed again.

:func:`statuspress.public.project.assemble` sorts every incident and every uptime segment
(14,500 of them at 10,000 incidents: ~20 ms). After an edit serve's reader gives back the
same projection objects for every unchanged file, so :class:`Assembler` keeps both lists
sorted from its last call and only takes out the segments and incident of each projection
that is gone, and puts in those of each new one (by identity), by binary search. Speed only:
``tests/test_serve_assembly.py`` holds it to ``assemble`` over random edits.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort_right
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from ..derive import Segment
from ..models import Content
from ..public.project import Order, Projected, PublicIncident, PublicSite, site_of

REBUILD_SHARE = 4
"""When more than 1/REBUILD_SHARE of the projections changed, everything is sorted afresh."""

_key = itemgetter(0)


class Assembler:
    """:func:`~statuspress.public.project.assemble`, remembering its order between calls."""

    def __init__(self) -> None:
        self.held: dict[int, tuple[Projected, Order]] = {}
        """The last call's projections by identity (held, so no identity is reused)."""
        self.incidents: list[tuple[tuple[float, str], PublicIncident, int]] = []
        self.segments: list[tuple[tuple[str, float, str], Segment, int]] = []
        self.resorted = False
        """Whether the last call sorted everything afresh (else it placed only changes)."""

    def __call__(
        self,
        content: Content,
        projected: Sequence[Projected],
        orders: Sequence[Order],
        now: dt.datetime,
    ) -> PublicSite:
        current = {id(p): (p, k) for p, k in zip(projected, orders, strict=True)}
        held = self.held
        gone = [held[i] for i in held.keys() - current.keys()]
        new = [pk for i, pk in current.items() if i not in held]
        if (
            not held
            or len(current) != len(projected)
            or (len(gone) + len(new)) * REBUILD_SHARE > len(projected)
        ):
            self._sort(current)
            self.resorted = True
        else:
            for p, k in gone:
                self._take(p, k)
            for p, k in new:
                self._put(p, k)
            self.held = current
            self.resorted = False
        incidents = [inc for _, inc, _ in self.incidents]
        return site_of(content, projected, now, incidents, [s for _, s, _ in self.segments])

    def _sort(self, current: dict[int, tuple[Projected, Order]]) -> None:
        self.held = current
        self.incidents = sorted(((k[0], p.incident, i) for i, (p, k) in current.items()), key=_key)
        segments = [
            (key, s, i)
            for i, (p, k) in current.items()
            for key, s in zip(k[1], p.segments, strict=True)
        ]
        segments.sort(key=_key)
        self.segments = segments

    def _take(self, p: Projected, k: Order) -> None:
        owner = id(p)
        _remove(self.incidents, k[0], owner)
        for key in k[1]:
            _remove(self.segments, key, owner)

    def _put(self, p: Projected, k: Order) -> None:
        owner = id(p)
        insort_right(self.incidents, (k[0], p.incident, owner), key=_key)
        # After every equal key already there: equal keys are one incident's segments, kept
        # in that incident's order as a stable sort does.
        for key, s in zip(k[1], p.segments, strict=True):
            insort_right(self.segments, (key, s, owner), key=_key)


def _remove(items: list[tuple[Any, Any, int]], key: Any, owner: int) -> None:
    """Delete the entry of ``owner`` under ``key`` (equal keys sit side by side)."""
    at = bisect_left(items, key, key=_key)
    while items[at][2] != owner:
        at += 1
    del items[at]
