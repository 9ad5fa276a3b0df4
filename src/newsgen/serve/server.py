"""`serve_site`: the editor's preview. It builds the site, serves it, rebuilds on every change and
reloads the open tabs.

Three parts, each in its own thread or process:
- the builder, a process forked before anything else starts (a build forks render workers, which
  is safe only from a process with a single thread). It stays up between builds, with its imports
  and set-up in memory; a build's output and records are where `newsgen build` keeps its own, in a
  folder of their own (`.newsgen-cache/serve/`), so drafts never reach build/;
- the rebuild thread, which waits for changes (`watch.watch_site`) and asks for a build;
- the web server (tornado, through the `livereload` package, whose script and protocol reload the
  tabs). It serves the last good build only, never a file outside it, the site's 404 page with
  status 404, and, while the last build failed, a list of its problems on top of every page.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import gc
import html
import mimetypes
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler  # type: ignore[import-untyped]
from tornado import httpserver, web
from tornado.websocket import WebSocketClosedError

from ..build import build, prepare_next_build
from ..config.settings import CONFIG_FILE
from ..errors import BuildFailed, NewsgenError, UsageError
from ..incremental.memory import Memory
from ..report import BuildReport
from ..site.urls import NOT_FOUND_PATH
from ..state.store import CACHE_DIR
from .watch import watch_site

PREVIEW_DIR = Path(CACHE_DIR) / "serve"
BuildOnce = functools.partial[BuildReport]  # `build` with the preview's options


@dataclass(frozen=True)
class Outcome:
    """What one build in the preview came to."""

    report: BuildReport | None  # None: it failed
    problems: tuple[NewsgenError, ...] = ()  # why it failed
    crash: str = ""  # a bug in newsgen: the traceback
    changed: tuple[str, ...] = ()  # the source files whose change started it
    recovered: bool = False  # it succeeded where the build before it failed


def serve_site(
    source_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = True,
    future: bool = False,
    jobs: int = 1,
    on_ready: Callable[[str], None] = print,
    on_build: Callable[[Outcome], None] = print,
) -> None:
    """Serve the site in `source_dir` at http://host:port/ until Ctrl-C (or SIGTERM).

    `on_ready(url)` is told where once the first build is done; `on_build` hears of every build."""
    source_dir = source_dir.resolve()
    if not (source_dir / "content").is_dir() and not (source_dir / CONFIG_FILE).is_file():
        raise UsageError(
            f"{source_dir} không phải thư mục của một trang (không có newsgen.yaml hay content/)",
            hint="chạy lệnh trong thư mục của trang, chỉ rõ bằng --source THƯ_MỤC, "
            "hoặc tạo trang mới bằng newsgen init",
        )
    sockets = _listen(host, port)
    url = _url(host, sockets[0].getsockname()[1])
    try:
        lock = _only_preview(source_dir, url)
    except UsageError:
        for listening in sockets:
            listening.close()
        raise
    preview = _Preview(source_dir / PREVIEW_DIR)
    build_once = functools.partial(
        build,
        source_dir,
        output_dir=preview.output_dir,
        base_url=url,
        drafts=drafts,
        future=future,
        jobs=jobs if hasattr(os, "fork") else 1,
    )
    signal.signal(signal.SIGTERM, _interrupt)  # stops the preview as Ctrl-C does, from now on
    builder = Builder(build_once, sockets)  # before any thread starts
    stop = threading.Event()
    rebuilder = _Rebuilder(source_dir, builder, preview, stop, on_build)
    try:
        rebuilder.start()
        rebuilder.first_build.wait()
        asyncio.run(_serve(sockets, preview, rebuilder, lambda: on_ready(url)))
    finally:
        stop.set()
        builder.stop()
        rebuilder.join(timeout=2)
        if lock is not None:
            lock.close()


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _only_preview(source_dir: Path, url: str) -> IO[str] | None:
    """Hold the site's preview lock while the preview runs, and write its address in it: two
    previews of one site would build into one folder, each undoing the other's work."""
    if fcntl is None:  # pragma: no cover - Windows
        return None
    path = source_dir / CACHE_DIR / "serve.lock"
    path.parent.mkdir(exist_ok=True)
    lock = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until the preview stops
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        other = lock.read().strip()
        lock.close()
        raise UsageError(
            f"trang này đang được xem thử bởi một newsgen serve khác, tại {other or 'một cổng khác'}",
            hint="mở địa chỉ đó trong trình duyệt, hoặc dừng lệnh kia (Ctrl-C) rồi chạy lại",
        ) from None
    lock.truncate(0)
    lock.write(url)
    lock.flush()
    return lock


