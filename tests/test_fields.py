"""One declaration per field: definitions, models and readers agree for every file kind.

The readers copy every field of a definition onto the model attribute of the same name
(readers.plain_fields), except the few they build by hand (readers.BUILT_BY_HAND). So a field
added to definitions.py reaches the model by itself, or this test names the model attribute
that is missing; a field dropped from definitions cannot linger in the hand-built list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from statuspress import definitions as d
from statuspress import models
from statuspress.loader import load
from statuspress.readers import BUILT_BY_HAND, plain_fields
from statuspress.schema import List, Obj, check_document

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
ROOT = Path(__file__).parent.parent


def _service_entry() -> Obj:
    services = d.SERVICES.fields["services"].type
    assert isinstance(services, List) and isinstance(services.item, Obj)
    return services.item


KINDS = {
    "site": (d.SITE, models.Site),
    "service": (_service_entry(), models.Service),
    "incident": (d.INCIDENT, models.Incident),
    "known-error": (d.KNOWN_ERROR, models.KnownError),
    "runbook": (d.RUNBOOK, models.Runbook),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_has_its_model_attribute(kind: str) -> None:
    definition, model = KINDS[kind]
    attributes = {f.name for f in dataclasses.fields(model)}
    missing = [k for k in plain_fields(definition, kind) if k not in attributes]
    assert missing == [], f"{model.__name__} lacks attributes for {missing}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_fields_built_by_hand_exist(kind: str) -> None:
    definition, _ = KINDS[kind]
    assert sorted(BUILT_BY_HAND[kind] - definition.fields.keys()) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_optional_plain_fields_default_like_the_schema_absence(kind: str) -> None:
    """A field left out of a file gets the model's default, never a required-argument error."""
    definition, model = KINDS[kind]
    defaults = {
        f.name
        for f in dataclasses.fields(model)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    }
    optional = [k for k in plain_fields(definition, kind) if not definition.fields[k].required]
    assert [k for k in optional if k not in defaults] == []


def _no_report(path: str, line: int, field: str, message: str) -> None:
    raise AssertionError(f"the demo has an error: {path}:{line}: {field}: {message}")


def test_the_demo_models_carry_what_the_files_say() -> None:
    """Every plain field written in a demo file is on its model with the checked value."""
    content = load(ROOT / "content", NOW).content
    seen: set[tuple[str, str]] = set()
    for kind, docs in (
        ("incident", content.incidents.values()),
        ("known-error", content.known_errors.values()),
        ("runbook", content.runbooks.values()),
    ):
        definition, _ = KINDS[kind]
        for doc in docs:
            for key in plain_fields(definition, kind):
                raw = doc.source.keys
                if raw.get(key) is not None:
                    data = check_document(definition, raw, doc.source.path, 1, _no_report)
                    assert getattr(doc, key) == data[key], (doc.source.path, key)
                    seen.add((kind, key))
    # The demo exercises most fields, so this test really looks at them.
    assert len(seen) >= 30
