"""`SiteWriter`: the only writer of the output folder (its `stage` also runs in render workers).

The output folder changes in one step, whatever happens. A build writes its new and changed files
into a spare folder (`.newsgen-cache/spare.folder`, or beside the output if the cache is on another
file system), which holds the site as the last build left it in hard links to the output's files;
it removes there the pages that went, then exchanges the two folders (`exchange_folders`). A
failed or killed build leaves the published site exactly as it was; unchanged files keep their
inode and modification time, for rsync-style deploys. The folder swapped out becomes the next
spare: a record beside it lists the files where it differs from the output, so the next build
brings it up to date in as many steps as the last build changed files, not as many as the site
has. Without a trustworthy record the spare is compared with the output file by file, or made
again, one hard link per file.

The marker file lists what newsgen wrote. A folder without a whole marker (its header line, every
entry a plain relative path), or holding files newsgen did not write, links or special files, is
not newsgen's: it is refused, never touched. Nothing outside the output folder and the spare is
ever removed, whatever the marker or the record say.
"""

from __future__ import annotations

import errno
import filecmp
import json
import os
import re
import shutil
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from ..errors import NewsgenError, OutputError, UsageError, disk_error
from ..files import FileStats, stat_files
from ..outputs.output import Output
from ..state.store import output_cache_file
from .exchange import exchange_folders, recover_swap, swap_leftover

MARKER = ".newsgen-output"
# What the last build added, changed and removed, for an uploader that sends only those. Rewritten
# by every build, so left out of the output's recorded files (`output_stats`).
CHANGES = ".newsgen-changes.json"
_MARKER_HEADER = "Written by newsgen build, which brings this folder up to date on every build. Files:\n"
_RECORD_FORMAT = 1


def check_output_dir(out_dir: Path, source_dir: Path) -> None:
    """Refuse an output folder whose replacement would lose the user's files."""
    out_dir, source_dir = out_dir.resolve(), source_dir.resolve()
    if out_dir == source_dir or out_dir in source_dir.parents:
        _refuse(
            f"thư mục đầu ra {out_dir} chứa chính thư mục của trang; tạo trang web vào đó "
            "sẽ xoá nội dung của bạn"
        )
    for name in ("content", "templates", "static"):
        protected = source_dir / name
        if out_dir == protected or protected in out_dir.parents:
            _refuse(f"thư mục đầu ra {out_dir} nằm trong {name}/ của trang")
    if out_dir.exists() and not out_dir.is_dir():
        _refuse(f"{out_dir} là một tệp, không phải thư mục")
    inside = next((parent for parent in out_dir.parents if (parent / MARKER).is_file()), None)
    if inside is not None:
        _refuse(f"thư mục đầu ra {out_dir} nằm trong {inside}, nơi newsgen đã tạo một trang web khác")
    if out_dir.is_dir() and os.path.ismount(out_dir):  # a folder that cannot be renamed
        raise UsageError(
            f"thư mục đầu ra {out_dir} là nơi gắn một ổ đĩa (mount point); newsgen thay cả thư mục "
            "trong một bước nên không dùng được nó",
            path="--output",
            hint=f"chọn một thư mục con bên trong, ví dụ --output {out_dir}/trang",
        )
    if out_dir.is_dir() and read_marker(out_dir) is None:
        found = sorted(entry.name for entry in out_dir.iterdir())
        if found:
            broken = (out_dir / MARKER).exists()
            raise UsageError(
                f"thư mục {out_dir} đã có tệp ({_some(found)}) nhưng không do newsgen tạo ra"
                + (f" (tệp {MARKER} trong đó không đúng dạng newsgen ghi)" if broken else "")
                + ", nên newsgen không ghi đè lên nó",
                path="--output",
                hint="chọn --output khác, hoặc tự xoá hay đổi tên thư mục đó nếu chắc chắn không cần",
            )


def read_marker(out_dir: Path) -> list[str] | None:
    """The files the last build listed in the marker; None if there is no marker, or it is not
    whole: a header line, then one plain relative path a line (no `..`, no leading `/`)."""
    try:
        with open(out_dir / MARKER, "rb") as file:
            text = file.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, body = text.partition("\n")
    if header != _MARKER_HEADER.rstrip("\n") or (body and not body.endswith("\n")):
        return None
    entries = body[:-1]
    if not entries:
        return []
    if _not_plain(entries):
        return None
    listed = entries.split("\n")
    return None if max(map(len, listed)) > 4096 else listed  # longer than any path a disk takes


