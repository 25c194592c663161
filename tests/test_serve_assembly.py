"""serve's incremental assembly gives exactly the site a fresh ``assemble`` gives.

Projections of a generated corpus go through random rounds of what serve sees between two
rebuilds: projections gone (a file deleted), new (a file added or edited: a new object with
equal or changed values), and files in another order. After each round the
:class:`~statuspress.serve.assembly.Assembler` (which places only the changed projections
into the order it kept) must give the same :class:`PublicSite` as
:func:`~statuspress.public.project.assemble` from scratch.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

import pytest
from check_support import make_corpus
from statuspress.loader import load
from statuspress.public.project import KeyedProjector, Order, Projected, Projector, assemble, order
from statuspress.serve.assembly import Assembler

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, list[Projected]]:
    out = tmp_path_factory.mktemp("assembly")
    loaded = load(make_corpus(300, 3, out), NOW, keep=KeyedProjector(Projector(NOW)), jobs=1)
    assert not loaded.errors
    return loaded.content, [p for p, _ in loaded.kept]


def copy(p: Projected, rng: random.Random) -> Projected:
    """A new object for the same file: equal, or with a segment split at the same start."""
    if not p.segments or rng.random() < 0.5:
        return replace(p)
    at = rng.randrange(len(p.segments))
    seg = p.segments[at]
    twin = replace(seg, end=seg.start + (seg.end - seg.start) / 2, status="major_outage")
    # Two segments of one incident with the same service and start: equal sort keys, which
    # must stay in the incident's own order.
    return replace(p, segments=(*p.segments[: at + 1], twin, *p.segments[at + 1 :]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_assembler_equals_assemble_over_random_edits(
    corpus: tuple[object, list[Projected]], seed: int
) -> None:
    content, every = corpus
    rng = random.Random(seed)
    files: list[tuple[Projected, Order]] = [(p, order(p)) for p in every]
    pool: list[tuple[Projected, Order]] = []  # deleted files' projections
    assembler = Assembler()
    resorted = []
    for round_ in range(40):
        if round_ % 13 == 5:
            rng.shuffle(files)  # another file order (a file moved to another folder)
        else:
            for _ in range(rng.randint(1, 4)):
                what = rng.random()
                if what < 0.3 and len(files) > 1:
                    pool.append(files.pop(rng.randrange(len(files))))
                elif what < 0.5 and pool:
                    files.insert(rng.randrange(len(files) + 1), pool.pop())
                else:
                    at = rng.randrange(len(files))
                    p = copy(files[at][0], rng)
                    files[at] = (p, order(p))
        projected = [p for p, _ in files]
        site = assembler(content, projected, [k for _, k in files], NOW)  # type: ignore[arg-type]
        want = assemble(content, projected, NOW)  # type: ignore[arg-type]
        assert site.incidents == want.incidents, round_
        assert [id(s) for s in site.segments] == [id(s) for s in want.segments], round_
        assert replace(site, texts=want.texts) == want  # Texts objects compare by identity
        resorted.append(assembler.resorted)
    assert resorted[0] and not any(resorted[1:])  # after the first, only changes were placed


def test_a_large_change_sorts_everything_again(corpus: tuple[object, list[Projected]]) -> None:
    content, every = corpus
    assembler = Assembler()
    files = [(p, order(p)) for p in every]
    assembler(content, [p for p, _ in files], [k for _, k in files], NOW)  # type: ignore[arg-type]
    renewed = [(replace(p), k) for p, k in files]  # a new "now": every projection is new
    site = assembler(content, [p for p, _ in renewed], [k for _, k in renewed], NOW)  # type: ignore[arg-type]
    assert assembler.resorted
    want = assemble(content, [p for p, _ in renewed], NOW)  # type: ignore[arg-type]
    assert replace(site, texts=want.texts) == want
