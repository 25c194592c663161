"""The hostile-input corpus: what a careless or malicious pull request could put in content/.

Resource exhaustion (alias bombs, deep nesting, huge numbers), paths that would escape the
output folder or name a device, encodings, control characters, timestamps at the edges of time,
and YAML features that build objects (tags, merge keys). Each case asserts the exit code, every
``path:line: field: message`` line and that no traceback shows; cases that must be *accepted*
(a BOM, CRLF, unusual but valid timestamps) assert a clean exit instead, and the second half of
this file checks that what they say was read correctly.

``tests/hostile/<case>/`` holds the files of a case (laid over the base tree, as for the
malformed corpus); cases git cannot hold (links, FIFOs, megabyte files, non-ASCII file names)
are built in code below.
"""

# ruff: noqa: E501  (expected messages are compared whole; wrapping them would hide typos)

from __future__ import annotations

import datetime as dt
import os
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from check_support import BASE_INCIDENT, TESTS, base_text, check, make_tree
from statuspress.errors import BuildError
from statuspress.loader import load_world
from statuspress.models import Incident
from statuspress.writer import Claim, SiteWriter, safe_relpath

CORPUS = TESTS / "hostile"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)

CASES: dict[str, tuple[int, list[str]]] = {
    "after-2100": (
        1,
        [
            "content/incidents/2026/after-2100.md:7: resolved_at: '2101-01-01T00:00:00Z' is out of range: use a year from 1970 to 2100",
        ],
    ),
    "alias-bomb": (
        1,
        [
            "content/incidents/2026/alias-bomb.md:5: YAML aliases (*lol0) are not supported; write the value out (81 aliases in this file)",
        ],
    ),
    "alias-in-site-settings": (
        1,
        [
            "content/site.yaml:6: YAML aliases (*name) are not supported; write the value out",
        ],
    ),
    "anchor-without-alias": (0, []),
    "base-url-javascript": (
        1,
        [
            "content/site.yaml:2: base_url: 'javascript:alert(1)' is not valid (an absolute http(s) URL, without user name, query or fragment)",
        ],
    ),
    "before-1970": (
        1,
        [
            "content/incidents/2026/before-1970.md:6: started_at: '1969-12-31T23:59:59Z' is out of range: use a year from 1970 to 2100",
        ],
    ),
    "binary-tag": (
        1,
        [
            "content/incidents/2026/binary-tag.md:4: commander: unsupported YAML tag !!binary",
        ],
    ),
    "blank-unicode-title": (
        1,
        [
            "content/incidents/2026/blank-unicode-title.md:2: title: must not be empty",
        ],
    ),
    "brackets-in-quoted-text": (0, []),
    "complex-mapping-key": (
        1,
        [
            "content/incidents/2026/complex-mapping-key.md:4: mapping keys must be plain text",
        ],
    ),
    "cr-only-error-line": (
        1,
        [
            "content/incidents/2026/cr-only-error-line.md:6: started_at: timestamp '2026-11-21T10:00:00' has no UTC offset; add one, e.g. '2026-11-21T10:00:00Z' or '2026-11-21T10:00:00+01:00'",
        ],
    ),
    "crlf-accepted": (0, []),
    "crlf-error-line": (
        1,
        [
            "content/incidents/2026/crlf-error-line.md:6: started_at: timestamp '2026-11-21T10:00:00' has no UTC offset; add one, e.g. '2026-11-21T10:00:00Z' or '2026-11-21T10:00:00+01:00'",
        ],
    ),
    "date-year-9999": (
        1,
        [
            "content/runbooks/date-year-9999.md:5: last_reviewed: '9999-12-31' is out of range: use a year from 1970 to 2100",
        ],
    ),
    "deep-nesting-block": (
        1,
        [
            "content/incidents/2026/deep-nesting-block.md:36: level0.level1.level2.level3.level4.level5.level6.level7.level8.level9.level10.level11.level12.level13.level14.level15.level16.level17.level18.level19.level20.level21.level22.level23.level24.level25.level26.level27.level28.level29.level30.level31.level32: nesting deeper than 32 levels",
        ],
    ),
    "deep-nesting-dashes": (
        1,
        [
            "content/incidents/2026/deep-nesting-dashes.md:5: nesting deeper than 32 levels",
        ],
    ),
    "deep-nesting-flow": (
        1,
        [
            "content/incidents/2026/deep-nesting-flow.md:4: nesting deeper than 32 levels",
        ],
    ),
    "docs-dir-backslash": (
        1,
        [
            "content/site.yaml:8: docs_dir: 'docs\\..\\..\\secrets' is not valid (a relative path inside the repository, without '..')",
        ],
    ),
    "double-bom": (
        1,
        [
            "content/incidents/2026/double-bom.md:1: missing YAML front matter (must start with '---')",
        ],
    ),
    "dst-offsets-accepted": (0, []),
    "dst-offsets-out-of-order": (
        1,
        [
            "content/incidents/2026/dst-offsets-out-of-order.md:7: resolved_at: 2026-10-25T02:10:00+02:00 is before started_at (2026-10-25T02:30:00+01:00)",
            "content/incidents/2026/dst-offsets-out-of-order.md:9: updates[0].at: 2026-10-25T02:40:00+01:00 is after resolved_at (2026-10-25T02:10:00+02:00)",
            "content/incidents/2026/dst-offsets-out-of-order.md:12: updates[1].at: 2026-10-25T02:50:00+01:00 is after resolved_at (2026-10-25T02:10:00+02:00)",
        ],
    ),
    "due-date-year-one": (
        1,
        [
            "content/incidents/2026/due-date-year-one.md:16: action_items[0].due: '0001-01-01' is out of range: use a year from 1970 to 2100",
        ],
    ),
    "escaped-control-character": (
        1,
        [
            "content/incidents/2026/escaped-control-character.md:2: title: contains the control character U+001B; remove it",
        ],
    ),
    "file-name-dot-dot": (
        1,
        [
            "content/incidents/2026/a..b.md: incident file name 'a..b' must use only lowercase letters, digits and '-' (it becomes a URL)",
        ],
    ),
    "file-name-known-error-lower-case": (
        1,
        [
            "content/known-errors/ke-0002-lower-case.md: known error file name must look like KE-0007-short-name.md",
        ],
    ),
    "file-name-known-error-upper-case-slug": (
        1,
        [
            "content/known-errors/KE-0002-Pool-Exhaustion.md: known error file name must look like KE-0007-short-name.md",
        ],
    ),
    "file-name-leading-dash": (
        1,
        [
            "content/incidents/2026/-checkout.md: incident file name '-checkout' must use only lowercase letters, digits and '-' (it becomes a URL)",
        ],
    ),
    "file-name-space": (
        1,
        [
            "content/incidents/2026/checkout errors.md: incident file name 'checkout errors' must use only lowercase letters, digits and '-' (it becomes a URL)",
        ],
    ),
    "file-name-too-long": (
        1,
        [
            "content/incidents/2026/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.md: incident file name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' cannot be used as a URL",
        ],
    ),
    "file-name-underscore": (
        1,
        [
            "content/incidents/2026/checkout_errors.md: incident file name 'checkout_errors' must use only lowercase letters, digits and '-' (it becomes a URL)",
        ],
    ),
    "file-name-upper-case-runbook": (
        1,
        [
            "content/runbooks/Postgres-Pool.md: runbook file name 'Postgres-Pool' must use only lowercase letters, digits and '-' (it becomes a URL)",
        ],
    ),
    "file-size-limit-above-maximum": (
        1,
        [
            "content/site.yaml:8: max_file_bytes: must be at most 16777216",
        ],
    ),
    "file-size-limit-below-minimum": (
        1,
        [
            "content/site.yaml:8: max_file_bytes: must be at least 1024",
        ],
    ),
    "fractional-seconds-accepted": (0, []),
    # Skipped on purpose and without a word: .hidden, _drafts/, README.md.
    "hidden-and-underscore-files-ignored": (0, []),
    # Everything else that is not read is reported (issue #10, defect 12): foreign files and
    # folders are warnings...
    "foreign-files-reported": (
        0,
        [
            "content/incidents/2026/notes.txt: warning: not read: only .md files are content here",
            "content/incidnets: warning: folder not read (did you mean 'incidents'?)",
            "content/known-errors/KE-0002-vendor-ticket.txt: warning: not read: only .md files are content here",
            "content/notes.txt: warning: not read (the content folder holds site.yaml, services.yaml, incidents/, known-errors/, runbooks/ and the logo file)",
            "content/runbooks/old: warning: folder not read (runbooks/ has no sub-folders); move its files up",
            "content/site.yml: warning: not read (did you mean 'site.yaml'?)",
        ],
    ),
    # ...and Markdown that would be silently left out of the site is an error.
    "file-extension-upper-case": (
        1,
        [
            "content/incidents/2026/2026-11-21-file-extension-upper-case.MD: not read: content files end in .md (rename it 2026-11-21-file-extension-upper-case.md)",
        ],
    ),
    "file-extension-markdown": (
        1,
        [
            "content/runbooks/file-extension-markdown.markdown: not read: content files end in .md (rename it file-extension-markdown.md)",
        ],
    ),
    "hour-24": (
        1,
        [
            "content/incidents/2026/hour-24.md:6: started_at: '2026-11-21T24:00:00Z' is not a valid timestamp: hour must be in 0..23",
        ],
    ),
    "huge-integer": (
        1,
        [
            "content/incidents/2026/huge-integer.md:4: affected_users: must be at most 1000000000000",
        ],
    ),
    "infinite-target": (
        1,
        [
            "content/site.yaml:9: targets.mtta_minutes.SEV-1: expected a finite number, got inf",
        ],
    ),
    "incident-in-2099": (
        1,
        [
            "content/incidents/2026/incident-in-2099.md:6: started_at: 2099-12-31T00:00:00Z is in the future (now is 2026-11-27T12:00:00Z); an incident cannot start more than 24 hours from now (planned work is kind: maintenance)",
        ],
    ),
    "invalid-utf-8-in-body": (
        1,
        [
            "content/incidents/2026/invalid-utf-8-in-body.md:18: not valid UTF-8 (byte 0xc3); save as UTF-8",
        ],
    ),
    "known-error-reference-absolute": (
        1,
        [
            "content/incidents/2026/known-error-reference-absolute.md:4: known_errors[0]: '/etc/passwd' is not valid (known error ids look like KE-0007)",
        ],
    ),
    "latin-1-file": (
        1,
        [
            "content/incidents/2026/latin-1-file.md:2: not valid UTF-8 (byte 0xf6); save as UTF-8",
        ],
    ),
    "leap-day-accepted": (0, []),
    "leap-day-in-common-year": (
        1,
        [
            "content/incidents/2026/leap-day-in-common-year.md:6: started_at: '2026-02-29T10:00:00Z' is not a valid timestamp: day is out of range for month",
        ],
    ),
    "leap-second": (
        1,
        [
            "content/incidents/2026/leap-second.md:6: started_at: '2026-12-31T23:59:60Z' is not a valid timestamp: second must be in 0..59",
        ],
    ),
    "line-separator": (
        1,
        [
            "content/incidents/2026/line-separator.md:14: contains U+2028 LINE SEPARATOR, which YAML reads as a line break",
        ],
    ),
    "local-include-tag": (
        1,
        [
            "content/incidents/2026/local-include-tag.md:4: commander: unsupported YAML tag !include",
        ],
    ),
    "logo-incident-file": (
        1,
        [
            "content/site.yaml:8: logo: 'incidents/2026/2026-11-20-card-payments-failing.md' is not an image file (use one of: avif, gif, ico, jpeg, jpg, png, svg, webp)",
        ],
    ),
    "logo-missing": (
        1,
        ["content/site.yaml:8: logo: 'assets/logo.png' does not exist in the content folder"],
    ),
    "logo-path-traversal": (
        1,
        [
            "content/site.yaml:8: logo: '../../../etc/passwd' is not valid (a relative path inside the repository, without '..')",
        ],
    ),
    "logo-png-that-is-html": (
        1,
        ["content/site.yaml:8: logo: 'assets/logo.png' is not a PNG image"],
    ),
    "logo-svg-accepted": (0, []),
    "logo-svg-entity-bomb": (
        1,
        [
            "content/site.yaml:8: logo: 'assets/logo.svg' has a DOCTYPE with declarations (entities are not allowed)",
        ],
    ),
    "logo-svg-external-image": (
        1,
        [
            "content/site.yaml:8: logo: 'assets/logo.svg' refers to 'https://tracker.example.net/pixel.png' from <image> (only '#...' references and embedded PNG, JPEG, GIF or WebP images are allowed)",
        ],
    ),
    "logo-svg-foreign-object": (
        1,
        [
            "content/site.yaml:8: logo: 'assets/logo.svg' contains a <foreignObject> element (it embeds HTML)"
        ],
    ),
    "logo-svg-javascript-link": (
        1,
        [
            "content/site.yaml:8: logo: 'assets/logo.svg' refers to 'javascript:alert(1)' from <a> (only '#...' references and embedded PNG, JPEG, GIF or WebP images are allowed)",
        ],
    ),
    "logo-svg-onload": (
        1,
        [
            "content/site.yaml:8: logo: 'assets/logo.svg' has an event handler attribute (onload) on <svg>"
        ],
    ),
    "logo-svg-script": (
        1,
        ["content/site.yaml:8: logo: 'assets/logo.svg' contains a <script> element"],
    ),
    "lower-case-t-and-z-accepted": (0, []),
    "merge-key": (
        1,
        [
            "content/incidents/2026/merge-key.md:4: YAML merge keys (<<) are not supported",
        ],
    ),
    "multiple-documents": (
        1,
        [
            "content/site.yaml:8: YAML syntax error: expected a single document in the stream, but found another document (the construct started at line 1)",
        ],
    ),
    "nan-target": (
        1,
        [
            "content/site.yaml:9: targets.recurrence_rate: expected a finite number, got nan",
        ],
    ),
    "next-line-character": (
        1,
        [
            "content/incidents/2026/next-line-character.md:2: contains U+0085 NEXT LINE, which YAML reads as a line break",
        ],
    ),
    "nul-byte": (
        1,
        [
            "content/incidents/2026/nul-byte.md:14: file contains a NUL byte",
        ],
    ),
    "offset-beyond-14-hours": (
        1,
        [
            "content/incidents/2026/offset-beyond-14-hours.md:6: started_at: '2026-11-21T10:00:00+23:59' has an offset beyond \u00b114:00, which no place uses",
        ],
    ),
    "offset-hours-only": (
        1,
        [
            "content/incidents/2026/offset-hours-only.md:6: started_at: '2026-11-21T10:00:00+01' is not an ISO 8601 timestamp like 2026-11-24T02:47:00Z",
        ],
    ),
    "overlong-message": (
        1,
        [
            "content/incidents/2026/overlong-message.md:11: updates[0].message: longer than 20000 characters",
        ],
    ),
    "overlong-title": (
        1,
        [
            "content/incidents/2026/overlong-title.md:2: title: longer than 300 characters",
        ],
    ),
    "python-object-tag": (
        1,
        [
            "content/incidents/2026/python-object-tag.md:4: commander: unsupported YAML tag !!python/object/apply:os.system",
        ],
    ),
    "raw-control-character": (
        1,
        [
            "content/incidents/2026/raw-control-character.md:2: contains U+0007, which YAML does not allow; remove it",
        ],
    ),
    "related-reference-nul": (
        1,
        [
            "content/incidents/2026/related-reference-nul.md:4: related[0]: contains the control character U+0000; remove it",
        ],
    ),
    "runbook-reference-traversal": (
        1,
        [
            "content/incidents/2026/runbook-reference-traversal.md:4: runbooks[0]: '../../etc/passwd' is not valid (use lowercase letters, digits and '-')",
        ],
    ),
    "service-key-traversal": (
        1,
        [
            "content/incidents/2026/service-key-traversal.md:5: services.../../web: '../../web' is not valid (use lowercase letters, digits and '-')",
        ],
    ),
    "service-key-upper-case": (
        1,
        [
            "content/incidents/2026/service-key-upper-case.md:5: services.Web: 'Web' is not valid (use lowercase letters, digits and '-')",
        ],
    ),
    "set-tag": (
        1,
        [
            "content/incidents/2026/set-tag.md:4: responders: unsupported YAML tag !!set",
        ],
    ),
    "space-separator-accepted": (0, []),
    "support-url-javascript": (
        1,
        [
            "content/site.yaml:7: support_url: 'javascript:alert(1)' is not valid (an http(s) or mailto: URL)",
        ],
    ),
    "tab-after-colon-accepted": (0, []),
    "tab-indentation-in-list": (
        1,
        [
            "content/incidents/2026/tab-indentation-in-list.md:10: YAML syntax error: while scanning a plain scalar, found a tab character that violates indentation (the construct started at line 9); YAML is indented with spaces, and this line has a tab",
        ],
    ),
    "theme-dir-absolute": (
        1,
        [
            "content/site.yaml:8: theme_dir: '/etc' is not valid (a relative path inside the repository, without '..')",
        ],
    ),
    "timezone-traversal": (
        1,
        [
            "content/site.yaml:4: timezone: unknown time zone '../../../etc/passwd' (use an IANA name like Europe/Berlin)",
        ],
    ),
    "unicode-text-accepted": (0, []),
    "site-title-line-break": (
        1,
        ["content/site.yaml:1: title: must be a single line (it contains a line break)"],
    ),
    "title-line-break": (
        1,
        [
            "content/incidents/2026/title-line-break.md:2: title: must be a single line (it contains a line break)"
        ],
    ),
    "title-folded-accepted": (0, []),
    "timezone-is-a-folder": (
        1,
        [
            "content/site.yaml:4: timezone: unknown time zone 'Europe' (use an IANA name like Europe/Berlin)"
        ],
    ),
    "unix-epoch-number": (
        1,
        [
            "content/incidents/2026/unix-epoch-number.md:6: started_at: expected a timestamp like 2026-11-24T02:47:00Z, got a number",
        ],
    ),
    "utf-16-file": (
        1,
        [
            "content/incidents/2026/utf-16-file.md:1: not valid UTF-8 (byte 0xff); save as UTF-8",
        ],
    ),
    "utf-8-bom-accepted": (0, []),
    "utf-8-bom-error-line": (
        1,
        [
            "content/incidents/2026/utf-8-bom-error-line.md:6: started_at: timestamp '2026-11-21T10:00:00' has no UTC offset; add one, e.g. '2026-11-21T10:00:00Z' or '2026-11-21T10:00:00+01:00'",
        ],
    ),
    "utf-8-surrogate-bytes": (
        1,
        [
            "content/incidents/2026/utf-8-surrogate-bytes.md:2: not valid UTF-8 (byte 0xed); save as UTF-8",
        ],
    ),
    "year-9999": (
        1,
        [
            "content/incidents/2026/year-9999.md:7: resolved_at: '9999-12-31T23:59:59-01:00' is out of range: use a year from 1970 to 2100",
        ],
    ),
    # Signatures run in RE2 (linear time): a catastrophic pattern is harmless and accepted...
    "signature-catastrophic-backtracking": (0, []),
    # ...and what RE2 cannot run is refused by `check`, with its line.
    "signature-backreference-and-lookaround": (
        1,
        [
            "content/known-errors/KE-0002-signature-backreference-and-lookaround.md:8: signatures[0]: invalid regular expression for RE2: invalid escape sequence: \\1 (RE2 runs in linear time, so it has no lookaround or backreferences)",
            "content/known-errors/KE-0002-signature-backreference-and-lookaround.md:9: signatures[1]: invalid regular expression for RE2: invalid perl operator: (?= (RE2 runs in linear time, so it has no lookaround or backreferences)",
            "content/known-errors/KE-0002-signature-backreference-and-lookaround.md:10: signatures[2]: invalid regular expression for RE2: invalid perl operator: (?<! (RE2 runs in linear time, so it has no lookaround or backreferences)",
            "content/known-errors/KE-0002-signature-backreference-and-lookaround.md:11: signatures[3]: invalid regular expression for RE2: invalid escape sequence: \\Z (use \\z for the end of the text)",
        ],
    ),
    # Values echoed back in messages show control characters escaped (issue #10, defect 9):
    # no screen clearing, no window title, no forged line of output.
    "terminal-escapes-in-values": (
        1,
        [
            "content/incidents/2026/terminal-escapes-in-values.md:3: severity: 'SEV-\\x1b[2J\\x1b[H' is not one of SEV-1, SEV-2, SEV-3, SEV-4 (did you mean 'SEV-2'?)",
            "content/incidents/2026/terminal-escapes-in-values.md:4: impact\\x1b]0;owned\\x07: unknown key; allowed: title, kind, public, severity, impact, urgency, services, started_at, detected_at, acknowledged_at, mitigated_at, resolved_at, closed_at, scheduled_start, scheduled_end, detection, reporter, commander, responders, escalated, category, known_errors, runbooks, related, affected_users, updates, postmortem, action_items, alert, source",
            "content/incidents/2026/terminal-escapes-in-values.md:6: services.payments-api: 'major_outage\\x9b6n' is not one of operational, degraded_performance, partial_outage, major_outage, under_maintenance (did you mean 'major_outage'?)",
            "content/incidents/2026/terminal-escapes-in-values.md:7: warning: updates: active incident has had no public update since it started for 6 days (last 2026-11-21T09:00:00Z; stale_update_hours: 24); post an update or resolve it",
            "content/incidents/2026/terminal-escapes-in-values.md:10: updates[0].status: 'investigating\\nforged.md:1: all good\\u202e' is not one of investigating, identified, monitoring, resolved, scheduled, in_progress, verifying, completed",
        ],
    ),
    "year-one": (
        1,
        [
            "content/incidents/2026/year-one.md:6: started_at: '0001-01-01T00:00:00+01:00' is out of range: use a year from 1970 to 2100",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_file_case(name: str, tmp_path: Path) -> None:
    make_tree(tmp_path, CORPUS / name)
    code, expected = CASES[name]
    assert check(tmp_path) == (code, expected)


# --- cases built in code ---------------------------------------------------------------------

INCIDENT = base_text(BASE_INCIDENT)


def _outside(content: Path, name: str = "outside.md") -> Path:
    target = content.parent / name
    target.write_text(INCIDENT, encoding="utf-8")
    return target


def link_to_file_outside(content: Path) -> tuple[int, list[str]]:
    os.symlink(_outside(content), content / "incidents/2026/linked.md")
    return 1, ["content/incidents/2026/linked.md: symbolic link points outside the content folder"]


def link_to_file_inside(content: Path) -> tuple[int, list[str]]:
    # Allowed (it stays inside), and read as its own incident.
    os.symlink(content / BASE_INCIDENT, content / "incidents/2026/linked.md")
    return 0, []


def link_to_folder_outside(content: Path) -> tuple[int, list[str]]:
    elsewhere = content.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "stolen.md").write_text(INCIDENT, encoding="utf-8")
    os.symlink(elsewhere, content / "incidents/2027")
    return 1, ["content/incidents/2027: symbolic link points outside the content folder"]


def link_to_folder_inside(content: Path) -> tuple[int, list[str]]:
    os.symlink(content / "incidents/2026", content / "incidents/2027")
    return 1, [
        "content/incidents/2027: symbolic links to folders are not followed; move the folder here"
    ]


def link_loop(content: Path) -> tuple[int, list[str]]:
    a, b = content / "incidents/2026/loop-a.md", content / "incidents/2026/loop-b.md"
    os.symlink(b, a)
    os.symlink(a, b)
    return 1, [
        "content/incidents/2026/loop-a.md: cannot resolve path (symbolic link loop?)",
        "content/incidents/2026/loop-b.md: cannot resolve path (symbolic link loop?)",
    ]


def dangling_link(content: Path) -> tuple[int, list[str]]:
    os.symlink(content / "incidents/2026/gone.md", content / "incidents/2026/dangling.md")
    return 1, ["content/incidents/2026/dangling.md: cannot read file: No such file or directory"]


def incidents_folder_is_a_link_outside(content: Path) -> tuple[int, list[str]]:
    shutil.move(content / "incidents", content.parent / "incidents")
    os.symlink(content.parent / "incidents", content / "incidents")
    return 1, ["content/incidents: symbolic link points outside the content folder"]


def site_settings_link_outside(content: Path) -> tuple[int, list[str]]:
    (content / "site.yaml").rename(content.parent / "site.yaml")
    os.symlink(content.parent / "site.yaml", content / "site.yaml")
    return 1, ["content/site.yaml: symbolic link points outside the content folder"]


def runbook_link_to_system_file(content: Path) -> tuple[int, list[str]]:
    os.symlink("/etc/passwd", content / "runbooks/passwd.md")
    return 1, ["content/runbooks/passwd.md: symbolic link points outside the content folder"]


def fifo_instead_of_file(content: Path) -> tuple[int, list[str]]:
    # Reading a FIFO would block forever.
    os.mkfifo(content / "incidents/2026/pipe.md")
    return 1, ["content/incidents/2026/pipe.md: not a regular file"]


def file_over_default_limit(content: Path) -> tuple[int, list[str]]:
    big = INCIDENT + "x" * (1024 * 1024)
    (content / "incidents/2026/big.md").write_text(big, encoding="utf-8")
    size = len(big.encode())
    return 1, [f"content/incidents/2026/big.md: file is {size} bytes, over the 1048576-byte limit"]


def file_over_site_limit(content: Path) -> tuple[int, list[str]]:
    (content / "site.yaml").write_text(
        base_text("site.yaml") + "max_file_bytes: 1024\n", encoding="utf-8"
    )
    size = len(INCIDENT.encode())
    return 1, [
        f"content/{BASE_INCIDENT}: file is {size} bytes, over the 1024-byte limit",
    ]


def file_name_nfc(content: Path) -> tuple[int, list[str]]:
    name = unicodedata.normalize("NFC", "caf\u00e9")
    (content / f"incidents/2026/{name}.md").write_text(INCIDENT, encoding="utf-8")
    return 1, [
        f"content/incidents/2026/{name}.md: incident file name '{name}' must use only lowercase letters, digits and '-' (it becomes a URL)"
    ]


def file_name_nfd(content: Path) -> tuple[int, list[str]]:
    # The same name decomposed (as macOS writes it) gets the same answer: no id depends on
    # the normalisation form, because no id may contain anything but [a-z0-9-].
    name = unicodedata.normalize("NFD", "caf\u00e9")
    (content / f"incidents/2026/{name}.md").write_text(INCIDENT, encoding="utf-8")
    return 1, [
        f"content/incidents/2026/{name}.md: incident file name '{name}' must use only lowercase letters, digits and '-' (it becomes a URL)"
    ]


def _reserved(stem: str) -> Callable[[Path], tuple[int, list[str]]]:
    # Built here, not stored: a Windows checkout of this repository could not hold the file.
    def case(content: Path) -> tuple[int, list[str]]:
        (content / f"incidents/2026/{stem}.md").write_text(INCIDENT, encoding="utf-8")
        return 1, [
            f"content/incidents/2026/{stem}.md: incident file name '{stem}' cannot be used as a URL"
        ]

    case.__name__ = f"file_name_reserved_{stem}"
    return case


def case_collision_runbooks(content: Path) -> tuple[int, list[str]]:
    # Two names that differ only in case are one file on macOS and Windows.
    text = base_text("runbooks/postgres-connection-pool.md")
    (content / "runbooks/Postgres-Connection-Pool.md").write_text(text, encoding="utf-8")
    return 1, [
        "content/runbooks/Postgres-Connection-Pool.md: runbook file name 'Postgres-Connection-Pool' must use only lowercase letters, digits and '-' (it becomes a URL)"
    ]


def missing_site_settings(content: Path) -> tuple[int, list[str]]:
    (content / "site.yaml").unlink()
    return 1, ["content/site.yaml: missing site settings file"]


def empty_site_settings(content: Path) -> tuple[int, list[str]]:
    (content / "site.yaml").write_text("# nothing here yet\n", encoding="utf-8")
    return 1, [
        "content/site.yaml:1: base_url: is required",
        "content/site.yaml:1: title: is required",
    ]


def file_name_trailing_space(content: Path) -> tuple[int, list[str]]:
    # Built here: a Windows checkout could not hold the name.
    (content / "incidents/2026/2026-11-21-outage.md ").write_text(INCIDENT, encoding="utf-8")
    return 1, [
        "content/incidents/2026/2026-11-21-outage.md : not read: the name starts or ends with a space (rename it '2026-11-21-outage.md')"
    ]


def known_errors_folder_is_a_file(content: Path) -> tuple[int, list[str]]:
    shutil.rmtree(content / "known-errors")
    (content / "known-errors").write_text("KE-0001\n", encoding="utf-8")
    return 1, [
        f"content/{BASE_INCIDENT}:17: known_errors[0]: unknown known error 'KE-0001'",
        "content/known-errors: must be a folder",
        "content/runbooks/postgres-connection-pool.md:8: known_errors[0]: unknown known error 'KE-0001'",
    ]


def unreadable_file(content: Path) -> tuple[int, list[str]]:
    path = content / "incidents/2026/secret.md"
    path.write_text(INCIDENT, encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: nothing to test here
        path.chmod(0o644)
        return 0, []
    return 1, ["content/incidents/2026/secret.md: cannot read file: Permission denied"]


def _with_logo(content: Path, rel: str) -> None:
    (content / "site.yaml").write_text(base_text("site.yaml") + f"logo: {rel}\n", encoding="utf-8")


LOGO = b"\x89PNG\r\n\x1a\n" + bytes(64)


def logo_link_outside(content: Path) -> tuple[int, list[str]]:
    (content.parent / "logo.png").write_bytes(LOGO)
    os.symlink(content.parent / "logo.png", content / "logo.png")
    _with_logo(content, "logo.png")
    return 1, [
        "content/site.yaml:8: logo: 'logo.png' leads outside the content folder (symbolic link)"
    ]


def logo_in_a_linked_folder_outside(content: Path) -> tuple[int, list[str]]:
    (content.parent / "brand").mkdir()
    (content.parent / "brand/logo.png").write_bytes(LOGO)
    os.symlink(content.parent / "brand", content / "brand")
    _with_logo(content, "brand/logo.png")
    return 1, [
        "content/site.yaml:8: logo: 'brand/logo.png' leads outside the content folder (symbolic link)"
    ]


def logo_link_inside(content: Path) -> tuple[int, list[str]]:
    (content / "brand.png").write_bytes(LOGO)
    os.symlink(content / "brand.png", content / "logo.png")
    _with_logo(content, "logo.png")
    return 0, []


def logo_of_30_megabytes(content: Path) -> tuple[int, list[str]]:
    with (content / "logo.png").open("wb") as handle:
        handle.write(LOGO)
        handle.truncate(30 * 1024 * 1024)  # sparse: costs no disk
    _with_logo(content, "logo.png")
    return 1, [
        "content/site.yaml:8: logo: 'logo.png' is 31457280 bytes, over the 1048576-byte logo limit"
    ]


def logo_is_a_fifo(content: Path) -> tuple[int, list[str]]:
    os.mkfifo(content / "logo.png")
    _with_logo(content, "logo.png")
    return 1, ["content/site.yaml:8: logo: 'logo.png' is not a regular file"]


def logo_is_a_folder(content: Path) -> tuple[int, list[str]]:
    _with_logo(content, "incidents")
    return 1, ["content/site.yaml:8: logo: 'incidents' is not a regular file"]


BUILT: dict[str, Callable[[Path], tuple[int, list[str]]]] = {
    f.__name__.replace("_", "-"): f
    for f in (
        link_to_file_outside,
        link_to_file_inside,
        link_to_folder_outside,
        link_to_folder_inside,
        link_loop,
        dangling_link,
        incidents_folder_is_a_link_outside,
        site_settings_link_outside,
        runbook_link_to_system_file,
        fifo_instead_of_file,
        file_over_default_limit,
        file_over_site_limit,
        file_name_nfc,
        file_name_nfd,
        *(_reserved(stem) for stem in ("con", "nul", "aux", "prn", "com1", "lpt9")),
        case_collision_runbooks,
        missing_site_settings,
        empty_site_settings,
        unreadable_file,
        file_name_trailing_space,
        known_errors_folder_is_a_file,
        logo_link_outside,
        logo_in_a_linked_folder_outside,
        logo_link_inside,
        logo_of_30_megabytes,
        logo_is_a_fifo,
        logo_is_a_folder,
    )
}


@pytest.mark.parametrize("name", sorted(BUILT))
def test_built_case(name: str, tmp_path: Path) -> None:
    content = make_tree(tmp_path)
    code, expected = BUILT[name](content)
    assert check(tmp_path) == (code, expected)


def test_corpus_size() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(CASES)
    assert not folders & set(BUILT)
    assert len(CASES) + len(BUILT) >= 60


# --- accepted cases are read correctly -------------------------------------------------------


def _read(tmp_path: Path, name: str) -> dict[str, Incident]:
    make_tree(tmp_path, CORPUS / name)
    result = load_world(tmp_path / "content", NOW)
    assert result.errors == []
    return dict(result.world.content.incidents)


def _summary(incident: Incident) -> tuple[object, ...]:
    keys = incident.source.keys
    return (
        incident.title,
        incident.started_at,
        incident.resolved_at,
        incident.services,
        [(u.at, u.status, u.message, u.line) for u in incident.updates],
        incident.body,
        dict(keys.lines),
        incident.source.body_line,
    )


@pytest.mark.parametrize(
    "name", ["utf-8-bom-accepted", "crlf-accepted", "tab-after-colon-accepted"]
)
def test_accepted_encodings_read_the_same_as_plain_files(name: str, tmp_path: Path) -> None:
    """A BOM, CRLF endings or a tab after a colon change nothing: values, body and lines."""
    odd = _read(tmp_path / "odd", name)[name]
    raw = (CORPUS / name / f"incidents/2026/{name}.md").read_bytes()
    plain_text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace(":\t", ": ")
    plain_root = tmp_path / "plain"
    make_tree(plain_root, files={f"incidents/2026/{name}.md": plain_text})
    plain = load_world(plain_root / "content", NOW).world.content.incidents[name]
    assert _summary(odd) == _summary(plain)
    assert odd.title == "Checkout errors"
    assert [u.message for u in odd.updates] == [
        "We are looking into checkout errors.",
        "Checkout works again.",
    ]
    assert odd.body.strip() == "Checkout returned errors for an hour."


def test_crlf_and_bom_keep_line_numbers(tmp_path: Path) -> None:
    # Same mistake, same line (6), whatever the line endings or a BOM.
    for name in ("crlf-error-line", "cr-only-error-line", "utf-8-bom-error-line"):
        assert CASES[name][1][0].split(":")[1] == "6"


def test_a_folded_title_loses_only_its_final_newline(tmp_path: Path) -> None:
    incident = _read(tmp_path, "title-folded-accepted")["title-folded-accepted"]
    assert incident.title == "Checkout errors"


def test_unicode_text_is_kept_exactly(tmp_path: Path) -> None:
    incident = _read(tmp_path, "unicode-text-accepted")["unicode-text-accepted"]
    assert incident.title == "Zahlungen gestört — 決済エラー 💳"


def test_brackets_in_text_are_text(tmp_path: Path) -> None:
    incident = _read(tmp_path, "brackets-in-quoted-text")["brackets-in-quoted-text"]
    assert incident.updates[0].message.startswith("[" * 100)


def test_accepted_timestamps_are_exact_instants(tmp_path: Path) -> None:
    utc = dt.UTC
    dst = _read(tmp_path / "a", "dst-offsets-accepted")["dst-offsets-accepted"]
    # 02:30 CEST (+02:00) to 02:10 CET (+01:00) on the night clocks go back: 40 minutes.
    assert dst.started_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=utc)
    assert dst.resolved_at == dt.datetime(2026, 10, 25, 1, 10, tzinfo=utc)
    leap = _read(tmp_path / "b", "leap-day-accepted")["leap-day-accepted"]
    assert leap.started_at == dt.datetime(2024, 2, 29, 23, 30, tzinfo=utc)
    assert leap.resolved_at == dt.datetime(2024, 3, 1, 0, 30, tzinfo=utc)
    for name, expected in [
        ("lower-case-t-and-z-accepted", dt.datetime(2026, 11, 21, 10, tzinfo=utc)),
        ("space-separator-accepted", dt.datetime(2026, 11, 21, 10, tzinfo=utc)),
        ("fractional-seconds-accepted", dt.datetime(2026, 11, 21, 10, 0, 0, 123456, tzinfo=utc)),
    ]:
        incident = _read(tmp_path / name, name)[name]
        assert incident.started_at == expected
        assert incident.started_at.utcoffset() == dt.timedelta(0)


def test_ignored_files_are_not_read(tmp_path: Path) -> None:
    incidents = _read(tmp_path, "hidden-and-underscore-files-ignored")
    assert set(incidents) == {"2026-11-20-card-payments-failing", "2026-12-02-database-upgrade"}


# --- output paths: the writer only ever writes inside the output folder ----------------------


@pytest.mark.parametrize(
    "rel",
    [
        "",
        "/etc/passwd",
        "../outside.html",
        "a/../../outside.html",
        "a/./b.html",
        "./index.html",
        "..",
        ".",
        "a\\..\\b.html",
        "index.html\x00.png",
        "a//b.html",
    ],
)
def test_safe_relpath_refuses_escapes(rel: str) -> None:
    if rel == "a//b.html":  # an empty step is harmless: normalised, stays inside
        assert safe_relpath(rel) == "a/b.html"
        return
    with pytest.raises(BuildError, match="refusing to write"):
        safe_relpath(rel)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("index.html", "index.html", "two pages want the same output path 'index.html'"),
        ("Feed.xml", "feed.xml", "output paths 'Feed.xml' and 'feed.xml' differ only in case"),
        ("a/b.html", "A/c.html", "output folders 'a' and 'A' differ only in case"),
        ("a", "a/b.html", "output path 'a/b.html' needs 'a', which is a page"),
        ("a/b.html", "a", "output path 'a' is also a folder of other pages"),
    ],
)
@pytest.mark.parametrize("kept", [False, True], ids=["fresh", "kept-checks"])
def test_writer_refuses_collisions(
    first: str, second: str, message: str, kept: bool, tmp_path: Path
) -> None:
    paths: dict[str, Claim] | None = {} if kept else None
    if paths is not None:
        # serve: earlier builds worked out both paths' checks already (each alone)
        for rel in (first, second):
            earlier = SiteWriter(tmp_path / "site")
            earlier.paths = paths
            earlier.add(rel, "x")
        assert set(paths) == {first, second}
    writer = SiteWriter(tmp_path / "site")
    writer.paths = paths
    writer.add(first, "one")
    with pytest.raises(BuildError) as error:
        writer.add(second, "two")
    assert str(error.value.message) == message


