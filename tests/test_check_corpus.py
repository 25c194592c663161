"""The malformed-content corpus: one case per mistake a writer makes, each with its exact message.

Every folder ``tests/malformed/<case>/`` holds the files of one case, laid over the valid base
tree ``tests/malformed/_base/content`` (see ``check_support.make_tree``). The real command runs
in a subprocess; each case asserts the complete output (every ``path:line: field: message``
line, so both the message and its line are exact), the exit code and that no traceback shows.
The ``WARNINGS`` cases are problems that only fail the check under ``--strict``.
"""

# ruff: noqa: E501  (expected messages are compared whole; wrapping them would hide typos)

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from check_support import BASE, TESTS, check, make_tree

CORPUS = TESTS / "malformed"

ERRORS: dict[str, list[str]] = {
    "action-item-index-after-invalid-item": [
        # The item without an owner is left out of the model; the others keep their own index.
        "content/incidents/2026/action-item-index-after-invalid-item.md:16: action_items[0].owner: is required",
        "content/incidents/2026/action-item-index-after-invalid-item.md:17: warning: action_items[1].due: P1 action item 'AI-2' is overdue (due 2026-11-24)",
        "content/incidents/2026/action-item-index-after-invalid-item.md:18: action_items[2].due: 'next week' is not a date like 2026-12-01",
        "content/incidents/2026/action-item-index-after-invalid-item.md:18: action_items[2].id: duplicate action item id 'AI-2' (first at line 17)",
    ],
    "bad-component-status": [
        "content/incidents/2026/bad-component-status.md:5: services.web: 'down' is not one of operational, degraded_performance, partial_outage, major_outage, under_maintenance",
    ],
    "bad-service-id": [
        "content/incidents/2026/2026-12-02-database-upgrade.md:5: services.web: unknown service 'web'",
        "content/services.yaml:4: services[0].id: 'Web_Site' is not valid (use lowercase letters, digits and '-')",
    ],
    "bad-severity": [
        "content/incidents/2026/bad-severity.md:3: severity: 'SEV-5' is not one of SEV-1, SEV-2, SEV-3, SEV-4 (did you mean 'SEV-4'?)",
    ],
    "bad-update-status": [
        "content/incidents/2026/bad-update-status.md:10: updates[0].status: 'investigatin' is not one of investigating, identified, monitoring, resolved, scheduled, in_progress, verifying, completed (did you mean 'investigating'?)",
    ],
    "closed-without-resolved-at": [
        "content/incidents/2026/closed-without-resolved-at.md:7: closed_at: set but resolved_at is missing",
    ],
    "date-instead-of-timestamp": [
        "content/incidents/2026/date-instead-of-timestamp.md:6: started_at: '2026-11-21' is a date; a time with an offset is needed, e.g. 2026-11-21T00:00:00Z",
    ],
    "duplicate-action-item-id": [
        "content/incidents/2026/duplicate-action-item-id.md:17: action_items[1].id: duplicate action item id 'AI-1' (first at line 16)",
    ],
    "duplicate-incident-id": [
        "content/incidents/2026/2026-11-20-card-payments-failing.md: duplicate incident id '2026-11-20-card-payments-failing' (also content/incidents/2025/2026-11-20-card-payments-failing.md)",
    ],
    "duplicate-known-error-id": [
        "content/known-errors/KE-0001-duplicate-known-error-id.md: duplicate known error id 'KE-0001' (also content/known-errors/KE-0001-connection-pool-exhaustion.md)",
    ],
    "duplicate-list-item": [
        "content/incidents/2026/duplicate-list-item.md:4: responders[2]: 'alice' is listed twice",
    ],
    "duplicate-service-id": [
        "content/incidents/2026/2026-11-20-card-payments-failing.md:8: services.postgres-main: unknown service 'postgres-main'",
        "content/known-errors/KE-0001-connection-pool-exhaustion.md:4: services[1]: unknown service 'postgres-main'",
        "content/runbooks/postgres-connection-pool.md:3: services[0]: unknown service 'postgres-main'",
        "content/services.yaml:18: services[2].id: duplicate service id 'web' (first at line 4)",
    ],
    "front-matter-not-a-mapping": [
        "content/incidents/2026/front-matter-not-a-mapping.md:2: front matter must be a mapping of keys to values",
    ],
    "impossible-date": [
        "content/incidents/2026/impossible-date.md:7: resolved_at: '2026-11-31T11:00:00Z' is not a valid timestamp: day is out of range for month",
    ],
    "incident-file-name-upper-case": [
        "content/incidents/2026/Incident-File-Name-Upper-Case.md: incident file name 'Incident-File-Name-Upper-Case' must use only lowercase letters, digits and '-' (it becomes a URL)",
    ],
    # A file whose front matter fails still has its body checked: every error in one run.
    "incident-yaml-error-and-deep-html": [
        "content/incidents/2026/incident-yaml-error-and-deep-html.md:8: YAML syntax error: while parsing a flow node, did not find expected node content",
        "content/incidents/2026/incident-yaml-error-and-deep-html.md:12: body: raw HTML here leaves more than 100 elements open (never closed); close them, or put pasted HTML in a fenced code block",
    ],
    "incident-without-severity": [
        "content/incidents/2026/incident-without-severity.md:2: severity: is required for incidents (SEV-1..SEV-4)",
    ],
    "known-error-bad-file-name": [
        "content/known-errors/KE-12-known-error-bad-file-name.md: known error file name must look like KE-0007-short-name.md",
    ],
    "known-error-bad-signature-regex": [
        "content/known-errors/KE-0002-known-error-bad-signature-regex.md:9: signatures[1]: invalid regular expression for RE2: missing ): pool (exhausted",
    ],
    "known-error-front-matter-and-body-errors": [
        "content/known-errors/KE-0002-known-error-front-matter-and-body-errors.md:3: status: a known_error needs a '## Workaround' section in the body",
        "content/known-errors/KE-0002-known-error-front-matter-and-body-errors.md:5: owner: expected text, got a list",
    ],
    "known-error-without-workaround": [
        "content/known-errors/KE-0002-known-error-without-workaround.md:3: status: a known_error needs a '## Workaround' section in the body",
    ],
    "lifecycle-out-of-order": [
        "content/incidents/2026/lifecycle-out-of-order.md:8: acknowledged_at: 2026-11-21T10:02:00Z is before detected_at (2026-11-21T10:10:00Z)",
    ],
    "maintenance-status-in-incident": [
        "content/incidents/2026/maintenance-status-in-incident.md:10: updates[0].status: 'in_progress' is not a status for an incident; use one of investigating, identified, monitoring, resolved",
    ],
    "maintenance-window-reversed": [
        "content/incidents/2026/maintenance-window-reversed.md:5: scheduled_end: must be after scheduled_start (2026-11-21T10:00:00Z)",
    ],
    "maintenance-without-window": [
        "content/incidents/2026/maintenance-without-window.md:2: scheduled_end: is required for maintenance (the planned window)",
        "content/incidents/2026/maintenance-without-window.md:2: scheduled_start: is required for maintenance (the planned window)",
    ],
    "missing-front-matter": [
        "content/incidents/2026/missing-front-matter.md:1: missing YAML front matter (must start with '---')",
    ],
    "missing-required-fields": [
        "content/incidents/2026/missing-required-fields.md:2: started_at: is required",
        "content/incidents/2026/missing-required-fields.md:2: title: is required",
    ],
    "naive-timestamp": [
        "content/incidents/2026/naive-timestamp.md:6: started_at: timestamp '2026-11-21T10:00:00' has no UTC offset; add one, e.g. '2026-11-21T10:00:00Z' or '2026-11-21T10:00:00+01:00'",
    ],
    "related-to-itself": [
        "content/incidents/2026/related-to-itself.md:4: related[0]: an incident cannot be related to itself",
    ],
    "required-field-empty": [
        "content/incidents/2026/required-field-empty.md:2: title: is required but empty",
    ],
    "resolved-before-started": [
        "content/incidents/2026/resolved-before-started.md:7: resolved_at: 2026-11-21T09:00:00Z is before started_at (2026-11-21T10:00:00Z)",
        "content/incidents/2026/resolved-before-started.md:9: updates[0].at: 2026-11-21T10:05:00Z is after resolved_at (2026-11-21T09:00:00Z)",
        "content/incidents/2026/resolved-before-started.md:12: updates[1].at: 2026-11-21T09:00:00Z is before started_at (2026-11-21T10:00:00Z)",
        "content/incidents/2026/resolved-before-started.md:12: updates[1].at: 2026-11-21T09:00:00Z is earlier than the update before it (2026-11-21T10:05:00Z)",
    ],
    "resolved-update-without-resolved-at": [
        "content/incidents/2026/resolved-update-without-resolved-at.md:12: updates[1].status: 'resolved' but the incident has no resolved_at",
    ],
    "resolved-without-resolved-update": [
        "content/incidents/2026/resolved-without-resolved-update.md:13: updates[1].status: the incident is resolved but its last public update says 'monitoring'; add a 'resolved' update",
    ],
    "runbook-bad-review-date": [
        "content/runbooks/runbook-bad-review-date.md:5: last_reviewed: '01.10.2026' is not a date like 2026-12-01",
    ],
    "runbook-front-matter-and-body-errors": [
        "content/runbooks/runbook-front-matter-and-body-errors.md:5: last_reviewed: '2026-13-01' is not a valid date: month must be in 1..12",
        "content/runbooks/runbook-front-matter-and-body-errors.md:7: body: missing required section '## Escalation'",
        "content/runbooks/runbook-front-matter-and-body-errors.md:7: body: missing required section '## Rollback'",
    ],
    "runbook-missing-section": [
        "content/runbooks/runbook-missing-section.md:10: body: missing required section '## Rollback'",
    ],
    # A typo in `services` is reported once: the updates naming the service it meant are not.
    "service-typo-not-repeated-on-updates": [
        "content/incidents/2026/service-typo-not-repeated-on-updates.md:5: services.payment-api: unknown service 'payment-api' (did you mean 'payments-api'?)",
    ],
    "service-bad-status-not-repeated-on-updates": [
        "content/incidents/2026/service-bad-status-not-repeated-on-updates.md:5: services.payments-api: 'partial' is not one of operational, degraded_performance, partial_outage, major_outage, under_maintenance (did you mean 'partial_outage'?)",
        "content/incidents/2026/service-bad-status-not-repeated-on-updates.md:6: services.Web: 'Web' is not valid (use lowercase letters, digits and '-')",
    ],
    "timestamp-year-typo": [
        "content/incidents/2026/timestamp-year-typo.md:7: resolved_at: '2206-11-21T11:00:00Z' is out of range: use a year from 1970 to 2100",
    ],
    "unclosed-front-matter": [
        "content/incidents/2026/unclosed-front-matter.md:1: missing YAML front matter (no closing '---' line)",
    ],
    "unknown-group": [
        "content/services.yaml:11: services[1].group: unknown group 'shops' (did you mean 'shop'?)",
    ],
    "unknown-key-in-service": [
        "content/services.yaml:10: services[0].owners: unknown key (did you mean 'owner'?)",
    ],
    "unknown-key-in-site": [
        "content/site.yaml:6: uptime_dayz: unknown key (did you mean 'uptime_days'?)",
    ],
    "unknown-key-in-update": [
        "content/incidents/2026/unknown-key-in-update.md:9: updates[0].message: is required",
        "content/incidents/2026/unknown-key-in-update.md:11: updates[0].mesage: unknown key (did you mean 'message'?)",
    ],
    "unknown-key-with-suggestion": [
        "content/incidents/2026/unknown-key-with-suggestion.md:2: severity: is required for incidents (SEV-1..SEV-4)",
        "content/incidents/2026/unknown-key-with-suggestion.md:3: serverity: unknown key (did you mean 'severity'?)",
    ],
    "unknown-key-without-suggestion": [
        "content/incidents/2026/unknown-key-without-suggestion.md:4: weather: unknown key; allowed: title, kind, public, severity, impact, urgency, services, started_at, detected_at, acknowledged_at, mitigated_at, resolved_at, closed_at, scheduled_start, scheduled_end, detection, reporter, commander, responders, escalated, category, known_errors, runbooks, related, affected_users, updates, postmortem, action_items, alert, source",
    ],
    "unknown-known-error": [
        "content/incidents/2026/unknown-known-error.md:4: known_errors[0]: unknown known error 'KE-0002' (did you mean 'KE-0001'?)",
    ],
    "unknown-known-error-in-runbook": [
        "content/runbooks/unknown-known-error-in-runbook.md:8: known_errors[0]: unknown known error 'KE-0009' (did you mean 'KE-0001'?)",
    ],
    "unknown-related-incident": [
        "content/incidents/2026/unknown-related-incident.md:4: related[0]: unknown incident '2026-11-20-card-payment-failing' (did you mean '2026-11-20-card-payments-failing'?)",
    ],
    "unknown-runbook": [
        "content/incidents/2026/unknown-runbook.md:4: runbooks[0]: unknown runbook 'postgres-connection-pools' (did you mean 'postgres-connection-pool'?)",
    ],
    "unknown-service": [
        "content/incidents/2026/unknown-service.md:5: services.payment-api: unknown service 'payment-api' (did you mean 'payments-api'?)",
    ],
    "unknown-service-in-known-error": [
        "content/known-errors/KE-0002-unknown-service-in-known-error.md:4: services[1]: unknown service 'postgres' (did you mean 'postgres-main'?)",
    ],
    "update-after-resolution": [
        "content/incidents/2026/update-after-resolution.md:12: updates[1].at: 2026-11-21T11:30:00Z is after resolved_at (2026-11-21T11:00:00Z)",
    ],
    "update-before-start": [
        "content/incidents/2026/update-before-start.md:9: updates[0].at: 2026-11-21T09:55:00Z is before started_at (2026-11-21T10:00:00Z)",
    ],
    "update-service-not-in-incident": [
        "content/incidents/2026/update-service-not-in-incident.md:16: updates[1].services.payments-api: not one of the incident's services; add it to `services` too",
    ],
    # ...but an update naming a service nothing in `services` resembles still is.
    "update-service-not-in-incident-beside-a-typo": [
        "content/incidents/2026/update-service-not-in-incident-beside-a-typo.md:5: services.wbe: unknown service 'wbe' (did you mean 'web'?)",
        "content/incidents/2026/update-service-not-in-incident-beside-a-typo.md:17: updates[1].services.payments-api: not one of the incident's services; add it to `services` too",
    ],
    "updates-out-of-order": [
        "content/incidents/2026/updates-out-of-order.md:12: updates[1].at: 2026-11-21T10:20:00Z is earlier than the update before it (2026-11-21T10:30:00Z)",
    ],
    "wrong-type-affected-users": [
        "content/incidents/2026/wrong-type-affected-users.md:4: affected_users: expected a whole number, got text",
    ],
    "wrong-type-public-text": [
        "content/incidents/2026/wrong-type-public-text.md:4: public: expected true or false, got text",
    ],
    "wrong-type-services-list": [
        "content/incidents/2026/wrong-type-services-list.md:4: services: expected a mapping, got a list",
    ],
    "wrong-type-updates-mapping": [
        "content/incidents/2026/wrong-type-updates-mapping.md:8: updates: expected a list, got a mapping",
    ],
    "yaml-alias": [
        "content/incidents/2026/yaml-alias.md:5: YAML aliases (*team) are not supported; write the value out",
    ],
    "yaml-bad-indentation": [
        "content/incidents/2026/yaml-bad-indentation.md:6: YAML syntax error: mapping values are not allowed in this context",
    ],
    "yaml-duplicate-key": [
        "content/incidents/2026/yaml-duplicate-key.md:4: title: duplicate key (first defined at line 2)",
    ],
    "yaml-duplicate-nested-key": [
        "content/incidents/2026/yaml-duplicate-nested-key.md:6: services.web: duplicate key (first defined at line 5)",
    ],
    "yaml-tab-indentation": [
        "content/incidents/2026/yaml-tab-indentation.md:5: YAML syntax error: while scanning for the next token, found character that cannot start any token; YAML is indented with spaces, and this line has a tab",
    ],
    "yaml-unclosed-flow-list": [
        "content/incidents/2026/yaml-unclosed-flow-list.md:5: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']' (the construct started at line 4)",
    ],
    "yaml-unclosed-quote": [
        "content/incidents/2026/yaml-unclosed-quote.md:14: YAML syntax error: while scanning a quoted scalar, found unexpected end of stream (the construct started at line 2)",
    ],
}

