"""Time the public build at scale and weigh its home page.

    .venv/bin/python bench/bench_public.py              # 40 and 10,000 incidents
    .venv/bin/python bench/bench_public.py 10000 --repeat 5
    .venv/bin/python bench/bench_public.py 10000 --serial   # also with STATUSPRESS_JOBS=1

With ``--languages en,de`` (the default) each N is also built with site.yaml ``languages: [en,
de]`` (every page, feed, calendar and badge twice); the 5 s target is for one language.

For each N it writes a synthetic corpus with bench/make_corpus.py into a temporary folder, then
measures, ``--repeat`` times each:

- **build**: ``build(content, out, now, internal=False)`` (what ``statuspress build
  --public-only`` runs) in a fresh child process, into a new output folder: wall time, the
  build's own stage times (read and validate; render, including the pages a second process
  writes meanwhile; the final write and swap), CPU time of the build's processes, and peak RSS
  of the largest process (``ru_maxrss`` of the build and of the worker it forks);
- **replace**: the same into the folder of the previous run, so the old site is swapped out
  and removed too (what a second local build does);
- **command**: the real command, ``python -m statuspress build --public-only``, into a new
  folder: interpreter start-up, imports and printing the warnings included.

Every run uses a new output folder next to the corpus and nothing is deleted between runs: on
this machine's disk (ext4 mounted with ``discard``) deleting a 6,000-file site slows the writes
that follow by up to 2 s, which would measure the previous run's clean-up, not this build.
It prints Markdown tables (best and median of the repeats) and the home page's size gzipped
(index.html + style.css, gzip level 6 as web servers use), and exits 1 when a target is missed.
Targets at 10,000 incidents: build <= 5 s wall, peak RSS <= 500 MB, home page < 30 KB gzipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
"""The corpus's own "now" (bench/make_corpus.py): its newest incident is active then."""
HOME_BUDGET = 30 * 1024
TARGET_SECONDS = 5.0
TARGET_MB = 500.0
TARGET_N = 10_000


def child_build(content: Path, out: Path) -> dict[str, float]:
    from statuspress.build import build

    started = time.perf_counter()
    report = build(content, out, NOW, internal=False)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the forked reader and renderer
    return {
        "seconds": seconds,
        "cpu": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
        "files": report.public_files,
        "rss_mb": max(own.ru_maxrss, workers.ru_maxrss) / 1024,
        **{f"stage_{name}": value for name, value in report.stages.items()},
    }


def run_child(content: Path, out: Path, env: dict[str, str]) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(content), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run_command(content: Path, out: Path, env: dict[str, str]) -> float:
    now = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    command = [sys.executable, "-m", "statuspress", "build", "--public-only"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "--content", str(content), "--out", str(out), "--now", now],
        check=True,
        capture_output=True,
        env={**os.environ, "CI": "1", **env},
    )
    return time.perf_counter() - started


def home_size(public: Path) -> tuple[int, int]:
    """Bytes of index.html + style.css: raw and gzipped (level 6)."""
    raw = gz = 0
    for name in ("index.html", "style.css"):
        data = (public / name).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=6, mtime=0))
    return raw, gz


def public_counts(public: Path) -> tuple[int, int]:
    summary = json.loads((public / "api" / "v2" / "summary.json").read_text())
    incidents = sum(1 for _ in (public / "incidents").iterdir())
    return incidents, len(summary["components"])


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} s ({statistics.median(values):.2f} s)"


