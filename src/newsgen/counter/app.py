"""The counter's ASGI application: `POST /hit`, `GET /stats`, and CORS for the site's own origins.

`POST /hit` with a JSON body `{"path": "/2023/02/…/", "visitor": "<id>"}`, sent as text/plain so
that `navigator.sendBeacon` needs no CORS preflight, counts a visit and is answered once the hit
is on disk; `GET /stats` answers `{"online", "today", "week", "total"}` at once, from the figures
the store last worked out. Online: distinct visitors in the last five minutes. Today and this
week follow the calendar of Asia/Ho_Chi_Minh, weeks starting on Monday. Total starts from the
offset carried over from the old portal. No cookie is set and no address kept: a visitor is the
random id the page's script keeps in localStorage.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect  # type: ignore[import-untyped]

from .store import CounterStore

MAX_BODY = 2048  # bytes
BODY_SECONDS = 10  # a body sent slower than this is cut off (slow POST)
WRITE_SECONDS = 30  # a hit not written by then is answered 503 (the writer is stuck)
_VISITOR = re.compile(r"[A-Za-z0-9_-]{8,64}")
# Headers a request may carry once: two Hosts or Origins are a trick, not a browser.
_SINGLE = (b"host", b"origin", b"content-length", b"content-type", b"user-agent")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Answer = tuple[int, dict[str, Any], list[tuple[str, str]]]

# Known crawlers, by their User-Agent: CrawlerDetect's list (JayBizzle/Crawler-Detect, kept up to
# date there), which knows Googlebot, Bingbot, coccocbot, facebookexternalhit and headless browsers.
_CRAWLERS = CrawlerDetect()
# Remembered by User-Agent: a few browsers' strings make most hits, and matching the list costs
# 14 µs, a twentieth of what a hit costs the service. Long strings (forged ones) are not kept.
_is_listed = functools.lru_cache(maxsize=4096)(_CRAWLERS.is_crawler)


def _is_crawler(user_agent: str) -> bool:
    return bool(_is_listed(user_agent) if len(user_agent) <= 512 else _CRAWLERS.is_crawler(user_agent))


class CounterApp:
    """The ASGI application around one `CounterStore`."""

    def __init__(self, store: CounterStore, origins: Iterable[str]) -> None:
        self.store = store
        self.origins = {origin.rstrip("/") for origin in origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            status, body, headers = await self._answer(scope, receive)
        except Exception:  # noqa: BLE001 - one bad request must not stop the service
            status, body, headers = 500, {"error": "lỗi máy chủ"}, []
        data = json.dumps(body, ensure_ascii=False).encode() if status != 204 else b""
        if data:
            headers.append(("Content-Type", "application/json"))
        headers.append(("Cache-Control", "no-store"))
        start = [(name.encode(), value.encode("latin-1")) for name, value in headers]
        with contextlib.suppress(Exception):  # the client went away: nothing to tell it
            await send({"type": "http.response.start", "status": status, "headers": start})
            await send({"type": "http.response.body", "body": data})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(self.store.close)  # what is queued is written first
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _answer(self, scope: Scope, receive: Receive) -> Answer:
        headers: dict[bytes, list[bytes]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.lower(), []).append(value)
        if any(len(headers.get(name, ())) > 1 for name in _SINGLE):
            return 400, {"error": "tiêu đề lặp lại"}, []
        origin = _header(headers, b"origin").rstrip("/")
        netloc = urlsplit(origin).netloc
        same_host = bool(netloc) and netloc == _header(headers, b"host")  # behind the site's own host
        if origin and origin not in self.origins and not same_host:
            return 403, {"error": "nguồn không được phép"}, []
        cors = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")] if origin else []
        path, method = scope["path"], scope["method"]
        if path not in ("/hit", "/stats"):
            return 404, {"error": "không có địa chỉ này"}, cors
        if method == "OPTIONS":
            allow = [
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "Content-Type"),
            ]
            return 204, {}, cors + allow
        if path == "/stats":
            if method != "GET":
                return 405, {"error": "chỉ nhận GET"}, cors + [("Allow", "GET")]
            return 200, self.store.figures, cors
        if method != "POST":
            return 405, {"error": "chỉ nhận POST"}, cors + [("Allow", "POST")]
        length = _header(headers, b"content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY):
            return 413, {"error": "nội dung quá dài"}, cors
        try:
            async with asyncio.timeout(BODY_SECONDS):
                body = await _body(receive)
        except TimeoutError:
            return 408, {"error": "gửi quá chậm"}, cors
        if body is None:
            return 413, {"error": "nội dung quá dài"}, cors
        visitor = _visitor(body)
        if visitor is None:
            return 400, {"error": "nội dung không hợp lệ"}, cors
        user_agent = _header(headers, b"user-agent")
        # a page's script sends both (browsers add Origin to every POST); a crawler says what it is
        if not origin or not user_agent or _is_crawler(user_agent):
            return 200, {"ok": True, "counted": False}, cors
        counted = await self._hit(visitor)
        if counted is None:
            return 503, {"error": "chưa ghi được, vui lòng thử lại sau"}, cors + [("Retry-After", "5")]
        if not counted:
            return 429, {"error": "quá nhiều lượt"}, cors
        return 200, {"ok": True}, cors

    async def _hit(self, visitor: str) -> bool | None:
        """Whether the hit was counted, once it is on disk; None if it could not be written."""
        loop = asyncio.get_running_loop()
        written: asyncio.Future[bool | None] = loop.create_future()

        def done(counted: bool | None) -> None:
            loop.call_soon_threadsafe(_settle, written, counted)

        if not self.store.add(visitor, done):
            return None
        try:
            async with asyncio.timeout(WRITE_SECONDS):
                return await written
        except TimeoutError:
            return None


def _settle(future: asyncio.Future[bool | None], counted: bool | None) -> None:
    if not future.done():  # the client went away and the request was cancelled
        future.set_result(counted)


def _header(headers: dict[bytes, list[bytes]], name: bytes) -> str:
    return headers[name][0].decode("latin-1").strip() if name in headers else ""


async def _body(receive: Receive) -> bytes | None:
    """The request's body, or None once it grows past MAX_BODY."""
    body: bytes = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            return None
        if not message.get("more_body", False):
            return body


def _visitor(body: bytes) -> str | None:
    """The visitor of a well-formed hit's body, or None."""
    try:
        hit = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(hit, dict):
        return None
    path, visitor = hit.get("path"), hit.get("visitor")
    if not (isinstance(path, str) and path.startswith("/") and len(path) <= 1000):
        return None
    if not (isinstance(visitor, str) and _VISITOR.fullmatch(visitor)):
        return None
    return visitor
