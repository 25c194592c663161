"""Benchmark ``statuspress import statuspage`` on a synthetic page of N incidents.

    .venv/bin/python bench/bench_import.py            # 10,000 incidents, target 10 s
    .venv/bin/python bench/bench_import.py 1000 --repeat 3

The page is written once (``--cache``) as a folder of public v2 documents shaped like the
fixtures in tests/fixtures/import/: 24 components in 4 groups, N incidents with 2-5 updates
each (every update with ``affected_components``), and N/20 completed maintenances. Each run
is the real command in a fresh process: a first import into an empty content folder (every
file written) and a second import of the same source (every file compared, nothing written).
The best wall time of ``--repeat`` runs is printed with the target marked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 10.0
STATUSES = ("degraded_performance", "partial_outage", "major_outage")
IMPACT = {"degraded_performance": "minor", "partial_outage": "major", "major_outage": "critical"}


def _id(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))


def _ts(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_page(n: int, out: Path, seed: int = 13) -> None:
    rng = random.Random(seed)
    page = {
        "id": "bench0000001",
        "name": "Bench Page",
        "url": "https://status.bench.example",
        "time_zone": "Europe/Berlin",
        "updated_at": "2026-11-27T12:00:00.000Z",
    }
    components: list[dict[str, object]] = []
    leaves: list[dict[str, object]] = []
    for g in range(4):
        gid = _id(rng)
        children = []
        for c in range(6):
            leaf = {
                "id": _id(rng),
                "name": f"Service {g}-{c}",
                "status": "operational",
                "created_at": "2020-01-01T00:00:00.000Z",
                "updated_at": "2020-01-01T00:00:00.000Z",
                "position": c + 1,
                "description": None,
                "showcase": True,
                "start_date": None,
                "group_id": gid,
                "page_id": page["id"],
                "group": False,
                "only_show_if_degraded": False,
            }
            children.append(leaf)
        components.append(
            {
                "id": gid,
                "name": f"Group {g}",
                "status": "operational",
                "created_at": "2020-01-01T00:00:00.000Z",
                "updated_at": "2020-01-01T00:00:00.000Z",
                "position": g + 1,
                "description": None,
                "showcase": False,
                "start_date": None,
                "group_id": None,
                "page_id": page["id"],
                "group": True,
                "only_show_if_degraded": False,
                "components": [c["id"] for c in children],
            }
        )
        components.extend(children)
        leaves.extend(children)
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    incidents, maintenances = [], []
    for i in range(n):
        iid = _id(rng)
        begin = start + dt.timedelta(minutes=i * 400 + rng.randrange(300))
        leaf = rng.choice(leaves)
        worst = rng.choice(STATUSES)
        steps = ["investigating", "identified", "monitoring", "resolved"][: rng.randrange(2, 5)]
        if steps[-1] != "resolved":
            steps.append("resolved")
        updates = []
        for k, status in enumerate(steps):
            at = begin + dt.timedelta(minutes=7 * k)
            new = "operational" if status in ("monitoring", "resolved") else worst
            updates.append(
                {
                    "id": _id(rng),
                    "status": status,
                    "body": f"Update {k} on incident {i}: we &amp; the team "
                    "are on it.\r\nNext update soon.",
                    "incident_id": iid,
                    "created_at": _ts(at),
                    "updated_at": _ts(at),
                    "display_at": _ts(at),
                    "affected_components": [
                        {
                            "code": leaf["id"],
                            "name": leaf["name"],
                            "old_status": worst,
                            "new_status": new,
                        }
                    ],
                    "deliver_notifications": True,
                    "custom_tweet": None,
                    "tweet_id": None,
                }
            )
        updates.reverse()
        end = updates[0]["created_at"]
        incidents.append(
            {
                "id": iid,
                "name": f"Incident {i}: {leaf['name']} slow",
                "status": "resolved",
                "created_at": _ts(begin),
                "updated_at": end,
                "monitoring_at": None,
                "resolved_at": end,
                "impact": IMPACT[worst],
                "shortlink": f"https://stspg.io/{iid}",
                "started_at": _ts(begin),
                "page_id": page["id"],
                "incident_updates": updates,
                "components": [leaf],
            }
        )
        if i % 20 == 0:
            mid = _id(rng)
            window = begin + dt.timedelta(minutes=200)
            maintenances.append(
                {
                    "id": mid,
                    "name": f"Maintenance {i}",
                    "status": "completed",
                    "created_at": _ts(begin),
                    "updated_at": _ts(window + dt.timedelta(hours=1)),
                    "monitoring_at": None,
                    "resolved_at": _ts(window + dt.timedelta(hours=1)),
                    "impact": "maintenance",
                    "shortlink": f"https://stspg.io/{mid}",
                    "started_at": _ts(begin),
                    "page_id": page["id"],
                    "incident_updates": [
                        {
                            "id": _id(rng),
                            "status": s,
                            "body": f"Maintenance {s}.",
                            "incident_id": mid,
                            "created_at": _ts(t),
                            "updated_at": _ts(t),
                            "display_at": _ts(t),
                            "affected_components": None,
                            "deliver_notifications": True,
                            "custom_tweet": None,
                            "tweet_id": None,
                        }
                        for s, t in (
                            ("completed", window + dt.timedelta(hours=1)),
                            ("in_progress", window),
                            ("scheduled", begin),
                        )
                    ],
                    "components": [leaf],
                    "scheduled_for": _ts(window),
                    "scheduled_until": _ts(window + dt.timedelta(hours=1)),
                }
            )
    out.mkdir(parents=True, exist_ok=True)
    docs = {
        "summary.json": {
            "page": page,
            "components": components,
            "incidents": [],
            "scheduled_maintenances": [],
            "status": {"indicator": "none", "description": "All Systems Operational"},
        },
        "incidents.json": {"page": page, "incidents": incidents[::-1]},
        "scheduled-maintenances.json": {"page": page, "scheduled_maintenances": maintenances[::-1]},
    }
    for name, doc in docs.items():
        (out / name).write_text(json.dumps(doc), encoding="utf-8")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(source: Path, content: Path) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system) and summary line of one real import."""
    command = [sys.executable, "-m", "statuspress", "import", "statuspage", str(source)]
    command += ["--content", str(content)]
    cpu = _cpu()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"import failed:\n{result.stdout}{result.stderr}")
    return wall, _cpu() - cpu, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/statuspress-bench-import"))
    args = parser.parse_args()
    for n in args.sizes:
        source = args.cache / f"page-{n}"
        if not (source / "incidents.json").exists():
            started = time.perf_counter()
            make_page(n, source)
            print(f"generated a page of {n:,} incidents in {time.perf_counter() - started:.1f} s")
        first, again = [], []
        for _ in range(args.repeat):
            content = args.cache / f"content-{n}"
            shutil.rmtree(content, ignore_errors=True)
            wall, cpu, summary = run_import(source, content)
            first.append((wall, cpu))
            wall2, cpu2, summary2 = run_import(source, content)
            again.append((wall2, cpu2))
        best, best2 = min(first), min(again)
        mark = "ok" if best[0] <= TARGET_SECONDS or n != 10_000 else "MISSED"
        with open("/proc/loadavg", encoding="ascii") as handle:
            load = handle.read().split()[0]
        print(
            f"{n:>7,} incidents: first import {best[0]:.2f} s wall, {best[1]:.2f} s CPU "
            f"({mark}, target {TARGET_SECONDS:g} s at 10,000); repeat import "
            f"{best2[0]:.2f} s wall, {best2[1]:.2f} s CPU; load average {load}"
        )
        print(f"          {summary}\n          {summary2}")


if __name__ == "__main__":
    main()
