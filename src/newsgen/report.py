"""`BuildReport`: what a build did, for the command line; and as plain data for the store."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import errors
from .errors import NewsgenError
from .state.store import StoreDamaged, check


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pages: int
    pages_rendered: int  # the others were kept from the last build, their inputs unchanged
    files: int
    changed: int  # files written anew; the others kept their bytes and modification times
    removed: int
    seconds: float
    output_dir: Path
    warnings: tuple[NewsgenError, ...] = ()
    drafts_held: int = 0  # drafts left out (no --drafts)
    scheduled_held: int = 0  # articles dated later than the build's time, left out (no --future)
    next_scheduled: datetime | None = None  # when the first of those is due, in the site's zone
    next_unpinned: datetime | None = None  # when the first pinned article stops leading the home page
    next_document_change: datetime | None = None  # when a document first comes into or out of force


_COUNTS = (
    "articles",
    "pages",
    "pages_rendered",
    "files",
    "changed",
    "removed",
    "drafts_held",
    "scheduled_held",
)
_MOMENTS = ("next_scheduled", "next_unpinned", "next_document_change")
_ERRORS = {  # by `kind`; not BuildFailed, which holds others and is never a warning
    kind.kind: kind
    for kind in vars(errors).values()
    if isinstance(kind, type) and issubclass(kind, NewsgenError) and kind is not errors.BuildFailed
}


def report_to_data(report: BuildReport) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(report, name) for name in _COUNTS}
    data["seconds"] = report.seconds
    data["output_dir"] = str(report.output_dir)
    data["warnings"] = [[w.kind, w.message, w.path, w.line, w.hint, w.code] for w in report.warnings]
    for name in _MOMENTS:
        moment = getattr(report, name)
        data[name] = moment.timestamp() if moment else None
    return data


def report_from_data(data: Any, zone: ZoneInfo) -> BuildReport:
    """The report `report_to_data` gave; StoreDamaged for anything else."""
    check(type(data) is dict and data.keys() == {field.name for field in fields(BuildReport)}, "report")
    check(all(type(data[name]) is int for name in _COUNTS), "report counts")
    check(type(data["seconds"]) is float and type(data["output_dir"]) is str, "report")
    check(all(data[name] is None or type(data[name]) is float for name in _MOMENTS), "report")
    check(type(data["warnings"]) is list, "warnings")
    warnings = []
    for item in data["warnings"]:
        check(type(item) is list and len(item) == 6 and item[0] in _ERRORS, "warning")
        kind, message, path, line, hint, code = item
        check(type(message) is str and type(hint) is str and type(code) is str, "warning")
        check((path is None or type(path) is str) and (line is None or type(line) is int), "warning")
        warnings.append(_ERRORS[kind](message, path=path, line=line, hint=hint, code=code))
    try:
        moments = [
            None if data[name] is None else datetime.fromtimestamp(data[name], zone) for name in _MOMENTS
        ]
        return BuildReport(
            **{name: data[name] for name in _COUNTS},
            seconds=data["seconds"],
            output_dir=Path(data["output_dir"]),
            warnings=tuple(warnings),
            next_scheduled=moments[0],
            next_unpinned=moments[1],
            next_document_change=moments[2],
        )
    except (ValueError, OverflowError, OSError) as error:
        raise StoreDamaged(f"report: {error}") from None
