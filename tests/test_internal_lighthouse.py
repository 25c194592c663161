"""Lighthouse (the pinned npm package, headless Chromium) on the internal known-error page.

The page a responder opens at 3 a.m. must score 100 for accessibility and at least 95 for best
practices (issue #17). Performance is measured too and recorded as a property of the test
(``--junitxml``), for bench/README.md; it is not asserted (simulated throttling on a shared
2-core machine varies from run to run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from browser import serving
from lighthouse_run import lighthouse
from statuspress.build import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_known_error_page_scores_100_for_accessibility(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    build(ROOT / "content", tmp_path / "out", NOW, public=False)
    with serving(tmp_path / "out" / "internal") as url:
        report = lighthouse(url + "known-errors/KE-0010/")
    record_property("lighthouse", f"{report.version} {report.scores}")
    assert report.scores["accessibility"] == 1, report.failing["accessibility"]
    assert report.scores["best-practices"] >= 0.95, report.failing["best-practices"]