class Builder:
    """Runs builds in a process of its own (see the module's docstring). Where processes cannot be
    forked, builds run in the caller's thread, one worker each."""

    def __init__(self, build_once: BuildOnce, inherited: list[socket.socket] | None = None) -> None:
        """`inherited`: the server's listening sockets, which the builder's process closes."""
        self.build_once = build_once
        self.pid = 0  # the builder's process; 0 where there is none
        self.building = False
        self.stopped = False
        if not hasattr(os, "fork"):  # pragma: no cover - Windows
            return
        self.connection, theirs = Pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the builder's process
            try:
                self.connection.close()
                for listening in inherited or ():
                    listening.close()
                _build_on_request(theirs, build_once)
            finally:
                os._exit(0)
        theirs.close()
        _own_process_group(self.pid)

    def build(self) -> Outcome:
        if self.stopped:
            return Outcome(None)
        if not self.pid:  # pragma: no cover - Windows
            return _outcome(self.build_once)
        self.building = True
        try:
            self.connection.send("build")
            outcome: Outcome = self.connection.recv()
        except (EOFError, OSError):
            return Outcome(
                None, crash="tiến trình tạo trang web đã dừng bất thường; hãy chạy lại newsgen serve"
            )
        finally:
            self.building = False
        return outcome

    def stop(self) -> None:
        """Stop the builder and its render workers: an idle builder once it has saved its records
        (it ends when its pipe closes), a busy one at once."""
        if self.stopped or not self.pid:
            self.stopped = True
            return
        self.stopped = True
        if not self.building:
            self.connection.close()
            if _ended_within(self.pid, 5.0):
                return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _ended_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            return True
        time.sleep(0.02)
    return False


def _own_process_group(pid: int) -> None:
    """Put the builder in a process group of its own (done on both sides of the fork, whichever
    runs first): Ctrl-C in the terminal then reaches the server alone, which stops the builder and
    its workers together, instead of every worker printing a traceback."""
    with contextlib.suppress(PermissionError, ProcessLookupError):  # the child did it first, or exited
        os.setpgid(pid, pid)


