"""serve's incremental public rebuild is byte-identical to a fresh full build, edit after edit.

A real :class:`~statuspress.serve.Builder` on a real content folder (the benchmark corpus
generator, 80 incidents, plus a theme overrides folder) goes through a sequence of edits: an
incident changed, added, deleted, moved to another folder, renamed (a new id), resolved; a
maintenance rescheduled; services.yaml, site.yaml, a theme template and a partial changed; an
edit with an error and its fix; a second language, the site's own catalog, another default
language. After each step every file serve holds in memory, and every
file it wrote to ``OUT/public``, must equal byte for byte what ``statuspress build
--public-only`` writes from the same folder at the same ``--now``.

The first steps also check that the rebuild was incremental (few pages rendered again), so
the comparison is between two different routes and not the full render twice. The sequence
runs twice: once with the builder looking up every file's stat stamp, once with serve's real
file watcher telling it which files changed (the steps that change one file must then look
up only that one's).
"""

from __future__ import annotations

import difflib
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from check_support import make_corpus
from statuspress.build import build
from statuspress.clock import resolve_now
from statuspress.serve import Builder
from statuspress.serve.builder import TICK_LATE, TICK_SECONDS, until_next_minute
from statuspress.serve.watch import start_watching

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T12:00:00Z"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def full_build(content: Path, out: Path) -> dict[str, bytes]:
    if out.exists():
        shutil.rmtree(out)
    build(content, out, resolve_now(NOW), public=True, internal=False, force=True)
    return tree(out / "public")


def differences(have: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    problems = [f"{name}: only in serve's build" for name in sorted(have.keys() - want.keys())]
    problems += [
        f"{name}: missing from serve's build" for name in sorted(want.keys() - have.keys())
    ]
    problems += [
        f"{name}: differs" for name in sorted(have.keys() & want.keys()) if have[name] != want[name]
    ]
    return problems


def explain(step: str, builder: Builder, want: dict[str, bytes]) -> str:
    """The step, what differs, and the start of the first differing file's diff."""
    assert builder.snapshot is not None
    have = builder.snapshot.files
    problems = differences(have, want)
    first = next((p.split(":")[0] for p in problems if p.endswith("differs")), None)
    diff = ""
    if first is not None:
        lines = difflib.unified_diff(
            want[first].decode().splitlines(), have[first].decode().splitlines(), lineterm=""
        )
        diff = "\n".join(list(lines)[:30])
    return f"{step}: {problems[:10]}\n{diff}"


def set_title(path: Path, title: str) -> None:
    text = path.read_text()
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title!r}", text, count=1))


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    make_corpus(80, 3, tmp_path)
    theme = tmp_path / "theme"
    theme.mkdir()
    # An override that reads what the built-in incident page does not: every month.
    (theme / "incident.html").write_text(
        '{% extends "default:incident.html" %}\n'
        "{% block extra_head %}<!-- {{ months|length }} months, "
        "{{ incident.id }} -->{% endblock %}\n"
    )
    return tmp_path / "content"


