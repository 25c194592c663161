"""Time the machine-readable public outputs (feeds, JSON API, calendar, badges) at scale.

    .venv/bin/python bench/bench_machine_outputs.py 1000 5000 --seed 1

For each N it writes a synthetic corpus with bench/make_corpus.py, loads and projects it once,
then renders each output into an in-memory SiteWriter (nothing is written to disk) and reports
the best of three runs, the bytes produced and the peak memory traced during one render.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from statuspress.loader import load_valid
from statuspress.public.outputs import builtin_outputs
from statuspress.public.project import PublicSite, project
from statuspress.writer import SiteWriter

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
# Every built-in output but the HTML pages, from the one registry the build renders.
RENDERERS: dict[str, Callable[[PublicSite, SiteWriter], None]] = {
    name: output.render for name, output in builtin_outputs().items() if name != "pages"
}


def measure(
    site: PublicSite, render: Callable[[PublicSite, SiteWriter], None]
) -> tuple[float, int, int]:
    best = float("inf")
    size = 0
    for _ in range(3):
        writer = SiteWriter(Path("/nonexistent"))
        started = time.perf_counter()
        render(site, writer)
        best = min(best, time.perf_counter() - started)
        size = sum(len(b) for b in writer.files.values())
    tracemalloc.start()
    render(site, SiteWriter(Path("/nonexistent")))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, size, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--seed", type=int, default=1)
    ns = parser.parse_args()
    make = Path(__file__).resolve().parent / "make_corpus.py"
    out = sys.stdout
    out.write("| N | public incidents | output | best of 3 | bytes | peak traced memory |\n")
    out.write("|---|---|---|---|---|---|\n")
    for n in ns.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, str(make), str(n), "--seed", str(ns.seed), "--out", tmp],
                check=True,
                capture_output=True,
            )
            site = project(load_valid(Path(tmp) / "content", NOW).world)
            for name, render in RENDERERS.items():
                seconds, size, peak = measure(site, render)
                out.write(
                    f"| {n} | {len(site.incidents)} | {name} | {seconds * 1000:.0f} ms "
                    f"| {size / 1024:.0f} KiB | {peak / 2**20:.1f} MiB |\n"
                )


if __name__ == "__main__":
    main()