WARNINGS: dict[str, list[str]] = {
    "warning-action-item-without-due": [
        # Only open P0/P1 items: a done P1 and an open P2 without a due date are fine.
        "content/incidents/2026/warning-action-item-without-due.md:16: warning: action_items[0].due: open P0 action item 'AI-7' has no due date; add one (due: a day, e.g. 2026-12-31)",
        "content/incidents/2026/warning-action-item-without-due.md:22: warning: action_items[3].due: open P1 action item 'AI-10' has no due date; add one (due: a day, e.g. 2026-12-31)",
    ],
    "warning-action-items-in-one-flow-line": [
        # Several items on one line: each keeps its own index.
        "content/incidents/2026/warning-action-items-in-one-flow-line.md:15: warning: action_items[0].due: open P1 action item 'AI-1' has no due date; add one (due: a day, e.g. 2026-12-31)",
    ],
    "warning-known-error-review-due": [
        "content/known-errors/KE-0002-warning-known-error-review-due.md:11: warning: review_by: review was due 2026-11-01",
    ],
    "warning-missing-postmortem": [
        "content/incidents/2026/warning-missing-postmortem.md:7: warning: postmortem: SEV-2 resolved more than 5 days ago has no postmortem",
    ],
    "warning-overdue-action-item": [
        "content/incidents/2026/warning-overdue-action-item.md:19: warning: action_items[0].due: P1 action item 'AI-7' is overdue (due 2026-11-24)",
    ],
    "warning-stale-runbook": [
        "content/runbooks/warning-stale-runbook.md:5: warning: last_reviewed: runbook is stale: review was due 2026-07-30",
    ],
}


