"""`watch_site`: wakes up whenever something a build reads may have changed.

The folders a build reads (content/, templates/, static/) are watched through the operating
system's notifications (the `watchfiles` package), never by walking them: a 10,000-article site
would cost a walk of 10,000 files twice a second. The site's own folder is not watched
recursively, as it holds the output and the cache, which every build rewrites; its few entries
that matter (newsgen.yaml, and the three folders coming or going) are looked at on each wake-up.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import watchfiles
from watchfiles import Change

from ..config.settings import CONFIG_FILE

WATCHED_FOLDERS = ("content", "templates", "static")


def watch_site(source_dir: Path, stop: threading.Event, tick: float = 0.5) -> Iterator[set[str]]:
    """Yield the paths that changed, as they change; an empty set at least every `tick` seconds
    (so the caller can do timed work); return once `stop` is set. Changes made while the caller
    works between two yields are kept for the next one. When watching starts again (a watched
    folder came or went, or could not be watched), the first yield names the site's folder:
    what changed in between is not known."""
    again = False
    while not stop.is_set():
        top = _top_level(source_dir)
        folders = [os.fspath(source_dir / name) for name, _inode in top[1]]
        if not folders:  # nothing to watch but the top level: look at it every tick
            stop.wait(tick)
            changed_top = _top_level(source_dir) != top
            yield {os.fspath(source_dir)} if changed_top or again else set()
            again = False
            continue
        changes = watchfiles.watch(
            *folders,
            stop_event=stop,
            rust_timeout=int(tick * 1000),
            yield_on_timeout=True,
            debounce=int(tick * 1000),
            step=30,
            raise_interrupt=False,
        )
        try:
            for found in changes:
                paths = _changed(found)
                now = _top_level(source_dir)
                if now[0] != top[0]:
                    paths.add(os.fspath(source_dir / CONFIG_FILE))
                if again:
                    paths.add(os.fspath(source_dir))
                    again = False
                yield paths
                if now[1] != top[1] or paths.intersection(folders):
                    again = True
                    break  # a watched folder came, went or was replaced: watch the new set
                top = now
        except OSError:  # a folder went just as watching began
            again = True
            stop.wait(tick)


def _changed(found: set[tuple[Change, str]]) -> set[str]:
    """The paths in a batch of changes, less the files that came and went within it (an editor's
    temporary files). A file saved by renaming a new one over it comes and goes too, and stays."""
    came = {path for change, path in found if change == Change.added}
    went = {path for change, path in found if change == Change.deleted}
    passing = {path for path in came & went if not os.path.lexists(path)}
    return {path for _change, path in found} - passing


def _top_level(source_dir: Path) -> tuple[tuple[int, int, int] | None, tuple[tuple[str, int], ...]]:
    """newsgen.yaml's inode, size and mtime, and the watched folders that exist, with their inodes."""
    try:
        stat = (source_dir / CONFIG_FILE).stat()
        config = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    except OSError:
        config = None
    folders = []
    for name in WATCHED_FOLDERS:
        try:
            stat = (source_dir / name).stat()
        except OSError:
            continue
        folders.append((name, stat.st_ino))
    return config, tuple(folders)
