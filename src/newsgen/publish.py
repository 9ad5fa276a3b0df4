"""`newsgen publish` and `newsgen rollback`: atomic deploys into a folder a web server serves.

    DIR/
    ├── current -> releases/20261127T131500Z     what nginx serves (`root DIR/current;`)
    ├── previous -> releases/20261126T080000Z    the one live before it: `newsgen rollback` goes back to it
    └── releases/
        ├── 20261125T170000Z/
        ├── 20261126T080000Z/
        └── 20261127T131500Z/

A release is copied into a hidden folder in releases/ and renamed to its name only when complete;
then `current` is switched by renaming a new symlink onto it, so a visitor gets either the old site
or the new one, never a mix. Files with the same bytes as in the live release are hard links to
it: a new release costs only what changed.

`previous` is the history rollback follows, not the order of the names: publish points it at the
release that was live, and rollback swaps it with `current`, so a second rollback undoes the first,
and a release rolled back from, then published over, is out of rollback's reach. It is switched by a
rename too, before `current`: if newsgen is killed between the two, it names the live release and is
ignored. Without a usable `previous` (a DIR from an older newsgen, or its release deleted by hand),
rollback goes to the newest release older than the live one by name.
"""

from __future__ import annotations

import errno
import filecmp
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .config.settings import load_config
from .errors import NewsgenError, OutputError, UsageError
from .write.marker import CHANGES, MARKER
from .write.writer import folder_lock, output_lock

CURRENT = "current"
# In every release newsgen made: only those are rolled back to, or deleted when old.
RELEASE_MARK = ".newsgen-release"
PREVIOUS = "previous"
RELEASES = "releases"
# Hidden names: a release being copied, one being deleted, a symlink about to become `current` or
# `previous`. Only newsgen makes them, so what a killed run left behind can be removed on the next run.
_INCOMING, _REMOVING = ".newsgen-incoming-", ".newsgen-removing-"
_NEW_LINK = {CURRENT: ".newsgen-current-", PREVIOUS: ".newsgen-previous-"}
_RELEASE_NAME = re.compile(r"\d{8}T\d{6}Z(?:-([1-9]\d*))?")


@dataclass(frozen=True)
class Published:
    release: str  # the name of the release now live, under DIR/releases/
    target: Path  # DIR
    removed: list[str]  # old releases deleted to keep --keep of them
    copied: int  # files copied
    linked: int  # files hard-linked to the same bytes in the release that was live
    was_live: str | None  # the release live until now, where rollback goes; None on a first publish


def publish(
    source_dir: Path,
    target: Path,
    *,
    output_dir: Path | None = None,
    keep: int = 5,
    now: datetime | None = None,
) -> Published:
    """Copy the built site of `source_dir` into a new release of `target` and make it live."""
    config = load_config(source_dir, output_dir=output_dir)
    build_dir = config.output_dir  # as `newsgen build` finds it
    if not (build_dir / MARKER).is_file():
        raise UsageError(
            f"chưa có trang web đã tạo ở {build_dir} (thiếu tệp {MARKER} mà newsgen build ghi ra)",
            path="--output",
            hint="chạy newsgen build trước rồi xuất bản lại; nếu đã tạo vào thư mục khác, chỉ ra nó bằng "
            "--output",
        )
    target = target.resolve()
    releases = target / RELEASES
    if target == build_dir or build_dir in target.parents or releases in build_dir.parents:
        raise UsageError(
            f"thư mục xuất bản {target} và thư mục trang web đã tạo {build_dir} lồng vào nhau",
            path="--to",
            hint="xuất bản vào một thư mục riêng, ví dụ --to /var/www/tin",
        )
    _check_target(target, config.source_dir.resolve())
    _live_release(target)  # a `current` or `previous` that is not ours: refused before anything is made
    _check_nothing_else(target)
    with _locked(target), output_lock(build_dir):  # and no build changes the site while it is copied
        live = _live_release(target)
        name = _new_name(releases, now or datetime.now(UTC))
        incoming = releases / (_INCOMING + name)
        try:
            copied, linked = _copy_site(build_dir, incoming, releases / live if live else None)
            os.rename(incoming, releases / name)
        except OSError as error:
            shutil.rmtree(incoming, ignore_errors=True)
            raise _disk_error(error, target) from None
        try:
            _switch(target, name, live)
        except OSError as error:
            shutil.rmtree(releases / name, ignore_errors=True)  # never live: nobody can be reading it
            raise _disk_error(error, target) from None
        removed = _prune(target, keep, name)
    return Published(name, target, removed, copied, linked, live)


