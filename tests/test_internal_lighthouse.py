"""Lighthouse (the pinned npm package, headless Chromium) on the internal known-error page.

The page a responder opens at 3 a.m. must score 100 for accessibility and at least 95 for best
practices (issue #17). Performance is measured too and recorded as a property of the test
(``--junitxml``), for bench/README.md; it is not asserted (simulated throttling on a shared
2-core machine varies from run to run).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, NODE_MODULES, serving
from statuspress.build import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"


def lighthouse(url: str, report: Path) -> dict[str, Any]:
    """Run Lighthouse on ``url``; return its JSON report (categories scored 0 to 1)."""
    if not LIGHTHOUSE.is_file():
        raise FileNotFoundError(f"{LIGHTHOUSE} missing: run `npm ci` in tests/js")
    flags = " ".join(["--headless", *CHROMIUM_ARGS])
    proc = subprocess.run(
        [str(LIGHTHOUSE), url, f"--chrome-flags={flags}", "--output=json",
         f"--output-path={report}", "--quiet",
         "--only-categories=accessibility,best-practices,performance"],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert result.get("runtimeError") is None, result["runtimeError"]
    return result


def failing(result: dict[str, Any], category: str) -> list[str]:
    """The audits of a category that lost points (for assertion messages)."""
    refs = result["categories"][category]["auditRefs"]
    audits = result["audits"]
    return [
        f"{r['id']}: {audits[r['id']]['title']}"
        for r in refs
        if r.get("weight") and (audits[r["id"]].get("score") or 0) < 1
    ]


def test_known_error_page_scores_100_for_accessibility(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    build(ROOT / "content", tmp_path / "out", NOW, public=False)
    with serving(tmp_path / "out" / "internal") as url:
        result = lighthouse(url + "known-errors/KE-0010/", tmp_path / "report.json")
    scores = {k: v["score"] for k, v in result["categories"].items()}
    record_property("lighthouse", f"{result['lighthouseVersion']} {scores}")
    assert scores["accessibility"] == 1, failing(result, "accessibility")
    assert scores["best-practices"] >= 0.95, failing(result, "best-practices")
