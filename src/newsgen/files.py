"""Listing the files of a folder, quickly: one scandir per folder, paths kept as strings."""

from __future__ import annotations

import os
from pathlib import Path


def list_files(folder: Path, skip_hidden: bool = True) -> list[str]:
    """Paths of the files (and links) under `folder`, relative to it, with forward slashes, sorted.

    Hidden files and folders (`.git`, editor backups) are left out unless `skip_hidden` is false.
    A missing folder has no files.
    """
    found: list[str] = []
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
                found.append(prefix + entry.name)
    return sorted(found)