def test_writer_writes_only_inside_its_folder(tmp_path: Path) -> None:
    dest = tmp_path / "out" / "public"
    writer = SiteWriter(dest)
    for rel in ("index.html", "incidents/x/index.html", "api/v2/summary.json", "a//b.txt"):
        writer.add(rel, rel)
    writer.commit()
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert everything == [
        "out",
        "out/public",
        "out/public/.statuspress-site",  # the marker that lets the next build replace it
        "out/public/a",
        "out/public/a/b.txt",
        "out/public/api",
        "out/public/api/v2",
        "out/public/api/v2/summary.json",
        "out/public/incidents",
        "out/public/incidents/x",
        "out/public/incidents/x/index.html",
        "out/public/index.html",
    ]


def test_writer_does_not_copy_links_out_of_a_tree(tmp_path: Path) -> None:
    tree = tmp_path / "built"
    tree.mkdir()
    (tree / "page.html").write_text("ok", encoding="utf-8")
    os.symlink("/etc/passwd", tree / "passwd.html")
    writer = SiteWriter(tmp_path / "site")
    writer.add_tree("", tree)
    with pytest.raises(BuildError, match="refusing to copy symbolic link"):
        writer.commit()
    assert not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["built"]  # no staging folder left


def test_writer_will_not_replace_a_link_or_file(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "site")
    writer = SiteWriter(tmp_path / "site")
    writer.add("index.html", "new")
    with pytest.raises(BuildError, match="exists and is not a directory"):
        writer.commit()
    assert list((tmp_path / "elsewhere").iterdir()) == []
