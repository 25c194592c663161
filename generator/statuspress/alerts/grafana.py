"""Grafana alerting's webhook contact point (unified alerting, Grafana 8 and later).

Its body is Alertmanager's (Grafana runs an embedded Alertmanager) plus ``orgId``, the
deprecated ``title``/``state``/``message`` and, per alert, ``silenceURL``, ``dashboardURL``,
``panelURL``, ``imageURL`` and ``values``/``valueString``; ``version`` is ``"1"``.
"""

from __future__ import annotations

from typing import Any

from .alertmanager import _looks_like, grafana_markers, parse_group
from .base import Alert


class Grafana:
    name = "grafana"
    expects = (
        "a Grafana alerting webhook: an object with orgId, status, groupKey and an alerts list "
        "of {labels, annotations, startsAt, fingerprint, silenceURL, ...}"
    )

    def detect(self, payload: Any) -> int:
        if not _looks_like(payload):
            return 0
        return 20 if grafana_markers(payload) else 0

    def parse(self, payload: Any) -> Alert:
        return parse_group(payload, self.name, "Grafana")
