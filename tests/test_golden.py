"""Golden public sites: each fixture under tests/fixtures/<name>/ built at NOW must match
tests/golden/<name>/ file for file.

HTML and XML (pages, feeds) compare whitespace-insensitively, JSON after parsing, everything
else byte for byte. A file the build writes that the golden lacks fails too, so new outputs
get reviewed. After an intended change run ``scripts/regen-golden`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from pathlib import Path

import pytest
from statuspress.build import build

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
FIXTURES = TESTS / "fixtures"
MARKUP = {".html", ".xml", ".atom", ".rss", ".svg"}
HINT = "run scripts/regen-golden and review the diff if the change is intended"


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def squash(text: str) -> str:
    return " ".join(text.split())


def differences(built: Path, golden: Path) -> list[str]:
    """What differs between two site folders, one line per problem (empty when equal)."""
    have, want = files(built), files(golden)
    problems = [
        f"{name}: written by the build but not in the golden" for name in have.keys() - want.keys()
    ]
    problems += [f"{name}: in the golden but not written" for name in want.keys() - have.keys()]
    for name in sorted(have.keys() & want.keys()):
        a, b = have[name], want[name]
        suffix = a.suffix.lower()
        if suffix == ".json":
            same = json.loads(a.read_bytes()) == json.loads(b.read_bytes())
        elif suffix in MARKUP:
            same = squash(a.read_text(encoding="utf-8")) == squash(b.read_text(encoding="utf-8"))
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            diff = difflib.unified_diff(
                b.read_text(encoding="utf-8", errors="replace").splitlines(),
                a.read_text(encoding="utf-8", errors="replace").splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
                n=1,
            )
            problems.append(f"{name}: differs\n" + "\n".join(list(diff)[:40]))
    return sorted(problems)


# golden/internal/ holds the internal site's generated Markdown (tests/test_internal_templates.py).
GOLDEN_SITES = (
    sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name != "internal")
    if GOLDEN.is_dir()
    else []
)


def test_every_fixture_has_a_golden() -> None:
    fixtures = sorted(p.parent.name for p in FIXTURES.glob("*/content"))
    assert "small" in fixtures
    assert GOLDEN_SITES == fixtures, HINT


@pytest.mark.parametrize("name", GOLDEN_SITES)
def test_build_matches_golden(name: str, tmp_path: Path) -> None:
    build(FIXTURES / name / "content", tmp_path, NOW, internal=False)
    problems = differences(tmp_path / "public", GOLDEN / name)
    assert not problems, f"{HINT}\n\n" + "\n".join(problems)


def test_comparison_ignores_whitespace_only_where_it_may(tmp_path: Path) -> None:
    """The comparator reports real changes (so the golden test can fail) and nothing else."""
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN / "small", golden)
    built = tmp_path / "built"
    shutil.copytree(golden, built)
    assert differences(built, golden) == []

    page = built / "index.html"
    page.write_text(page.read_text().replace("\n", "\n   \n"))
    api = built / "api" / "v2" / "status.json"
    if api.is_file():
        api.write_text(json.dumps(json.loads(api.read_text()), indent=7))
    assert differences(built, golden) == []

    page.write_text(
        page.read_text()
        .replace("All systems", "Some systems", 1)
        .replace("Partial outage", "Partial outages", 1)
    )
    (built / "style.css").write_bytes((golden / "style.css").read_bytes() + b" ")
    (built / "new.html").write_text("<p>new</p>")
    (golden / "uptime" / "index.html").unlink()
    found = [p.split("\n")[0] for p in differences(built, golden)]
    assert found == [
        "index.html: differs",
        "new.html: written by the build but not in the golden",
        "style.css: differs",
        "uptime/index.html: written by the build but not in the golden",
    ]


HOME_GOLDEN = TESTS / "golden-home"


@pytest.mark.parametrize("language", ["de", "ar"])
def test_home_page_in_language(language: str, tmp_path: Path) -> None:
    """The small fixture's home page with ``language: de`` / ``ar``: labels, dates, numbers
    and (Arabic) direction; tests/golden-home/<language>.html, written by regen-golden."""
    from i18n_support import localised

    build(localised(tmp_path, language=language), tmp_path / "out", NOW, internal=False)
    built = tmp_path / "out" / "public" / "index.html"
    golden = HOME_GOLDEN / f"{language}.html"
    have, want = built.read_text(encoding="utf-8"), golden.read_text(encoding="utf-8")
    if squash(have) != squash(want):
        diff = difflib.unified_diff(want.splitlines(), have.splitlines(), lineterm="", n=1)
        pytest.fail(f"{HINT}\n\n" + "\n".join(list(diff)[:40]))
