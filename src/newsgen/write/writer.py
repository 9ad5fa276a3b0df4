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

import filecmp
import json
import os
import shutil
import stat
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from ..errors import NewsgenError, OutputError, UsageError
from ..files import FileStats
from ..outputs.output import Output
from .exchange import exchange_folders, recover_swap, swap_leftover
from .folders import discard, link, make_folders, remove_entry, remove_file, same_file
from .marker import CHANGES, MARKER, MARKER_HEADER, output_stats, read_marker, some_names
from .spare import bring_spare_up_to_date, output_disk_error, spare_path, write_record


def check_output_dir(out_dir: Path, source_dir: Path) -> list[str]:
    """Refuse an output folder whose replacement would lose the user's files. The files its
    marker lists (none for a folder that is not there yet, or empty)."""
    out_dir, source_dir = out_dir.resolve(), source_dir.resolve()
    if out_dir == source_dir or out_dir in source_dir.parents:
        _refuse(
            f"thư mục đầu ra {out_dir} chứa chính thư mục của trang; tạo trang web vào đó "
            "sẽ xóa nội dung của bạn"
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
    listed = read_marker(out_dir) if out_dir.is_dir() else []
    if listed is None:
        found = sorted(entry.name for entry in out_dir.iterdir())
        if found:
            broken = (out_dir / MARKER).exists()
            raise UsageError(
                f"thư mục {out_dir} đã có tệp ({some_names(found)}) nhưng không do newsgen tạo ra"
                + (f" (tệp {MARKER} trong đó không đúng dạng newsgen ghi)" if broken else "")
                + ", nên newsgen không ghi đè lên nó",
                path="--output",
                hint="chọn --output khác, hoặc tự xóa hay đổi tên thư mục đó nếu chắc chắn không cần",
            )
    return listed or []


def _check_nothing_foreign(out_dir: Path, existing: FileStats, previous: list[str]) -> None:
    """Files someone put in the output (a CNAME, a .git) would be lost: refuse instead."""
    foreign = sorted(set(existing) - set(previous) - {MARKER, CHANGES})
    if foreign:
        raise UsageError(
            f"thư mục {out_dir} có tệp mà newsgen không ghi ra ({some_names(foreign)}); "
            "tạo lại trang web sẽ xóa chúng",
            path="--output",
            hint="tệp cần xuất bản cùng trang (như CNAME) hãy đặt trong static/; "
            "nếu không cần nữa, hãy tự xóa chúng",
        )


def _refuse(message: str) -> None:
    raise UsageError(message, path="--output", hint="chọn một thư mục riêng, ví dụ --output build")


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
        raise output_disk_error(error, out_dir) from None


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
        remove_leftovers(out_dir)  # an output folder a killed exchange left aside is put back first
        previous = check_output_dir(out_dir, source_dir)
        _check_nothing_foreign(out_dir, existing, previous)
        spare = spare_path(out_dir, source_dir)
        try:
            bring_spare_up_to_date(spare, out_dir, existing)
        except OSError as error:
            raise output_disk_error(error, out_dir, spare) from None
        yield cls(out_dir, spare, existing, previous)

    def stage(self, output: Output) -> Output:
        """Write `output` into the spare folder unless the output folder's file already has its
        bytes; what is left for `write` to do. Safe to call from forked worker processes."""
        relative = _safe_relative(output.path)
        target = self.spare / relative
        try:
            if self.current is not None and _unchanged(output, self.current / relative):
                if not same_file(target, self.current / relative):  # the output changed by hand
                    self._clear(relative)
                    link(self.current / relative, target)
                return replace(output, data=None, source=None, kept=True)
            self._clear(relative)
            if output.source is not None:
                shutil.copy2(output.source, target)  # keeps the source's mtime: see _unchanged
            else:
                target.write_bytes(output.data or b"")  # a new file: _clear took the link away
        except OSError as error:
            raise output_disk_error(error, self.out_dir, self.spare) from None
        return replace(output, data=None, source=None, staged=True)

    def _clear(self, relative: str) -> None:
        """Make way for a new file at `relative` in the spare: plain folders above it, and nothing
        at it. Its file is a hard link to the output's, which must not change: it is unlinked,
        never written into."""
        make_folders(self.spare, relative.rpartition("/")[0], self._folders)
        remove_entry(self.spare / relative)

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
                remove_file(self.spare, path)
            marker = _put_text(self.spare, MARKER, MARKER_HEADER + "".join(f"{p}\n" for p in sorted(written)))
            if self.current is not None and not (changed or removed or marker):
                write_record(self.spare, self.out_dir, [CHANGES])  # nothing to change: left alone
                return
            _put_text(self.spare, CHANGES, _changes_text(added, set(changed) - set(added), removed))
            if self.current is None:
                os.rename(self.spare, self.out_dir)  # a first build: no site to swap out
                return
            exchange_folders(self.spare, self.out_dir)
        except OSError as error:
            raise output_disk_error(error, self.out_dir, self.spare) from None
        write_record(self.spare, self.out_dir, [*changed, *removed, MARKER, CHANGES])

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
    remove_entry(path)
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
        discard(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)


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
