"""Lighthouse (the pinned npm package, headless Chromium) on the demo's public pages.

Accessibility must be 100 and best practices at least 95 on the home page and an incident
page; performance is only reported (bench/README.md), not asserted, because it depends on the
machine. Select with ``pytest -m lighthouse``; each page takes 10-20 s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import serving
from lighthouse_run import lighthouse
from statuspress.build import build

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse, pytest.mark.slow]

DEMO = Path(__file__).resolve().parents[1] / "content"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
PAGES = {
    "home": "index.html",
    "incident": "incidents/2026-11-24-payment-processing-outage/index.html",
    "active incident": "incidents/2026-11-27-order-confirmation-emails-delayed/index.html",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("lighthouse-demo")
    build(DEMO, out, NOW, internal=False)
    for path in PAGES.values():
        assert (out / "public" / path).is_file(), path
    with serving(out / "public", "/status/") as url:
        yield url


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_accessibility_100_and_best_practices_95(demo: str, name: str) -> None:
    report = lighthouse(demo + PAGES[name])
    assert report.version == "12.2.3"
    scores = report.scores
    assert scores["accessibility"] == 1, report.failing["accessibility"]
    assert scores["best-practices"] >= 0.95, report.failing["best-practices"]
    assert 0 < scores["performance"] <= 1
