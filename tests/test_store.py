"""The store gives back exactly what it was given, and nothing of another shape."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen.errors import ContentError
from newsgen.sources.content import Source
from newsgen.sources.stored import source_from_json, source_to_json
from newsgen.state.store import StoreDamaged

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
text = st.text(max_size=12)
moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda moment: moment.replace(tzinfo=ZONE)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
warnings = st.builds(
    ContentError, text, path=text, line=st.none() | st.integers(1, 999), hint=text, code=text
)
sources = st.builds(
    Source,
    path=text,
    title=text,
    date=moments,
    summary=text,
    lead=text,
    updated=st.none() | moments,
    provinces=st.lists(text, max_size=3).map(tuple),
    themes=st.lists(text, max_size=3).map(tuple),
    author=text,
    image=text,
    image_alt=text,
    image_caption=text,
    image_focus=st.tuples(st.integers(0, 100), st.integers(0, 100)),
    slug=text,
    draft=st.booleans(),
    featured=st.booleans(),
    pinned_until=st.none() | moments,
    extra=st.dictionaries(text, json_values, max_size=4),
    lines=st.dictionaries(text, st.integers(1, 10_000), max_size=4),
    links=st.lists(st.tuples(text, st.integers(1, 10_000)), max_size=3).map(tuple),
    images_without_alt=st.lists(st.integers(1, 10_000), max_size=3).map(tuple),
    warnings=st.lists(warnings, max_size=2).map(tuple),
    digest=text,
    meta=text,
)


def plain(source: Source) -> dict[str, Any]:
    """A Source's fields, its warnings as text (errors compare by identity)."""
    values = {field.name: getattr(source, field.name) for field in fields(Source)}
    values["warnings"] = [(str(w), w.code, w.path, w.line) for w in source.warnings]
    return values


@given(sources)
def test_a_source_comes_back_as_it_was_stored(source: Source) -> None:
    data = source_to_json(source, ZONE)
    assert data is not None
    again = source_from_json(data, ZONE)
    assert plain(again) == plain(source)
    assert again.date.tzinfo is ZONE and again.date.fold == source.date.fold


@pytest.mark.parametrize(
    "extra",
    [{"x": float("inf")}, {"x": {1: "a"}}, {"x": (1, 2)}, {"x": datetime(2023, 1, 1)}],
)
def test_a_source_that_json_cannot_give_back_is_not_stored(extra: dict[str, Any]) -> None:
    source = Source(path="content/a.md", title="A", date=datetime(2023, 1, 1, tzinfo=ZONE), summary="")
    assert source_to_json(source, ZONE) is not None
    assert source_to_json(replace(source, extra=extra), ZONE) is None


@given(sources, st.integers(0, len(fields(Source)) - 1), json_values)
def test_a_value_of_another_shape_is_refused(source: Source, index: int, value: Any) -> None:
    data = json.loads(source_to_json(source, ZONE) or "")
    data[index] = value
    try:
        again = source_from_json(json.dumps(data), ZONE)
    except StoreDamaged:
        return
    name = fields(Source)[index].name  # taken: it must be a value of that field's type
    kinds = {type(None), datetime} if name == "updated" else {type(getattr(source, name))}
    assert type(getattr(again, name)) in kinds
