"""How long `statuspress serve` takes to show an edit: one incident changed, site rebuilt.

    python bench/bench_serve.py 1000 10000 --seed 1            # public rebuilds
    python bench/bench_serve.py 1000 --internal                # and the internal site

For each N a corpus is generated (bench/make_corpus.py, kept in bench/out/), a serve
:class:`~statuspress.serve.Builder` does the first (cold) build, then one incident's title is
edited and the site rebuilt, ``--repeat`` times, for two incidents: the newest on the status
page (an upcoming maintenance: home page, calendar, API and feeds all show it) and one from
the middle of the history. Reported per phase: reading (the edited file is named to the
builder as serve's watcher does, so only its stamp is looked up, and only it is parsed and
checked again), checking (cross-file rules and assembling the public site), rendering (only
pages whose inputs changed are rendered again: "pages" counts them), writing to disk and the
garbage collection (both after the new build is already served). "visible" is
edit-to-served, the number a writer waits for. With ``--internal`` the internal site's rebuild
(the child process serve runs: ``statuspress build --internal-only``) is timed once per N.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from statuspress.serve import Builder, BuildTimes

HERE = Path(__file__).resolve().parent
NOW = "2026-11-27T12:00:00Z"


def corpus(n: int, seed: int) -> Path:
    base = HERE / "out" / f"serve-{n}-{seed}"
    if not (base / "content" / "site.yaml").is_file():
        subprocess.run(
            [sys.executable, str(HERE / "make_corpus.py"), str(n), "--seed", str(seed),
             "--out", str(base)],
            check=True, capture_output=True,
        )  # fmt: skip
    return base


def edit(path: Path, n: int) -> None:
    text = path.read_text()
    path.write_text(re.sub(r"(?m)^title: .*$", f'title: "Edited {n}"', text, count=1))


def row(label: str, runs: list[BuildTimes], pages: list[int]) -> str:
    def med(attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs) * 1000

    best = min(r.visible for r in runs) * 1000
    return (
        f"| {label} | {med('read'):.0f} | {med('check'):.0f} | {med('render'):.0f} | "
        f"{statistics.median(pages):.0f} | **{med('visible'):.0f}** (best {best:.0f}) | "
        f"{med('cpu'):.0f} | {med('write'):.0f} | {med('tidy'):.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--internal", action="store_true", help="also time the internal site")
    ns = parser.parse_args()
    lines = [
        "| N | read ms | check ms | render ms | pages | visible ms (median, best) | CPU ms "
        "| write ms | collect ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    internal: list[str] = []
    for n in ns.sizes:
        base = corpus(n, ns.seed)
        content = base / "content"
        out = base / "site"
        builder = Builder(content, out, now=NOW, public_only=True)
        cold = builder.rebuild()
        assert cold.ok, "the corpus has errors"
        lines.append(row(f"{n} cold", [cold], [builder.memo.rendered]))
        # As serve's watcher does: from now on the builder is told which files changed
        # (tests/test_serve_incremental.py runs the real watcher); the first look is whole.
        builder.start_noting()
        builder.rebuild()
        # Incidents on the status page (an edit to a private one changes no public page, and
        # serve then rebuilds nothing visible): the newest, and one from the middle.
        assert builder.snapshot is not None
        public = sorted(
            p
            for p in content.glob("incidents/*/*.md")
            if f"incidents/{p.stem}/index.html" in builder.snapshot.files
        )
        for label, target in (("newest", public[-1]), ("middle", public[len(public) // 2])):
            original = target.read_text()
            runs = []
            pages = []
            try:
                for i in range(ns.repeat):
                    edit(target, i)
                    builder.note_changes([str(target)])
                    times = builder.rebuild()
                    assert times.ok and times.write > 0, "the edit changed no public page"
                    runs.append(times)
                    pages.append(builder.memo.rendered)
            finally:
                target.write_text(original)
                builder.note_changes([str(target)])
            lines.append(row(f"{n} one edit ({label})", runs, pages))
        builder.rebuild()
        if ns.internal:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", "from statuspress.cli import main; main()", "build",
                 "--internal-only", "--content", str(content), "--out", str(out),
                 "--now", NOW],
                check=True, capture_output=True,
            )  # fmt: skip
            internal.append(f"| {n} | {time.perf_counter() - started:.1f} s |")
    sys.stdout.write("\n".join(lines) + "\n")
    if internal:
        sys.stdout.write("\n| N | internal rebuild (child process) |\n|---|---|\n")
        sys.stdout.write("\n".join(internal) + "\n")


if __name__ == "__main__":
    main()
