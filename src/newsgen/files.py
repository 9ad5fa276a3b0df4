"""Listing the files of a folder, quickly: one scandir per folder, paths kept as strings."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

# A file's relative path → (size, mtime in ns): enough to tell that it changed.
FileStats = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class FolderScan:
    """A folder's files as `stat_files` found them, and when it began looking."""

    files: FileStats
    started_ns: int  # wall-clock time

    # Timestamps are coarse (a few ms; two seconds on FAT): a file changed that soon after its
    # mtime may have changed again with the same size and mtime, so only an mtime older than the
    # scan by this much shows that the file is still as it was when it was read.
    MARGIN_NS = 2_000_000_000

    def settled(self, path: str) -> bool:
        """True when the file's size and mtime will show any later change to it."""
        return self.files[path][1] < self.started_ns - self.MARGIN_NS

    def maybe_changed_since(self, before: FolderScan) -> list[str]:
        """The files, all of them in `before` too, that may have changed since: their size or
        mtime differ, or their mtime was not settled then."""
        return [
            name
            for name, stat in self.files.items()
            if stat != before.files[name] or not before.settled(name)
        ]

    def all_settled(self) -> bool:
        return all(map(self.settled, self.files))

    @classmethod
    def of(cls, folder: Path) -> FolderScan:
        started = time.time_ns()
        return cls(stat_files(folder), started)


def list_files(folder: Path, skip_hidden: bool = True) -> list[str]:
    """Paths of the files (and links) under `folder`, relative to it, with forward slashes, sorted.

    Hidden files and folders (`.git`, editor backups) are left out unless `skip_hidden` is false.
    A missing folder has no files.
    """
    return sorted(_walk(folder, skip_hidden))


def stat_files(folder: Path, skip_hidden: bool = True, not_plain: list[str] | None = None) -> FileStats:
    """The files of `list_files`, in its order, with their sizes and mtimes; (-1, -1) for a link
    that leads nowhere. Links and special files (anything but a plain file) are also appended to
    `not_plain`, if given."""
    stats: FileStats = {}
    for path, entry in sorted(_walk(folder, skip_hidden).items()):
        if not_plain is not None and (entry.is_symlink() or not entry.is_file(follow_symlinks=False)):
            not_plain.append(path)
        try:
            stat = entry.stat()
            stats[path] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stats[path] = (-1, -1)
    return stats


def _walk(folder: Path, skip_hidden: bool) -> dict[str, os.DirEntry[str]]:
    found: dict[str, os.DirEntry[str]] = {}
    pending = [(os.fspath(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if skip_hidden and entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                found[prefix + entry.name] = entry
    return found
