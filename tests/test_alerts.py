"""`statuspress new incident --from-alert`: real-shaped payloads of five systems become draft
incidents, and their follow-up events update those incidents.

Payloads: tests/fixtures/alerts/*.json (modelled on real ones: SOURCES.md names each).
Site: tests/fixtures/alerts/site/ (copied per test). Expected files after every step:
tests/fixtures/alerts/expected/<scenario>/<step>.md; after an intended change rewrite them
with ``STATUSPRESS_REGEN_ALERTS=1 pytest tests/test_alerts.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from statuspress.alerts import read_alert
from statuspress.alerts.render import suggestions_section
from statuspress.cli import cli
from statuspress.internal.match import Match
from statuspress.loader import load

NOW = "2026-11-27T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "alerts"
EXPECTED = FIXTURES / "expected"
REGEN = os.environ.get("STATUSPRESS_REGEN_ALERTS") == "1"

# scenario -> steps: (payload, detected format, action, services of the incident)
SCENARIOS: dict[str, list[tuple[str, str, str, list[str]]]] = {
    "alertmanager": [
        ("alertmanager-firing.json", "alertmanager", "Created", ["payments-api"]),
        ("alertmanager-resolved.json", "alertmanager", "Updated", ["payments-api"]),
    ],
    "grafana": [
        ("grafana-firing.json", "grafana", "Created", ["cdn"]),
        ("grafana-resolved.json", "grafana", "Updated", ["cdn"]),
    ],
    "pagerduty-v3": [
        ("pagerduty-v3-triggered.json", "pagerduty", "Created", ["accounts"]),
        ("pagerduty-v3-acknowledged.json", "pagerduty", "Updated", ["accounts"]),
        ("pagerduty-v3-acknowledged.json", "pagerduty", "Nothing to change", ["accounts"]),
        ("pagerduty-v3-resolved.json", "pagerduty", "Updated", ["accounts"]),
    ],
    "pagerduty-v2": [
        ("pagerduty-v2-trigger.json", "pagerduty", "Created", ["orders"]),
        ("pagerduty-v2-resolve.json", "pagerduty", "Updated", ["orders"]),
    ],
    "opsgenie": [
        ("opsgenie-create.json", "opsgenie", "Created", ["checkout"]),
        ("opsgenie-acknowledge.json", "opsgenie", "Updated", ["checkout"]),
        ("opsgenie-close.json", "opsgenie", "Updated", ["checkout"]),
    ],
    "datadog-default": [
        ("datadog-default-triggered.json", "datadog", "Created", ["web-storefront"]),
    ],
    "datadog-custom": [
        ("datadog-custom-triggered.json", "datadog", "Created", ["cdn"]),
        ("datadog-custom-recovered.json", "datadog", "Updated", ["cdn"]),
    ],
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture site as ``content/``; the working directory is its parent."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    monkeypatch.chdir(tmp_path)
    return content


def intake(payload: str | Path, *extra: str, stdin: bytes | None = None) -> Result:
    source = "-" if stdin is not None else str(FIXTURES / payload)
    args = ["new", "incident", "--from-alert", source, "--content", "content", "--now", NOW]
    return CliRunner().invoke(cli, [*args, *extra], input=stdin, catch_exceptions=True)


def incidents(content: Path) -> list[Path]:
    return sorted((content / "incidents").rglob("*.md"))


def front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def assert_clean(result: Result, code: int = 0) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if code:
        assert isinstance(result.exception, SystemExit), result.exception


def check_errors(content: Path) -> list[str]:
    return [d.format() for d in load(content, NOW_DT).errors]


def compare(path: Path, expected: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if REGEN:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    want = expected.read_text(encoding="utf-8")
    diff = "\n".join(
        difflib.unified_diff(want.splitlines(), text.splitlines(), "expected", "written", n=1)
    )
    assert text == want, f"rerun with STATUSPRESS_REGEN_ALERTS=1 if intended:\n{diff}"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_payloads_open_and_update_one_incident(scenario: str, site: Path) -> None:
    previous = ""
    for step, (payload, fmt, action, services) in enumerate(SCENARIOS[scenario], 1):
        assert read_alert((FIXTURES / payload).read_bytes()).source == fmt
        result = intake(payload)
        assert_clean(result)
        assert result.output.startswith(action), result.output
        [path] = incidents(site)  # never a second file for the same alert
        data = front(path)
        assert sorted(data["services"]) == services  # type: ignore[call-overload]
        assert data["public"] is False
        assert data["detection"] == "monitoring"
        assert data["alert"]["source"] == fmt  # type: ignore[index]
        assert check_errors(site) == []
        text = path.read_text(encoding="utf-8")
        if previous:
            # A follow-up only adds lines (acknowledged_at, the log entry): nothing removed.
            ops = difflib.SequenceMatcher(None, previous.splitlines(), text.splitlines())
            assert all(tag == "insert" for tag, *_ in ops.get_opcodes() if tag != "equal")
        previous = text
        compare(path, EXPECTED / scenario / f"{step}-{Path(payload).stem}.md")


def test_acknowledgement_sets_acknowledged_at_once(site: Path) -> None:
    assert_clean(intake("pagerduty-v3-triggered.json"))
    [path] = incidents(site)
    assert "acknowledged_at" not in front(path)
    assert_clean(intake("pagerduty-v3-acknowledged.json"))
    assert str(front(path)["acknowledged_at"]) == "2026-11-27 07:19:02.775000+00:00"
    # A second acknowledgement (another responder, another time) keeps the first: MTTA.
    later = json.loads((FIXTURES / "pagerduty-v3-acknowledged.json").read_text())
    later["event"]["occurred_at"] = "2026-11-27T07:40:00.000Z"
    result = intake("", stdin=json.dumps(later).encode())
    assert_clean(result)
    assert str(front(path)["acknowledged_at"]) == "2026-11-27 07:19:02.775000+00:00"
    assert "2026-11-27T07:40:00Z **acknowledged**" in path.read_text()


def test_an_acknowledged_first_event_opens_with_acknowledged_at(site: Path) -> None:
    assert_clean(intake("opsgenie-acknowledge.json"))
    [path] = incidents(site)
    data = front(path)
    assert str(data["acknowledged_at"]) == "2026-11-27 08:43:07.461002+00:00"
    assert str(data["started_at"]) == "2026-11-27 08:35:05.129000+00:00"


def test_resolution_is_only_a_suggestion(site: Path) -> None:
    assert_clean(intake("alertmanager-firing.json"))
    [path] = incidents(site)
    result = intake("alertmanager-resolved.json")
    assert_clean(result)
    assert "suggestion: resolve the incident with statuspress update" in result.output
    data = front(path)
    assert "resolved_at" not in data
    assert [u["status"] for u in data["updates"]] == ["investigating"]  # type: ignore[attr-defined]
    # Once a writer resolves it, the same alert firing again opens a new, related incident.
    update = CliRunner().invoke(
        cli,
        ["update", path.stem, "--status", "resolved", "-m", "Fixed.", "--content", "content",
         "--now", NOW],
    )  # fmt: skip
    assert_clean(update)
    assert_clean(intake("alertmanager-firing.json"))
    [second] = [p for p in incidents(site) if p != path]
    assert second.stem == f"{path.stem}-2"
    assert front(second)["related"] == [path.stem]
    # A resolution for an alert without an open incident writes nothing.
    before = {p: p.read_bytes() for p in incidents(site)}
    result = intake("pagerduty-v2-resolve.json")
    assert_clean(result)
    assert result.output.startswith("Nothing written")
    assert {p: p.read_bytes() for p in incidents(site)} == before


def test_suggestions_are_what_statuspress_match_prints(site: Path) -> None:
    """The draft's suggestions equal `statuspress match` run on the alert's text."""
    for payload in ("alertmanager-firing.json", "opsgenie-create.json", "grafana-firing.json"):
        alert = read_alert((FIXTURES / payload).read_bytes())
        result = intake(payload)
        assert_clean(result)
        path = max(incidents(site), key=lambda p: p.stat().st_mtime_ns)
        text = alert.match_text()
        matched = CliRunner().invoke(
            cli, ["match", "--content", "content", "--now", NOW, "--format", "json", "--", text]
        )
        assert_clean(matched)
        found = [Match(**item) for item in json.loads(matched.output)]
        assert found, payload
        assert suggestions_section(text, found) in path.read_text(encoding="utf-8")
    # The ranking is real: the signature and alert-name hits come first.
    body = incidents(site)[-1].read_text()
    assert "1. **KE-0007**" in body and "2. **postgres-connection-pool**" in body


def test_no_matching_service_is_refused_with_the_fix(site: Path) -> None:
    payload = json.loads((FIXTURES / "alertmanager-firing.json").read_text())
    for alert in [payload, *payload["alerts"]]:
        for labels in ("commonLabels", "labels"):
            if labels in alert:
                alert[labels]["alertname"] = "DiskAlmostFull"
    result = intake("", stdin=json.dumps(payload).encode())
    assert_clean(result, 1)
    assert "no service in content/services.yaml matches this Alertmanager alert" in result.output
    assert "Services: web-storefront, accounts, checkout, payments-api" in result.output
    assert "- labels: {alertname: DiskAlmostFull, job: postgres-exporter}" in result.output
    assert incidents(site) == []


@pytest.mark.parametrize(
    ("payload", "hint"),
    [
        ("pagerduty-v3-triggered.json", "pagerduty_service: PQ3RX2L"),
        ("opsgenie-create.json", "opsgenie_tag: checkout"),
        ("datadog-custom-triggered.json", 'datadog_tag: "service:image-resizer"'),
    ],
)
def test_the_refusal_shows_a_matcher_for_the_system(site: Path, payload: str, hint: str) -> None:
    catalog = yaml.safe_load((site / "services.yaml").read_text())
    for service in catalog["services"]:
        service.pop("alerts", None)
    (site / "services.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    result = intake(payload)
    assert_clean(result, 1)
    assert "Services: web-storefront, accounts, checkout, payments-api, orders, cdn, " in (
        result.output
    )
    assert hint in result.output


def test_format_is_detected_or_forced(site: Path) -> None:
    # Grafana's body is Alertmanager's plus a few keys: --format reads it as Alertmanager.
    result = intake("grafana-firing.json", "--format", "alertmanager")
    assert_clean(result)
    assert "Alertmanager alert firing" in result.output
    [path] = incidents(site)
    assert front(path)["alert"] == {  # noqa: SIM300
        "source": "alertmanager",
        "key": '{}/{alertname="CDN5xxRateHigh"}:{alertname="CDN5xxRateHigh"}',
    }
    result = intake("grafana-firing.json", "--format", "grafna")
    assert_clean(result, 2)
    assert "unknown alert format 'grafna' (did you mean 'grafana'?)" in result.output
    result = intake("opsgenie-create.json", "--format", "pagerduty")
    assert_clean(result, 1)
    assert "not a PagerDuty webhook: expected" in result.output


def test_options_that_do_not_go_with_an_alert_are_refused(site: Path) -> None:
    result = intake("grafana-firing.json", "--severity", "SEV-1")
    assert_clean(result, 2)
    assert "--from-alert takes only" in result.output
    result = CliRunner().invoke(cli, ["new", "incident", "--content", "content", "--now", NOW])
    assert_clean(result, 2)
    assert "needs a TITLE (or, for an incident, --from-alert FILE)" in result.output
    assert incidents(site) == []


def test_the_demo_site_takes_every_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """content/services.yaml has matchers for the fixtures' services: the demo works too."""
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    monkeypatch.chdir(tmp_path)
    before = len(incidents(content))
    for steps in SCENARIOS.values():
        for payload, _fmt, _action, _services in steps:
            assert_clean(intake(payload))
    assert len(incidents(content)) == before + len(SCENARIOS)
    assert check_errors(content) == []