def rollback(target: Path) -> tuple[str, str]:
    """Make the release that was live before the live one live again, and remember the one left as
    `previous`, so a second rollback undoes the first; (the one left, the one now live)."""
    target = target.resolve()
    _live_release(target)  # a `current` or `previous` that is not ours: refused, whatever else is there
    if not (target / RELEASES).is_dir():
        raise UsageError(
            f"{target} chưa có bản nào được xuất bản (không có thư mục {RELEASES}/)",
            path="--to",
            hint="kiểm tra đường dẫn sau --to; xuất bản bằng newsgen publish --to THƯ_MỤC",
        )
    with _locked(target):
        live = _live_release(target)
        if live is None:
            raise UsageError(
                f"{target / CURRENT} chưa trỏ tới bản nào trong {RELEASES}/",
                path="--to",
                hint="xuất bản bằng newsgen publish --to THƯ_MỤC",
            )
        back = _rollback_target(target, live)
        if back is None:
            raise UsageError(
                f"không có bản nào trước bản đang chạy {live} trong {target / RELEASES}, nên không quay lại "
                "được; bản đang chạy vẫn giữ nguyên",
                path="--to",
                hint="chỉ quay lại được khi đã xuất bản ít nhất hai lần (các bản cũ hơn --keep đã bị xóa)",
            )
        try:
            _switch(target, back, live)
        except OSError as error:
            raise _disk_error(error, target) from None
        return live, back


def _check_target(target: Path, source_dir: Path) -> None:
    """Not the site's folder or one inside it (the next build would publish it, git would hold
    it), nor a file."""
    if target == source_dir or source_dir in target.parents:
        raise UsageError(
            f"thư mục xuất bản {target} nằm trong thư mục của trang {source_dir}",
            path="--to",
            hint="xuất bản ra ngoài thư mục của trang, vào thư mục máy chủ web phục vụ, ví dụ /var/www/tin",
        )
    if target.exists() and not target.is_dir():
        raise UsageError(
            f"{target} là một tệp, không phải thư mục",
            path="--to",
            hint="chỉ ra một thư mục, ví dụ --to /var/www/tin; newsgen tạo nó nếu chưa có",
        )


def _check_nothing_else(target: Path) -> None:
    """A folder that holds other things is not one to publish into: pruning would be a hazard."""
    ours = (target / RELEASES).is_dir() or (target / CURRENT).is_symlink()
    if target.is_dir() and not ours and any(target.iterdir()):
        raise UsageError(
            f"thư mục {target} đã có những thứ khác, mà chưa từng được newsgen publish dùng",
            path="--to",
            hint="chọn một thư mục trống hoặc chưa có, ví dụ --to /var/www/tin (newsgen tạo nó)",
        )


def _live_release(target: Path) -> str | None:
    """The release `current` points to; refuses a `current` or a `previous` that is not newsgen's
    symlink."""
    roles = {
        CURRENT: f"nếu đó là trang đang chạy, đổi tên nó rồi chạy lại ngay: newsgen sẽ tạo {CURRENT} là "
        "liên kết tới bản mới",
        PREVIOUS: f"newsgen ghi ở {PREVIOUS} liên kết tới bản chạy trước bản đang chạy (nơi newsgen "
        "rollback quay về); đổi tên nó rồi chạy lại",
    }
    for name, what_to_do in roles.items():
        link = target / name
        if not link.is_symlink() and link.exists():
            raise UsageError(
                f"{link} là một {'thư mục' if link.is_dir() else 'tệp'} thật, không phải liên kết "
                "(symlink) do newsgen publish tạo, nên newsgen không đụng vào nó",
                path="--to",
                hint=f"{what_to_do} (ví dụ mv {link} {link}-cu); hoặc chọn thư mục --to khác",
            )
    return _release_at(target, CURRENT)


def _release_at(target: Path, link: str) -> str | None:
    """The release the symlink target/`link` points to, if it is one of ours and still there."""
    if not (target / link).is_symlink():
        return None
    pointed = (target / link).resolve()
    if pointed.parent == (target / RELEASES).resolve() and _RELEASE_NAME.fullmatch(pointed.name):
        return pointed.name if pointed.is_dir() else None
    return None


def _rollback_target(target: Path, live: str) -> str | None:
    """Where rollback goes from `live`: the release `previous` points to; without one that is there
    and not the live one itself, the newest release older than `live` by name; None without either."""
    previous = _release_at(target, PREVIOUS)
    if previous is not None and previous != live:
        return previous
    earlier = [name for name in _releases(target / RELEASES) if _key(name) < _key(live)]
    return earlier[-1] if earlier else None


def _releases(releases: Path) -> list[str]:
    """Release names, oldest first; other folders someone put there are no releases of ours."""
    if not releases.is_dir():
        return []
    names = [entry.name for entry in releases.iterdir() if _RELEASE_NAME.fullmatch(entry.name)]
    return sorted((name for name in names if (releases / name / RELEASE_MARK).is_file()), key=_key)


def _key(name: str) -> tuple[str, int]:
    """Sort key: by time, then by suffix as a number (…Z, …Z-2, …Z-10)."""
    match = _RELEASE_NAME.fullmatch(name)
    return (name.split("-")[0], int(match.group(1) or 1) if match else 0)