@pytest.mark.parametrize("route", ["stat", "events"])
def test_incremental_rebuilds_equal_full_builds(corpus: Path, tmp_path: Path, route: str) -> None:
    content = corpus
    out = tmp_path / "served"
    builder = Builder(content, out, now=NOW, public_only=True)
    dirty = threading.Event()
    watching: list[object] = []

    def settle() -> None:
        """Wait until the watcher has reported an edit (serve's debounce)."""
        if watching:
            assert dirty.wait(10), "the watcher reported no change"
            while True:
                dirty.clear()
                if not dirty.wait(0.3):
                    return

    incidents = sorted(content.glob("incidents/*/*.md"))
    public = [p for p in incidents if "public: false" not in p.read_text()]
    old, middle = public[0], public[len(public) // 2]
    newest = next(p for p in reversed(public) if "kind: maintenance" not in p.read_text())
    # The active incident is in every page's banner; a recent resolved one is not.
    recent = next(
        p
        for p in reversed(public)
        if "kind: maintenance" not in p.read_text() and "resolved_at:" in p.read_text()
    )
    maintenance = next(p for p in reversed(incidents) if "kind: maintenance" in p.read_text())
    services = content / "services.yaml"
    theme = content.parent / "theme"

    def add() -> None:
        text = middle.read_text().replace("title:", 'title: "A copy" #', 1)
        (middle.parent / "2026-01-01-added-incident.md").write_text(text)

    def rename_id() -> None:
        middle.rename(middle.with_name(middle.stem + "-renamed.md"))

    def move_folder() -> None:
        target = content / "incidents" / "moved"
        target.mkdir()
        old.rename(target / old.name)

    def resolve_newest() -> None:
        text = newest.read_text()
        end = text.index("\n---\n", 4)  # the front matter ends with the updates
        update = '\n  - at: 2026-11-27T11:00:00Z\n    status: resolved\n    message: "Fixed."'
        text = text[:end] + update + text[end:]
        newest.write_text(
            text.replace("started_at:", "resolved_at: 2026-11-27T11:00:00Z\nstarted_at:", 1)
        )

    def reschedule() -> None:
        text = maintenance.read_text()
        maintenance.write_text(text.replace("Planned maintenance", "Rescheduled maintenance", 1))

    def break_then_fix() -> None:
        text = old_moved().read_text()
        old_moved().write_text(text.replace("started_at:", "started_at: not a time\nx:", 1))
        settle()
        assert not builder.rebuild().ok
        old_moved().write_text(text.replace("title:", 'title: "Fixed" #', 1))

    def another_build_then_edit() -> None:
        # Another build (another "now") replaces serve's folder: serve must write it whole.
        build(content, out, resolve_now("2026-12-20T12:00:00Z"), public=True, internal=False)
        set_title(recent, "After another build")

    def old_moved() -> Path:
        return content / "incidents" / "moved" / old.name

    steps: list[tuple[str, Callable[[], None], int | None]] = [
        ("change an old incident's title", lambda: set_title(old, "Edited old"), 12),
        ("change a recent incident's title", lambda: set_title(recent, "Edited recent"), 20),
        ("change the active incident (in every banner)", lambda: set_title(newest, "X"), None),
        ("add an incident", add, None),
        ("delete an incident", lambda: public[1].unlink(), None),
        ("rename a file (new id)", rename_id, None),
        ("move a file to another folder (same id)", move_folder, None),
        ("resolve the newest incident", resolve_newest, None),
        ("reschedule a maintenance", reschedule, None),
        ("an error, then its fix", break_then_fix, None),
        ("another build into serve's folder, then an edit", another_build_then_edit, None),
        (
            "rename a service in services.yaml",
            lambda: services.write_text(services.read_text().replace('"Checkout"', '"Kasse"', 1)),
            None,
        ),
        (
            "change the site title",
            lambda: (content / "site.yaml").write_text(
                (content / "site.yaml").read_text().replace("Northwind Status", "NW Status", 1)
            ),
            None,
        ),
        (
            "move the site to another address (every page's canonical link)",
            lambda: (content / "site.yaml").write_text(
                re.sub(
                    r"(?m)^base_url: .*$",
                    "base_url: https://status.example.org/moved/",
                    (content / "site.yaml").read_text(),
                )
            ),
            None,
        ),
        (
            "build two languages (German under de/)",
            lambda: (content / "site.yaml").write_text(
                (content / "site.yaml").read_text() + "languages: [en, de]\n"
            ),
            None,
        ),
        ("change a title with two languages", lambda: set_title(recent, "Zwei"), 40),
        (
            "use the theme folder (its incident page reads every month)",
            lambda: (content / "site.yaml").write_text(
                (content / "site.yaml").read_text() + 'theme_dir: "theme"\n'
            ),
            None,
        ),
        (
            "change a title that the override shows on every page",
            lambda: set_title(old_moved(), "Again"),
            None,
        ),
        (
            "change a theme template",
            lambda: (theme / "incident.html").write_text(
                (theme / "incident.html").read_text().replace("months,", "months in history,")
            ),
            None,
        ),
        (
            "override a partial the pages include",
            lambda: (
                (theme / "partials").mkdir()
                or (theme / "partials" / "status-badge.html").write_text(
                    (ROOT / "theme" / "partials" / "status-badge.html")
                    .read_text()
                    .replace("<span", '<span data-x="1"', 1)
                )
            ),
            None,
        ),
        (
            "the site's own German catalog changes one message",
            lambda: (
                (theme / "locales" / "de" / "LC_MESSAGES").mkdir(parents=True)
                or (theme / "locales" / "de" / "LC_MESSAGES" / "messages.po").write_text(
                    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "Operational"\nmsgstr "In Betrieb"\n\n'
                    'msgid "History"\nmsgstr "Chronik"\n'
                )
            ),
            None,
        ),
        (
            "German becomes the default language",
            lambda: (content / "site.yaml").write_text(
                re.sub(
                    r"(?m)^language: .*$",
                    "language: de",
                    (content / "site.yaml").read_text(),
                ).replace("languages: [en, de]", "languages: [de, en]")
            ),
            None,
        ),
    ]
    first = builder.rebuild()
    assert first.ok
    assert builder.snapshot is not None
    builder.rebuild()  # nothing changed: every file's stamp is looked up once
    files = builder.stats
    assert files > 80
    want = full_build(content, tmp_path / "full")
    assert not differences(builder.snapshot.files, want)
    if route == "events":
        watching.append(start_watching(builder, dirty))
    try:
        for name, edit, most in steps:
            dirty.clear()
            edit()
            settle()
            times = builder.rebuild()
            assert times.ok, f"{name}: {builder.errors}"
            want = full_build(content, tmp_path / "full")
            assert not differences(builder.snapshot.files, want), explain(name, builder, want)
            assert not differences(tree(out / "public"), want), f"{name}: on disk"
            if most is not None:
                assert 0 < builder.memo.rendered <= most, f"{name}: {builder.memo.rendered} pages"
                # The first rebuild after the watcher starts looks at every file; later ones
                # only at the edited file (its read and its check).
                looked = builder.stats
                if route == "stat" or name == steps[0][0]:
                    assert looked >= files, f"{name}: {looked} of {files} files looked at"
                else:
                    assert looked <= 2, f"{name}: {looked} files looked at"
    finally:
        for observer in watching:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=2)  # type: ignore[attr-defined]


@pytest.mark.parametrize("second", [0.0, 0.04, 0.06, 12.5, 59.0, 59.99])
def test_the_minute_tick_comes_as_the_minute_begins(second: float) -> None:
    """Without --now, pages show the minute: the tick renders them all as the minute turns,
    so that an edit later in that minute is not the first rebuild of the minute."""
    minute = 1_800_000_000.0  # a whole minute (30,000,000 of them since 1970)
    wait = until_next_minute(minute + second)
    assert 0 < wait <= TICK_SECONDS + TICK_LATE
    assert (minute + second + wait) % TICK_SECONDS == pytest.approx(TICK_LATE)
