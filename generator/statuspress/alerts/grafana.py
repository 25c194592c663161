"""Grafana alerting's webhook contact point (unified alerting, Grafana 8 and later).

Its body is Alertmanager's (Grafana runs an embedded Alertmanager) plus ``orgId``, the
deprecated ``title``/``state``/``message`` and, per alert, ``silenceURL``, ``dashboardURL``,
``panelURL``, ``imageURL`` and ``values``/``valueString``; ``version`` is ``"1"``.

Grafana before 8 (legacy dashboard alerting) sent one rule's state instead: ``ruleId``,
``ruleName``, ``state`` (``alerting``, ``ok``, ``no_data``, ``paused``, ``pending``),
``title``, ``message``, ``ruleUrl``, ``evalMatches`` and ``tags``; it is read too, keyed by
the rule.
"""

from __future__ import annotations

from typing import Any

from .alertmanager import _looks_like, grafana_markers, parse_group
from .base import FIRING, OTHER, RESOLVED, Alert, Fields, is_url

LEGACY_STATUS = {"alerting": FIRING, "no_data": FIRING, "ok": RESOLVED}


def _legacy(payload: Any) -> bool:
    return isinstance(payload, dict) and "ruleId" in payload and "state" in payload


class Grafana:
    name = "grafana"
    expects = (
        "a Grafana alerting webhook: an object with orgId, status, groupKey and an alerts list "
        "of {labels, annotations, startsAt, fingerprint, silenceURL, ...}"
    )

    def detect(self, payload: Any) -> int:
        if _legacy(payload):
            return 15
        if not _looks_like(payload):
            return 0
        return 20 if grafana_markers(payload) else 0

    def parse(self, payload: Any) -> Alert:
        if _legacy(payload) and not _looks_like(payload):
            return self._parse_legacy(payload)
        return parse_group(payload, self.name, "Grafana")

    def _parse_legacy(self, payload: Any) -> Alert:
        top = Fields(payload, "", "Grafana")
        state = top.text("state")
        name = top.text("ruleName") or top.text("title")
        alert = Alert(
            source=self.name,
            key=f"rule:{top.text('orgId') or '0'}/{top.text('ruleId', required=True)}",
            status=LEGACY_STATUS.get(state, OTHER),
            title=name or "Grafana alert",
            summary=top.text("message"),
            event=state,
            labels={"alertname": name, **top.string_map("tags")} if name else {},
        )
        for index, match in enumerate(top.objects("evalMatches")[:20]):
            alert.annotations[f"match {index + 1}"] = (
                f"{match.text('metric')} = {match.text('value')}"
            )
        for field in ("ruleUrl", "imageUrl"):
            url = top.text(field)
            if is_url(url):
                alert.links.append((field, url))
        return alert
