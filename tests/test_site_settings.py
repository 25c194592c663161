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
