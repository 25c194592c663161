"""The real-client test helpers in tests/browser.py work on tiny handwritten files."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import atom_validate, format_axe, run_axe, serving, vnu_check
from playwright.sync_api import Page, expect

GOOD_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>All systems operational</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main>
<h1>All systems operational</h1>
<p id="note">Updated <time datetime="2026-11-27T09:00:00Z">27 Nov 2026, 09:00 UTC</time>.</p>
<img src="logo.svg" alt="Acme" width="16" height="16">
<p><a href="incidents/">Incident history</a></p>
</main>
</body>
</html>
"""

BAD_HTML = GOOD_HTML.replace(' alt="Acme"', "")

STYLE_CSS = "#note { color: rgb(0, 0, 128); }\n"

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">'
    '<rect width="16" height="16"/></svg>\n'
)

GOOD_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>https://status.example.com/history.atom</id>
  <title>Acme status history</title>
  <updated>2026-11-27T09:00:00Z</updated>
  <link rel="self" href="https://status.example.com/history.atom"/>
  <link rel="alternate" href="https://status.example.com/"/>
  <author><name>Acme</name></author>
  <entry>
    <id>https://status.example.com/incidents/2026-11-24-card-payments-failing/</id>
    <title>Card payments failing</title>
    <updated>2026-11-24T03:40:00+01:00</updated>
    <link rel="alternate" href="https://status.example.com/incidents/2026-11-24-card-payments-failing/"/>
    <content type="html">&lt;p&gt;Resolved.&lt;/p&gt;</content>
  </entry>
</feed>
"""

# Entry without id, and a date that is not RFC 3339.
BAD_ATOM = GOOD_ATOM.replace(
    "<id>https://status.example.com/incidents/2026-11-24-card-payments-failing/</id>\n", ""
).replace("2026-11-24T03:40:00+01:00", "yesterday")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    root.mkdir()
    (root / "index.html").write_text(GOOD_HTML, encoding="utf-8")
    (root / "bad.html").write_text(BAD_HTML, encoding="utf-8")
    (root / "style.css").write_text(STYLE_CSS, encoding="utf-8")
    (root / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    return root


def test_vnu_accepts_valid_and_reports_missing_alt(site: Path) -> None:
    good, bad = site / "index.html", site / "bad.html"
    errors = vnu_check([good, bad])
    assert errors, "vnu found no error in a page with an img without alt"
    # Only the bad page, at the line of its <img>; vnu quotes names with curly quotes.
    assert all(e.startswith(f"{bad}:13: ") for e in errors), errors
    assert any("\u201calt\u201d attribute" in e for e in errors), errors


def test_axe_passes_valid_page_and_flags_missing_alt(page: Page, site: Path) -> None:
    with serving(site) as url:
        page.goto(url + "index.html")
        violations = run_axe(page)
        assert violations == [], format_axe(violations)
        page.goto(url + "bad.html")
        assert [v["id"] for v in run_axe(page)] == ["image-alt"]


def test_atom_schema(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.atom", tmp_path / "bad.atom"
    good.write_text(GOOD_ATOM, encoding="utf-8")
    bad.write_text(BAD_ATOM, encoding="utf-8")
    assert atom_validate(good) == []
    errors = atom_validate(bad)
    assert any('missing required element "id"' in e for e in errors), errors
    assert any("must be an ISO date and time" in e for e in errors), errors
    assert all(str(bad) in e for e in errors), errors


def test_page_served_under_sub_path(page: Page, site: Path) -> None:
    with serving(site, prefix="/sub/path/") as url:
        assert url.endswith("/sub/path/")
        page.goto(url)
        expect(page).to_have_title("All systems operational")
        # Relative stylesheet and image resolve under the prefix.
        expect(page.locator("#note")).to_have_css("color", "rgb(0, 0, 128)")
        assert page.evaluate("document.querySelector('img').naturalWidth") == 16
        base = url.removesuffix("sub/path/")
        with urllib.request.urlopen(url.rstrip("/")) as resp:  # redirected to the prefix
            assert resp.url == url
        with pytest.raises(urllib.error.HTTPError) as excinfo:
            urllib.request.urlopen(base + "index.html")
        assert excinfo.value.code == 404
        excinfo.value.close()
