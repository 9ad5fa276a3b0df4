"""`report_bug`: the last resort for an exception no user input should cause — a newsgen bug.

The user sees one line in Vietnamese saying so and where the details are; the traceback goes to
a file, with what a bug report needs (versions, the command), not to the screen.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXIT_BUG = 70  # EX_SOFTWARE, from sysexits.h: an internal software error


def report_bug(error: BaseException, argv: list[str]) -> int:
    """Save `error`'s traceback, tell the user in one line, and return the exit code."""
    from ..version import __version__

    details = (
        f"newsgen {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
        f"lệnh: newsgen {' '.join(argv)}\n\n"
        + "".join(traceback.format_exception(type(error), error, error.__traceback__))
    )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", prefix=f"newsgen-loi-{stamp}-", suffix=".txt", delete=False
        ) as file:
            file.write(details)
        saved = f"chi tiết đã lưu ở {Path(file.name)}"
    except OSError:
        saved = "không lưu được chi tiết ra tệp, chúng ở ngay dưới đây"
        print(details, file=sys.stderr)
    print(
        f"Lỗi của chính newsgen, không phải của trang hay bài viết ({type(error).__name__}): {saved}; "
        "khi báo lỗi cho người phát triển newsgen, vui lòng gửi kèm tệp đó và lệnh vừa chạy.",
        file=sys.stderr,
    )
    return EXIT_BUG
