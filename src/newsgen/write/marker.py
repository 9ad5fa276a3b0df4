"""The marker: the file by which newsgen knows an output folder as its own, listing what it wrote.

A folder without a whole marker (its header line, every entry a plain relative path) is not
newsgen's, and is never touched.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UsageError
from ..files import FileStats, stat_files

MARKER = ".newsgen-output"


# What the last build added, changed and removed, for an uploader that sends only those. Rewritten
# by every build, so left out of the output's recorded files (`output_stats`).
CHANGES = ".newsgen-changes.json"


MARKER_HEADER = "Written by newsgen build, which brings this folder up to date on every build. Files:\n"


def read_marker(out_dir: Path) -> list[str] | None:
    """The files the last build listed in the marker; None if there is no marker, or it is not
    whole: a header line, then one plain relative path a line (no `..`, no leading `/`)."""
    try:
        with open(out_dir / MARKER, "rb") as file:
            text = file.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, body = text.partition("\n")
    if header != MARKER_HEADER.rstrip("\n") or (body and not body.endswith("\n")):
        return None
    entries = body[:-1]
    if not entries:
        return []
    if _not_plain(entries):
        return None
    listed = entries.split("\n")
    return None if max(map(len, listed)) > 4096 else listed  # longer than any path a disk takes


def is_plain_relative(path: str) -> bool:
    return bool(path) and "\n" not in path and not _not_plain(path)


def _not_plain(entries: str) -> bool:
    """True if a line of `entries` is not a plain relative path: empty, absolute, with a `.` or
    `..` part, a backslash or a NUL. Substring tests first: a 17,000-line marker in 5 ms."""
    if any(bad in entries for bad in ("\\", "\x00", "//", "\n\n", "\n/", "/\n")):
        return True
    if entries.startswith(("/", "\n")) or entries.endswith(("/", "\n")):
        return True
    if "/." in entries or "\n." in entries or entries.startswith("."):
        return _DOT_PART.search(entries) is not None
    return False


_DOT_PART = re.compile(r"(?:^|[/\n])\.\.?(?:[/\n]|$)")


def output_stats(out_dir: Path) -> FileStats:
    """The output folder's files as they are now, hidden ones included (but the changes list).
    A link or special file in it makes it a folder newsgen did not make: refused."""
    not_plain: list[str] = []
    stats = stat_files(out_dir, skip_hidden=False, not_plain=not_plain)
    if not_plain:
        raise UsageError(
            f"thư mục {out_dir} có liên kết hay tệp đặc biệt mà newsgen không tạo ra "
            f"({some_names(not_plain)})",
            path="--output",
            hint="newsgen chỉ ghi tệp thường; hãy tự xóa các mục đó, hoặc chọn --output khác",
        )
    stats.pop(CHANGES, None)
    return stats


def some_names(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" và {len(names) - 3} mục khác" if len(names) > 3 else "")
