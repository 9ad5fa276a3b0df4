"""`SiteWriter`: the only writer of the output folder (its `stage` also runs in render workers).

New and changed files are written into a staging folder beside the output folder and moved in only
when every one is written, so a failed build leaves the previous site exactly as it was; unchanged
files are left alone. A folder newsgen did not create (no marker file), or one holding files it did
not write, is never touched.
"""

from __future__ import annotations

import errno
import filecmp
import json
import os
import secrets
import shutil
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from .errors import NewsgenError, OutputError, UsageError
from .files import FileStats, list_files, stat_files
from .output import Output

MARKER = ".newsgen-output"
# What the last build added, changed and removed, for an uploader that sends only those. Rewritten
# by every build, so left out of the output's recorded files (`output_stats`).
CHANGES = ".newsgen-changes.json"
_MARKER_HEADER = "Written by newsgen build, which brings this folder up to date on every build. Files:\n"


def check_output_dir(out_dir: Path, source_dir: Path) -> None:
    """Refuse an output folder whose replacement would lose the user's files."""
    out_dir, source_dir = out_dir.resolve(), source_dir.resolve()
    if out_dir == source_dir or out_dir in source_dir.parents:
        _refuse(f"thư mục đầu ra {out_dir} chứa chính thư mục của trang; dựng vào đó sẽ xoá nội dung của bạn")
    for name in ("content", "templates", "static"):
        protected = source_dir / name
        if out_dir == protected or protected in out_dir.parents:
            _refuse(f"thư mục đầu ra {out_dir} nằm trong {name}/ của trang")
    if out_dir.exists() and not out_dir.is_dir():
        _refuse(f"{out_dir} là một tệp, không phải thư mục")
    if out_dir.is_dir() and not (out_dir / MARKER).is_file():
        found = sorted(entry.name for entry in out_dir.iterdir())
        if found:
            raise UsageError(
                f"thư mục {out_dir} đã có tệp ({_some(found)}) nhưng không do newsgen tạo ra, "
                "nên newsgen không ghi đè lên nó",
                path="--output",
                hint="chọn --output khác, hoặc tự xoá hay đổi tên thư mục đó nếu chắc chắn không cần",
            )


def _check_nothing_foreign(out_dir: Path, existing: FileStats, previous: list[str]) -> None:
    """Files someone put in the output (a CNAME, a .git) would be lost: refuse instead."""
    foreign = sorted(set(existing) - set(previous) - {MARKER, CHANGES})
    if foreign:
        raise UsageError(
            f"thư mục {out_dir} có tệp mà newsgen không ghi ra ({_some(foreign)}); dựng lại sẽ xoá chúng",
            path="--output",
            hint="tệp cần xuất bản cùng trang (như CNAME) hãy đặt trong static/; "
            "nếu không cần nữa, hãy tự xoá chúng",
        )


def _refuse(message: str) -> None:
    raise UsageError(message, path="--output", hint="chọn một thư mục riêng, ví dụ --output build")


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" và {len(names) - 3} mục khác" if len(names) > 3 else "")


def _written_by_newsgen(marker: Path) -> Iterable[str]:
    """The files the last build listed in its marker; without a list, everything counts as ours."""
    lines = marker.read_text(encoding="utf-8").splitlines()
    if lines[:1] != [_MARKER_HEADER.rstrip("\n")]:
        return list_files(marker.parent, skip_hidden=False)
    return lines[1:]


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
    """The output folder's files as they are now, hidden ones included (but the changes list)."""
    stats = stat_files(out_dir, skip_hidden=False)
    stats.pop(CHANGES, None)
    return stats


def write_changes(
    out_dir: Path, added: Iterable[str], changed: Iterable[str], removed: Iterable[str]
) -> None:
    """The CHANGES file: sorted lists of paths relative to the output folder, replaced at once."""
    lists = {"added": sorted(added), "changed": sorted(changed), "removed": sorted(removed)}
    text = json.dumps(lists, ensure_ascii=False, indent=1) + "\n"
    temporary = out_dir.parent / (_staging_prefix(out_dir) + CHANGES)
    try:
        if (out_dir / CHANGES).is_file() and (out_dir / CHANGES).read_text("utf-8") == text:
            return  # a build that changes nothing touches nothing
        temporary.write_text(text, "utf-8")
        os.replace(temporary, out_dir / CHANGES)
    except OSError as error:
        raise _disk_error(error) from None


