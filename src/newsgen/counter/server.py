"""Running the counter's app under granian, the HTTP server `newsgen counter serve` starts.

Granian (a Rust HTTP server, hyper's parser) was chosen over uvicorn and hypercorn by
benchmarks/counter.py and by how each treats bad requests (benchmarks/README.md): the fastest of
the three, and unlike uvicorn it closes a connection whose headers come too slowly (slowloris).
One worker process: one writer per database, and figures that agree.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError, NewsgenError, UsageError
from .app import CounterApp
from .store import CounterStore, open_database

FACTORY = "newsgen.counter:app_from_environment"
HEADER_SECONDS = 10  # a request's headers must all come within this (slowloris)
HEADER_BYTES = 16 * 1024  # a request's headers may fill this much; a browser's take 1-2 KiB


def serve_counter(
    database: Path,
    host: str,
    port: int,
    origins: Iterable[str],
    offset: int,
    on_ready: Callable[[str], None],
) -> None:
    """Serve the counter until SIGINT or SIGTERM, then write what is queued and return."""
    from granian import Granian
    from granian.constants import Interfaces, Loops
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    origins = [_site_address(origin) for origin in origins]
    port = _free(host, port)
    open_database(database).close()  # a database that cannot be opened is said here, plainly
    os.environ.update(
        NEWSGEN_COUNTER_DB=str(database.resolve()),
        NEWSGEN_COUNTER_ORIGINS=",".join(origins),
        NEWSGEN_COUNTER_OFFSET=str(offset),
        NEWSGEN_COUNTER_PARENT=str(os.getpid()),
    )
    server = Granian(
        FACTORY,
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=1,
        # asyncio's own loop: with uvloop (5,000 hits/s instead of 4,200) one stop in about 20
        # under load hung for ever, the worker's signal handler blocked inside granian
        loop=Loops.asyncio,
        workers_kill_timeout=30,  # a worker that still has not stopped is killed: what it answered is on disk
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_SECONDS * 1000, max_buffer_size=HEADER_BYTES),
        log_level=LogLevels.warning,
    )
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    threading.Thread(target=_tell_when_listening, args=(host, port, url, on_ready), daemon=True).start()
    server.serve()


def _free(host: str, port: int) -> int:
    """`port`, or any free one for 0, once no other program listens there (granian's workers
    share it with SO_REUSEPORT, so a second counter would otherwise share it silently; two
    started in the same instant can still both pass, which systemd's one unit never does)."""
    try:
        with socket.create_server((host, port)) as probe:
            return int(probe.getsockname()[1])
    except OSError as error:
        if (error.errno or 0) < 0:  # the resolver's error (a gaierror, re-raised by create_server)
            raise UsageError(
                f"không tìm thấy địa chỉ {host}",
                path="--host",
                hint="kiểm tra --host: thường là 127.0.0.1 khi bộ đếm chạy sau nginx",
            ) from None
        reason, hint = _BIND_ERRORS.get(error.errno or 0, (os.strerror(error.errno or 0), "kiểm tra --port"))
        raise UsageError(
            f"không mở được cổng {port} trên {host}: {reason}", path="--port", hint=hint
        ) from None


_BIND_ERRORS = {
    errno.EADDRINUSE: (
        "một chương trình khác đang dùng cổng này",
        "có thể bộ đếm đã chạy rồi; nếu không, chọn cổng khác bằng --port (và sửa cả cấu hình nginx)",
    ),
    errno.EADDRNOTAVAIL: (
        "máy này không có địa chỉ đó",
        "kiểm tra --host: thường là 127.0.0.1 khi bộ đếm chạy sau nginx",
    ),
    errno.EACCES: (
        "không có quyền dùng cổng này",
        "cổng dưới 1024 cần quyền quản trị; chọn cổng từ 1024 trở lên, ví dụ 8001",
    ),
}


def _site_address(origin: str) -> str:
    """A site's address as browsers send it in Origin: scheme and host, nothing after."""
    parts = urlsplit(origin.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.path not in ("", "/")
        or parts.query
    ):
        raise UsageError(
            f'địa chỉ trang "{origin}" chưa đúng dạng',
            path="--origin",
            hint="viết đủ giao thức và tên miền, không có đường dẫn, ví dụ https://stttt.dienbien.gov.vn",
        )
    return f"{parts.scheme}://{parts.netloc}"


def _stop_with_parent() -> None:
    """Stop this worker gracefully once `newsgen counter serve` is gone (killed with -9, say):
    granian would leave it serving on its own, holding the port against the next start."""
    parent = int(os.environ["NEWSGEN_COUNTER_PARENT"])

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        # again each second: one that comes while granian still starts the worker is lost; and
        # with the parent gone, nothing else ends a stop that hangs
        for _ in range(35):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="counter-parent", daemon=True).start()


def _tell_when_listening(host: str, port: int, url: str, on_ready: Callable[[str], None]) -> None:
    """Call `on_ready` once the worker takes connections (it binds the port after it starts)."""
    while True:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            on_ready(url)
            return
        time.sleep(0.02)


def app_from_environment() -> CounterApp:
    """The app granian's worker runs (`--factory newsgen.counter:app_from_environment`), from
    NEWSGEN_COUNTER_DB, NEWSGEN_COUNTER_ORIGINS (comma-separated) and NEWSGEN_COUNTER_OFFSET, and
    NEWSGEN_COUNTER_PARENT when `newsgen counter serve` started it."""
    database = Path(os.environ.get("NEWSGEN_COUNTER_DB", "counter.sqlite"))
    origins = [origin for origin in os.environ.get("NEWSGEN_COUNTER_ORIGINS", "").split(",") if origin]
    offset = os.environ.get("NEWSGEN_COUNTER_OFFSET", "0").strip()
    try:
        if not offset.isdigit():
            raise ConfigError(
                f'phải là một số nguyên không âm, không phải "{offset}"',
                path="NEWSGEN_COUNTER_OFFSET",
                hint="viết số lượt của cổng cũ, không có dấu chấm hay dấu phẩy, ví dụ 82744821",
            )
        app = CounterApp(CounterStore(database, int(offset)), origins)
    except NewsgenError as error:  # the server would print a traceback: say it plainly instead
        raise SystemExit(f"newsgen counter: {error}") from None
    if os.environ.get("NEWSGEN_COUNTER_PARENT", "").isdigit():
        _stop_with_parent()
    return app