def _is_plain_relative(path: str) -> bool:
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


def _check_nothing_foreign(out_dir: Path, existing: FileStats, previous: list[str]) -> None:
    """Files someone put in the output (a CNAME, a .git) would be lost: refuse instead."""
    foreign = sorted(set(existing) - set(previous) - {MARKER, CHANGES})
    if foreign:
        raise UsageError(
            f"thư mục {out_dir} có tệp mà newsgen không ghi ra ({_some(foreign)}); "
            "tạo lại trang web sẽ xoá chúng",
            path="--output",
            hint="tệp cần xuất bản cùng trang (như CNAME) hãy đặt trong static/; "
            "nếu không cần nữa, hãy tự xoá chúng",
        )


def _refuse(message: str) -> None:
    raise UsageError(message, path="--output", hint="chọn một thư mục riêng, ví dụ --output build")


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" và {len(names) - 3} mục khác" if len(names) > 3 else "")


@dataclass(frozen=True)
class WriteReport:
    written: list[str]  # every file of the site
    changed: list[str]  # of those, the ones whose bytes are new
    removed: list[str]  # files of the previous build that the site no longer has
    stats: FileStats  # every file of the output folder as the build left it


def write_site(outputs: Iterable[Output], out_dir: Path, source_dir: Path) -> WriteReport:
    """Bring `out_dir` to exactly `outputs`; see SiteWriter."""
    with output_lock(out_dir), SiteWriter.open(out_dir, source_dir, output_stats(out_dir)) as writer:
        return writer.write(outputs)


def output_stats(out_dir: Path) -> FileStats:
    """The output folder's files as they are now, hidden ones included (but the changes list).
    A link or special file in it makes it a folder newsgen did not make: refused."""
    not_plain: list[str] = []
    stats = stat_files(out_dir, skip_hidden=False, not_plain=not_plain)
    if not_plain:
        raise UsageError(
            f"thư mục {out_dir} có liên kết hay tệp đặc biệt mà newsgen không tạo ra ({_some(not_plain)})",
            path="--output",
            hint="newsgen chỉ ghi tệp thường; hãy tự xoá các mục đó, hoặc chọn --output khác",
        )
    stats.pop(CHANGES, None)
    return stats


def write_changes(
    out_dir: Path, added: Iterable[str], changed: Iterable[str], removed: Iterable[str]
) -> None:
    """The CHANGES file of the live output: sorted lists of paths relative to it, replaced at
    once. For a build that wrote nothing (the writer puts its own in the folder it exchanges)."""
    text = _changes_text(added, changed, removed)
    try:
        if _read_text(out_dir / CHANGES) == text:
            return  # a build that changes nothing touches nothing
        temporary = out_dir.parent / (_staging_prefix(out_dir) + CHANGES)
        temporary.write_text(text, "utf-8")
        os.replace(temporary, out_dir / CHANGES)
    except OSError as error:
        raise _disk_error(error, out_dir) from None


