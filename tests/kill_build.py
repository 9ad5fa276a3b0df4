"""Run `newsgen build` and SIGKILL it at its Nth change to the disk (tests/test_atomic_output.py).

    python tests/kill_build.py SITE N [--two-renames]

Changes are counted with an audit hook (PEP 578): every file opened for writing, folder made,
rename, hard link, removal and permission change. N = 0 kills nothing and prints to stderr, one a line,
each change as `kind path`, so that a test can choose its moments. `--two-renames` makes the
writer exchange the folders without renameat2, as on systems that lack it.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_CHANGES = {"os.mkdir", "os.rename", "os.link", "os.remove", "os.rmdir", "shutil.rmtree", "os.chmod"}


def main() -> None:
    site, kill_at = sys.argv[1], int(sys.argv[2])
    if "--two-renames" in sys.argv:
        from newsgen.write import exchange

        exchange._RENAMEAT2 = None
    seen = 0

    def hook(event: str, args: tuple[Any, ...]) -> None:
        nonlocal seen
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in mode for c in "wxa+")) or (
                mode is None and isinstance(flags, int) and flags & _WRITES
            )
            if not writing or not isinstance(path, (str, bytes, os.PathLike)):
                return
        elif event not in _CHANGES:
            return
        else:
            path = args[0]
        seen += 1
        if kill_at == 0:
            shown = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else path
            print(event, shown, file=sys.stderr)
        elif seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    from newsgen.commands.cli import main as newsgen

    sys.addaudithook(hook)
    code = newsgen(["build", "--source", site, "--jobs", "1"])
    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
