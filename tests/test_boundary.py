"""The public/internal boundary: nothing internal reaches any file of the public site.

A fixture organisation is written into tmp_path with a unique canary in every internal field
of every kind of file (internal canaries all contain ``zqx``; the few public ones ``pubok``).
The public site is built for real, and every file under ``public/`` (pages, feeds, JSON API,
calendar, badges: whatever the build writes) is scanned for each canary.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from statuspress.build import build
from statuspress.cli import cli

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)

# Internal timestamps end on odd seconds no public time uses; their local (CET) clock times are
# also listed, so neither a machine nor a human format can slip through.
INTERNAL_TIMES = {
    "detected_at": "2026-11-20T03:17:43Z",
    "acknowledged_at": "2026-11-20T03:29:51Z",
    "mitigated_at": "2026-11-20T03:41:07Z",
    "closed_at": "2026-11-21T05:53:19Z",
}
TIME_CANARIES = ("17:43", "29:51", "41:07", "53:19", "04:17", "04:29", "04:41", "06:53")
SEVERITY_LABELS = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
PUBLIC_CANARIES = ("PubOkTitle", "PubOkMessage", "PubOkSummary", "PubOkServiceName")


def front(data: dict[str, Any], body: str = "") -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n\n" + body


def people(name: str) -> dict[str, Any]:
    """Every internal people/role field of an incident, each with its own canary."""
    return {
        "reporter": f"Zqx{name}Reporter",
        "commander": f"Zqx{name}Commander",
        "responders": [f"Zqx{name}Responder"],
        "escalated": [f"Zqx{name}Escalated"],
        "category": {
            "system": f"Zqx{name}CatSystem",
            "type": f"Zqx{name}CatType",
            "cause": f"Zqx{name}CatCause",
        },
        "affected_users": 987654,
    }


def write_org(root: Path) -> Path:
    content = root / "content"
    (content / "incidents").mkdir(parents=True)
    (content / "known-errors").mkdir()
    (content / "runbooks").mkdir()
    (content / "site.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "Boundary Co Status",
                "base_url": "https://status.boundary.example/",
                "internal_url": "https://zqx-internal-url",
                "timezone": "Europe/Berlin",
                "targets": {"mtta_minutes": {"SEV-1": 7}},
            }
        ),
        encoding="utf-8",
    )
    (content / "services.yaml").write_text(
        yaml.safe_dump(
            {
                "groups": [
                    {"id": "shop", "name": "Shop"},
                    {"id": "zqx-internal-group", "name": "ZqxInternalGroupName"},
                ],
                "services": [
                    {
                        "id": "web",
                        "name": "PubOkServiceName",
                        "group": "shop",
                        "description": "PubOkServiceDesc",
                        "tier": 1,
                        "owner": "ZqxPublicServiceOwner",
                        "routing": {
                            "primary": "ZqxRoutePrimary",
                            "secondary": "ZqxRouteSecondary",
                            "commander": "ZqxRouteCommander",
                        },
                        "severity_criteria": {"SEV-1": "ZqxSeverityCriteria"},
                    },
                    {
                        "id": "zqx-internal-svc",
                        "name": "ZqxInternalServiceName",
                        "group": "zqx-internal-group",
                        "description": "ZqxInternalServiceDesc",
                        "public": False,
                        "owner": "ZqxInternalServiceOwner",
                        "routing": {"primary": "ZqxInternalRoute"},
                    },
                ],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    incidents = content / "incidents"
    (incidents / "pub-incident.md").write_text(
        front(
            {
                "title": "PubOkTitle",
                "severity": "SEV-2",
                "impact": "high",
                "urgency": "high",
                "services": {"web": "major_outage", "zqx-internal-svc": "major_outage"},
                "started_at": "2026-11-20T03:00:00Z",
                **INTERNAL_TIMES,
                "resolved_at": "2026-11-20T04:00:00Z",
                "detection": "monitoring",
                **people("Pub"),
                "known_errors": ["KE-0001"],
                "runbooks": ["zqx-runbook"],
                "related": ["zqx-private-incident"],
                "updates": [
                    {
                        "at": "2026-11-20T03:10:00Z",
                        "status": "investigating",
                        "message": "PubOkMessage",
                        "services": {"web": "major_outage", "zqx-internal-svc": "major_outage"},
                    },
                    {
                        "at": "2026-11-20T04:00:00Z",
                        "status": "resolved",
                        "message": "Resolved.",
                        "services": {"web": "operational", "zqx-internal-svc": "operational"},
                    },
                ],
                "postmortem": {
                    "status": "published",
                    "owner": "ZqxPostmortemOwner",
                    "public_summary": "PubOkSummary",
                },
                "action_items": [
                    {
                        "id": "AI-ZQX1",
                        "title": "ZqxActionTitle",
                        "owner": "ZqxActionOwner",
                        "due": "2026-12-15",
                        "priority": "P1",
                        "type": "prevent",
                        "status": "open",
                        "ticket": "ZQX-TICKET-1",
                    }
                ],
            },
            "## Summary\n\nZqxIncidentBody with **ZqxBodyBold**.\n\n## Impact\n\nZqxImpactBody\n",
        ),
        encoding="utf-8",
    )
    for status in ("draft", "in_review"):
        name = status.replace("_", "")
        (incidents / f"pub-{name}.md").write_text(
            front(
                {
                    "title": f"Public incident with a {name} review",
                    "severity": "SEV-3",
                    "services": {"web": "degraded_performance"},
                    "started_at": "2026-11-10T09:00:00Z",
                    "resolved_at": "2026-11-10T10:00:00Z",
                    "updates": [
                        {"at": "2026-11-10T10:00:00Z", "status": "resolved", "message": "Fixed."}
                    ],
                    "postmortem": {
                        "status": status,
                        "owner": f"Zqx{name}Owner",
                        "public_summary": f"Zqx{name}Summary",
                    },
                },
                f"Zqx{name}Body\n",
            ),
            encoding="utf-8",
        )
    never = {
        "zqx-gameday": {
            "title": "ZqxGamedayTitle",
            "kind": "gameday",
            "services": {"web": "major_outage"},
        },
        "zqx-private-incident": {
            "title": "ZqxPrivateTitle",
            "public": False,
            "severity": "SEV-1",
            "services": {"web": "major_outage"},
        },
        "zqx-internal-only": {
            "title": "ZqxInternalOnlyTitle",
            "severity": "SEV-2",
            "services": {"zqx-internal-svc": "major_outage"},
        },
    }
    for stem, fields in never.items():
        (incidents / f"{stem}.md").write_text(
            front(
                {
                    **fields,
                    "started_at": "2026-11-15T09:00:00Z",
                    "resolved_at": "2026-11-15T10:00:00Z",
                    "updates": [
                        {
                            "at": "2026-11-15T10:00:00Z",
                            "status": "resolved",
                            "message": f"Zqx{stem}Message",
                        }
                    ],
                },
                f"Zqx{stem}Body\n",
            ),
            encoding="utf-8",
        )
    (incidents / "pub-maintenance.md").write_text(
        front(
            {
                "title": "Planned maintenance",
                "kind": "maintenance",
                "services": {"web": "under_maintenance", "zqx-internal-svc": "under_maintenance"},
                "started_at": "2026-12-01T01:00:00Z",
                "scheduled_start": "2026-12-01T01:00:00Z",
                "scheduled_end": "2026-12-01T02:00:00Z",
                **people("Maint"),
                "updates": [
                    {"at": "2026-11-20T09:00:00Z", "status": "scheduled", "message": "We plan it."}
                ],
            },
            "ZqxMaintenanceBody\n",
        ),
        encoding="utf-8",
    )
    (content / "known-errors" / "KE-0001-zqx-known-error.md").write_text(
        front(
            {
                "title": "ZqxKnownErrorTitle",
                "status": "known_error",
                "services": ["web"],
                "symptoms": ["ZqxSymptom"],
                "signatures": ["ZqxSignature", "re:ZqxRegex\\d+"],
                "owner": "ZqxKnownErrorOwner",
                "problem": "ZQX-PRB-1",
                "fix_ref": "ZqxFixRef",
            },
            "## Symptoms\n\nZqxKeSymptomsBody\n\n## Workaround\n\nZqxWorkaround\n\n"
            "## Root cause\n\nZqxRootCause\n\n## Fix\n\nZqxFix\n",
        ),
        encoding="utf-8",
    )
    (content / "runbooks" / "zqx-runbook.md").write_text(
        front(
            {
                "title": "ZqxRunbookTitle",
                "services": ["web"],
                "owner": "ZqxRunbookOwner",
                "last_reviewed": "2026-11-01",
                "alerts": ["ZqxAlertName"],
                "known_errors": ["KE-0001"],
            },
            "".join(
                f"## {s}\n\nZqxRunbook{s.replace(' ', '')}\n\n"
                for s in (
                    "Symptoms and detection",
                    "Diagnosis",
                    "Resolution",
                    "Rollback",
                    "Escalation",
                )
            ),
        ),
        encoding="utf-8",
    )
    return content


def internal_canaries(content: Path) -> set[str]:
    """Every canary planted in the content (each distinct word containing 'zqx')."""
    found: set[str] = set()
    for path in content.rglob("*"):
        if path.is_file():
            found.update(re.findall(r"[\w.:/-]*zqx[\w-]*", path.read_text(), flags=re.IGNORECASE))
    return found


def leaks(public: Path, needles: list[str]) -> list[str]:
    out = []
    for path in sorted(public.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes().decode("utf-8", errors="replace").lower()
        for needle in needles:
            if needle.lower() in data:
                out.append(f"{path.relative_to(public)}: {needle}")
    return out


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("boundary")
    content = write_org(root)
    build(content, root / "out", NOW, internal=False)
    return content, root / "out" / "public"


def test_fixture_plants_canaries_in_every_kind_of_file(org: tuple[Path, Path]) -> None:
    content, _ = org
    canaries = internal_canaries(content)
    for expected in (
        "ZqxPubReporter",
        "ZqxIncidentBody",
        "ZqxdraftSummary",
        "ZqxActionOwner",
        "ZqxKnownErrorTitle",
        "ZqxSignature",
        "ZqxRunbookDiagnosis",
        "ZqxInternalServiceName",
        "ZqxPublicServiceOwner",
        "ZqxGamedayTitle",
        "ZqxPrivateTitle",
        "ZqxInternalOnlyTitle",
        "https://zqx-internal-url",
    ):
        assert expected in canaries
    assert len(canaries) > 60


def test_no_internal_canary_reaches_any_public_file(org: tuple[Path, Path]) -> None:
    content, public = org
    files = [p for p in public.rglob("*") if p.is_file()]
    assert len(files) > 10
    assert leaks(public, ["zqx"]) == [], leaks(public, sorted(internal_canaries(content)))


def test_no_internal_timestamp_reaches_any_public_file(org: tuple[Path, Path]) -> None:
    _, public = org
    assert leaks(public, list(TIME_CANARIES)) == []


def test_no_severity_label_or_known_error_id_reaches_any_public_file(
    org: tuple[Path, Path],
) -> None:
    _, public = org
    assert leaks(public, [*SEVERITY_LABELS, "KE-0001", "987654", "AI-"]) == []


def test_public_canaries_do_reach_the_public_site(org: tuple[Path, Path]) -> None:
    """The scan above would pass on an empty site; this proves the public text is there."""
    _, public = org
    for canary in PUBLIC_CANARIES:
        where = leaks(public, [canary])
        assert any(w.startswith("incidents/pub-incident/index.html") for w in where) or (
            canary == "PubOkServiceName" and any(w.startswith("index.html") for w in where)
        ), (canary, where)
    page = (public / "incidents" / "pub-incident" / "index.html").read_text()
    assert "PubOkTitle" in page and "PubOkMessage" in page and "PubOkSummary" in page
    assert "PubOkServiceDesc" in (public / "services" / "web" / "index.html").read_text()


def test_the_scan_finds_a_planted_leak(org: tuple[Path, Path], tmp_path: Path) -> None:
    """A canary copied into a public file is reported (the check is not vacuous)."""
    _, public = org
    copy = tmp_path / "public"
    copy.mkdir()
    (copy / "x.json").write_text('{"note": "ZqxPubCommander at 04:17"}')
    assert leaks(copy, ["zqx", *TIME_CANARIES]) == ["x.json: zqx", "x.json: 04:17"]


def test_cli_public_build_keeps_the_boundary(tmp_path: Path) -> None:
    content = write_org(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--content",
            str(content),
            "--out",
            str(tmp_path / "site"),
            "--public-only",
            "--now",
            "2026-11-27T12:00:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    public = tmp_path / "site" / "public"
    assert (public / "index.html").is_file()
    assert leaks(public, ["zqx", *TIME_CANARIES, *SEVERITY_LABELS]) == []


def test_no_internal_canary_reaches_any_notification_body(tmp_path: Path) -> None:
    """Every event of the boundary organisation, in every format, scanned for every canary.

    The previous site is the same organisation with no incidents, so every public incident,
    update, resolution, maintenance and component change is an event; the bodies are what
    real receivers on 127.0.0.1 got (Apprise JSON webhook, Statuspage webhook, e-mail).
    """
    from notify_support import HttpReceiver, SmtpReceiver, run_notify
    from notify_support import Site as NotifySite

    content = write_org(tmp_path)
    site_yaml = yaml.safe_load((content / "site.yaml").read_text())
    site_yaml["notify"] = [
        {"name": "text", "url_env": "B_TEXT"},
        {"name": "statuspage", "url_env": "B_SP", "format": "statuspage"},
        {"name": "mail", "url_env": "B_MAIL"},
    ]
    (content / "site.yaml").write_text(yaml.safe_dump(site_yaml), encoding="utf-8")
    empty = tmp_path / "empty"
    (empty / "incidents").mkdir(parents=True)
    for name in ("site.yaml", "services.yaml"):
        (empty / name).write_bytes((content / name).read_bytes())
    runner = CliRunner()
    for folder, out in ((empty, "before"), (content, "after")):
        args = ["build", "--public-only", "--now", "2026-11-27T12:00:00Z"]
        result = runner.invoke(cli, [*args, "--content", str(folder), "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    http, smtp = HttpReceiver(), SmtpReceiver()
    try:
        env = {
            "B_TEXT": http.url("json", "/text"),
            "B_SP": http.url("http", "/statuspage"),
            "B_MAIL": smtp.url(),
        }
        result = run_notify(
            NotifySite(tmp_path, {}, {}), tmp_path / "before" / "public",
            tmp_path / "after" / "public", env,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    finally:
        http.close()
        smtp.close()
    bodies = tmp_path / "bodies"
    bodies.mkdir()
    for n, post in enumerate(http.posts):
        (bodies / f"{n:02d}{post.path.replace('/', '-')}.json").write_text(json.dumps(post.body))
    for n, message in enumerate(smtp.messages):
        # Subject and body only: the Date and Message-ID headers come from the wall clock.
        text = f"{message['Subject']}\n{message.get_body().get_content()}"
        (bodies / f"{n:02d}-mail.eml").write_text(text)
    kinds = {p.name.split("-", 1)[1] for p in bodies.iterdir()}
    assert kinds == {"text.json", "statuspage.json", "mail.eml"}
    assert len(smtp.messages) >= 5  # created, updates, resolved, maintenance, components
    assert leaks(bodies, ["zqx", *TIME_CANARIES, *SEVERITY_LABELS, "KE-0001", "987654"]) == [], (
        leaks(bodies, sorted(internal_canaries(content)))
    )
    for canary in ("PubOkTitle", "PubOkMessage", "PubOkServiceName"):
        assert leaks(bodies, [canary]), canary  # the scan is not vacuous
