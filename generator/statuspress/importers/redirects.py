"""Redirects from an old status page's incident URLs to the imported incidents.

The ``_redirects`` format (one ``FROM TO STATUS`` line) is read by Netlify and Cloudflare
Pages; docs/migrating.md shows the same map for nginx and for hosts without redirects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import quote


def redirect_lines(redirects: Mapping[str, str], base_path: str = "/") -> Iterator[str]:
    """``/incidents/abc123 /incidents/2026-01-02-db-down/ 301`` per old path, sorted."""
    prefix = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    for old, new in sorted(redirects.items()):
        target = f"{prefix}incidents/{quote(new)}/"
        yield f"{quote(old, safe='/')} {target} 301\n"