def _changes_text(added: Iterable[str], changed: Iterable[str], removed: Iterable[str]) -> str:
    lists = {"added": sorted(added), "changed": sorted(changed), "removed": sorted(removed)}
    return json.dumps(lists, ensure_ascii=False, indent=1) + "\n"


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class SiteWriter:
    """Brings an output folder to exactly a build's files, in one step, touching only files whose
    bytes change.

    Outputs are consumed as they come, so a site is never held in memory whole, and pages can be
    staged by the worker processes that render them (`stage`). Two builds into one folder at once
    are refused rather than interleaved (`output_lock`).
    """

    def __init__(self, out_dir: Path, spare: Path, existing: FileStats, previous: list[str]) -> None:
        self.out_dir, self.spare, self.existing, self.previous = out_dir, spare, existing, previous
        self.current = out_dir if out_dir.exists() else None
        self._folders: set[str] = set()  # folders of the spare known to be plain folders

    @classmethod
    @contextmanager
    def open(cls, out_dir: Path, source_dir: Path, existing: FileStats) -> Iterator[SiteWriter]:
        """A writer for `out_dir`, whose files are `existing` (`output_stats`). The caller holds
        `output_lock`, so that they stay so."""
        out_dir = out_dir.resolve()
        check_output_dir(out_dir, source_dir)
        remove_leftovers(out_dir)
        previous = (read_marker(out_dir) or []) if out_dir.exists() else []
        _check_nothing_foreign(out_dir, existing, previous)
        spare = _spare_path(out_dir, source_dir)
        try:
            _prepare_spare(spare, out_dir, existing)
        except OSError as error:
            raise _disk_error(error, out_dir, spare) from None
        yield cls(out_dir, spare, existing, previous)

    def stage(self, output: Output) -> Output:
        """Write `output` into the spare folder unless the output folder's file already has its
        bytes; what is left for `write` to do. Safe to call from forked worker processes."""
        relative = _safe_relative(output.path)
        target = self.spare / relative
        try:
            if self.current is not None and _unchanged(output, self.current / relative):
                if not _same_file(target, self.current / relative):  # the output changed by hand
                    self._clear(relative)
                    _link(self.current / relative, target)
                return replace(output, data=None, source=None, kept=True)
            self._clear(relative)
            if output.source is not None:
                shutil.copy2(output.source, target)  # keeps the source's mtime: see _unchanged
            else:
                target.write_bytes(output.data or b"")  # a new file: _clear took the link away
        except OSError as error:
            raise _disk_error(error, self.out_dir, self.spare) from None
        return replace(output, data=None, source=None, staged=True)

    def _clear(self, relative: str) -> None:
        """Make way for a new file at `relative` in the spare: plain folders above it, and nothing
        at it. Its file is a hard link to the output's, which must not change: it is unlinked,
        never written into."""
        _make_folders(self.spare, relative.rpartition("/")[0], self._folders)
        _remove_entry(self.spare / relative)

    def write(self, outputs: Iterable[Output]) -> WriteReport:
        """Stage what is not staged yet, then put it all in place at once."""
        written: list[str] = []
        changed: list[str] = []
        origins: dict[str, str] = {}  # by case-folded path: one file on case-insensitive disks
        for output in outputs:
            relative = _safe_relative(output.path)
            key = relative.casefold()
            if key in origins:
                raise OutputError(
                    f"{output.origin or output.path} và {origins[key] or 'một nội dung khác'} "
                    f"cùng ghi vào tệp {relative}",
                    hint="đổi tên tệp trong static/ hoặc đặt slug: khác cho bài viết",
                )
            origins[key] = output.origin
            written.append(relative)
            if not (output.kept or output.staged):
                output = self.stage(output)
            if output.staged:
                changed.append(relative)
        removed = sorted(set(self.previous) - set(written) - {MARKER})
        added = set(written) - set(self.previous)
        self._finish(written, changed, removed, added)
        return WriteReport(written, changed, removed, self._stats_after(written, changed))

    def update(self, outputs: Iterable[Output], removed: Collection[str] = ()) -> WriteReport:
        """Bring some of the site's files up to date and take the `removed` ones out, leaving
        every other file as it is. Outputs already staged (by `stage`) are put in as they are."""
        staged = (output if output.staged else self.stage(output) for output in outputs)
        changed = [_safe_relative(output.path) for output in staged if output.staged]
        removed = sorted(_safe_relative(path) for path in removed)
        new = [path for path in changed if path not in self.existing]
        written = [path for path in self.existing if path != MARKER and path not in removed] + new
        self._finish(written, changed, removed, new)
        return WriteReport(written, changed, removed, self._stats_after(written, changed))

    def _finish(
        self, written: list[str], changed: list[str], removed: list[str], added: Iterable[str]
    ) -> None:
        """Take the `removed` files out of the spare, add the marker and the list of changes, and
        exchange it with the output folder; then record how the new spare differs."""
        try:
            for path in removed:
                _remove_file(self.spare, path)
            marker = _put_text(
                self.spare, MARKER, _MARKER_HEADER + "".join(f"{p}\n" for p in sorted(written))
            )
            if self.current is not None and not (changed or removed or marker):
                _write_record(self.spare, self.out_dir, [CHANGES])  # nothing to change: left alone
                return
            _put_text(self.spare, CHANGES, _changes_text(added, set(changed) - set(added), removed))
            if self.current is None:
                os.rename(self.spare, self.out_dir)  # a first build: no site to swap out
                return
            exchange_folders(self.spare, self.out_dir)
        except OSError as error:
            raise _disk_error(error, self.out_dir, self.spare) from None
        _write_record(self.spare, self.out_dir, [*changed, *removed, MARKER, CHANGES])

    def _stats_after(self, written: list[str], changed: list[str]) -> FileStats:
        """The output's files now: those written anew looked at again, the others as they were."""
        stats = {path: self.existing[path] for path in written if path in self.existing}
        for path in [*changed, MARKER]:
            stat_ = os.stat(self.out_dir / path)
            stats[path] = (stat_.st_size, stat_.st_mtime_ns)
        return stats


