"""The import emitter: any source text reads back exactly, and renders as the same text."""

from __future__ import annotations

import datetime as dt

from check_support import property_settings
from hypothesis import given
from hypothesis import strategies as st
from statuspress.importers.emit import Enum, yaml_document
from statuspress.importers.text import clean, markdown_literal
from statuspress.markdown import plain
from statuspress.yaml import load

# Source bodies: anything, including markup, entities, CRLF, control and odd Unicode characters.
_PIECES = st.one_of(
    st.characters(),
    st.sampled_from(list("*_`[]<>#&|~-+=!\\\r\n\t ") + ["&amp;", "&#39;", "<b>", "1. "]),
)
_TEXT = st.lists(_PIECES, min_size=1, max_size=40).map("".join)


@property_settings(ci_examples=200, long_examples=5000)
@given(
    _TEXT,
    st.datetimes(
        min_value=dt.datetime(1971, 1, 1),  # noqa: DTZ001 (hypothesis wants naive bounds)
        max_value=dt.datetime(2099, 12, 31),  # noqa: DTZ001
        timezones=st.timezones(),
        allow_imaginary=False,
    ),
)
def test_any_text_and_time_read_back_equal(text: str, moment: dt.datetime) -> None:
    text = clean(text)
    update = {"at": moment, "status": Enum("resolved"), "message": markdown_literal(text) or "x"}
    doc = {"title": text or "x", "updates": [update]}
    value, problems = load(yaml_document(doc, "a header"))
    assert problems == []
    assert value["title"] == (text or "x")
    update = value["updates"][0]
    assert update["message"] == (markdown_literal(text) or "x")
    assert update["status"] == "resolved"
    written = dt.datetime.fromisoformat(str(update["at"]).replace("Z", "+00:00"))
    assert written.astimezone(dt.UTC) == moment.astimezone(dt.UTC)  # the same instant


@property_settings(ci_examples=200, long_examples=5000)
@given(_TEXT)
def test_escaped_text_renders_as_the_same_words(text: str) -> None:
    text = clean(text)
    if not text:
        return
    # Markdown turns line breaks into spaces and drops blanks; the characters are the same.
    assert plain(markdown_literal(text)).split() == text.split()
