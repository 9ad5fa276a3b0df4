"""The spare: the folder the next build writes into and swaps in, holding the site as the last
build left it, in hard links to the output's files; and the record beside it of where it differs
from the output, so that bringing it up to date costs what the last build changed."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import NewsgenError, UsageError, disk_error
from ..files import FileStats
from ..state.store import output_cache_file
from .folders import discard, folders_of, link, make_folders, remove_entry, remove_file, same_file
from .marker import CHANGES, MARKER, is_plain_relative, output_stats

_RECORD_FORMAT = 1


def spare_path(out_dir: Path, source_dir: Path) -> Path:
    """In the site's cache folder when it is on the output's file system (out of git and of any
    web root the output is in), else beside the output, where a rename can reach it."""
    in_cache = output_cache_file(source_dir, out_dir, "spare.folder")
    try:
        in_cache.parent.mkdir(exist_ok=True)
        if os.stat(in_cache.parent).st_dev == os.stat(out_dir.parent).st_dev:
            return in_cache
    except OSError:
        pass
    return out_dir.parent / f".{out_dir.name}.newsgen-spare"


def _record_path(spare: Path) -> Path:
    return spare.with_name(spare.name + ".json")


def prepare_spare(
    out_dir: Path, source_dir: Path, existing: FileStats, cancelled: Callable[[], bool]
) -> None:
    """Bring the spare folder the next build swaps in up to date, unless it is: what that build
    would do first, for seconds at 10,000 articles after a build that wrote every page. For a
    process with time on its hands between builds (`newsgen serve`). Given up as soon as
    `cancelled()` comes true: the next build then finishes it. The caller holds `output_lock`."""
    out_dir = out_dir.resolve()
    spare = spare_path(out_dir, source_dir)
    differs = _read_record(_record_path(spare), out_dir)
    if not out_dir.is_dir() or (differs is not None and set(differs) <= {CHANGES}):
        return
    try:
        if bring_spare_up_to_date(spare, out_dir, existing, cancelled):
            write_record(spare, out_dir, [CHANGES])  # the only file left out
    except OSError as error:
        raise output_disk_error(error, out_dir, spare) from None


def bring_spare_up_to_date(
    spare: Path, out_dir: Path, existing: FileStats, cancelled: Callable[[], bool] = lambda: False
) -> bool:
    """Make the spare hold every file of the output as a hard link to it. Its record is removed
    first: from here on the spare is in flux, until a build records it again.

    With a record, only the files it lists are linked again. Without one (a build failed or was
    killed), the spare is compared with the output file by file, which costs a look at each;
    only if it is missing or cannot be used is it made anew, a folder and a link at a time.
    False if `cancelled()` came true before it was done (the paths left are then recorded)."""
    record = _record_path(spare)
    differs = _read_record(record, out_dir) if out_dir.exists() else None
    record.unlink(missing_ok=True)
    if out_dir.exists() and spare.is_dir() and not spare.is_symlink():
        try:
            paths = sorted(_differing(spare, out_dir, existing) if differs is None else differs)
            for count, path in enumerate(paths):
                if count % 256 == 0 and cancelled():
                    write_record(spare, out_dir, paths[count:])
                    return False
                _sync_file(spare, out_dir, path)
            return True
        except (OSError, UsageError):
            pass  # made again below
    discard(spare)
    spare.mkdir()
    made = {""}  # a new folder: nothing in it but what is made here, so nothing to look at first
    for count, path in enumerate(existing):
        if count % 256 == 0 and cancelled():
            return False
        if path == CHANGES:
            continue
        folder = path.rpartition("/")[0]
        if folder not in made:
            os.makedirs(spare / folder, exist_ok=True)
            made.update(folders_of(folder))
        link(out_dir / path, spare / path)
    return True


def _differing(spare: Path, out_dir: Path, existing: FileStats) -> set[str]:
    """The paths where the spare does not hold the output's file: the files it lacks, has over,
    or holds otherwise. (A link or special file in it: UsageError.)"""
    found = output_stats(spare)
    differs = set(found) - set(existing)
    differs.update(
        path for path in existing if path not in found or not same_file(spare / path, out_dir / path)
    )
    return differs


def _sync_file(spare: Path, out_dir: Path, path: str) -> None:
    """Make the spare's `path` what the output has there: a hard link to its file, or nothing."""
    source = out_dir / path
    try:
        is_file = stat.S_ISREG(source.lstat().st_mode)
    except FileNotFoundError:
        is_file = False
    if not is_file:
        remove_file(spare, path)
        return
    make_folders(spare, path.rpartition("/")[0], set())
    remove_entry(spare / path)
    link(source, spare / path)


def write_record(spare: Path, out_dir: Path, differs: list[str]) -> None:
    """Say where the spare differs from the output folder it was swapped with."""
    try:
        text = json.dumps(
            {"format": _RECORD_FORMAT, "output": _identity(out_dir), "differs": sorted(set(differs))}
        )
        temporary = spare.with_name(spare.name + ".json.new")
        temporary.write_text(text, "utf-8")
        os.replace(temporary, _record_path(spare))
    except OSError:  # the site is in place; without a record the next build compares the spare
        _record_path(spare).unlink(missing_ok=True)


def _identity(out_dir: Path) -> list[int]:
    """The output folder and its marker, by device, inode, size and time: an output emptied,
    replaced by hand or restored from a CI cache matches no record."""
    folder, marker = os.stat(out_dir), os.stat(out_dir / MARKER)
    return [folder.st_dev, folder.st_ino, marker.st_ino, marker.st_size, marker.st_mtime_ns]


def _read_record(record: Path, out_dir: Path) -> list[str] | None:
    """The record's list of paths, if it is whole, plain and about this very output folder."""
    try:
        data = json.loads(record.read_text("utf-8"))
        identity = _identity(out_dir)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _RECORD_FORMAT:
        return None
    differs = data.get("differs")
    if data.get("output") != identity or not isinstance(differs, list):
        return None
    if not all(isinstance(path, str) and is_plain_relative(path) for path in differs):
        return None
    return differs


def output_disk_error(error: OSError, out_dir: Path, spare: Path | None = None) -> NewsgenError:
    """What went wrong, naming the folder the user knows: the output's, for one of the spare's."""
    where = Path(error.filename) if error.filename else out_dir
    if spare is not None and (where == spare or spare in where.parents):
        where = out_dir / where.relative_to(spare)
    return disk_error(error, where)
