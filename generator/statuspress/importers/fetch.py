"""Fetching source documents over HTTP(S): timeouts, a size limit, no silent downgrade.

Plain ``http://`` is refused unless the host is this machine (127.0.0.0/8, ::1, localhost:
tests and local mirrors) or the user passed ``--allow-http``; a redirect may not leave HTTPS
either. Every failure is one line naming the URL.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from .. import __version__

MAX_BYTES = 64 * 1024 * 1024
"""A status page's JSON is a few megabytes at most; more is not a status page."""


class FetchError(Exception):
    """One document could not be fetched or parsed; the message names the URL."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, allow_http: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and (allow_http or is_loopback(parts.hostname or "")):
        return
    if parts.scheme == "http":
        raise FetchError(
            f"{url}: refusing plain http (use https, or --allow-http for a page that has none)"
        )
    raise FetchError(f"{url}: only http(s) URLs can be fetched")


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_http: bool) -> None:
        self.allow_http = allow_http

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            check_url(newurl, self.allow_http)
        except FetchError as exc:
            raise FetchError(f"{req.full_url}: redirected to {exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_json(url: str, *, timeout: float, allow_http: bool) -> tuple[Any, int]:
    """GET ``url`` and parse it as JSON; returns the value and the size in bytes."""
    check_url(url, allow_http)
    opener = urllib.request.build_opener(_Redirects(allow_http))
    request = urllib.request.Request(
        url,
        headers={"User-Agent": f"statuspress-import/{__version__}", "Accept": "application/json"},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            raise FetchError(f"{url}: no answer within {timeout:g} s") from None
        raise FetchError(f"{url}: {reason}") from None
    except TimeoutError:
        raise FetchError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise FetchError(f"{url}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise FetchError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MiB; not a status page")
    try:
        return json.loads(data.decode("utf-8-sig")), len(data)
    except UnicodeDecodeError:
        raise FetchError(f"{url}: the answer is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise FetchError(f"{url}: not JSON ({where}: {exc.msg})") from None
