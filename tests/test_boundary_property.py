"""Property: for any organisation, nothing internal ever reaches a file of the public site.

Hypothesis draws organisations of every shape (see ``org_support``): public and internal
services and groups, public, private, gameday and maintenance incidents, postmortems in every
status, known errors, runbooks and cross-references. Every internal text field holds its own
canary (``zqx<n>``); so do internal ids (internal service ids, private incident and runbook
file names, known-error slugs) and the internal URL. The public site is built for real
(``build(..., internal=False)``) and every byte of every file under ``public/`` (pages, feeds,
JSON API, calendar, badges: whatever exists) is searched for every canary.

So that the test can fail, public fields hold their own canaries (``pubok<n>``), and each must
be found in the public output: a build that wrote nothing would not pass.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from check_support import property_settings
from hypothesis import given
from org_support import NOW, OrgShape, Texts, org_shapes, write_org
from statuspress.build import build


def canaries() -> Texts:
    counter = itertools.count(1)
    return Texts(
        public=lambda what: f"pubok{next(counter)}x",
        internal=lambda what: f"zqx{next(counter)}x",
        internal_id=lambda what: f"zqx{next(counter)}x",
    )


@property_settings(ci_examples=25, long_examples=500)
@given(shape=org_shapes())
def test_no_internal_canary_reaches_the_public_site(shape: OrgShape) -> None:
    texts = canaries()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = write_org(root, shape, texts)
        build(content, root / "site", NOW, internal=False)
        public = root / "site" / "public"
        files = {
            p.relative_to(public).as_posix(): p.read_bytes().lower()
            for p in sorted(public.rglob("*"))
            if p.is_file()
        }
    assert "index.html" in files
    everything = b"\n".join(files.values())
    for canary in texts.internal_values:
        needle = canary.lower().encode()
        leaked = [name for name, data in files.items() if needle in data]
        assert not leaked, f"internal {canary!r} found in {leaked}"
    # The public side is really there: each public value is somewhere public, and the
    # front page or the JSON API names the services.
    for value in texts.public_values:
        assert value.lower().encode() in everything, f"public {value!r} is missing"
    front = files["index.html"] + files.get("api/v2/summary.json", b"")
    assert b"pubok" in front
