"""Benchmark ``statuspress check`` on synthetic corpora: wall time and peak memory.

    .venv/bin/python bench/bench_check.py                   # 1,000 and 10,000 incidents
    .venv/bin/python bench/bench_check.py 10000 100000 --repeat 1
    .venv/bin/python bench/bench_check.py 10000 --serial    # also with STATUSPRESS_JOBS=1

Each corpus comes from bench/make_corpus.py (same N and seed, same files; generated once into
``--cache``). Every run is the real command, ``python -m statuspress check``, in a fresh
process started by a small wrapper that reports the peak resident memory of the run and every
process it started (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the check and its worker).
The best wall time of ``--repeat`` runs is printed, with the targets at 10,000 incidents
(2 s, 300 MB) marked.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T12:00:00Z"
TARGET_SECONDS = 2.0
TARGET_MB = 300.0

# Runs one command and prints its wall time and the peak RSS of it and its descendants.
_WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kib": peak_kib, "code": result.returncode,
                  "summary": result.stderr.decode().strip().splitlines()[-1:]}))
"""


def corpus(n: int, seed: int, cache: Path) -> Path:
    out = cache / f"c{n}-s{seed}"
    content = out / "content"
    if not (content / "site.yaml").exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(n)]
            + ["--seed", str(seed), "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  generated {n} incidents in {time.perf_counter() - started:.1f} s", flush=True)
    return content


def measure(content: Path, env: dict[str, str]) -> dict[str, object]:
    command = [sys.executable, "-m", "statuspress", "check", "--content", str(content)]
    command += ["--now", NOW]
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--serial", action="store_true", help="also measure one process")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/statuspress-bench"))
    args = parser.parse_args()

    base_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    base_env.pop("SOURCE_DATE_EPOCH", None)
    modes = [("default", {})]
    if args.serial:
        modes.append(("1 process", {"STATUSPRESS_JOBS": "1"}))
    print(f"{'incidents':>9}  {'mode':<9}  {'best wall':>9}  {'peak RSS':>9}  result")
    worst = 0
    for n in args.sizes:
        content = corpus(n, args.seed, args.cache)
        for mode, extra in modes:
            runs = [measure(content, {**base_env, **extra}) for _ in range(args.repeat)]
            wall = min(float(r["wall"]) for r in runs)  # type: ignore[arg-type]
            peak_mb = max(int(r["peak_kib"]) for r in runs) / 1024  # type: ignore[call-overload]
            codes = {r["code"] for r in runs}
            summary = runs[0]["summary"][0] if runs[0]["summary"] else ""  # type: ignore[index]
            mark = ""
            if n == 10_000 and mode == "default":
                ok = wall <= TARGET_SECONDS and peak_mb <= TARGET_MB
                mark = "  [target 2 s / 300 MB: " + ("met]" if ok else "MISSED]")
                worst = worst or (0 if ok else 1)
            print(
                f"{n:>9}  {mode:<9}  {wall:>7.2f} s  {peak_mb:>6.0f} MB  exit {sorted(codes)}"
                f"{mark}",
                flush=True,
            )
            print(f"{'':>32}{summary}")
    return worst


if __name__ == "__main__":
    sys.exit(main())
