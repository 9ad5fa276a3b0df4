"""`exchange_folders`: swap two folders in one step, so that readers see one or the other, whole.

On Linux, `renameat2(RENAME_EXCHANGE)` (through ctypes: Python has no binding) swaps the two names
atomically: whenever a process is killed, each name holds one complete folder. Where the call is
missing (other systems, old C libraries) or the file system refuses it (some network file
systems), two renames do the job through a third name; a build killed between them leaves the
output folder missing for a moment, which `recover_swap` undoes before the next build.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange_folders(a: Path, b: Path) -> None:
    """After this, `a` holds what `b` held and `b` what `a` held. Both exist, on one file system."""
    if _RENAMEAT2 is not None:
        if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), os.fspath(b))
    swap = _swap_name(b)
    os.rename(b, swap)
    os.rename(a, b)
    os.rename(swap, a)


def recover_swap(folder: Path) -> None:
    """Put back a folder that a killed two-rename exchange left under its swap name."""
    swap = _swap_name(folder)
    if swap.is_dir() and not swap.is_symlink():
        if folder.exists():
            return  # killed after the second rename: the swap holds the old folder, a leftover
        os.rename(swap, folder)


def swap_leftover(folder: Path) -> Path:
    """Where a killed exchange may have left the folder that was being replaced."""
    return _swap_name(folder)


def _swap_name(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.newsgen-swap"
