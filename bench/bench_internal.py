"""Time the internal knowledge base build at scale and weigh what it writes.

    .venv/bin/python bench/bench_internal.py                 # 10,000 incidents
    .venv/bin/python bench/bench_internal.py 1000 10000 --seed 2

For each N it writes a synthetic corpus with bench/make_corpus.py into a temporary folder and
runs ``build(content, out, now, public=False)`` (what ``statuspress build --internal-only`` does)
in a fresh child process, so wall time, CPU time (interpreter start-up and imports included) and
peak RSS (``ru_maxrss``) are the build's own. The child also records when each stage began
(from the build's progress messages). Then it weighs the output: the mkdocs-material search
index (``search/search_index.json``), the largest HTML page, page count and total size.

Targets at 10,000 incidents: wall time <= 60 s, peak RSS <= 2 GB, search index < 5 MB, largest
page < 150 KB. The exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
"""The corpus's own "now" (bench/make_corpus.py): its newest incident is active then."""
TARGETS = {"seconds": 60.0, "rss_mb": 2048.0, "index_mb": 5.0, "largest_kb": 150.0}


def child_build(content: Path, out: Path) -> dict[str, object]:
    from statuspress.build import build

    started = time.perf_counter()
    stages: list[tuple[float, str]] = []
    report = build(
        content,
        out,
        NOW,
        public=False,
        progress=lambda message: stages.append((time.perf_counter() - started, message)),
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "files": report.internal_files,
        "stages": stages,
    }


def weigh(site: Path) -> dict[str, object]:
    pages = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    index = site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "index_mb": index.stat().st_size / 1e6,
        "index_entries": len(docs),
        "largest_kb": pages[-1][0] / 1024,
        "largest_page": pages[-1][1],
        "pages": len(pages),
        "site_mb": total / 1e6,
    }


def run(n: int, seed: int) -> dict[str, object]:
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix=f"bench-internal-{n}-") as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, str(here / "make_corpus.py"), str(n), "--seed", str(seed),
             "--out", str(work)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        out = work / "out"
        code = (
            "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]); "
            "from bench_internal import child_build; "
            "print(json.dumps(child_build(Path(sys.argv[1]), Path(sys.argv[2]))))"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code, str(work / "content"), str(out), str(here)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
        result.update(weigh(out / "internal"))
        result["n"] = n
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows = []
    missed = []
    for n in args.sizes:
        r = run(n, args.seed)
        rows.append(r)
        if n >= 10_000:
            for key, limit in TARGETS.items():
                value = r[key]
                assert isinstance(value, float)
                if value > limit:
                    missed.append(f"{key} {value:.2f} > {limit:g} at N={n}")
    out = sys.stdout
    out.write(f"load average before: {load:.2f} (2-core container)\n\n")
    out.write(
        "| N | wall | CPU | peak RSS | pages | search index | entries | largest page | site |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    for r in rows:
        out.write(
            f"| {r['n']} | {r['seconds']:.1f} s | {r['cpu']:.1f} s | {r['rss_mb']:.0f} MB | "
            f"{r['pages']} | {r['index_mb']:.2f} MB | {r['index_entries']} | "
            f"{r['largest_kb']:.0f} KB ({r['largest_page']}) | {r['site_mb']:.0f} MB |\n"
        )
    for r in rows:
        out.write(f"\nStages at N={r['n']} (seconds from start):\n")
        stages = r["stages"]
        assert isinstance(stages, list)
        for at, message in stages:
            out.write(f"  {at:6.1f}  {message}\n")
    if missed:
        out.write("\nMISSED: " + "; ".join(missed) + "\n")
        return 1
    out.write("\nAll targets met.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
