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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from ..derive import Segment
from ..models import Content
from ..public.project import Order, Projected, PublicIncident, PublicSite, site_of

REBUILD_SHARE = 4
"""When more than 1/REBUILD_SHARE of the projections changed, everything is sorted afresh."""

_key = itemgetter(0)


class _Sorted:
    """Items in the order of their keys, with the identity of the projection of each, in
    three parallel lists (the items come out as one list copy)."""

    def __init__(self, triples: list[tuple[Any, Any, int]]) -> None:
        triples.sort(key=_key)  # stable: equal keys keep their order
        self.keys: list[Any] = [t[0] for t in triples]
        self.items: list[Any] = [t[1] for t in triples]
        self.owners: list[int] = [t[2] for t in triples]

    def take(self, key: Any, owner: int) -> None:
        """Delete the entry of ``owner`` under ``key`` (equal keys sit side by side)."""
        at = bisect_left(self.keys, key)
        while self.owners[at] != owner:
            at += 1
        del self.keys[at], self.items[at], self.owners[at]

    def put(self, key: Any, item: Any, owner: int) -> None:
        """Insert after every equal key already there, as a stable sort places it."""
        at = bisect_right(self.keys, key)
        self.keys.insert(at, key)
        self.items.insert(at, item)
        self.owners.insert(at, owner)


class Assembler:
    """:func:`~statuspress.public.project.assemble`, remembering its order between calls."""

    def __init__(self) -> None:
        self.held: dict[int, tuple[Projected, Order]] = {}
        """The last call's projections by identity (held, so no identity is reused)."""
        self.incidents = _Sorted([])
        self.segments = _Sorted([])
        self.resorted = False
        """Whether the last call sorted everything afresh (else it placed only changes)."""

    def __call__(
        self,
        content: Content,
        projected: Sequence[Projected],
        orders: Sequence[Order],
        now: dt.datetime,
    ) -> PublicSite:
        ids = list(map(id, projected))
        held = self.held
        gone = held.keys() - set(ids)
        new = [n for n, i in enumerate(ids) if i not in held]
        self.resorted = (
            not held
            or len(set(ids)) != len(ids)
            or (len(gone) + len(new)) * REBUILD_SHARE > len(ids)
        )
        if self.resorted:
            self._sort(ids, projected, orders)
        else:
            for i in gone:
                self._take(*held.pop(i))
            for n in new:
                held[ids[n]] = (projected[n], orders[n])
                self._put(projected[n], orders[n])
        incidents: list[PublicIncident] = list(self.incidents.items)
        segments: list[Segment] = list(self.segments.items)
        return site_of(content, projected, now, incidents, segments)

    def _sort(
        self, ids: list[int], projected: Sequence[Projected], orders: Sequence[Order]
    ) -> None:
        self.held = dict(zip(ids, zip(projected, orders, strict=True), strict=True))
        self.incidents = _Sorted(
            [(k[0], p.incident, i) for i, p, k in zip(ids, projected, orders, strict=True)]
        )
        self.segments = _Sorted(
            [
                (key, s, i)
                for i, p, k in zip(ids, projected, orders, strict=True)
                for key, s in zip(k[1], p.segments, strict=True)
            ]
        )

    def _take(self, p: Projected, k: Order) -> None:
        owner = id(p)
        self.incidents.take(k[0], owner)
        for key in k[1]:
            self.segments.take(key, owner)

    def _put(self, p: Projected, k: Order) -> None:
        owner = id(p)
        self.incidents.put(k[0], p.incident, owner)
        # Equal keys are one incident's segments, put in that incident's order.
        for key, s in zip(k[1], p.segments, strict=True):
            self.segments.put(key, s, owner)
