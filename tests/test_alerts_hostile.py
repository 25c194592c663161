"""Alert intake meets malformed and hostile payloads: a clear error or a safe file, never a
traceback, never a file outside content/incidents/; plugins and the public boundary."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from statuspress.alerts import MAX_PAYLOAD_BYTES, formats, read_alert
from statuspress.alerts.base import parse_time
from statuspress.alerts.intake import severity_of, stored_key
from statuspress.build import build
from statuspress.cli import cli
from statuspress.loader import load
from statuspress.models import AlertSeverity

NOW = "2026-11-27T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "alerts"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    monkeypatch.chdir(tmp_path)
    return content


def run(data: bytes, *extra: str) -> Result:
    args = ["new", "incident", "--from-alert", "-", "--content", "content", "--now", NOW]
    return CliRunner().invoke(cli, [*args, *extra], input=data, catch_exceptions=True)


def refused(result: Result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def alertmanager(**labels: str) -> dict[str, Any]:
    payload = json.loads((FIXTURES / "alertmanager-firing.json").read_text())
    for holder in (payload["commonLabels"], payload["alerts"][0]["labels"]):
        holder.update(labels)
    return payload


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the alert payload is empty; expected a JSON object"),
        (b"{not json", "the alert payload is not JSON: Expecting property name"),
        (b"\xff\xfe{}", "the alert payload is not UTF-8"),
        (
            b"[1, 2]",
            "the alert payload is a list, not a JSON object; expected one of: alertmanager",
        ),
        (b"null", "the alert payload is null, not a JSON object"),
        (b'"text"', "the alert payload is text, not a JSON object"),
        (b'{"hello": "world"}', "unknown alert payload (top-level keys: hello); expected one of"),
        (b"[" * 100_000 + b"]" * 100_000, "the alert payload cannot be read: RecursionError"),
        (b'{"n": ' + b"9" * 5000 + b"}", "the alert payload cannot be read: ValueError"),
        (
            b'{"version": "4", "groupKey": "k", "status": "firing", "alerts": [{"labels": ["a"]}]}',
            "Alertmanager payload: alerts[0].labels: expected an object of text values, got a list",
        ),
        (
            b'{"version": "4", "groupKey": "k", "status": "firing", "alerts": []}',
            "Alertmanager payload: alerts is empty",
        ),
        (
            b'{"version": "4", "status": "sideways", "alerts": [{"labels": {}}]}',
            "status: expected 'firing' or 'resolved', got 'sideways'",
        ),
        (
            b'{"version": "4", "status": "firing", "alerts": [{"startsAt": "yesterday"}]}',
            "alerts[0].startsAt: 'yesterday' is not a timestamp",
        ),
        (
            b'{"event": {"event_type": "incident.triggered", "data": {"id": 7, "title": []}}}',
            "PagerDuty payload: event.data.title: expected text, got a list",
        ),
        (
            b'{"event": {"event_type": "incident.triggered", "data": "x"}}',
            "PagerDuty payload: event.data: expected an object, got text",
        ),
        (
            b'{"action": "Create", "alert": {"alertId": "a", "tags": {"x": 1}}}',
            "Opsgenie payload: alert.tags: expected a list of text, got an object",
        ),
        (
            b'{"alert_transition": "Triggered", "alert_id": "1", "date": {"x": 1}}',
            "Datadog payload: date: expected a timestamp, got an object",
        ),
        (
            b'{"action": "Create", "alert": {"message": "no id"}}',
            "Opsgenie payload: alert.alertId is missing",
        ),
    ],
)
def test_malformed_payloads_are_clear_errors(site: Path, body: bytes, message: str) -> None:
    before = tree(site)
    refused(run(body), 1, message)
    assert tree(site) == before


def test_ten_megabytes_are_refused_from_a_file_and_from_stdin(site: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    filler = "x" * (10 * 1024 * 1024)
    big.write_text(json.dumps({**alertmanager(), "filler": filler}))
    result = CliRunner().invoke(
        cli, ["new", "incident", "--from-alert", str(big), "--content", "content", "--now", NOW]
    )
    refused(result, 1, f"over the {MAX_PAYLOAD_BYTES}-byte limit for an alert payload")
    refused(run(big.read_bytes()), 1, f"over the {MAX_PAYLOAD_BYTES}-byte limit")
    missing = CliRunner().invoke(
        cli, ["new", "incident", "--from-alert", "nope.json", "--content", "content"]
    )
    refused(missing, 1, "--from-alert nope.json: no such file")
    assert list((site / "incidents").rglob("*.md")) == []


def test_html_and_control_characters_in_labels_make_a_safe_file(site: Path) -> None:
    hostile = (
        "<script>alert(1)</script> **bold** [x](javascript:alert(1)) | cell \x1b[31m\x00\u2028"
    )
    payload = alertmanager(instance=hostile, team="<img src=x onerror=alert(1)>")
    notes = payload["alerts"][0]["annotations"]
    notes["summary"] = "Pool full <b>now</b>\n\x07second line"
    notes["dashboard"] = "javascript:alert(document.cookie)"
    notes["runbook_url"] = "https://kb.example/run)book<x>"
    payload["commonAnnotations"] = notes
    result = run(json.dumps(payload).encode())
    assert result.exit_code == 0, result.output
    [path] = (site / "incidents").rglob("*.md")
    text = path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert "<" not in body  # no raw HTML reaches the internal page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*bold\\*\\*" in body
    assert not any(ord(c) < 32 and c not in "\n" for c in text)
    assert "\u2028" not in text
    # Only http(s) URLs become links; brackets from a label are escaped, so never a link.
    assert not re.search(r"(?<!\\)\]\(javascript", text)
    assert "| dashboard | javascript:alert(document.cookie) |" in body  # text, not a link
    assert "(https://kb.example/run%29book%3Cx%3E)" in text
    assert "title: Pool full \u2039b>now\u2039/b> second line" in text  # no tag can start
    assert load(site, NOW_DT).errors == []
    # The internal knowledge base renders it as text: no element from a label.
    build(site, site.parent / "out", NOW_DT, public=False)
    page = (site.parent / "out" / "internal" / "incidents" / path.stem / "index.html").read_text()
    assert "Suggested known errors and runbooks" in page
    for element in ("<script>alert", "<img src=x", "<b>now"):
        assert element not in page, element
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "summary",
    ["../../../../etc/passwd", "/tmp/evil", "..", "con", "nul.md", "~/.ssh/x", "a/../../b"],
)
def test_a_path_in_a_label_stays_a_name_inside_incidents(site: Path, summary: str) -> None:
    payload = alertmanager(alertname="PostgresConnectionsNearLimit", path=summary)
    payload["alerts"][0]["annotations"]["summary"] = summary
    payload["commonAnnotations"]["summary"] = summary
    payload["groupKey"] = summary  # the key is stored as text, never used as a path
    outside = tree(site.parent / "content")
    result = run(json.dumps(payload).encode())
    assert result.exit_code == 0, result.output
    after = tree(site.parent)
    new = sorted(set(after) - {f"content/{k}" for k in outside})
    assert len(new) == 1 and new[0].startswith("content/incidents/2026/2026-11-27-"), new
    assert "/" not in new[0].removeprefix("content/incidents/2026/")
    assert load(site, NOW_DT).errors == []


def test_awkward_keys_are_stored_safely() -> None:
    assert stored_key("PXK4M7D") == "PXK4M7D"
    assert stored_key("line\nbreak").startswith("sha256:")
    assert stored_key("x" * 600) == stored_key("x" * 600) != stored_key("x" * 601)


def test_times_as_the_systems_send_them() -> None:
    utc = dt.UTC
    assert parse_time("0001-01-01T00:00:00Z") is None  # Go's zero time: not set
    assert parse_time("2026-11-27T09:41:17.118203946Z") == dt.datetime(
        2026, 11, 27, 9, 41, 17, 118203, tzinfo=utc
    )
    assert parse_time("2026-11-26T21:05:03.157076+01:00") == dt.datetime(
        2026, 11, 26, 20, 5, 3, 157076, tzinfo=utc
    )
    assert parse_time("2017-09-26T15:18:09+00:00") == dt.datetime(
        2017, 9, 26, 15, 18, 9, tzinfo=utc
    )
    ms = dt.datetime(2026, 11, 27, 8, 35, 5, 129000, tzinfo=utc)
    assert parse_time(1795768505129) == ms  # Opsgenie createdAt
    assert parse_time("1795768505129") == ms  # Datadog $DATE
    assert parse_time(1795768505129000231) == ms  # Opsgenie updatedAt (ns)
    assert parse_time(1795768505) == ms.replace(microsecond=0)


def test_severity_mapping_order_and_site_overrides() -> None:
    from statuspress.alerts.base import Alert

    mapping = AlertSeverity()
    mapping.label["warning"] = "SEV-2"

    def sev(**kw: str) -> str:
        return severity_of(Alert("x", "k", "firing", "t", **kw), mapping)[0]  # type: ignore[arg-type]

    assert sev(priority="P1", severity="info", urgency="low") == "SEV-1"
    assert sev(priority="p5") == "SEV-4"
    assert sev(severity="Critical") == "SEV-1"
    assert sev(severity="warning") == "SEV-2"  # the site's entry over the default
    assert sev(urgency="high") == "SEV-2"
    assert sev(priority="P9", severity="unknown") == "SEV-3"  # the default


def test_site_yaml_alert_severity_is_read_and_checked(site: Path) -> None:
    data = yaml.safe_load((site / "site.yaml").read_text())
    data["alert_severity"] = {"priority": {"P1": "SEV-9"}, "default": "SEV-2", "colour": 1}
    (site / "site.yaml").write_text(yaml.safe_dump(data))
    messages = [d.format() for d in load(site, NOW_DT).errors]
    assert any("alert_severity.priority.P1: 'SEV-9' is not one of" in m for m in messages)
    assert any("alert_severity.colour: unknown key" in m for m in messages)


def test_services_yaml_alert_matchers_are_checked(site: Path) -> None:
    catalog = yaml.safe_load((site / "services.yaml").read_text())
    catalog["services"][0]["alerts"] = [{}, {"labels": {}}, {"lables": {"a": "b"}}, "x"]
    (site / "services.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    messages = [d.format() for d in load(site, NOW_DT).errors]
    assert any("services[0].alerts[0]: an alert matcher needs labels" in m for m in messages)
    assert any("services[0].alerts[1]: an alert matcher needs labels" in m for m in messages)
    assert any("alerts[2].lables: unknown key (did you mean 'labels'?)" in m for m in messages)
    assert any("alerts[3]: expected a mapping (an alert matcher), got text" in m for m in messages)


PLUGIN = """
from statuspress.alerts.base import Alert, Fields