def _put_text(folder: Path, name: str, text: str) -> bool:
    """`folder/name` with `text`, as a new file unless it already has these bytes (a hard link to
    the output's file, which must not be written into). True if it was written."""
    path = folder / name
    if _read_text(path) == text:
        return False
    _remove_entry(path)
    with open(path, "x", encoding="utf-8") as file:
        file.write(text)
    return True


def _unchanged(output: Output, existing: Path) -> bool:
    try:
        stat_ = existing.lstat()
        if not stat.S_ISREG(stat_.st_mode):
            return False
        if output.source is not None:
            source = output.source.stat()
            if stat_.st_size != source.st_size:
                return False
            # Another time but maybe the same bytes: a fresh checkout of the site, in CI.
            return stat_.st_mtime_ns == source.st_mtime_ns or filecmp.cmp(
                output.source, existing, shallow=False
            )
        data = output.data or b""
        if stat_.st_size != len(data):
            return False
        with open(existing, "rb") as file:
            return file.read() == data
    except OSError:
        return False


# The spare: the folder swapped in by the next build, and the record of how it differs.


def _spare_path(out_dir: Path, source_dir: Path) -> Path:
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
    """Make the spare folder the next build swaps in, unless it is ready: what that build would
    do first, for seconds at 10,000 articles, after a build that put a new folder in place. For
    a process with time on its hands between builds (`newsgen serve`). Given up as soon as
    `cancelled()` comes true: the next build then finishes it. The caller holds `output_lock`."""
    out_dir = out_dir.resolve()
    spare = _spare_path(out_dir, source_dir)
    if not out_dir.is_dir() or _read_record(_record_path(spare), out_dir) is not None:
        return
    try:
        if _prepare_spare(spare, out_dir, existing, cancelled):
            _write_record(spare, out_dir, [CHANGES])  # the only file left out
    except OSError as error:
        raise _disk_error(error, out_dir, spare) from None


def _prepare_spare(
    spare: Path, out_dir: Path, existing: FileStats, cancelled: Callable[[], bool] = lambda: False
) -> bool:
    """Make the spare hold every file of the output as a hard link to it. Its record is removed
    first: from here on the spare is in flux, until a build records it again.

    With a record, only the files it lists are linked again. Without one (a build failed or was
    killed), the spare is compared with the output file by file, which costs a look at each;
    only if it is missing or cannot be used is it made anew, a folder and a link at a time.
    False if `cancelled()` came true before it was done."""
    record = _record_path(spare)
    differs = _read_record(record, out_dir) if out_dir.exists() else None
    record.unlink(missing_ok=True)
    if out_dir.exists() and spare.is_dir() and not spare.is_symlink():
        try:
            for path in _differing(spare, out_dir, existing) if differs is None else differs:
                _sync_file(spare, out_dir, path)
            return True
        except (OSError, UsageError):
            pass  # made again below
    _discard(spare)
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
            made.update(_folders_of(folder))
        _link(out_dir / path, spare / path)
    return True


def _differing(spare: Path, out_dir: Path, existing: FileStats) -> set[str]:
    """The paths where the spare does not hold the output's file: the files it lacks, has over,
    or holds otherwise. (A link or special file in it: UsageError.)"""
    found = output_stats(spare)
    differs = set(found) - set(existing)
    differs.update(
        path for path in existing if path not in found or not _same_file(spare / path, out_dir / path)
    )
    return differs


