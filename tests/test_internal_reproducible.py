"""The internal site depends on the content and ``--now`` only (issue #10 defect 14).

mkdocs dates every page (``<lastmod>`` in sitemap.xml, the gzip header of sitemap.xml.gz) from
SOURCE_DATE_EPOCH or else the machine's clock, so two builds on different days differed. The
builds here use a "now" years away from any day the suite runs on: the dates can only come
from it, and two builds with the same "now" are identical byte for byte.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from statuspress.build import build
from statuspress.cli import cli

CONTENT = Path(__file__).resolve().parent / "fixtures" / "small" / "content"
FAR = dt.datetime(2031, 3, 15, 8, 30, tzinfo=dt.UTC)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def lastmods(site: Path) -> set[str]:
    return set(re.findall(r"<lastmod>([^<]*)</lastmod>", (site / "sitemap.xml").read_text()))


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("first")
    build(CONTENT, out, FAR, public=False)
    return out / "internal"


def test_sitemap_dates_follow_now(first: Path) -> None:
    assert lastmods(first) == {"2031-03-15"}
    with gzip.open(first / "sitemap.xml.gz") as fd:
        assert fd.read() == (first / "sitemap.xml").read_bytes()
    header_mtime = int.from_bytes((first / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert dt.datetime.fromtimestamp(header_mtime, dt.UTC).date() == FAR.date()


def test_two_builds_with_the_same_now_are_identical(first: Path, tmp_path: Path) -> None:
    build(CONTENT, tmp_path, FAR, public=False)
    again = tree(tmp_path / "internal")
    before = tree(first)
    assert sorted(again) == sorted(before)
    assert [name for name in before if again[name] != before[name]] == []
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the build put back what it found


def test_source_date_epoch_dates_the_internal_site(tmp_path: Path) -> None:
    """Without --now, SOURCE_DATE_EPOCH is "now" for the internal site too."""
    epoch = int(dt.datetime(2029, 7, 1, 23, 30, tzinfo=dt.UTC).timestamp())
    result = CliRunner(env={"SOURCE_DATE_EPOCH": str(epoch)}).invoke(
        cli, ["build", "--content", str(CONTENT), "--internal-only", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert lastmods(tmp_path / "internal") == {"2029-07-01"}
