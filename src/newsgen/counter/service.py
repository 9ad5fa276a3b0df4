"""The visit counter behind "Thống kê truy cập": a small WSGI service that stores hits in SQLite.

`POST /hit` with a JSON body `{"path": "/2023/02/…/", "visitor": "<id>"}`, sent as text/plain so
that `navigator.sendBeacon` needs no CORS preflight, counts a visit; `GET /stats` answers
`{"online", "today", "week", "total"}`. Online: distinct visitors in the last five minutes.
Today and this week follow the calendar of Asia/Ho_Chi_Minh, weeks starting on Monday. Total
starts from the offset carried over from the old portal. No cookie is set and no address kept:
a visitor is the random id the page's script keeps in localStorage.

Storage: a count per day and one row per visitor (when last seen, and how many hits it made in
its current rate window), each hit one short transaction, in WAL mode, so that hits from many
threads are never lost and a restart loses nothing.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawlerdetect import CrawlerDetect  # type: ignore[import-untyped]

from ..errors import ConfigError, NewsgenError, UsageError

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ONLINE_SECONDS = 5 * 60
RATE_WINDOW = 10 * 60  # seconds
RATE_LIMIT = 60  # hits a visitor may make in one window; more are not counted
MAX_BODY = 2048  # bytes
_VISITOR = re.compile(r"[A-Za-z0-9_-]{8,64}")

Clock = Callable[[], datetime]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CounterStore:
    """The counts, in one SQLite file; safe to use from many threads at once."""

    def __init__(self, database: Path, offset: int = 0, clock: Clock = _utc_now) -> None:
        self.database, self.offset, self.clock = database, offset, clock
        self._local = threading.local()
        self._writing = threading.Lock()
        try:
            self._create_tables()
        except sqlite3.Error:
            raise UsageError(
                f"không mở hay ghi được tệp số đếm {database}",
                path="--db",
                hint="kiểm tra thư mục chứa tệp đã có và cho phép ghi, "
                "hoặc chọn tệp khác (--db, NEWSGEN_COUNTER_DB)",
            ) from None

    def _create_tables(self) -> None:
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, hits INTEGER NOT NULL)"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS visitors (visitor TEXT PRIMARY KEY, last_seen INTEGER NOT NULL,"
                " window_start INTEGER NOT NULL, window_hits INTEGER NOT NULL)"
            )
            connection.execute("CREATE INDEX IF NOT EXISTS visitors_seen ON visitors (last_seen)")

    def hit(self, visitor: str) -> bool:
        """Count a visit by `visitor`; False if it made too many hits lately (not counted)."""
        now = self.clock()
        seconds = int(now.timestamp())
        day = now.astimezone(ZONE).date().isoformat()
        connection = self._connection()
        # One writer at a time in this process: SQLite's own wait for a lock sleeps in steps of
        # up to 100 ms, a lock here wakes the next thread at once. (busy_timeout still covers
        # several processes writing to one file.)
        with self._writing, connection:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute(
                "SELECT window_start, window_hits FROM visitors WHERE visitor = ?", (visitor,)
            ).fetchone()
            start, hits = (seconds, 0) if row is None or seconds - row[0] >= RATE_WINDOW else row
            if hits >= RATE_LIMIT:
                connection.execute("UPDATE visitors SET last_seen = ? WHERE visitor = ?", (seconds, visitor))
                return False
            connection.execute(
                "INSERT INTO visitors VALUES (?, ?, ?, ?) ON CONFLICT (visitor) DO UPDATE SET"
                " last_seen = excluded.last_seen, window_start = excluded.window_start,"
                " window_hits = excluded.window_hits",
                (visitor, seconds, start, hits + 1),
            )
            connection.execute(
                "INSERT INTO days VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET hits = hits + 1", (day,)
            )
        return True

    def stats(self) -> dict[str, int]:
        now = self.clock()
        today = now.astimezone(ZONE).date()
        monday = today - timedelta(days=today.weekday())
        connection = self._connection()
        online = connection.execute(
            "SELECT COUNT(*) FROM visitors WHERE last_seen > ?", (int(now.timestamp()) - ONLINE_SECONDS,)
        ).fetchone()[0]
        day_hits = connection.execute("SELECT hits FROM days WHERE day = ?", (today.isoformat(),)).fetchone()
        week = connection.execute(
            "SELECT COALESCE(SUM(hits), 0) FROM days WHERE day >= ? AND day <= ?",
            (monday.isoformat(), today.isoformat()),
        ).fetchone()[0]
        total = connection.execute("SELECT COALESCE(SUM(hits), 0) FROM days").fetchone()[0]
        return {
            "online": online,
            "today": day_hits[0] if day_hits else 0,
            "week": week,
            "total": total + self.offset,
        }

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.database, timeout=30, isolation_level=None)
            connection.execute("PRAGMA busy_timeout = 30000")
            connection.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash may lose a moment, never corrupt
            self._local.connection = connection
        return connection


class CounterApp:
    """The WSGI application: `POST /hit`, `GET /stats`, and CORS for the site's own origins."""

    def __init__(self, store: CounterStore, origins: Iterable[str]) -> None:
        self.store = store
        self.origins = {origin.rstrip("/") for origin in origins}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        try:
            status, body, headers = self._answer(environ)
        except Exception:  # noqa: BLE001 - one bad request must not stop the service
            status, body, headers = "500 Internal Server Error", {"error": "lỗi máy chủ"}, []
        data = json.dumps(body).encode()
        headers += [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        headers.append(("Cache-Control", "no-store"))
        start_response(status, headers)
        return [data]

    def _answer(self, environ: dict[str, Any]) -> tuple[str, dict[str, Any], list[tuple[str, str]]]:
        origin = environ.get("HTTP_ORIGIN", "").rstrip("/")
        same_host = urlsplit(origin).netloc == environ.get("HTTP_HOST")  # behind the site's own host
        if origin and origin not in self.origins and not same_host:
            return "403 Forbidden", {"error": "nguồn không được phép"}, []
        cors = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")] if origin else []
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path not in ("/hit", "/stats"):
            return "404 Not Found", {"error": "không có địa chỉ này"}, cors
        if method == "OPTIONS":
            allow = [
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "Content-Type"),
            ]
            return "204 No Content", {}, cors + allow
        if path == "/stats":
            if method != "GET":
                return "405 Method Not Allowed", {"error": "chỉ nhận GET"}, cors + [("Allow", "GET")]
            return "200 OK", self.store.stats(), cors
        if method != "POST":
            return "405 Method Not Allowed", {"error": "chỉ nhận POST"}, cors + [("Allow", "POST")]
        if _length(environ) > MAX_BODY:
            return "413 Content Too Large", {"error": "nội dung quá dài"}, cors
        visitor = _visitor(environ)
        if visitor is None:
            return "400 Bad Request", {"error": "nội dung không hợp lệ"}, cors
        if _CRAWLERS.is_crawler(environ.get("HTTP_USER_AGENT", "")):  # a search engine is no visitor
            return "200 OK", {"ok": True, "counted": False}, cors
        if not self.store.hit(visitor):
            return "429 Too Many Requests", {"error": "quá nhiều lượt"}, cors
        return "200 OK", {"ok": True}, cors


