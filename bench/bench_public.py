"""Time the public build at scale and weigh its home page.

    .venv/bin/python bench/bench_public.py              # 40 and 10,000 incidents
    .venv/bin/python bench/bench_public.py 1000 --seed 2

For each N it writes a synthetic corpus with bench/make_corpus.py into a temporary folder, then,
each in a fresh child process (so peak RSS is the build's own):

1. ``build(content, out, now, internal=False)``: wall time, CPU time (the child's, including
   interpreter start-up and imports) and peak RSS (``ru_maxrss``);
2. the same stages one by one (load + validate, projection, HTML pages, feeds, JSON API,
   calendar, badges, write), to show where the time goes.

It prints a Markdown table and the home page's size gzipped (index.html + style.css, gzip
level 6 as web servers use). Targets at 10,000 incidents: build <= 5 s, peak RSS <= 500 MB,
home page < 30 KB gzipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
"""The corpus's own "now" (bench/make_corpus.py): its newest incident is active then."""
HOME_BUDGET = 30 * 1024


def child_build(content: Path, out: Path) -> dict[str, float]:
    from statuspress.build import build

    started = time.perf_counter()
    report = build(content, out, NOW, internal=False)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "files": report.public_files,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def child_stages(content: Path, out: Path) -> dict[str, float]:
    from statuspress.check import load_valid
    from statuspress.public import pages
    from statuspress.public.api import render_api
    from statuspress.public.badges import render_badges
    from statuspress.public.calendar import render_calendar
    from statuspress.public.feeds import render_feeds
    from statuspress.public.project import project
    from statuspress.writer import SiteWriter

    times: dict[str, float] = {}

    def timed(name: str, func, *args):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = func(*args)
        times[name] = time.perf_counter() - started
        return result

    world = timed("load", lambda: load_valid(content, NOW).world)
    site = timed("project", project, world)
    writer = SiteWriter(out / "public")
    timed("pages", pages.render_pages, site, writer)
    timed("feeds", render_feeds, site, writer)
    timed("api", render_api, site, writer)
    timed("calendar", render_calendar, site, writer)
    timed("badges", render_badges, site, writer)
    timed("write", writer.commit)
    times["public_incidents"] = len(site.incidents)
    times["public_services"] = len(site.services)
    return times


def run_child(mode: str, content: Path, out: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(content), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def home_size(public: Path) -> tuple[int, int]:
    """Bytes of index.html + style.css: raw and gzipped (level 6)."""
    raw = gz = 0
    for name in ("index.html", "style.css"):
        data = (public / name).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=6, mtime=0))
    return raw, gz


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[40, 10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CONTENT", "OUT"), help="internal")
    ns = parser.parse_args()
    if ns.child:
        mode, content, out = ns.child
        func = child_build if mode == "build" else child_stages
        sys.stdout.write(json.dumps(func(Path(content), Path(out))) + "\n")
        return
    make = Path(__file__).resolve().parent / "make_corpus.py"
    out = sys.stdout
    rows = []
    for n in ns.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, str(make), str(n), "--seed", str(ns.seed), "--out", tmp],
                check=True,
                capture_output=True,
            )
            content = Path(tmp) / "content"
            total = run_child("build", content, Path(tmp) / "site")
            raw, gz = home_size(Path(tmp) / "site" / "public")
            stages = run_child("stages", content, Path(tmp) / "stages")
            rows.append((n, total, stages, raw, gz))
    out.write(
        "| N | public incidents | services | build (public), wall | CPU | peak RSS | files "
        "| home raw | home gzip |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    for n, total, stages, raw, gz in rows:
        out.write(
            f"| {n} | {stages['public_incidents']:.0f} | {stages['public_services']:.0f} "
            f"| {total['seconds']:.2f} s | {total['cpu']:.2f} s | {total['rss_mb']:.0f} MB "
            f"| {total['files']:.0f} "
            f"| {raw / 1024:.1f} KB | {gz / 1024:.1f} KB |\n"
        )
    names = ("load", "project", "pages", "feeds", "api", "calendar", "badges", "write")
    out.write("\n| N | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n")
    for n, _, stages, _, _ in rows:
        out.write(f"| {n} | " + " | ".join(f"{stages[s]:.2f} s" for s in names) + " |\n")
    over = [n for n, _, _, _, gz in rows if gz >= HOME_BUDGET]
    if over:
        out.write(f"\nhome page over {HOME_BUDGET // 1024} KB gzipped at N = {over}\n")


if __name__ == "__main__":
    main()
