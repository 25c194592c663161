"""Run the pinned Lighthouse (tests/js, ``npm ci``) on a URL with Debian's Chromium, headless.

A plain module so tests and scripts can share it::

    from lighthouse_run import lighthouse
    report = lighthouse(url)
    report.scores  # {"performance": 0.99, "accessibility": 1.0, "best-practices": 1.0}

Run as a script it prints the scores of each URL given (``python tests/lighthouse_run.py URL``).
The flags are the ones proven on this machine kind (see /work/shared/tooling.md, item 6):
``--headless --no-sandbox``, ``CHROME_PATH=/usr/bin/chromium``, JSON output, quiet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NODE_MODULES = Path(__file__).resolve().parent / "js" / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
TIMEOUT = 240


@dataclass(frozen=True, slots=True)
class Report:
    url: str
    version: str
    scores: dict[str, float]
    """Category -> score from 0 to 1."""
    failing: dict[str, list[str]]
    """Category -> ids of its audits that scored below 1 (binary and numeric ones)."""
    raw: dict[str, Any]


def lighthouse(
    url: str, categories: Sequence[str] = CATEGORIES, form_factor: str = "mobile"
) -> Report:
    """Audit ``url`` and return its scores; raises RuntimeError if Lighthouse cannot run it."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE} missing: run `npm ci` in tests/js (scripts/test)")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        args = [
            str(LIGHTHOUSE),
            url,
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(categories)}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ]
        if form_factor == "desktop":
            args.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": CHROMIUM, "TMPDIR": tmp}
        proc = subprocess.run(
            args, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False
        )
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(
                f"lighthouse failed on {url} (exit {proc.returncode}): {proc.stderr[-2000:]}"
            )
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {data['runtimeError']}")
    scores = {name: cat["score"] for name, cat in data["categories"].items()}
    failing = {
        name: sorted(
            ref["id"]
            for ref in cat["auditRefs"]
            if ref.get("weight", 0) > 0 and (data["audits"][ref["id"]].get("score") or 0) < 1
        )
        for name, cat in data["categories"].items()
    }
    return Report(url, data.get("lighthouseVersion", ""), scores, failing, data)


def _main(argv: Sequence[str]) -> None:
    for url in argv:
        report = lighthouse(url)
        scores = ", ".join(f"{k} {round(v * 100)}" for k, v in report.scores.items())
        sys.stdout.write(f"{url}: {scores} (lighthouse {report.version})\n")


if __name__ == "__main__":
    _main(sys.argv[1:])
