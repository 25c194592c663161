"""Content YAML is read by the YAML 1.2 core schema, as schema-aware editors read it.

Values that YAML 1.1 tools (PyYAML, older editors) read differently are reported with a
warning that says how to write them; the writer's own commands never write such a value plain.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml as pyyaml
from statuspress.authoring.common import scalar
from statuspress.errors import WARNING
from statuspress.yaml import load, load_full

FIXTURE = Path(__file__).parent / "fixtures" / "small" / "content"


@pytest.mark.parametrize(
    ("plain", "value", "hint"),
    [
        ("No", "No", 'write "No" in quotes to keep it text, or false'),
        ("yes", "yes", 'write "yes" in quotes to keep it text, or true'),
        ("off", "off", 'write "off" in quotes'),
        ("017", 17, "write 17 for the value"),
        ("0o17", 15, "write 15 for the value"),
        ("1e3", 1000.0, "write 1000.0 for the value"),
        ("1_000", "1_000", 'write "1_000" in quotes to keep it text, or 1000'),
        ("12:30", "12:30", 'write "12:30" in quotes to keep it text, or 750'),
    ],
)
def test_a_value_yaml_11_reads_otherwise_is_read_as_yaml_12_with_a_warning(
    plain: str, value: object, hint: str
) -> None:
    text = f"a: 1\nfield: {plain}\n"
    got, problems = load(text, 4)
    assert got["field"] == value and type(got["field"]) is type(value)
    assert [(p.line, p.field, p.level) for p in problems] == [(6, "field", WARNING)]
    assert hint in problems[0].message
    assert "YAML 1.2" in problems[0].message and "YAML 1.1" in problems[0].message


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("true", True), ("False", False), ("null", None), ("~", None), ("", None),
        ("12", 12), ("-3", -3), ("0x1F", 31), ("1.5", 1.5), (".inf", math.inf),
        ("text", "text"), ("SEV-1", "SEV-1"), ("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z"),
    ],
)  # fmt: skip
def test_values_both_versions_agree_on_carry_no_warning(plain: str, value: object) -> None:
    got, problems = load_full(f"field: {plain}\n")
    assert problems == []
    assert got["field"] == value and type(got["field"]) is type(value)


def test_quoted_values_are_text_without_a_warning() -> None:
    got, problems = load('a: "No"\nb: \'017\'\nc: "1e3"\n')
    assert dict(got) == {"a": "No", "b": "017", "c": "1e3"} and problems == []


def test_the_writers_commands_quote_what_either_version_reads_otherwise() -> None:
    for text in ("No", "yes", "on", "017", "0o17", "1e3", "1_000", "12:30", "true", "null"):
        written = scalar(text)
        assert written.startswith('"'), text
        assert load(f"k: {written}\n") == ({"k": text}, [])
        assert pyyaml.safe_load(f"k: {written}\n") == {"k": text}
    assert scalar("Checkout errors") == "Checkout errors"


def test_check_warns_at_the_line_and_reads_the_title_as_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(FIXTURE), str(content)], check=True)
    incident = next(iter(sorted((content / "incidents").rglob("*.md"))))
    lines = incident.read_text().split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = "title: No"
    incident.write_text("\n".join(lines))
    result = subprocess.run(
        [sys.executable, "-m", "statuspress", "check", "--content", str(content),
         "--now", "2026-11-27T12:00:00Z"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr  # a warning, and "No" is a valid title
    shown = incident.relative_to(tmp_path).as_posix()
    assert f"{shown}:{index + 1}: warning: title: 'No' is the text \"No\" in YAML 1.2" in (
        result.stdout + result.stderr
    )
