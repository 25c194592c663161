"""Two example outputs: a plain-text status summary, and one that fails on request."""

from __future__ import annotations

import os
from typing import Any


class StatusText:
    """Writes ``status.txt``: one line per public service, then one per public incident."""

    def render(self, site: Any, files: Any) -> None:
        lines = [f"service\t{s.name}\t{s.status}" for s in site.services]
        lines += [f"{i.kind}\t{i.title}\t{i.status}" for i in site.incidents]
        files.add("status.txt", "\n".join(lines) + "\n")


def broken(site: Any, files: Any) -> None:
    """A plain function output; raises when the test asks it to."""
    if os.environ.get("STATUSPRESS_EXAMPLE_FAIL"):
        raise RuntimeError("the example plugin was told to fail")
    if os.environ.get("STATUSPRESS_EXAMPLE_ESCAPE"):
        files.add("../outside.txt", "should never be written")
