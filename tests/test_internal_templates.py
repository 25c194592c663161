"""The internal site's page templates: golden Markdown, a site's override, broken overrides.

The golden is every generated Markdown page of tests/internal_kb/content (tests/golden/internal/;
rewrite with ``scripts/regen-golden`` after an intended change and review the diff).
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from internal_golden import CONTENT, GOLDEN, NOW, pages
from statuspress.internal.templating import TEMPLATES, finalize

HINT = "run scripts/regen-golden and review the diff if the change is intended"
HOSTILE = '<img src=x onerror="alert(1)"> [x](javascript:alert(1)) | *b* `c`'


def golden_files() -> dict[str, str]:
    return {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }


def differences(have: dict[str, str], want: dict[str, str]) -> list[str]:
    problems = [f"{name}: generated but not in the golden" for name in have.keys() - want.keys()]
    problems += [f"{name}: in the golden but not generated" for name in want.keys() - have.keys()]
    for name in sorted(have.keys() & want.keys()):
        if have[name] != want[name]:
            diff = difflib.unified_diff(
                want[name].splitlines(), have[name].splitlines(), "golden", "built", lineterm=""
            )
            problems.append(f"{name}: differs\n" + "\n".join(list(diff)[:40]))
    return sorted(problems)


def test_generated_markdown_matches_the_golden() -> None:
    problems = differences(pages(), golden_files())
    assert not problems, f"{HINT}\n\n" + "\n".join(problems)


def test_the_golden_covers_every_builtin_page_template() -> None:
    # Each page template is used by at least one page of the golden site (macro files start
    # with an underscore); a template no page uses would go unchecked.
    names = {p.name for p in TEMPLATES.glob("*.md") if not p.name.startswith("_")}
    have = golden_files()
    titles = {
        "home.md": "index.md",
        "incident.md": "incidents/2026-11-27-checkout-errors.md",
        "incidents-week.md": "incidents/weeks/2026-W46.md",
        "incidents-month.md": "incidents/2026/11.md",
        "incidents.md": "incidents/index.md",
        "known-error.md": "known-errors/KE-0001.md",
        "known-errors.md": "known-errors/index.md",
        "known-errors-status.md": "known-errors/status/resolved.md",
        "known-errors-service.md": "known-errors/service/checkout.md",
        "runbook.md": "runbooks/db-connections.md",
        "runbooks.md": "runbooks/index.md",
        "service.md": "services/checkout.md",
        "services.md": "services/index.md",
        "action-items.md": "action-items/index.md",
        "action-items-owner.md": "action-items/team-checkout.md",
        "metrics.md": "metrics/index.md",
        "metrics-months.md": "metrics/months.md",
        "maturity.md": "maturity/index.md",
    }
    assert names == set(titles)
    missing = [page for page in titles.values() if page not in have]
    assert not missing


def site_with_override(tmp_path: Path, name: str, text: str) -> Path:
    """A copy of the golden's content whose theme folder overrides one internal template."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("theme_dir: theme\n")
    override = tmp_path / "theme" / "internal" / name
    override.parent.mkdir(parents=True)
    override.write_text(text, encoding="utf-8")
    return content


def test_a_theme_override_changes_that_page_and_only_that_one(tmp_path: Path) -> None:
    # The override extends the built-in page (default:NAME) and prints a value of its own.
    override = (
        '{% include "default:runbooks.md" %}\n'
        "Ask in #sre-help before you run a runbook.\n\n"
        "{{ note }}\n"
    ).replace("{{ note }}", "{{ " + repr(HOSTILE) + " }}")
    content = site_with_override(tmp_path, "runbooks.md", override)
    want = golden_files()
    have = pages(content, NOW)
    changed = sorted(name for name in have if have[name] != want.get(name))
    assert changed == ["runbooks/index.md"]
    page = have["runbooks/index.md"]
    assert page.startswith(want["runbooks/index.md"])
    added = page[len(want["runbooks/index.md"]) :]
    # The override's {{ value }} is escaped like the built-in templates' values.
    assert added == (
        "Ask in #sre-help before you run a runbook.\n\n"
        '&lt;img src=x onerror="alert(1)"&gt; \\[x\\](javascript:alert(1)) \\| \\*b\\* \\`c\\`\n'
    )


def test_template_values_are_escaped_unless_markup() -> None:
    from markupsafe import Markup

    assert "<" not in str(finalize(HOSTILE)) and "[x]" not in str(finalize(HOSTILE))
    assert finalize(Markup("<b>kept</b>")) == "<b>kept</b>"
    assert finalize(7) == "7"
    assert finalize("# not a heading") == "\\# not a heading"


def build(content: Path, out: Path) -> subprocess.CompletedProcess[str]:
    cli = Path(sys.executable).parent / "statuspress"
    args = ["build", "--content", str(content), "--out", str(out), "--internal-only"]
    return subprocess.run(
        [str(cli), *args, "--now", NOW.isoformat()],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("{# home #}\n# Home\n{% if %}\n", 3, "Expected an expression"),
        ("{# home #}\n# {{ site.title }}\n{{ no_such_value.title }}\n", 3, "no_such_value"),
        ('{% extends "default:home.md" %}\n{% block x %}\n', 2, "block"),
    ],
    ids=["syntax", "undefined", "unclosed-block"],
)
def test_a_broken_override_names_its_file_and_line(
    tmp_path: Path, text: str, line: int, what: str
) -> None:
    content = site_with_override(tmp_path, "home.md", text)
    out = tmp_path / "site"
    result = build(content, out)
    assert result.returncode != 0
    message = result.stderr + result.stdout
    override = tmp_path / "theme" / "internal" / "home.md"
    assert f"{override}:{line}" in message, message
    assert what in message
    assert "Traceback" not in message
    assert not out.exists() or not any(out.iterdir())
