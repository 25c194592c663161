"""The build's "now": injectable so output is reproducible and tests never read the wall clock."""

from __future__ import annotations

import datetime as dt
import os

from .errors import UsageError
from .schema import MAX_YEAR, MIN_YEAR


def parse_now(text: str, option: str = "--now") -> dt.datetime:
    """Parse ``--now`` (or ``option``): an ISO 8601 timestamp with an offset, or ``@EPOCH``."""
    text = text.strip()
    try:
        if text.startswith("@"):
            value = dt.datetime.fromtimestamp(int(text[1:]), dt.UTC)
        else:
            value = dt.datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"{option} '{text}' is not a timestamp like 2026-11-24T02:47:00Z or @1764000000"
        ) from None
    if value.tzinfo is None:
        raise UsageError(f"{option} '{text}' has no UTC offset; add one, e.g. '{text}Z'")
    return _in_range(value, f"{option} '{text}'").astimezone(dt.UTC)


def _in_range(value: dt.datetime, what: str) -> dt.datetime:
    # The same years content may use: beyond them date arithmetic (and the display zone) fails.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise UsageError(f"{what} is out of range: use a year from {MIN_YEAR} to {MAX_YEAR}")
    return value


def resolve_now(option: str | None) -> dt.datetime:
    """``--now`` first, then ``SOURCE_DATE_EPOCH`` (reproducible builds), then the clock."""
    if option:
        return parse_now(option)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            value = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH '{epoch}' is not a whole number of seconds"
            ) from None
        return _in_range(value, f"SOURCE_DATE_EPOCH '{epoch}'")
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
