"""`write_site`: the only writer of the output folder.

The site is written into a staging folder beside the output folder and swapped in only when every
file is written, so a failed build leaves the previous site exactly as it was. A folder newsgen did
not create (no marker file) is never replaced.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from .errors import NewsgenError, OutputError, UsageError
from .output import Output

MARKER = ".newsgen-output"
_MARKER_TEXT = b"This folder is written by newsgen build and replaced whole on every build.\n"


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
            shown = ", ".join(found[:3]) + (f" và {len(found) - 3} mục khác" if len(found) > 3 else "")
            raise UsageError(
                f"thư mục {out_dir} đã có tệp ({shown}) nhưng không do newsgen tạo ra, "
                "nên newsgen không ghi đè lên nó",
                path="--output",
                hint="chọn --output khác, hoặc tự xoá hay đổi tên thư mục đó nếu chắc chắn không cần",
            )


def _refuse(message: str) -> None:
    raise UsageError(message, path="--output", hint="chọn một thư mục riêng, ví dụ --output build")


def write_site(
    outputs: Iterable[Output],
    out_dir: Path,
    source_dir: Path,
    before_swap: Callable[[list[str]], None] | None = None,
) -> list[str]:
    """Write every output into a fresh copy of `out_dir` and swap it in; return the paths written.

    `outputs` is consumed as it comes, so a site never has to be held in memory whole.
    `before_swap` sees every path written and may raise to keep the previous site.
    """
    out_dir = out_dir.resolve()
    check_output_dir(out_dir, source_dir)
    staging = out_dir.with_name(f".{out_dir.name}.newsgen-staging")
    _remove_own_folder(staging)
    try:
        staging.mkdir(parents=True)
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        written = _write_all(outputs, staging)
        if before_swap is not None:
            before_swap(written)
        _swap_in(staging, out_dir)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise _disk_error(error) from None
        raise
    return written


def _write_all(outputs: Iterable[Output], staging: Path) -> list[str]:
    written: dict[str, None] = {}  # insertion-ordered set
    for output in outputs:
        target = staging / _safe_relative(output.path)
        if output.path in written:
            raise OutputError(
                f"hai nội dung cùng ghi vào một tệp {output.path}",
                hint="đổi tên tệp trong static/ hoặc slug của bài viết để chúng không trùng nhau",
            )
        written[output.path] = None
        target.parent.mkdir(parents=True, exist_ok=True)
        if output.source is not None:
            shutil.copyfile(output.source, target)
        else:
            target.write_bytes(output.data or b"")
    return list(written)


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts or "\\" in path:
        raise OutputError(
            f'đường dẫn "{path}" thoát ra ngoài thư mục đầu ra',
            hint="kiểm tra slug: và permalink: (không dùng .., / ở đầu, hay \\)",
        )
    return relative


def _swap_in(staging: Path, out_dir: Path) -> None:
    old = out_dir.with_name(f".{out_dir.name}.newsgen-old")
    _remove_own_folder(old)
    if out_dir.exists():
        os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except OSError:
        if old.exists():
            os.rename(old, out_dir)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove_own_folder(folder: Path) -> None:
    """Remove a leftover staging folder of an interrupted build, never anyone else's folder."""
    if not folder.exists():
        return
    if not (folder / MARKER).is_file():
        raise OutputError(
            f"{folder} đã tồn tại nhưng không do newsgen tạo ra",
            hint="đổi tên hoặc xoá thư mục đó rồi dựng lại",
        )
    shutil.rmtree(folder)


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
