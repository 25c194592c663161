"""Commands written inline in workarounds and runbook steps become fenced blocks (issue #17)."""

from __future__ import annotations

import markdown
import pytest
from statuspress.internal.commands import commands_as_blocks, language

EXTENSIONS = ["admonition", "pymdownx.superfences", "pymdownx.highlight"]
CONFIG = {"pymdownx.highlight": {"use_pygments": False}}  # as the internal site's mkdocs.yml


def html(text: str) -> str:
    return markdown.markdown(
        commands_as_blocks(text), extensions=EXTENSIONS, extension_configs=CONFIG
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("kubectl cordon <node>", "shell"),
        ("$ redis-cli -h sessions info memory", "shell"),
        ("mytool rotate --all", "shell"),
        ("SELECT pg_cancel_backend(42);", "sql"),
        ("HikariPoolPendingThreadsHigh", None),
        ("DiskPressure=True", None),
        ("no space left on device", None),
        ("SELECT something", None),
    ],
)
def test_what_reads_as_a_command(code: str, expected: str | None) -> None:
    assert language(code) == expected


def test_a_command_ending_a_step_becomes_a_block_after_the_authors_words() -> None:
    text = "1. Cordon the node: `kubectl cordon <node>`.\n2. Retry the jobs.\n"
    out = html(text)
    assert "<p>Cordon the node:</p>" in out
    assert '<code class="language-shell">kubectl cordon &lt;node&gt;</code>' in out
    # The next step is still a step of the same list, not text after the block.
    assert out.count("<li>") == 2
    assert "<ol>" in out and out.count("<ol>") == 1


def test_a_step_that_starts_with_its_command_keeps_the_rest_after_it() -> None:
    out = html("1. `kubectl uncordon <node>`; retry failed jobs.\n")
    assert "<p>Run:</p>" in out
    assert "kubectl uncordon &lt;node&gt;</code></pre>" in out
    assert "<p>retry failed jobs.</p>" in out


def test_continuation_lines_and_paragraphs() -> None:
    text = (
        "1. Roll back.\n"
        "   `kubectl -n payments rollout undo deploy/payments-api` and watch\n"
        "   `kubectl -n payments rollout status deploy/payments-api`. Error rate falls\n"
        "   within minutes.\n"
        "2. Confirm.\n\n"
        "Then prune: `docker system prune -af`\n"
    )
    out = html(text)
    assert out.count("<pre") == 3
    assert "<p>and watch</p>" in out
    assert "<p>Error rate falls\nwithin minutes.</p>" in out.replace("    ", "")
    assert out.count("<li>") == 2
    assert "<p>Then prune:</p>" in out


def test_spans_in_mid_sentence_fences_and_names_stay_as_written() -> None:
    text = (
        "- `CIRunnerNodeDiskPressure` for nodes in `pool=docker-build`.\n"
        "- Drain (`kubectl drain <node> --ignore-daemonsets`) if half the pool is affected.\n"
        "\n"
        "```console\n"
        "$ kubectl get nodes\n"
        "`kubectl cordon x`\n"
        "```\n"
    )
    assert commands_as_blocks(text) == text


def test_running_it_twice_changes_nothing_more() -> None:
    text = "1. Cordon: `kubectl cordon <node>`\n   then `kubectl drain <node> --force`.\n"
    once = commands_as_blocks(text)
    assert once != text
    assert commands_as_blocks(once) == once
