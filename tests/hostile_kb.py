"""The demo content with script-injection attempts in every title and name the internal site shows.

Issue #10 defect 2: titles of incidents, known errors, runbooks, services, groups, action-item
owners and the site title reached mkdocs-material's header, page titles and ``aria-label``
attributes raw (aliases too: material prints them in search results). :func:`write_hostile_demo`
copies the demo content and puts the two payloads of the report (an element with an event
handler, and a quote that leaves an attribute) into each of those fields, so tests can build it
and look at the result in HTML and in Chromium.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELEMENT = "Pay <img src=x onerror=alert(1)>"
ATTRIBUTE = 'X" onmouseover="alert(1)'
BOTH = f"{ELEMENT} {ATTRIBUTE}"

# (file under content/, the line as written, the field's new value)
PAYMENTS = "incidents/2026/2026-11-24-payment-processing-outage.md"
EDITS = (
    ("site.yaml", "title: Acme Shop Status", BOTH),
    (PAYMENTS, "title: Card payments and checkout failing", ELEMENT),
    ("incidents/2026/2026-06-09-orders-failing-database-disk-full.md",
     "title: Orders cannot be placed", ATTRIBUTE),
    (PAYMENTS, "    owner: Lea Fischer", ELEMENT),  # open action items: pages per owner
    (PAYMENTS, "    owner: Tom Becker", ATTRIBUTE),
    ("known-errors/KE-0007-connection-pool-exhaustion.md", "owner: team-payments", ATTRIBUTE),
    ("runbooks/postgres-connection-pool.md", "owner: team-dba", ELEMENT),
    ("services.yaml", "    name: Card Payments", ELEMENT),
    ("services.yaml", "    name: Checkout", ATTRIBUTE),
    ("services.yaml", "    owner: team-payments", BOTH),
    ("services.yaml", "  - {id: payments, name: Checkout & Payments}", BOTH),
)  # fmt: skip
TITLED = (
    ("known-errors/KE-0007-connection-pool-exhaustion.md", ELEMENT),
    ("known-errors/KE-0001-redis-session-store-oom.md", ATTRIBUTE),
    ("runbooks/postgres-connection-pool.md", ELEMENT),
    ("runbooks/redis-memory-pressure.md", ATTRIBUTE),
)


def _replace_line(path: Path, line: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    if line.startswith("  - {"):  # a flow mapping: replace its name only
        new = line.split("name: ")[0] + f"name: {_scalar(value)}}}"
    else:
        key, _, _ = line.partition(": ")
        new = f"{key}: {_scalar(value)}"
    pattern = re.compile("^" + re.escape(line) + "$", re.M)
    assert pattern.search(text), (path, line)
    path.write_text(pattern.sub(lambda _: new, text, count=1), encoding="utf-8")


def _scalar(value: str) -> str:
    """``value`` as a single-quoted YAML scalar."""
    return "'" + value.replace("'", "''") + "'"


def write_hostile_demo(dest: Path) -> Path:
    """Copy the demo content into ``dest/content`` with the payloads in place; return it."""
    content = dest / "content"
    shutil.copytree(ROOT / "content", content)
    for rel, line, value in EDITS:
        _replace_line(content / rel, line, value)
    for rel, value in TITLED:
        path = content / rel
        first = next(
            x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("title: ")
        )
        _replace_line(path, first, value)
    # Aliases become material's page tags, which its search results print as HTML.
    for rel in ("known-errors/KE-0007-connection-pool-exhaustion.md",):
        path = content / rel
        text = path.read_text(encoding="utf-8")
        aliases = f"aliases: [{_scalar(BOTH)}]\n"
        path.write_text(text.replace("\nservices:", "\n" + aliases + "services:", 1), "utf-8")
    return content
