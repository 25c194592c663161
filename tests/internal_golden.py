"""The generated Markdown of an internal site, and its golden copy in tests/golden/internal/.

    .venv/bin/python tests/internal_golden.py     # rewrite the golden (scripts/regen-golden)

The golden is every Markdown page the knowledge base generates (before mkdocs) for the fixture
tests/internal_kb/content (the small fixture plus known errors and runbooks) at NOW.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from statuspress.internal import metrics
from statuspress.internal.layout import Layout
from statuspress.internal.pages import generate
from statuspress.loader import load_valid

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TESTS = Path(__file__).resolve().parent
CONTENT = TESTS / "internal_kb" / "content"
GOLDEN = TESTS / "golden" / "internal" / "kb"


def pages(content: Path = CONTENT, now: dt.datetime = NOW) -> dict[str, str]:
    """Markdown path in the docs folder -> text, as ``statuspress build`` hands it to mkdocs."""
    world = load_valid(content, now).world
    return generate(Layout(world), metrics.compute(world))


def write(dest: Path = GOLDEN) -> int:
    shutil.rmtree(dest, ignore_errors=True)
    generated = pages()
    for path, text in generated.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    return len(generated)


if __name__ == "__main__":
    count = write()
    sys.stdout.write(f"wrote {count} files to {GOLDEN.relative_to(Path.cwd())}\n")
