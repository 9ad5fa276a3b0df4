"""Changes to newsgen's own folders (the spare, staging) that never go through a link: a link
found where a folder or file should be is removed, never followed."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path


def same_file(a: Path, b: Path) -> bool:
    """`a` is `b`: a hard link to it, or (where hard links cannot be made) a copy of it with its
    size and modification time, as rsync judges."""
    try:
        stat_a, stat_b = a.lstat(), b.lstat()
    except FileNotFoundError:
        return False
    return os.path.samestat(stat_a, stat_b) or (
        stat.S_ISREG(stat_a.st_mode)
        and (stat_a.st_size, stat_a.st_mtime_ns) == (stat_b.st_size, stat_b.st_mtime_ns)
    )


def link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source`; a copy on file systems without hard links (FAT,
    exFAT, some shared folders)."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        shutil.copy2(source, target)


def folders_of(folder: str) -> Iterator[str]:
    """`a/b/c` → `a/b/c`, `a/b`, `a`."""
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]


def make_folders(root: Path, relative: str, known: set[str]) -> None:
    """Plain folders at `relative` under `root` (anything else there is taken away first): no
    file is ever written through a link, wherever it leads. Render workers may make the same
    folder at once."""
    if not relative or relative in known:
        return
    parent, _, _name = relative.rpartition("/")
    make_folders(root, parent, known)
    folder = root / relative
    try:
        mode = folder.lstat().st_mode
    except FileNotFoundError:
        mode = 0
    if not stat.S_ISDIR(mode):
        if mode:
            remove_entry(folder)
        try:
            folder.mkdir()
        except FileExistsError:  # another worker made it first
            if not stat.S_ISDIR(folder.lstat().st_mode):
                raise
    known.add(relative)


def remove_entry(path: Path) -> None:
    """Take away whatever is at `path` (a file, a link itself, or a folder of the spare's)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        discard(path)
    else:
        path.unlink(missing_ok=True)


def remove_file(root: Path, relative: str) -> None:
    """Remove `root/relative` and the folders this leaves empty, never through a link."""
    parts = relative.split("/")
    for depth in range(1, len(parts)):  # a link or file on the way: the file is not there
        try:
            if not stat.S_ISDIR((root / "/".join(parts[:depth])).lstat().st_mode):
                return
        except FileNotFoundError:
            return
    try:
        if stat.S_ISDIR((root / relative).lstat().st_mode):
            return  # a folder of the new site now stands where the file was
    except FileNotFoundError:
        return
    (root / relative).unlink()
    for depth in range(len(parts) - 1, 0, -1):
        folder = root / "/".join(parts[:depth])
        with os.scandir(folder) as entries:
            if any(entries):
                break
        folder.rmdir()


def discard(folder: Path) -> None:
    """Delete one of newsgen's own folders, read-only subfolders included. Links in it are
    removed, never followed."""

    def writable_then_again(function: object, path: str, _error: object) -> None:
        parent = os.path.dirname(path)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, os.stat(path).st_mode | stat.S_IRWXU)
            shutil.rmtree(path)
        else:
            os.unlink(path)

    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        if sys.version_info >= (3, 12):
            shutil.rmtree(folder, onexc=writable_then_again)
        else:
            shutil.rmtree(folder, onerror=writable_then_again)