def _same_file(a: Path, b: Path) -> bool:
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


def _link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source`; a copy on file systems without hard links (FAT,
    exFAT, some shared folders)."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        shutil.copy2(source, target)


def _folders_of(folder: str) -> Iterator[str]:
    """`a/b/c` → `a/b/c`, `a/b`, `a`."""
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]


def _sync_file(spare: Path, out_dir: Path, path: str) -> None:
    """Make the spare's `path` what the output has there: a hard link to its file, or nothing."""
    source = out_dir / path
    try:
        is_file = stat.S_ISREG(source.lstat().st_mode)
    except FileNotFoundError:
        is_file = False
    if not is_file:
        _remove_file(spare, path)
        return
    _make_folders(spare, path.rpartition("/")[0], set())
    _remove_entry(spare / path)
    _link(source, spare / path)


def _write_record(spare: Path, out_dir: Path, differs: list[str]) -> None:
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
    if not all(isinstance(path, str) and _is_plain_relative(path) for path in differs):
        return None
    return differs


def _make_folders(root: Path, relative: str, known: set[str]) -> None:
    """Plain folders at `relative` under `root` (anything else there is taken away first): no
    file is ever written through a link, wherever it leads. Render workers may make the same
    folder at once."""
    if not relative or relative in known:
        return
    parent, _, _name = relative.rpartition("/")
    _make_folders(root, parent, known)
    folder = root / relative
    try:
        mode = folder.lstat().st_mode
    except FileNotFoundError:
        mode = 0
    if not stat.S_ISDIR(mode):
        if mode:
            _remove_entry(folder)
        try:
            folder.mkdir()
        except FileExistsError:  # another worker made it first
            if not stat.S_ISDIR(folder.lstat().st_mode):
                raise
    known.add(relative)


def _remove_entry(path: Path) -> None:
    """Take away whatever is at `path` (a file, a link itself, or a folder of the spare's)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        _discard(path)
    else:
        path.unlink(missing_ok=True)


def _remove_file(root: Path, relative: str) -> None:
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


def _discard(folder: Path) -> None:
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


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock on the folder that holds the output: one build at a time writes or reads it."""
    busy = UsageError(
        f"một lệnh newsgen build khác đang ghi vào {out_dir.parent}",
        path="--output",
        hint="đợi lệnh đó xong rồi chạy lại",
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir.parent, busy):
        yield


@contextmanager
def folder_lock(folder: Path, busy: NewsgenError) -> Iterator[None]:
    """An exclusive advisory lock on `folder`, or `busy` raised at once if another process holds it."""
    if fcntl is None:  # Windows: no advisory locks; newsgen is not run concurrently there
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        yield
    finally:
        os.close(fd)


def _staging_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.newsgen-staging-"


def remove_leftovers(out_dir: Path) -> None:
    """Put back an output folder a killed exchange left aside, and remove temporary files and
    folders of killed builds; only newsgen uses these names."""
    recover_swap(out_dir)
    for leftover in [*out_dir.parent.glob(_staging_prefix(out_dir) + "*"), swap_leftover(out_dir)]:
        _discard(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)


def _safe_relative(path: str) -> str:
    """`path` with no empty or `.` parts, refused if it could lead out of the output folder."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if path.startswith("/") or ".." in parts or not parts or "\\" in path or "\x00" in path:
        raise OutputError(
            f'đường dẫn "{path}" thoát ra ngoài thư mục đầu ra',
            hint="kiểm tra slug: và permalink: (không dùng .., / ở đầu, hay \\)",
        )
    if parts[0] in (MARKER, CHANGES):
        raise OutputError(
            f'đường dẫn "{path}" trùng tên tệp {parts[0]} mà newsgen dùng cho riêng mình',
            hint="kiểm tra permalink: và slug:, đừng bắt đầu bằng .newsgen",
        )
    return "/".join(parts)


def _disk_error(error: OSError, out_dir: Path, spare: Path | None = None) -> NewsgenError:
    """What went wrong, naming the folder the user knows: the output's, for one of the spare's."""
    where = Path(error.filename) if error.filename else out_dir
    if spare is not None and (where == spare or spare in where.parents):
        where = out_dir / where.relative_to(spare)
    return disk_error(error, where)