# Known crawlers, by their User-Agent: CrawlerDetect's list (JayBizzle/Crawler-Detect, kept up to
# date there), which knows Googlebot, Bingbot, coccocbot, facebookexternalhit and headless browsers.
_CRAWLERS = CrawlerDetect()


def _length(environ: dict[str, Any]) -> int:
    try:
        return int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _visitor(environ: dict[str, Any]) -> str | None:
    """The visitor of a well-formed hit's body, or None."""
    length = _length(environ)
    if not 0 < length <= MAX_BODY:
        return None
    try:
        body = json.loads(environ["wsgi.input"].read(length))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    path, visitor = body.get("path"), body.get("visitor")
    if not (isinstance(path, str) and path.startswith("/") and len(path) <= 1000):
        return None
    if not (isinstance(visitor, str) and _VISITOR.fullmatch(visitor)):
        return None
    return visitor


def serve_counter(
    database: Path,
    host: str,
    port: int,
    origins: Iterable[str],
    offset: int,
    on_ready: Callable[[str], None],
) -> None:
    """Serve the counter until interrupted (for production, the same `CounterApp` can run under a
    WSGI server such as waitress: see the README).

    A small HTTP/1.0 server on asyncio rather than the standard library's `wsgiref`, which starts
    a thread per connection and parses headers with the email package: about 1.1 ms of CPU per
    hit, where counting one takes 0.1 ms. Each hit is counted in the event loop's thread (one
    short SQLite transaction), so no two writers ever wait on each other."""
    app = CounterApp(CounterStore(database, offset), origins)

    async def run() -> None:
        try:
            server = await asyncio.start_server(
                lambda reader, writer: _answer_http(app, reader, writer), host, port, backlog=256
            )
        except OSError as error:
            raise UsageError(
                f"không mở được cổng {port} trên {host} ({error.strerror})",
                path="--port",
                hint="có thể một chương trình khác đang dùng cổng này; chọn cổng khác bằng --port",
            ) from None
        async with server:
            on_ready(f"http://{host}:{server.sockets[0].getsockname()[1]}/")
            await server.serve_forever()

    asyncio.run(run())


# The client went, or sent no HTTP we can read: nothing to answer.
_NOT_ANSWERED = (
    OSError,
    ValueError,
    asyncio.IncompleteReadError,
    asyncio.LimitOverrunError,
    asyncio.TimeoutError,
)


async def _answer_http(app: CounterApp, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One request, one answer, then the connection closes (as sendBeacon and fetch expect of
    HTTP/1.0). A request that is cut short, too long or malformed gets no answer or a 400."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _version = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _colon, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = _length({"CONTENT_LENGTH": headers.get("content-length")})
        body = await asyncio.wait_for(reader.readexactly(length), 10) if 0 < length <= MAX_BODY else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": urlsplit(target).path,
            "CONTENT_LENGTH": str(length),
            "wsgi.input": io.BytesIO(body),
            "HTTP_ORIGIN": headers.get("origin", ""),
            "HTTP_HOST": headers.get("host", ""),
        }
        answered: list[Any] = []
        data = b"".join(app(environ, lambda status, pairs: answered.extend((status, pairs))))
        status, pairs = answered
        lines = [f"HTTP/1.0 {status}", *(f"{name}: {value}" for name, value in pairs), "Connection: close"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)
        await writer.drain()
    except _NOT_ANSWERED:
        pass
    finally:
        writer.close()


def app_from_environment() -> CounterApp:
    """The app a WSGI server runs (`waitress-serve --call newsgen.counter:app_from_environment`),
    from NEWSGEN_COUNTER_DB, NEWSGEN_COUNTER_ORIGINS (comma-separated) and NEWSGEN_COUNTER_OFFSET."""
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
        return CounterApp(CounterStore(database, int(offset)), origins)
    except NewsgenError as error:  # the WSGI server would print a traceback: say it plainly instead
        raise SystemExit(f"newsgen counter: {error}") from None