def set_languages(content: Path, languages: list[str]) -> None:
    """Build the corpus in several languages (site.yaml ``languages``), the first at the root."""
    site = content / "site.yaml"
    lines = [
        line
        for line in site.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("language:", "languages:"))
    ]
    lines += [f"language: {languages[0]}", f"languages: [{', '.join(languages)}]"]
    site.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(
    n: int, seed: int, repeat: int, env: dict[str, str], languages: list[str] | None = None
) -> dict[str, object]:
    make = Path(__file__).resolve().parent / "make_corpus.py"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run(
            [sys.executable, str(make), str(n), "--seed", str(seed), "--out", tmp],
            check=True,
            capture_output=True,
        )
        content = root / "content"
        if languages:
            set_languages(content, languages)
        builds = [run_child(content, root / f"site-{k}", env) for k in range(repeat)]
        replaces = [run_child(content, root / "site-0", env) for _ in range(repeat)]
        commands = [run_command(content, root / f"cmd-{k}", env) for k in range(repeat)]
        raw, gz = home_size(root / "site-0" / "public")
        incidents, services = public_counts(root / "site-0" / "public")
    return {
        "n": n, "builds": builds, "replaces": replaces, "commands": commands,
        "raw": raw, "gz": gz, "incidents": incidents, "services": services,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[40, TARGET_N])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--serial", action="store_true", help="also with STATUSPRESS_JOBS=1")
    parser.add_argument(
        "--languages",
        default="en,de",
        help="also build in these languages (site.yaml `languages`; '' to skip): en,de",
    )
    parser.add_argument("--child", nargs=2, metavar=("CONTENT", "OUT"), help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.child:
        content, out = ns.child
        sys.stdout.write(json.dumps(child_build(Path(content), Path(out))) + "\n")
        return 0
    parallel = "2 processes" if (os.cpu_count() or 1) > 1 else "1 process"
    modes: list[tuple[str, dict[str, str], list[str] | None]] = [(parallel, {}, None)]
    if ns.serial:
        modes.append(("1 process", {"STATUSPRESS_JOBS": "1"}, None))
    languages = [tag for tag in ns.languages.split(",") if tag]
    if len(languages) > 1:
        modes.append((f"{parallel}, {'+'.join(languages)}", {}, languages))
    rows = [
        (mode, measure(n, ns.seed, ns.repeat, env, langs))
        for n in ns.sizes
        for mode, env, langs in modes
    ]
    out = sys.stdout
    out.write(
        f"Best of {ns.repeat} (median in brackets). build: `build(internal=False)` into a new "
        "folder; replace: into the previous run's folder; command: `python -m statuspress "
        "build --public-only`, start-up included.\n\n"
        "| N | processes | public incidents | API components | build, wall | replace, wall "
        "| command, wall | CPU | peak RSS | files | home raw | home gzip |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    missed: list[str] = []
    for mode, r in rows:
        builds: list[dict[str, float]] = r["builds"]  # type: ignore[assignment]
        replaces: list[dict[str, float]] = r["replaces"]  # type: ignore[assignment]
        commands: list[float] = r["commands"]  # type: ignore[assignment]
        walls = [b["seconds"] for b in builds]
        rss = max(b["rss_mb"] for b in builds)
        gz: int = r["gz"]  # type: ignore[assignment]
        out.write(
            f"| {r['n']} | {mode} | {r['incidents']} | {r['services']} | {spread(walls)} "
            f"| {spread([b['seconds'] for b in replaces])} | {spread(commands)} "
            f"| {min(b['cpu'] for b in builds):.2f} s | {rss:.0f} MB "
            f"| {builds[0]['files']:.0f} | {r['raw'] / 1024:.1f} KB "  # type: ignore[operator]
            f"| {gz / 1024:.1f} KB |\n"
        )
        if gz >= HOME_BUDGET:
            missed.append(f"home page {gz / 1024:.1f} KB gzipped at N={r['n']}")
        if r["n"] == TARGET_N and mode == parallel:  # one language, as many processes as here
            if min(walls) > TARGET_SECONDS:
                missed.append(f"build {min(walls):.2f} s > {TARGET_SECONDS} s at N={r['n']}")
            if rss > TARGET_MB:
                missed.append(f"peak RSS {rss:.0f} MB > {TARGET_MB:.0f} MB at N={r['n']}")
    out.write("\nStages of the build (best run by wall time): read = read, validate and project;")
    out.write(" render = pages, feeds, API, calendar, badges, both processes' writes;")
    out.write(" write = the last files and the swap.\n\n")
    out.write("| N | processes | read | render | write |\n|---|---|---|---|---|\n")
    for mode, r in rows:
        best = min(r["builds"], key=lambda b: b["seconds"])  # type: ignore[arg-type,index]
        stages = " | ".join(f"{best[f'stage_{s}']:.2f} s" for s in ("read", "render", "write"))
        out.write(f"| {r['n']} | {mode} | {stages} |\n")
    for line in missed:
        out.write(f"\nMISSED: {line}\n")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