def _new_name(releases: Path, now: datetime) -> str:
    """A sortable UTC time that sorts after every release there: within the second of the newest
    one (or with a clock set back), its time with the next suffix, -2, -3…"""
    name = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    existing = _releases(releases)
    if existing and _key(name) <= _key(existing[-1]):
        time, number = _key(existing[-1])
        name = f"{time}-{number + 1}"
    return name


def _copy_site(build_dir: Path, into: Path, live: Path | None) -> tuple[int, int]:
    """Copy the site, but newsgen's bookkeeping files, into `into`; a file with the same bytes at
    the same path in `live` is hard-linked to it instead. Returns (copied, linked)."""
    copied = linked = 0
    for folder, _folders, files in os.walk(build_dir, onerror=_raise):
        relative = Path(folder).relative_to(build_dir)
        (into / relative).mkdir()  # the umask's permissions: nginx, another user, must read it
        for name in files:
            if relative == Path(".") and name in (MARKER, CHANGES):
                continue
            source, copy = Path(folder) / name, into / relative / name
            same = live / relative / name if live else None
            if same is not None and same.is_file() and filecmp.cmp(source, same, shallow=False):
                with suppress(OSError):  # a disk without hard links: copy instead
                    os.link(same, copy)
                    linked += 1
                    continue
            shutil.copy2(source, copy)
            copied += 1
    (into / RELEASE_MARK).write_text("Một bản do newsgen publish tạo; newsgen xóa nó khi đã cũ (--keep).\n")
    return copied, linked


def _raise(error: OSError) -> None:
    raise error


def _switch(target: Path, live: str, previous: str | None) -> None:
    """Point `current` at releases/`live` and `previous` at releases/`previous` (None: remove it).
    `previous` first: if `current` then fails, `previous` is put back as it was; if that fails too
    (or newsgen is killed in between), it names the live release, which rollback ignores."""
    before = os.readlink(target / PREVIOUS) if (target / PREVIOUS).is_symlink() else None
    _link(target, PREVIOUS, f"{RELEASES}/{previous}" if previous else None)
    try:
        _link(target, CURRENT, f"{RELEASES}/{live}")
    except OSError:
        with suppress(OSError):
            _link(target, PREVIOUS, before)
        raise


def _link(target: Path, which: str, to: str | None) -> None:
    """Make target/`which` a symlink to `to` in one rename: relative, so DIR can be moved. None
    removes it."""
    if to is None:
        (target / which).unlink(missing_ok=True)
        return
    link = target / f"{_NEW_LINK[which]}{os.getpid()}"
    link.unlink(missing_ok=True)
    try:
        os.symlink(to, link)
        os.replace(link, target / which)
    except OSError:
        link.unlink(missing_ok=True)
        raise


def _prune(target: Path, keep: int, live: str) -> list[str]:
    """Delete releases older than the newest `keep`, never the live one nor where rollback goes from
    it (the one `previous` points to: the one live until now). Each is renamed away first, so that a
    half-deleted release never shows under its name; a failure here leaves a release too many, no
    harm."""
    releases = target / RELEASES
    names = _releases(releases)
    protected = {live, _rollback_target(target, live), *names[-keep:]}
    removed = []
    for name in names:
        if name in protected:
            continue
        doomed = releases / (_REMOVING + name)
        try:
            os.rename(releases / name, doomed)
        except OSError:
            continue
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(name)
    return removed


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One publish or rollback at a time in `target`; then remove what killed runs left behind."""
    releases = target / RELEASES
    try:
        releases.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _disk_error(error, target) from None
    busy = UsageError(
        f"một lệnh newsgen publish hay rollback khác đang chạy với {target}",
        path="--to",
        hint="đợi lệnh đó xong rồi chạy lại",
    )
    with folder_lock(releases, busy):
        for leftover in [*releases.glob(_INCOMING + "*"), *releases.glob(_REMOVING + "*")]:
            shutil.rmtree(leftover, ignore_errors=True)
        for link in [path for prefix in _NEW_LINK.values() for path in target.glob(prefix + "*")]:
            link.unlink(missing_ok=True)
        yield


def _disk_error(error: OSError, target: Path) -> NewsgenError:
    where = os.fspath(error.filename or target)
    if error.errno == errno.ENOSPC:
        return OutputError(
            f"ổ đĩa đầy, không ghi được vào {target}; bản đang chạy vẫn giữ nguyên",
            path=where,
            hint="giải phóng dung lượng (hoặc giữ ít bản cũ hơn, ví dụ --keep 2) rồi chạy lại",
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"không có quyền với tệp hay thư mục này; bản đang chạy ở {target} vẫn giữ nguyên",
            path=where,
            hint=f"chạy lệnh bằng người dùng đọc được trang web đã tạo và ghi được vào {target} "
            f"(ví dụ sau khi sudo chown -R $USER {target}), rồi chạy lại",
        )
    return OutputError(
        f"không ghi được ({error.strerror}); bản đang chạy ở {target} vẫn giữ nguyên",
        path=where,
        hint="kiểm tra quyền ghi và dung lượng của thư mục xuất bản rồi chạy lại",
    )
