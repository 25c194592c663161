"""Raw HTML that never closes its elements is refused by ``check`` (issue #10 defect 10).

An incident body of 40,000 ``<div>`` (200 KB, under the 1 MiB file limit) kept mkdocs-material's
search indexer busy for 66 s (13 minutes on a loaded machine): its parser walks every open
element at every tag. ``check`` (and so ``build``) now refuses a body that leaves more than
``MAX_DEPTH`` elements open, naming the line; the same tags in fenced code or code spans, or
closed again, are plain content and build. The timings are in bench/README.md; these tests
bound counts (open elements in the built page), never the clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from check_support import BASE_INCIDENT, base_text, check, make_tree
from statuspress.build import build
from statuspress.rawhtml import MAX_DEPTH, too_deep

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
FLOOD = "<div>" * 40_000  # the report's body: 200 KB
MESSAGE = (
    "body: raw HTML here leaves more than 100 elements open (never closed); close them, or "
    "put pasted HTML in a fenced code block"
)
FILES = {
    "incident": BASE_INCIDENT,
    "known error": "known-errors/KE-0001-connection-pool-exhaustion.md",
    "runbook": "runbooks/postgres-connection-pool.md",
}


def _with_body_tail(rel: str, tail: str) -> tuple[str, int]:
    """The base file with ``tail`` appended to its body, and the line ``tail`` starts on."""
    text = base_text(rel).rstrip("\n") + "\n\nPasted from the alert e-mail:\n\n"
    return text + tail + "\n", text.count("\n") + 1


@pytest.mark.parametrize("kind", sorted(FILES))
def test_check_refuses_40000_unclosed_divs_with_the_line(kind: str, tmp_path: Path) -> None:
    rel = FILES[kind]
    text, line = _with_body_tail(rel, "<p>Intro</p>\n\n" + FLOOD)
    make_tree(tmp_path, files={rel: text})
    assert check(tmp_path) == (1, [f"content/{rel}:{line + 2}: {MESSAGE}"])


def test_the_same_html_as_code_or_closed_builds(tmp_path: Path) -> None:
    """Fenced, in a code span, or closed again: 40,000 tags each, and the page is indexed."""
    body = "\n\n".join(
        [
            "```html\n" + FLOOD + "\n```",
            "Inline: `" + "<span>" * 5_000 + "`",
            "<div>" + "<div></div>" * 40_000 + "</div>",
            "<!-- " + "<b>" * 5_000 + " -->",
        ]
    )
    text, _ = _with_body_tail(BASE_INCIDENT, body)
    content = make_tree(tmp_path, files={BASE_INCIDENT: text})
    build(content, tmp_path / "out", NOW, public=False)
    page = tmp_path / "out/internal/incidents/2026-11-20-card-payments-failing/index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("<div></div>") == 40_000
    assert html.count("&lt;div&gt;") >= 40_000
    # What the indexer walks at each tag: the open elements of the page. A generous bound that
    # the refused body (40,000) would break by far.
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    assert too_deep(article, limit=2 * MAX_DEPTH) is None
    index = (tmp_path / "out/internal/search/search_index.json").read_text(encoding="utf-8")
    assert "2026-11-20-card-payments-failing" in index


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<div>" * 101, (0, 101)),
        ("<div>" * 100, None),
        ("x\n\n" + "<p><b>" * 51, (2, 101)),
        ("<br><img src=a><hr>" * 200, None),  # void elements open nothing
        ("<div/>" * 200, None),
        ("<div></div>" * 200, None),
        ("<div></span>" * 101, (0, 101)),  # an end tag of another name closes nothing
        ("~~~\n" + "<div>" * 200 + "\n~~~", None),
        ("````\n```\n" + "<div>" * 200 + "\n````", None),  # a shorter fence does not close
        ("``" + "<div>" * 200 + "``", None),
        ("`" + "<div>" * 200, (0, 101)),  # an unclosed backtick is just a backtick
        ("<!--\n" + "<div>" * 200 + "\n-->", None),
    ],
)
def test_open_elements_are_counted_like_the_indexer(
    body: str, expected: tuple[int, int] | None
) -> None:
    assert too_deep(body) == expected


def test_backtick_runs_that_never_close_leave_the_tags_counted() -> None:
    """Runs of every length up to 1,499, no two alike: none opens a code span."""
    line = "".join("`" * n + "a" for n in range(1, 1500)) + "<div>" * 200
    assert too_deep(line) == (0, 101)
