"""How a span of minutes is written for people, on both sites and in reports: one rule."""

from __future__ import annotations


def format_minutes(minutes: float | None) -> str:
    """``45 min``, ``2 h 5 min``, ``3 d 4 h``; ``n/a`` when there is no value."""
    if minutes is None:
        return "n/a"
    total = max(int(round(minutes)), 0)
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"
