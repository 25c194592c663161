"""`statuspress serve`: live reload in a real browser, errors in the page, incremental builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from serve_support import NOW, get, serving, wait_for
from statuspress.cli import cli
from statuspress.serve import Builder

INCIDENT = "2026-11-17-sign-in-errors"
INCIDENT_FILE = f"content/incidents/2026/{INCIDENT}.md"
TITLE = "Sign-in errors on the website"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh site repository (statuspress init) with one incident."""
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "site"), "--now", NOW])
    assert result.exit_code == 0, result.output
    return tmp_path / "site"


def retitle(path: Path, title: str) -> None:
    text = path.read_text()
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1))


@pytest.mark.browser
def test_edits_reload_the_page_and_errors_show_in_it(site: Path, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    source = site / INCIDENT_FILE
    with serving(site / "content", site / "site", "--public-only") as served:
        page.goto(f"{served.public}incidents/{INCIDENT}/index.html")
        expect(page.locator("h1")).to_contain_text(TITLE)
        marker = page.evaluate("() => (window.__notReloaded = performance.timeOrigin)")

        retitle(source, "Sign-in errors, now understood")
        expect(page.locator("h1")).to_contain_text("now understood", timeout=10_000)
        # The page reloaded by itself (a new document), the test never reloaded it.
        assert page.evaluate("() => window.__notReloaded") is None
        assert page.evaluate("() => performance.timeOrigin") != marker

        good = source.read_text()
        source.write_text(good.replace("severity: SEV-2", 'severity: "SEV-2'))  # broken YAML
        overlay = page.locator("#statuspress-serve-errors")
        expect(overlay).to_be_visible(timeout=10_000)
        expect(overlay).to_contain_text(INCIDENT_FILE)
        expect(overlay).to_contain_text("YAML syntax error")
        text = overlay.inner_text()
        line = int(re.search(rf"{re.escape(INCIDENT_FILE)}:(\d+):", text).group(1))  # type: ignore[union-attr]
        assert line > 1
        expect(page.locator("h1")).to_contain_text("now understood")  # last good build

        source.write_text(good.replace("now understood", "fixed again"))
        expect(page.locator("h1")).to_contain_text("fixed again", timeout=10_000)
        expect(overlay).to_have_count(0)
    assert "Traceback" not in "\n".join(served.log)


def test_served_html_gets_the_script_the_files_do_not(site: Path) -> None:
    with serving(site / "content", site / "site") as served:
        assert served.internal is not None
        status, headers, body = get(served.public)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"new EventSource" in body and body.rstrip().endswith(b"</html>")
        on_disk = (site / "site" / "public" / "index.html").read_bytes()
        assert b"EventSource" not in on_disk
        # The page as built, with the script added and the built CSP (script-src 'none') left
        # out: only what serve sends is changed, never the files.
        served_page = body[: body.index(b"<script>/* statuspress")]
        csp = rb'<meta http-equiv="Content-Security-Policy"[^>]*>'
        assert re.search(csp, on_disk) and not re.search(csp, body)
        assert served_page in re.sub(csp, b"", on_disk)
        status, headers, body = get(served.public + "style.css")
        assert status == 200 and b"EventSource" not in body
        status, headers, _ = get(served.public + "incidents")
        assert status == 301 and headers["Location"] == "/incidents/"
        assert get(served.public + "no/such/page.html")[0] == 404
        # DNS rebinding: a foreign Host header is refused (the internal site stays internal).
        assert get(served.public, headers={"Host": "attacker.example:80"})[0] == 421
        assert get(served.public, headers={"Host": "localhost"})[0] == 200
        state = json.loads(get(served.public + "__statuspress/status")[2])
        assert state == {"site": "public", "build": 1, "ok": True, "errors": []}
        # The internal site is built by a child process after the public one.
        assert wait_for(
            lambda: json.loads(get(served.internal + "__statuspress/status")[2])["build"] >= 1,
            timeout=60,
        ), "\n".join(served.read_log())
        status, _, body = get(served.internal)
        assert status == 200 and b"new EventSource" in body
        assert b"EventSource" not in (site / "site" / "internal" / "index.html").read_bytes()


def test_incremental_rebuild_equals_a_fresh_build(site: Path, tmp_path: Path) -> None:
    content = site / "content"
    now = NOW
    builder = Builder(content, tmp_path / "out", now=now, public_only=True)
    assert builder.rebuild().ok
    first = builder.snapshot
    assert first is not None and first.build == 1
    retitle(site / INCIDENT_FILE, "Retitled incident")
    assert builder.rebuild().ok
    second = builder.snapshot
    assert second is not None and second.build == 2
    fresh = Builder(content, tmp_path / "fresh", now=now, public_only=True)
    assert fresh.rebuild().ok
    assert fresh.snapshot is not None and second.files == fresh.snapshot.files
    assert second.files != first.files
    on_disk = {
        p.relative_to(tmp_path / "out" / "public").as_posix(): p.read_bytes()
        for p in (tmp_path / "out" / "public").rglob("*")
        if p.is_file()
    }
    assert on_disk == second.files  # what is served is what was written

    # A broken file: the last good build stays, the error names file and line.
    source = site / INCIDENT_FILE
    source.write_text(source.read_text().replace("started_at:", "started_at: [", 1))
    assert not builder.rebuild().ok
    assert builder.snapshot is second
    [error] = builder.state("public")["errors"]
    assert error["path"].endswith(INCIDENT_FILE) and error["line"] > 1
    assert on_disk == {
        p.relative_to(tmp_path / "out" / "public").as_posix(): p.read_bytes()
        for p in (tmp_path / "out" / "public").rglob("*")
        if p.is_file()
    }
    source.unlink()  # a deleted file leaves the cache and the site
    assert builder.rebuild().ok
    assert builder.snapshot is not None and builder.snapshot.build == 3
    assert not any(INCIDENT in name for name in builder.snapshot.files)
    assert all(Path(path).exists() for _, path in builder.cache)


def test_a_theme_folder_named_while_serving_is_watched(site: Path, tmp_path: Path) -> None:
    """site.yaml gains a theme_dir while serving: edits in that folder rebuild too."""
    page = f"incidents/{INCIDENT}/index.html"
    override = '{% extends "base.html" %}{% block content %}<h1>MARK-N</h1>{% endblock %}'
    with serving(site / "content", site / "site", "--public-only") as served:
        url = served.public + page

        def shows(text: str) -> bool:
            return text.encode() in get(url)[2]

        # Named first, created afterwards (moved into place whole, as a checkout would).
        site_yaml = site / "content" / "site.yaml"
        site_yaml.write_text(site_yaml.read_text() + "theme_dir: late-theme\n")
        assert wait_for(lambda: any("theme_dir" in line for line in served.read_log()), 10)
        staged = tmp_path / "staged-theme"
        staged.mkdir()
        (staged / "incident.html").write_text(override.replace("N", "1"))
        staged.rename(site / "late-theme")
        assert wait_for(lambda: shows("MARK-1"), 10), served.read_log()
        # An edit inside the folder that was not watched when serve started.
        (site / "late-theme" / "incident.html").write_text(override.replace("N", "2"))
        assert wait_for(lambda: shows("MARK-2"), 10), served.read_log()
    assert "Traceback" not in "\n".join(served.log)