class Zabbix:
    name = "zabbix"
    expects = "a Zabbix media-type body {event_id, trigger_name, host}"

    def detect(self, payload):
        return "trigger_name" in payload  # a yes/no answer counts as 10

    def parse(self, payload):
        top = Fields(payload, "", "Zabbix")
        return Alert(source=self.name, key=top.text("event_id", required=True), status="firing",
                     title=top.text("trigger_name"), labels={"host": top.text("host")})


class Broken:
    name = "broken"
    expects = "anything"

    def detect(self, payload):
        return 1

    def parse(self, payload):
        raise KeyError("oops")
"""


def test_a_third_party_format_plugs_in_by_entry_point(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plug = tmp_path / "plug"
    dist = plug / "zabbix_statuspress-0.1.dist-info"
    dist.mkdir(parents=True)
    (plug / "zabbix_statuspress.py").write_text(PLUGIN)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: zabbix-statuspress\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text(
        "[statuspress.alert_formats]\nzabbix = zabbix_statuspress:Zabbix\n"
        "broken = zabbix_statuspress:Broken\n"
    )
    monkeypatch.syspath_prepend(str(plug))
    assert {"alertmanager", "grafana", "pagerduty", "opsgenie", "datadog", "zabbix"} <= set(
        formats()
    )
    catalog = yaml.safe_load((site / "services.yaml").read_text())
    catalog["services"][0]["alerts"].append({"labels": {"host": "web-7"}})
    (site / "services.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    body = json.dumps({"event_id": "Z-88", "trigger_name": "Web down", "host": "web-7"}).encode()
    assert read_alert(body).source == "zabbix"
    result = run(body)
    assert result.exit_code == 0, result.output
    [path] = (site / "incidents").rglob("*.md")
    assert "source: zabbix" in path.read_text()
    # A plugin's bug is reported by name, never as a traceback.
    refused(
        run(b'{"x": 1}', "--format", "broken"), 1, "alert_format plugin 'broken' failed: KeyError"
    )
    sys.modules.pop("zabbix_statuspress", None)


def test_nothing_about_alerts_reaches_the_public_site(site: Path, tmp_path: Path) -> None:
    for payload in ("alertmanager-firing.json", "pagerduty-v3-triggered.json"):
        assert run((FIXTURES / payload).read_bytes()).exit_code == 0
    # Even once a writer publishes the incident, the alert, its key and the matchers stay in.
    for path in (site / "incidents").rglob("*.md"):
        path.write_text(path.read_text().replace("public: false", "public: true"))
    build(site, tmp_path / "out", NOW_DT, internal=False)
    public = tmp_path / "out" / "public"
    texts = [p.read_text(errors="replace") for p in public.rglob("*") if p.is_file()]
    assert any("Postgres connections above 90%" in t for t in texts)  # published: the title
    for secret in (
        "PostgresConnectionsNearLimit",
        "Q1W8ZB3XK4TQ7N",
        "PQ3RX2L",
        "postgres-exporter",
        "opsgenie_tag",
        "service:image-resizer",
        "pagerduty",
        "alertmanager",
    ):
        assert not any(secret in t for t in texts), secret


def test_a_group_without_grouping_labels_is_keyed_by_its_eldest_alert() -> None:
    payload = json.loads((FIXTURES / "grafana-firing.json").read_text())
    payload["groupKey"] = "{}:{}"
    younger = json.loads(json.dumps(payload["alerts"][0]))
    younger.update(fingerprint="0000aaaa0000aaaa", startsAt="2026-11-26T21:30:00+01:00")
    payload["alerts"].insert(0, younger)  # order in the notification does not matter
    assert read_alert(json.dumps(payload).encode()).key == "93e1f0c47aa25d16"
    payload["commonAnnotations"] = {}
    payload["commonLabels"] = {"team": "platform"}
    title = read_alert(json.dumps(payload).encode()).title
    assert title == "CDN 5xx rate above 5% for product images (and 1 more alert)"
    payload["alerts"].reverse()
    assert read_alert(json.dumps(payload).encode()).key == "93e1f0c47aa25d16"


def test_legacy_grafana_alerting_is_read_too() -> None:
    body = {
        "dashboardId": 3,
        "evalMatches": [{"value": 97.5, "metric": "disk used %", "tags": None}],
        "message": "Disk nearly full on the reporting replica",
        "orgId": 1,
        "panelId": 2,
        "ruleId": 14,
        "ruleName": "Reporting disk",
        "ruleUrl": "https://grafana.alerts.example/d/x?panelId=2",
        "state": "ok",
        "tags": {"team": "data"},
        "title": "[OK] Reporting disk",
    }
    alert = read_alert(json.dumps(body).encode())
    assert (alert.source, alert.status, alert.key) == ("grafana", "resolved", "rule:1/14")
    assert alert.labels == {"alertname": "Reporting disk", "team": "data"}
    assert alert.annotations == {"match 1": "disk used % = 97.5"}


def test_only_the_knowledge_base_must_be_valid(site: Path) -> None:
    # A broken incident elsewhere does not stop an alert (the pull request's check shows it).
    (site / "incidents" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    assert run((FIXTURES / "opsgenie-create.json").read_bytes()).exit_code == 0
    # A broken known error would change the suggestions: refused, naming the file and line.
    ke = next((site / "known-errors").glob("KE-0007-*.md"))
    ke.write_text(ke.read_text().replace("status: fix_in_progress", "status: fixing"))
    result = run((FIXTURES / "alertmanager-firing.json").read_bytes())
    refused(result, 1, "content/known-errors/KE-0007-connection-pool-exhaustion.md:3: status")
