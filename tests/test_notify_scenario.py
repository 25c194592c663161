"""A day of a status page, built for real step by step, notified to real local receivers.

Steps (each a real ``statuspress build --public-only --now ...``; notify compares it with the
previous step's build, as CI compares the new site with the published one):

0. 08:00 only a private incident (``public: false``) is open: the first notify run has no
   previous site and sends nothing;
1. 09:10 incident "Checkout API errors" (SEV-2) opens, api partial outage;
2. 09:40 a second update (identified);
3. 10:10 a third update (monitoring) sets api to degraded performance;
4. 10:40 resolved, api operational;
5. 11:00 a maintenance of web is scheduled for 12:00-13:00;
6. 12:15 same content, later "now": the maintenance is in progress by time alone;
7. 13:30 same content: completed.

The private incident gets a new update at every step and must never be heard of.

Channels: ``everything`` (JSON webhook through Apprise, all events), ``statuspage`` (Statuspage
webhook bodies), ``web-maintenance`` (services: web; maintenance events only), ``major`` (min
impact major) and ``mail`` (e-mail through a real SMTP server; created and resolved only).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from notify_support import HttpReceiver, Site, SmtpReceiver, run_notify

SECRET = "tok3nS3cr3tPathValue"
DAY = "2026-12-01T"


def upd(at: str, status: str, message: str, **services: str) -> dict[str, Any]:
    out: dict[str, Any] = {"at": f"{DAY}{at}:00Z", "status": status, "message": message}
    if services:
        out["services"] = services
    return out


def private_incident(step: int) -> dict[str, Any]:
    return {
        "title": "ZqxPrivateTitle",
        "public": False,
        "severity": "SEV-1",
        "services": {"api": "major_outage"},
        "started_at": f"{DAY}07:00:00Z",
        "updates": [
            upd(f"{7 + n // 2:02d}:{(n % 2) * 30 + 5:02d}", "investigating", f"ZqxPrivate{n}")
            for n in range(step + 1)
        ],
    }


def incident(step: int) -> dict[str, Any]:
    updates = [
        upd("09:05", "investigating", "We see errors at checkout.", api="partial_outage"),
        upd("09:30", "identified", "A faulty release was identified."),
        upd(
            "10:00",
            "monitoring",
            "Rolled back; some requests are still slow.",
            api="degraded_performance",
        ),  # fmt: skip
        upd("10:30", "resolved", "All requests succeed again.", api="operational"),
    ]
    front: dict[str, Any] = {
        "title": "Checkout API errors",
        "severity": "SEV-2",
        "services": {"api": "partial_outage"},
        "started_at": f"{DAY}09:00:00Z",
        "commander": "ZqxCommander",
        "updates": updates[:step],
    }
    if step >= 4:
        front["resolved_at"] = f"{DAY}10:30:00Z"
    return front


MAINTENANCE = {
    "title": "Web server upgrade",
    "kind": "maintenance",
    "services": {"web": "under_maintenance"},
    "started_at": f"{DAY}12:00:00Z",
    "scheduled_start": f"{DAY}12:00:00Z",
    "scheduled_end": f"{DAY}13:00:00Z",
    "updates": [upd("10:50", "scheduled", "We will upgrade the web servers.")],
}
STEPS = ["08:00", "09:10", "09:40", "10:10", "10:40", "11:00", "12:15", "13:30"]


@pytest.fixture
def receivers() -> Iterator[tuple[HttpReceiver, SmtpReceiver]]:
    http, smtp = HttpReceiver(), SmtpReceiver()
    yield http, smtp
    http.close()
    smtp.close()


def make_site(root: Path) -> Site:
    site = Site(
        root,
        {
            "title": "Scenario Status",
            "base_url": "https://status.scenario.example/",
            "notify": [
                {"name": "everything", "url_env": "N_EVERYTHING"},
                {"name": "statuspage", "url_env": "N_STATUSPAGE", "format": "statuspage"},
                {
                    "name": "web-maintenance",
                    "url_env": "N_WEB",
                    "services": ["web"],
                    "events": [
                        "maintenance.scheduled",
                        "maintenance.started",
                        "maintenance.completed",
                        "incident.created",
                    ],  # fmt: skip
                },
                {"name": "major", "url_env": "N_MAJOR", "min_impact": "major"},
                {
                    "name": "mail",
                    "url_env": "N_MAIL",
                    "events": ["incident.created", "incident.resolved"],
                },  # fmt: skip
            ],
        },
        {
            "services": [
                {"id": "api", "name": "Checkout API"},
                {"id": "web", "name": "Website"},
            ]
        },
    )
    return site


def content_at(site: Site, step: int) -> None:
    site.incidents = {"zqx-private": private_incident(step)}
    if step >= 1:
        site.incidents["checkout-errors"] = incident(min(step, 4))
    if step >= 5:
        site.incidents["web-upgrade"] = MAINTENANCE


def titles(http: HttpReceiver, path: str) -> list[str]:
    return [body["title"] for body in http.at(path)]


def statuspage_summary(http: HttpReceiver) -> list[tuple[str, str, str]]:
    """(kind, name, status) of every Statuspage-format body received."""
    out = []
    for body in http.at("/statuspage/" + SECRET):
        if "component" in body:
            c, u = body["component"], body["component_update"]
            out.append(("component", c["name"], f"{u['old_status']}->{u['new_status']}"))
        else:
            out.append(("incident", body["incident"]["name"], body["incident"]["status"]))
    return out


def test_a_day_of_events_reaches_each_channel_once_in_order_with_filters(
    tmp_path: Path, receivers: tuple[HttpReceiver, SmtpReceiver]
) -> None:
    http, smtp = receivers
    env = {
        "N_EVERYTHING": http.url("json", "/everything"),
        "N_STATUSPAGE": http.url("http", "/statuspage/" + SECRET),
        "N_WEB": http.url("json", "/web"),
        "N_MAJOR": http.url("json", "/major"),
        "N_MAIL": smtp.url(),
    }
    site = make_site(tmp_path)
    builds = []
    for step, now in enumerate(STEPS):
        content_at(site, step)
        builds.append(site.build(f"step{step}", f"{DAY}{now}:00Z"))

    first = run_notify(site, tmp_path / "published-before", builds[0], env)
    assert first.exit_code == 0, first.output
    assert "first run" in first.output and http.posts == [] and smtp.messages == []

    outputs = []
    for step in range(1, len(STEPS)):
        if step == 3:
            http.failing.add("/statuspage/" + SECRET)
        result = run_notify(site, builds[step - 1], builds[step], env)
        outputs.append(result.output)
        if step == 3:
            # The failing channel is named, the others got their events, nothing is secret.
            assert result.exit_code == 1
            assert "channel 'statuspage' failed" in result.output
            assert "notification failed for channel(s): statuspage" in result.output
            assert SECRET not in result.output
            sent_before_retry = len(http.posts), len(smtp.messages)
            http.failing.clear()
            retry = run_notify(site, builds[step - 1], builds[step], env)
            assert retry.exit_code == 0, retry.output
            # Only the failed channel received anything on the retry.
            assert {p.path for p in http.posts[sent_before_retry[0] :]} == {"/statuspage/" + SECRET}
            assert len(smtp.messages) == sent_before_retry[1]
        else:
            assert result.exit_code == 0, result.output

    assert titles(http, "/everything") == [
        "New incident: Checkout API errors",
        "Status change: Checkout API is partial outage",
        "Incident update: Checkout API errors",
        "Incident update: Checkout API errors",
        "Status change: Checkout API is degraded performance",
        "Resolved: Checkout API errors",
        "Status change: Checkout API is operational",
        "Maintenance scheduled: Web server upgrade",
        "Maintenance in progress: Web server upgrade",
        "Status change: Website is under maintenance",
        "Maintenance completed: Web server upgrade",
        "Status change: Website is operational",
    ]
    messages = [body["message"] for body in http.at("/everything")]
    assert "Status: Identified\n\nA faulty release was identified." in messages[2]
    assert "Status: Resolved\n\nAll requests succeed again." in messages[5]
    assert "Status: In progress" in messages[8]
    assert "Affected: Checkout API" in messages[0]
    assert "https://status.scenario.example/incidents/checkout-errors/" in messages[0]
    assert "Window: 2026-12-01 12:00 UTC to 2026-12-01 13:00 UTC" in messages[7]

    assert statuspage_summary(http) == [
        ("incident", "Checkout API errors", "investigating"),
        ("component", "Checkout API", "operational->partial_outage"),
        ("incident", "Checkout API errors", "identified"),
        ("incident", "Checkout API errors", "monitoring"),
        ("component", "Checkout API", "partial_outage->degraded_performance"),
        ("incident", "Checkout API errors", "resolved"),
        ("component", "Checkout API", "degraded_performance->operational"),
        ("incident", "Web server upgrade", "scheduled"),
        ("incident", "Web server upgrade", "in_progress"),
        ("component", "Website", "operational->under_maintenance"),
        ("incident", "Web server upgrade", "completed"),
        ("component", "Website", "under_maintenance->operational"),
    ]
    assert titles(http, "/web") == [
        "Maintenance scheduled: Web server upgrade",
        "Maintenance in progress: Web server upgrade",
        "Maintenance completed: Web server upgrade",
    ]
    # min_impact major: the last component change (degraded -> operational) is minor, the
    # website's maintenance statuses have no impact; maintenance events are never filtered.
    assert titles(http, "/major") == [
        "New incident: Checkout API errors",
        "Status change: Checkout API is partial outage",
        "Incident update: Checkout API errors",
        "Incident update: Checkout API errors",
        "Status change: Checkout API is degraded performance",
        "Resolved: Checkout API errors",
        "Maintenance scheduled: Web server upgrade",
        "Maintenance in progress: Web server upgrade",
        "Maintenance completed: Web server upgrade",
    ]
    assert [m["Subject"] for m in smtp.messages] == [
        "New incident: Checkout API errors",
        "Resolved: Checkout API errors",
    ]
    assert all(m["To"] == "ops@example.org" for m in smtp.messages)
    assert "All requests succeed again." in smtp.messages[1].get_body().get_content()

    # Nothing private, internal or secret anywhere, and a second run sends nothing at all.
    everything = json.dumps([p.body for p in http.posts]) + "".join(
        m.as_string() for m in smtp.messages
    )
    assert "zqx" not in everything.lower()
    state = (tmp_path / ".statuspress" / "notify-state.json").read_text()
    for secret_free in (everything, state, *outputs):
        assert SECRET not in secret_free
    posts, mails = len(http.posts), len(smtp.messages)
    for step in range(1, len(STEPS)):
        again = run_notify(site, builds[step - 1], builds[step], env)
        assert again.exit_code == 0, again.output
    assert (len(http.posts), len(smtp.messages)) == (posts, mails)


def test_a_failed_channel_catches_up_on_a_later_run_in_order(
    tmp_path: Path, receivers: tuple[HttpReceiver, SmtpReceiver]
) -> None:
    """The retry does not need the same inputs: the next CI run compares newer sites."""
    http, _ = receivers
    site = make_site(tmp_path)
    site.site["notify"] = [
        {"name": "a", "url_env": "N_A", "format": "statuspage"},
        {"name": "b", "url_env": "N_B"},
    ]
    env = {"N_A": http.url("http", "/a"), "N_B": http.url("json", "/b")}
    builds = []
    for step in (4, 5, 6):
        content_at(site, step)
        builds.append(site.build(f"step{step}", f"{DAY}{STEPS[step]}:00Z"))
    http.failing.add("/a")
    failed = run_notify(site, builds[0], builds[1], env)
    assert failed.exit_code == 1 and "'a' failed" in failed.output
    assert titles(http, "/b") == ["Maintenance scheduled: Web server upgrade"]
    http.failing.clear()
    later = run_notify(site, builds[1], builds[2], env)
    assert later.exit_code == 0, later.output
    assert [(b.get("incident") or b["component"])["status"] for b in http.at("/a")] == [
        "scheduled",  # kept from the failed run, sent first
        "in_progress",
        "under_maintenance",
    ]
    assert titles(http, "/b") == [
        "Maintenance scheduled: Web server upgrade",
        "Maintenance in progress: Web server upgrade",
        "Status change: Website is under maintenance",
    ]