class SiteWriter:
    """Brings an output folder to exactly a build's files, touching only files whose bytes change.

    Every new or changed file is first written to a staging folder beside the output folder; only
    when all of them are written are they moved in and vanished pages removed, so a failed build
    leaves the previous site as it was, and unchanged files keep their modification times for
    rsync-style deploys. Outputs are consumed as they come, so a site is never held in memory
    whole, and pages can be staged by the worker processes that render them (`stage`). Two builds
    into one folder at once are refused rather than interleaved.
    """

    def __init__(self, out_dir: Path, staging: Path, existing: FileStats, previous: list[str]) -> None:
        self.out_dir, self.staging, self.existing, self.previous = out_dir, staging, existing, previous
        self.current = out_dir if out_dir.exists() else None

    @classmethod
    @contextmanager
    def open(cls, out_dir: Path, source_dir: Path, existing: FileStats) -> Iterator[SiteWriter]:
        """A writer for `out_dir`, whose files are `existing` (`output_stats`). The caller holds
        `output_lock`, so that they stay so."""
        out_dir = out_dir.resolve()
        check_output_dir(out_dir, source_dir)
        remove_leftovers(out_dir)
        previous = list(_written_by_newsgen(out_dir / MARKER)) if (out_dir / MARKER).is_file() else []
        _check_nothing_foreign(out_dir, existing, previous)
        try:
            # Not mkdtemp, whose folder only its owner may read: on a first build it becomes the
            # output folder, which a web server running as another user must read.
            staging = out_dir.parent / (_staging_prefix(out_dir) + secrets.token_hex(8))
            staging.mkdir()
        except OSError as error:
            raise _disk_error(error) from None
        try:
            yield cls(out_dir, staging, existing, previous)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def stage(self, output: Output) -> Output:
        """Write `output` into the staging folder unless its file already has its bytes; what is
        left for `write` to do. Safe to call from forked worker processes."""
        relative = _safe_relative(output.path)
        if self.current is not None and _unchanged(output, self.current / relative):
            return replace(output, data=None, source=None, kept=True)
        try:
            target = self.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if output.source is not None:
                shutil.copy2(output.source, target)  # keeps the source's mtime: see _unchanged
            else:
                target.write_bytes(output.data or b"")
        except OSError as error:
            raise _disk_error(error) from None
        return replace(output, data=None, source=None, staged=True)

    def write(self, outputs: Iterable[Output]) -> WriteReport:
        """Stage what is not staged yet, then move it all into place."""
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
        removed = sorted(set(self.previous) - set(written))
        try:
            _write_marker(self.staging, written)
            if self.current is None:
                os.rename(self.staging, self.out_dir)
            else:
                _apply(self.staging, self.out_dir, changed, removed)
                if not _same_bytes(self.staging / MARKER, self.out_dir / MARKER):
                    os.replace(self.staging / MARKER, self.out_dir / MARKER)
        except OSError as error:
            raise _disk_error(error) from None
        added = set(written) - set(self.previous)
        write_changes(self.out_dir, added, set(changed) - added, removed)
        return WriteReport(written, changed, removed, self._stats_after(written, changed))

    def update(self, outputs: Iterable[Output], removed: Collection[str] = ()) -> WriteReport:
        """Bring some of the site's files up to date and take the `removed` ones out, leaving
        every other file as it is. Outputs already staged (by `stage`) are moved in as they are."""
        staged = (output if output.staged else self.stage(output) for output in outputs)
        changed = [_safe_relative(output.path) for output in staged if output.staged]
        new = [path for path in changed if path not in self.existing]
        written = [path for path in self.existing if path != MARKER and path not in removed] + new
        try:
            if removed or new:
                _write_marker(self.staging, written)
            _apply(self.staging, self.out_dir, changed, sorted(removed))
            if removed or new:
                os.replace(self.staging / MARKER, self.out_dir / MARKER)
        except OSError as error:
            raise _disk_error(error) from None
        write_changes(self.out_dir, new, set(changed) - set(new), removed)
        return WriteReport(written, changed, sorted(removed), self._stats_after(written, changed))

    def _stats_after(self, written: list[str], changed: list[str]) -> FileStats:
        """The output's files now: those written anew looked at again, the others as they were."""
        stats = {path: self.existing[path] for path in written if path in self.existing}
        for path in [*changed, MARKER]:
            stat = os.stat(self.out_dir / path)
            stats[path] = (stat.st_size, stat.st_mtime_ns)
        return stats


def _write_marker(folder: Path, written: list[str]) -> None:
    (folder / MARKER).write_text(_MARKER_HEADER + "".join(f"{p}\n" for p in sorted(written)), "utf-8")


def _unchanged(output: Output, existing: Path) -> bool:
    try:
        stat = existing.stat()
        if output.source is not None:
            source = output.source.stat()
            if stat.st_size != source.st_size:
                return False
            # Another time but maybe the same bytes: a fresh checkout of the site, in CI.
            return stat.st_mtime_ns == source.st_mtime_ns or filecmp.cmp(
                output.source, existing, shallow=False
            )
        data = output.data or b""
        if stat.st_size != len(data):
            return False
        with open(existing, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _apply(staging: Path, out_dir: Path, changed: list[str], removed: list[str]) -> None:
    """Move the changed files in and take the vanished ones out: renames on one disk, no copying."""
    for path in removed:
        target = out_dir / path
        target.unlink(missing_ok=True)
        for folder in target.parents:  # prune folders the removal emptied
            if folder == out_dir or not folder.is_dir() or any(folder.iterdir()):  # gone, or not empty
                break
            folder.rmdir()
    for path in changed:
        target = out_dir / path
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # a folder of the old site where a file now goes
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / path, target)


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
    """Staging folders and files left by builds that were killed; only newsgen uses these names."""
    for leftover in out_dir.parent.glob(_staging_prefix(out_dir) + "*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _safe_relative(path: str) -> str:
    """`path` with no empty or `.` parts, refused if it could lead out of the output folder."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if path.startswith("/") or ".." in parts or not parts or "\\" in path:
        raise OutputError(
            f'đường dẫn "{path}" thoát ra ngoài thư mục đầu ra',
            hint="kiểm tra slug: và permalink: (không dùng .., / ở đầu, hay \\)",
        )
    return "/".join(parts)


def _disk_error(error: OSError) -> NewsgenError:
    if error.errno == errno.ENOSPC:
        return OutputError(
            "ổ đĩa đã đầy, không ghi được trang",
            path=error.filename,
            hint="giải phóng dung lượng rồi dựng lại",
        )
    return OutputError(
        f"không ghi được tệp: {error.strerror}",
        path=error.filename,
        hint="kiểm tra quyền ghi và dung lượng của thư mục đầu ra",
    )