def _cases() -> set[str]:
    return {p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")}


def test_every_case_has_an_expectation_and_the_corpus_is_large() -> None:
    assert _cases() == set(ERRORS) | set(WARNINGS)
    assert not set(ERRORS) & set(WARNINGS)
    assert len(ERRORS) + len(WARNINGS) >= 40


def test_each_case_is_named_after_its_case() -> None:
    """One small overlay per case; the file it adds carries the case's name where it can."""
    for name in _cases():
        files = [p for p in (CORPUS / name).rglob("*") if p.is_file()]
        assert 1 <= len(files) <= 2, name
        assert (
            any(name in p.name.lower() for p in files)
            or files[0].name
            in (
                "site.yaml",
                "services.yaml",
            )
            or name == "duplicate-incident-id"
        ), name


def test_base_tree_is_clean_even_under_strict(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert check(tmp_path, "--strict") == (0, [])


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_case(name: str, tmp_path: Path) -> None:
    make_tree(tmp_path, CORPUS / name)
    code, lines = check(tmp_path)
    assert lines == ERRORS[name]
    assert code == 1


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warning_case_fails_only_under_strict(name: str, tmp_path: Path) -> None:
    make_tree(tmp_path, CORPUS / name)
    assert check(tmp_path) == (0, WARNINGS[name])
    assert check(tmp_path, "--strict") == (1, WARNINGS[name])


def _all_in_one(tmp_path: Path) -> None:
    """One tree holding several cases at once: errors and a warning in different files."""
    make_tree(tmp_path, CORPUS / "naive-timestamp")
    for name in ("unknown-service", "warning-stale-runbook", "yaml-alias"):
        shutil.copytree(CORPUS / name, tmp_path / "content", dirs_exist_ok=True)


def test_all_problems_of_a_tree_are_reported_in_one_run(tmp_path: Path) -> None:
    _all_in_one(tmp_path)
    code, lines = check(tmp_path)
    expected = sorted(
        ERRORS["naive-timestamp"]
        + ERRORS["unknown-service"]
        + ERRORS["yaml-alias"]
        + WARNINGS["warning-stale-runbook"]
    )
    assert lines == expected
    assert code == 1


def test_format_github(tmp_path: Path) -> None:
    _all_in_one(tmp_path)
    code, lines = check(tmp_path, "--format", "github")
    assert code == 1
    assert lines == [
        "::error file=content/incidents/2026/naive-timestamp.md,line=6,title=started_at::started_at: timestamp '2026-11-21T10:00:00' has no UTC offset; add one, e.g. '2026-11-21T10:00:00Z' or '2026-11-21T10:00:00+01:00'",
        "::error file=content/incidents/2026/unknown-service.md,line=5,title=services.payment-api::services.payment-api: unknown service 'payment-api' (did you mean 'payments-api'?)",
        "::error file=content/incidents/2026/yaml-alias.md,line=5::YAML aliases (*team) are not supported; write the value out",
        "::warning file=content/runbooks/warning-stale-runbook.md,line=5,title=last_reviewed::last_reviewed: runbook is stale: review was due 2026-07-30",
    ]


def test_format_github_escapes_workflow_command_characters(tmp_path: Path) -> None:
    """A message with '%', ':' or ',' must not end or corrupt the annotation."""
    make_tree(tmp_path, CORPUS / "known-error-bad-signature-regex")
    code, lines = check(tmp_path, "--format", "github")
    assert code == 1
    assert lines == [
        "::error file=content/known-errors/KE-0002-known-error-bad-signature-regex.md,line=9,title=signatures[1]::signatures[1]: invalid regular expression for RE2: missing ): pool (exhausted",
    ]
    make_tree(tmp_path, CORPUS / "duplicate-incident-id")
    code, lines = check(tmp_path, "--format", "github")
    # A problem with the whole file (line 0 in text) points at line 1 for the annotation.
    assert lines == [
        "::error file=content/incidents/2026/2026-11-20-card-payments-failing.md,line=1::duplicate incident id '2026-11-20-card-payments-failing' (also content/incidents/2025/2026-11-20-card-payments-failing.md)"
    ]


def test_format_json(tmp_path: Path) -> None:
    _all_in_one(tmp_path)
    code, lines = check(tmp_path, "--format", "json")
    assert code == 1
    assert json.loads("\n".join(lines)) == [
        {
            "path": "content/incidents/2026/naive-timestamp.md",
            "line": 6,
            "field": "started_at",
            "level": "error",
            "message": "timestamp '2026-11-21T10:00:00' has no UTC offset; add one, e.g. '2026-11-21T10:00:00Z' or '2026-11-21T10:00:00+01:00'",
        },
        {
            "path": "content/incidents/2026/unknown-service.md",
            "line": 5,
            "field": "services.payment-api",
            "level": "error",
            "message": "unknown service 'payment-api' (did you mean 'payments-api'?)",
        },
        {
            "path": "content/incidents/2026/yaml-alias.md",
            "line": 5,
            "field": "",
            "level": "error",
            "message": "YAML aliases (*team) are not supported; write the value out",
        },
        {
            "path": "content/runbooks/warning-stale-runbook.md",
            "line": 5,
            "field": "last_reviewed",
            "level": "warning",
            "message": "runbook is stale: review was due 2026-07-30",
        },
    ]


def test_format_json_is_an_empty_list_for_a_clean_tree(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert check(tmp_path, "--format", "json") == (0, ["[]"])


def test_base_tree_matches_the_committed_fixture() -> None:
    """The base tree stays small: the corpus messages above depend on its exact lines."""
    assert sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*") if p.is_file()) == [
        "incidents/2026/2026-11-20-card-payments-failing.md",
        "incidents/2026/2026-12-02-database-upgrade.md",
        "known-errors/KE-0001-connection-pool-exhaustion.md",
        "runbooks/postgres-connection-pool.md",
        "services.yaml",
        "site.yaml",
    ]