def _build_on_request(connection: Connection, build_once: BuildOnce) -> None:
    """The builder's loop: a build for each request, with what the last one kept in memory. A
    build right after one that succeeded in this process takes the output folder from that
    one's record; any other walks it (a record from an earlier preview may not have been saved)."""
    _own_process_group(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    memory = Memory(own_output=True)
    gc.disable()  # during a build, the cycle collector would walk its objects again and again
    while True:
        try:
            connection.recv()
        except (EOFError, OSError):
            return  # the server has gone
        outcome = _outcome(build_once, memory=memory)
        connection.send(outcome)
        if outcome.report is not None:  # the spare catches up, unless the next save comes first
            _prepare_next_build(connection.poll, memory)
        gc.collect()


def _prepare_next_build(cancelled: Callable[[], bool], memory: Memory) -> None:
    try:
        prepare_next_build(memory, cancelled)
    except NewsgenError as error:  # the next build says it again, if it still holds
        print(f"Lỗi: {error}", file=sys.stderr, flush=True)


def _outcome(build_once: BuildOnce, **options: object) -> Outcome:
    try:
        return Outcome(build_once(**options))
    except BuildFailed as failed:
        return Outcome(None, tuple(failed.problems))
    except NewsgenError as error:
        return Outcome(None, (error,))
    except Exception:  # noqa: BLE001 - a bug in newsgen: shown, and the preview carries on
        return Outcome(None, crash=traceback.format_exc())


class _Preview:
    """What the server shows: the last good build, and the problems of the last build if it failed."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.problems: tuple[NewsgenError, ...] = ()
        self.crash = ""

    def record(self, outcome: Outcome) -> bool:
        """Take in a build's outcome; True if what the browser shows has changed."""
        before = ([str(problem) for problem in self.problems], self.crash)
        self.problems, self.crash = outcome.problems, outcome.crash
        after = ([str(problem) for problem in self.problems], self.crash)
        built = outcome.report is not None and (outcome.report.changed > 0 or outcome.report.removed > 0)
        return built or before != after

    def find(self, url_path: str) -> Path | str | None:
        """The file that `url_path` shows; "/" for a folder asked for without its final slash;
        None for nothing, or anything outside the output folder or hidden."""
        parts = [part for part in url_path.split("/") if part]
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        target = self.output_dir.joinpath(*parts)
        try:
            if target.is_dir():
                if url_path and not url_path.endswith("/"):
                    return "/"
                target = target / "index.html"
            if not target.is_file() or not target.resolve().is_relative_to(self.output_dir.resolve()):
                return None
        except (OSError, ValueError):  # a name too long for the disk, say
            return None
        return target

    def decorate(self, page: bytes) -> bytes:
        """An HTML page as the preview shows it: with the reload script, and the problems."""
        page = _insert(page, b"</head>", RELOAD_SCRIPT, before=True)
        if self.problems or self.crash:
            built = (self.output_dir / "index.html").is_file()
            page = _insert(page, b"<body", _problems_panel(self.problems, self.crash, built), before=False)
        return page


RELOAD_SCRIPT = b'<script src="/livereload.js" defer></script>'


def _insert(page: bytes, tag: bytes, addition: bytes, *, before: bool) -> bytes:
    """`addition` before `tag`, or after the end of the tag (`<body ...>`); else at the end."""
    at = page.find(tag)
    if at < 0:
        return page + addition
    if not before:
        at = page.find(b">", at) + 1
    return page[:at] + addition + page[at:]


def _problems_panel(problems: tuple[NewsgenError, ...], crash: str, built: bool) -> bytes:
    if crash:
        heading = "newsgen gặp lỗi khi tạo trang web"
        items = (
            f"<pre>{html.escape(crash)}</pre><p>Đây là lỗi của newsgen, không phải của bạn: "
            "hãy báo lại cho nhóm phát triển kèm nội dung trên.</p>"
        )
    else:
        heading = f"Chưa tạo được trang web vì có {len(problems)} lỗi"
        items = "<ol>" + "".join(_problem_item(problem) for problem in problems) + "</ol>"
    return (
        '<section id="newsgen-loi" role="alert" style="all:initial;display:block;box-sizing:border-box;'
        "margin:0;padding:1rem 1.25rem;background:#fff0f0;border-bottom:4px solid #b00020;color:#1a1a1a;"
        'font:16px/1.5 system-ui,sans-serif;overflow-wrap:anywhere">'
        f'<h2 style="all:revert;margin:0 0 .5rem;font-size:1.25rem;color:#b00020">{heading}</h2>'
        f'<div style="all:revert">{items}</div>'
        '<p style="all:revert;margin:.5rem 0 0">Sửa rồi lưu tệp: trang sẽ tự tải lại. '
        + (
            "Bên dưới là trang web như lần tạo thành công gần nhất."
            if built
            else "Trang web chưa tạo được lần nào."
        )
        + "</p></section>"
    ).encode()


def _problem_item(problem: NewsgenError) -> str:
    where = ""
    if problem.path:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        where = f'<code style="all:revert;font-weight:700">{html.escape(where)}</code>: '
    hint = f" — {html.escape(problem.hint)}" if problem.hint else ""
    return f'<li style="all:revert">{where}{html.escape(problem.message)}{hint}</li>'


class _Rebuilder(threading.Thread):
    """Builds once, then again on every change, and at the time a scheduled article is due."""

    def __init__(
        self,
        source_dir: Path,
        builder: Builder,
        preview: _Preview,
        stop: threading.Event,
        on_build: Callable[[Outcome], None],
    ) -> None:
        super().__init__(name="newsgen-rebuild", daemon=True)
        self.source_dir, self.builder, self.preview, self.stop = source_dir, builder, preview, stop
        self.on_build = on_build
        self.first_build = threading.Event()
        self.reload: Callable[[], None] = lambda: None  # set once the server runs
        self.due = float("inf")  # when a scheduled article goes up

    def run(self) -> None:
        try:
            for changes in watch_site(self.source_dir, self.stop):
                if self.first_build.is_set() and not changes and time.time() < self.due:
                    continue
                self._rebuild(changes)
                self.first_build.set()
        except Exception:  # noqa: BLE001 - a bug in newsgen: said, rather than a preview gone quiet
            self.on_build(Outcome(None, crash=traceback.format_exc()))
        finally:
            self.first_build.set()  # the server must not wait for a build that will not come

    def _rebuild(self, changes: set[str]) -> None:
        outcome = self.builder.build()
        if self.stop.is_set():
            return
        changed = sorted(_relative(path, self.source_dir) for path in changes)
        failed_before = bool(self.preview.problems or self.preview.crash)
        recovered = failed_before and outcome.report is not None
        outcome = Outcome(outcome.report, outcome.problems, outcome.crash, tuple(changed), recovered)
        report = outcome.report  # built again when an article is due, a pin ends, a document's status changes
        moments = (report.next_scheduled, report.next_unpinned, report.next_document_change) if report else ()
        self.due = min((moment.timestamp() for moment in moments if moment), default=float("inf"))
        if self.preview.record(outcome):
            self.reload()
        self.on_build(outcome)


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return path


async def _serve(
    sockets: list[socket.socket], preview: _Preview, rebuilder: _Rebuilder, ready: Callable[[], None]
) -> None:
    loop = asyncio.get_running_loop()
    app = web.Application(
        [
            (r"/livereload", LiveReloadHandler),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/(.*)", _SiteFiles, {"preview": preview}),
        ],
        log_function=lambda _handler: None,  # no line per request in the editor's terminal
    )
    server = httpserver.HTTPServer(app)
    server.add_sockets(sockets)

    def reload() -> None:
        with contextlib.suppress(RuntimeError):  # the server has stopped
            loop.call_soon_threadsafe(_reload_tabs)

    rebuilder.reload = reload
    ready()
    try:
        await asyncio.Event().wait()  # until Ctrl-C or SIGTERM
    finally:
        server.stop()


def _reload_tabs() -> None:
    """Tell every tab that said hello on the LiveReload socket to reload its page."""
    message = {"command": "reload", "path": "/", "liveCSS": True, "liveImg": True}
    for tab in list(LiveReloadHandler.waiters):
        try:
            tab.write_message(message)
        except WebSocketClosedError:
            LiveReloadHandler.waiters.discard(tab)


class _SiteFiles(web.RequestHandler):
    """The preview's files: the output folder's, HTML decorated by `_Preview.decorate`."""

    def initialize(self, preview: _Preview) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-cache")  # always ask again, since the site changes

    def get(self, path: str) -> None:
        found = self.preview.find(path)
        if isinstance(found, str):
            query = f"?{self.request.query}" if self.request.query else ""
            folder = "/".join(part for part in self.request.path.split("/") if part)
            self.redirect(f"/{folder}/{query}")  # not `//host/`: a link to another site
            return
        status = 200
        if found is None:
            status, found = 404, self.preview.output_dir / NOT_FOUND_PATH
        try:
            body = found.read_bytes()
        except OSError:  # no 404 page yet, or a file replaced while read
            status, found, body = 404, Path(NOT_FOUND_PATH), _BARE_NOT_FOUND
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in _TEXT_TYPES:
            content_type += "; charset=utf-8"
        if content_type.startswith("text/html"):
            body = self.preview.decorate(body)
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.finish(body)

    head = get


_TEXT_TYPES = {"application/javascript", "application/json", "application/xml", "image/svg+xml"}
_BARE_NOT_FOUND = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Không tìm thấy trang</title></head>'
    "<body><h1>Không tìm thấy trang</h1></body></html>"
).encode()


def _listen(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for host:port, or a message that says why not."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
        listening = socket.create_server((host, port), family=family, backlog=128)
        listening.setblocking(False)  # as tornado's server expects
        return [listening]
    except socket.gaierror:
        raise UsageError(
            f"không tìm thấy máy {host!r}", path="--host", hint="dùng 127.0.0.1 (chỉ máy này xem được)"
        ) from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"cổng {port} đang được một chương trình khác dùng (có thể là một newsgen serve khác)",
                path="--port",
                hint=f"dừng chương trình đó, hoặc chọn cổng khác: newsgen serve --port {port + 1}",
            ) from None
        if error.errno == errno.EACCES:
            raise UsageError(
                f"không được phép mở cổng {port}",
                path="--port",
                hint="các cổng dưới 1024 cần quyền quản trị; hãy chọn cổng từ 1024 trở lên, ví dụ 8000",
            ) from None
        raise UsageError(
            f"không mở được {host}:{port} ({error.strerror})",
            path="--host",
            hint="dùng 127.0.0.1 (chỉ máy này xem được) hoặc địa chỉ của chính máy này",
        ) from None


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"
