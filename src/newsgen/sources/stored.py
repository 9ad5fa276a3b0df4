"""`Source`s as plain JSON for the store, and back, every value's shape checked on the way in.

Dates are kept as the wall-clock time in the site's zone (with its fold), so that a Source read
back is equal to the one parsed, zone object included. A Source whose extra front-matter values
JSON cannot give back exactly (a mapping with number keys, an infinite number) is not stored:
its file is parsed again on each build.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import ContentError
from ..state.store import StoreDamaged, check
from .content import Source


def source_to_json(source: Source, zone: ZoneInfo) -> str | None:
    """The Source as JSON, or None if it cannot be given back exactly."""
    if not _plain(source.extra) or any(
        moment is not None and moment.tzinfo is not zone
        for moment in (source.date, source.updated, source.pinned_until, source.in_force, source.expires)
    ):
        return None
    values = [_ENCODE[kind](getattr(source, name)) for name, kind in _FIELDS]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def source_from_json(data: str, zone: ZoneInfo) -> Source:
    """The Source `source_to_json` wrote; StoreDamaged if `data` is anything else."""
    try:
        values = json.loads(data)
        check(type(values) is list and len(values) == len(_FIELDS), "source")
        check(all(type(values[index]) is str for index in _TEXTS), "text")  # most fields: at once
        for index, decode in _OTHERS:
            values[index] = decode(values[index], zone)
        return Source(*values)
    except (ValueError, TypeError, OverflowError) as error:
        raise StoreDamaged(f"source: {error}") from None


def _plain(value: Any) -> bool:
    """True if JSON gives `value` back as it is."""
    kind = type(value)
    if kind in (str, int, bool) or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    return False


def _strings(value: Any, _zone: ZoneInfo) -> tuple[str, ...]:
    check(type(value) is list and all(type(item) is str for item in value), "names")
    return tuple(value)


def _text(value: Any, _zone: ZoneInfo) -> str:
    check(type(value) is str, "text")
    return value  # type: ignore[no-any-return]  # checked


def _flag(value: Any, _zone: ZoneInfo) -> bool:
    check(type(value) is bool, "flag")
    return value  # type: ignore[no-any-return]  # checked


def _moment(value: Any, zone: ZoneInfo) -> datetime:
    check(type(value) is list and len(value) == 2 and type(value[0]) is str and value[1] in (0, 1), "date")
    return datetime.fromisoformat(value[0]).replace(tzinfo=zone, fold=value[1])


def _maybe_moment(value: Any, zone: ZoneInfo) -> datetime | None:
    return None if value is None else _moment(value, zone)


def _extra(value: Any, _zone: ZoneInfo) -> dict[str, Any]:
    check(type(value) is dict and _plain(value), "extra")
    return dict(value)


def _lines(value: Any, _zone: ZoneInfo) -> dict[str, int]:
    check(type(value) is dict and all(type(line) is int for line in value.values()), "lines")
    return dict(value)


def _links(value: Any, _zone: ZoneInfo) -> tuple[tuple[str, int], ...]:
    check(type(value) is list, "links")
    for link in value:
        check(type(link) is list and len(link) == 2 and type(link[0]) is str and type(link[1]) is int, "link")
    return tuple((link, line) for link, line in value)


def _numbers(value: Any, _zone: ZoneInfo) -> tuple[int, ...]:
    check(type(value) is list and all(type(item) is int for item in value), "lines")
    return tuple(value)


def _point(value: Any, _zone: ZoneInfo) -> tuple[int, int]:
    check(type(value) is list and len(value) == 2 and all(type(item) is int for item in value), "point")
    return (value[0], value[1])


def _warnings(value: Any, _zone: ZoneInfo) -> tuple[ContentError, ...]:
    check(type(value) is list, "warnings")
    warnings = []
    for item in value:
        check(type(item) is list and len(item) == 5, "warning")
        message, path, line, hint, code = item
        check(all(type(text) is str for text in (message, path, hint, code)), "warning")
        check(line is None or type(line) is int, "warning line")
        warnings.append(ContentError(message, path=path, line=line, hint=hint, code=code))
    return tuple(warnings)


def _encode_moment(moment: datetime | None) -> list[Any] | None:
    return None if moment is None else [moment.replace(tzinfo=None).isoformat(), moment.fold]


def _encode_warning(warning: ContentError) -> list[Any]:
    return [warning.message, warning.path or "", warning.line, warning.hint, warning.code]


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "text": lambda value: value,
    "flag": lambda value: value,
    "strings": list,
    "moment": _encode_moment,
    "maybe_moment": _encode_moment,
    "extra": lambda value: value,
    "lines": lambda value: value,
    "links": lambda value: [list(link) for link in value],
    "numbers": list,
    "point": list,
    "warnings": lambda value: [_encode_warning(warning) for warning in value],
}
_DECODE: dict[str, Callable[[Any, ZoneInfo], Any]] = {
    "text": _text,
    "flag": _flag,
    "strings": _strings,
    "moment": _moment,
    "maybe_moment": _maybe_moment,
    "extra": _extra,
    "lines": _lines,
    "links": _links,
    "numbers": _numbers,
    "point": _point,
    "warnings": _warnings,
}
_KINDS = {
    "date": "moment",
    "updated": "maybe_moment",
    "provinces": "strings",
    "themes": "strings",
    "draft": "flag",
    "featured": "flag",
    "pinned_until": "maybe_moment",
    "in_force": "maybe_moment",
    "expires": "maybe_moment",
    "files": "strings",
    "extra": "extra",
    "lines": "lines",
    "links": "links",
    "images_without_alt": "numbers",
    "image_focus": "point",
    "warnings": "warnings",
}
_FIELDS = [(name, _KINDS.get(name, "text")) for name in Source.__dataclass_fields__]
_TEXTS = [index for index, (_name, kind) in enumerate(_FIELDS) if kind == "text"]
_OTHERS = [(index, _DECODE[kind]) for index, (_name, kind) in enumerate(_FIELDS) if kind != "text"]
