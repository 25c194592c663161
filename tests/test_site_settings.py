"""Site-level settings that reach the published site: the base URL and the logo.

A base URL is checked by one rule wherever it comes from (site.yaml, ``build --base-url``,
``init --base-url``); a logo is checked by ``check`` (``site.yaml:line: logo: ...``) and again
by the build on the very bytes it publishes. Everything runs the real command line.
"""

# ruff: noqa: E501  (expected messages are compared whole)

from __future__ import annotations

from pathlib import Path

import pytest
from check_support import NOW, base_text, check, make_tree, run_statuspress

HINT = "(an absolute http(s) URL, without user name, query or fragment)"

BAD_URLS = {
    "javascript": ("javascript:alert(1)", f"'javascript:alert(1)' is not valid {HINT}"),
    "data": (
        "data:text/html,<script>alert(1)</script>",
        f"'data:text/html,<script>alert(1)</script>' is not valid {HINT}",
    ),
    "crlf": (
        "https://status.example.com/\r\nX-Injected: 1",
        "must be a single line (it contains a line break)",
    ),
    "escape": (
        "https://status.example.com/\x1b]0;owned\x07",
        "contains the control character U+001B; remove it",
    ),
    "credentials": (
        "https://user:secret@status.example.com/",
        f"'https://user:secret@status.example.com/' is not valid {HINT}",
    ),
    "query": (
        "https://status.example.com/?preview=1",
        f"'https://status.example.com/?preview=1' is not valid {HINT}",
    ),
    "quote": (
        'https://status.example.com/"><script>',
        f"'https://status.example.com/\"><script>' is not valid {HINT}",
    ),
    "no-host": ("https:///status", f"'https:///status' is not valid {HINT}"),
    "empty": ("", "must not be empty"),
}


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    make_tree(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD_URLS))
def test_build_refuses_a_base_url_site_yaml_refuses(case: str, tree: Path) -> None:
    value, message = BAD_URLS[case]
    for only in (["--public-only"], []):
        result = run_statuspress("build", "--now", NOW, "--base-url", value, *only, cwd=tree)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [f"Error: --base-url: {message}"]
        assert not (tree / "site").exists()
    # The same value in site.yaml gets the same words, from the same rule.
    site = base_text("site.yaml").replace(
        "base_url: https://status.example.com/", f"base_url: {_yaml(value)}"
    )
    (tree / "content/site.yaml").write_text(site, encoding="utf-8", newline="")
    code, lines = check(tree)
    assert (code, lines) == (1, [f"content/site.yaml:2: base_url: {message}"])


def _yaml(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (escapes for line breaks and controls)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    for char, text in (("\r", "\\r"), ("\n", "\\n"), ("\x1b", "\\e"), ("\x07", "\\a")):
        escaped = escaped.replace(char, text)
    return f'"{escaped}"'


def test_a_good_base_url_is_normalised_to_one_slash(tree: Path) -> None:
    result = run_statuspress(
        "build", "--now", NOW, "--public-only", "--base-url", "http://[::1]:8080/pr-7//", cwd=tree
    )
    assert result.returncode == 0, result.stderr
    index = (tree / "site/public/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http://[::1]:8080/pr-7/">' in index


def test_init_uses_the_same_rule(tmp_path: Path) -> None:
    result = run_statuspress(
        "init", "new-site", "--now", NOW, "--base-url", "javascript:alert(1)", cwd=tmp_path
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"Error: --base-url: 'javascript:alert(1)' is not valid {HINT}"
    ]
    assert not (tmp_path / "new-site").exists()


# --- the logo ----------------------------------------------------------------------------------

HOSTILE = Path(__file__).resolve().parent / "hostile"
SVG = (HOSTILE / "logo-svg-accepted/assets/logo.svg").read_bytes()
SCRIPTED = (HOSTILE / "logo-svg-script/assets/logo.svg").read_bytes()


def _use_logo(tree: Path, rel: str, data: bytes) -> None:
    (tree / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
    (tree / "content" / rel).write_bytes(data)
    site = base_text("site.yaml") + f"logo: {rel}\n"
    (tree / "content/site.yaml").write_text(site, encoding="utf-8")


@pytest.mark.parametrize("only", [["--public-only"], []], ids=["public-only", "both-sites"])
def test_an_accepted_logo_is_published_byte_for_byte(only: list[str], tree: Path) -> None:
    _use_logo(tree, "assets/logo.svg", SVG)
    result = run_statuspress("build", "--now", NOW, *only, cwd=tree)
    assert result.returncode == 0, result.stderr
    assert (tree / "site/public/assets/logo.svg").read_bytes() == SVG
    index = (tree / "site/public/index.html").read_text(encoding="utf-8")
    assert '<img src="assets/logo.svg" alt="" height="32">' in index


@pytest.mark.parametrize("only", [["--public-only"], []], ids=["public-only", "both-sites"])
def test_a_scripted_logo_stops_the_build(only: list[str], tree: Path) -> None:
    _use_logo(tree, "assets/logo.svg", SCRIPTED)
    result = run_statuspress("build", "--now", NOW, *only, cwd=tree)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "content/site.yaml:8: logo: 'assets/logo.svg' contains a <script> element",
        "Error: 1 error in content; nothing was written",
    ]
    assert not (tree / "site").exists()


def test_the_build_checks_the_bytes_it_publishes(tree: Path) -> None:
    """A logo swapped after ``check`` read it is refused by the build's own copy."""
    from statuspress.errors import BuildError
    from statuspress.public.pages import copy_logo
    from statuspress.writer import SiteWriter

    content = tree / "content"
    (content / "logo.svg").write_bytes(SCRIPTED)
    writer = SiteWriter(tree / "out")
    with pytest.raises(BuildError, match=r"^logo: 'logo.svg' contains a <script> element$"):
        copy_logo(content, "logo.svg", writer)
    assert writer.files == {}
    (content / "logo.svg").write_bytes(SVG)
    copy_logo(content, "logo.svg", writer)
    assert writer.files == {"logo.svg": SVG}


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0" + bytes(32)
GIF = b"GIF89a" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)
ICO = b"\x00\x00\x01\x00\x01\x00" + bytes(32)
AVIF = b"\x00\x00\x00\x1cftypavif" + bytes(32)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("logo.png", PNG, None),
        ("logo.PNG", PNG, None),
        ("logo.jpg", JPEG, None),
        ("logo.jpeg", JPEG, None),
        ("logo.gif", GIF, None),
        ("logo.webp", WEBP, None),
        ("favicon.ico", ICO, None),
        ("logo.avif", AVIF, None),
        ("logo.svg", SVG, None),
        ("logo.png", JPEG, "'logo.png' is not a PNG image (its content looks like JPEG)"),
        ("logo.gif", SVG, "'logo.gif' is not a GIF image (its content looks like SVG)"),
        ("logo.svg", PNG, "'logo.svg' is not an SVG image (its content looks like PNG)"),
        (
            "logo.html",
            SVG,
            "'logo.html' is not an image file (use one of: avif, gif, ico, jpeg, jpg, png, svg, webp)",
        ),
        (
            "logo",
            PNG,
            "'logo' is not an image file (use one of: avif, gif, ico, jpeg, jpg, png, svg, webp)",
        ),
        (
            "logo.png",
            PNG + bytes(1024 * 1024),
            "'logo.png' is 1048616 bytes, over the 1048576-byte logo limit",
        ),
    ],
)
def test_logo_type_by_name_and_content(name: str, data: bytes, expected: str | None) -> None:
    from statuspress import logo

    assert logo.problem(name, data) == expected


SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        (b"<SCRIPT>alert(1)</SCRIPT>", "contains a <script> element"),
        (
            b'<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
            "contains a <script> element",
        ),
        (b'<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x"/>', "contains HTML (<img>)"),
        (b'<rect onclick="alert(1)"/>', "has an event handler attribute (onclick) on <rect>"),
        (
            b'<a href=" java\tscript:alert(1)"><text>x</text></a>',
            "refers to ' java script:alert(1)' from <a> (only '#...' references and embedded PNG, JPEG, GIF or WebP images are allowed)",
        ),
        (
            b'<use xlink:href="sprites.svg#logo"/>',
            "refers to 'sprites.svg#logo' from <use> (only '#...' references and embedded PNG, JPEG, GIF or WebP images are allowed)",
        ),
        (
            b'<a><set attributeName="href" to="javascript:alert(1)"/></a>',
            "animates href on <set>",
        ),
        (
            b'<a><animate attributeName="xlink:href" values="https://x.example/"/></a>',
            "animates xlink:href on <animate>",
        ),
        (
            b"<style>@import url(https://fonts.example/x.css);</style>",
            "has script or an import in <style>",
        ),
        (
            b"<style>rect { fill: url( https://x.example/p.svg#a) }</style>",
            "loads an external resource (url(...)) in <style>",
        ),
        (
            b"<rect style=\"fill:url('https://x.example/p.svg#a')\"/>",
            "loads an external resource (url(...)) in the style of <rect>",
        ),
        (
            b'<rect filter="url(https://x.example/f.svg#blur)"/>',
            "loads an external resource (url(...)) in filter of <rect>",
        ),
        (b"<iframe/>", "contains an <iframe> element"),
        (b"<rect>&undefined;</rect>", "is not well-formed XML (line 1: undefined entity)"),
        (b"<rect>", "is not well-formed XML (line 1: mismatched tag)"),
        (b'<text values="javascript:alert(1)"/>', "has script or an import in values of <text>"),
        # Allowed: references inside the file and embedded raster images.
        (b'<use xlink:href="#a"/><rect style="fill:url(#g)" filter="url(\'#f\')"/>', None),
        (b'<image href="data:image/png;base64,iVBORw0KGgo="/>', None),
        (
            b"<style>.a { fill: url( #g ) }</style><title>onload and javascript: in text</title>",
            None,
        ),
    ],
)
def test_svg_that_could_run_or_fetch_is_refused(inner: bytes, expected: str | None) -> None:
    from statuspress import logo

    assert logo.svg_problem(SVG_OPEN + inner + b"</svg>") == expected


def test_svg_root_and_processing_instructions() -> None:
    from statuspress import logo

    assert logo.svg_problem(b"<html><body/></html>") == (
        "is not an SVG image (its root element is <html>)"
    )
    assert logo.svg_problem(b'<?xml-stylesheet href="x.css"?><svg/>') == (
        "has a processing instruction (<?xml-stylesheet ...?>)"
    )
    assert logo.svg_problem(b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg>&x;</svg>') == (
        "uses the undefined entity 'x'"
    )
