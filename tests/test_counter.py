"""The visit counter's rules, in process: counting, bad requests, crawlers, the one writer and its
batches, answers only once on disk, figures that never wait, pruning. The real server process is
tested in test_counter_server.py."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsgen.counter import store as store_module
from newsgen.counter.app import CounterApp
from newsgen.counter.store import KEEP_VISITOR, RATE_LIMIT, CounterStore

SITE = "https://stttt.dienbien.gov.vn"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def vietnam(text: str) -> datetime:
    """A moment written as Vietnam's wall clock shows it (UTC+7)."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone(timedelta(hours=7)))


@pytest.fixture
def clock() -> Clock:
    return Clock(vietnam("2026-11-25 10:00"))  # a Wednesday


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[CounterStore]:
    opened = CounterStore(tmp_path / "counter.sqlite", offset=82_744_000, clock=clock)
    yield opened
    opened.close()


async def request(
    app: CounterApp,
    method: str,
    path: str,
    body: bytes = b"",
    origin: str = SITE,
    headers: tuple[tuple[str, str], ...] = (("user-agent", PHONE),),
) -> tuple[int, dict[str, str], Any]:
    """One request through the ASGI app, as granian hands it over: status, headers, JSON."""
    sent_headers = [(name.encode(), value.encode()) for name, value in headers]
    if origin:
        sent_headers.append((b"origin", origin.encode()))
    scope = {"type": "http", "method": method, "path": path, "headers": sent_headers}
    waiting = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return waiting.pop(0) if waiting else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start, body_message = sent
    answered = {name.decode(): value.decode() for name, value in start["headers"]}
    assert answered["Content-Type"] == "application/json"
    return start["status"], answered, json.loads(body_message["body"])


def call(app: CounterApp, method: str, path: str, body: bytes = b"", origin: str = SITE) -> tuple[int, Any]:
    status, _headers, answer = asyncio.run(request(app, method, path, body, origin))
    return status, answer


def hit_body(visitor: str = "nguoi-doc-1") -> bytes:
    return json.dumps({"path": "/2023/02/ky-ket/", "visitor": visitor}).encode()


def hit(app: CounterApp, visitor: str = "nguoi-doc-1") -> int:
    return call(app, "POST", "/hit", hit_body(visitor))[0]


def test_today_this_week_and_the_total_from_the_old_portals_offset(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    clock.now = vietnam("2026-11-22 23:59")  # Sunday: last week
    assert hit(app, "nguoi-doc-0") == 200
    clock.now = vietnam("2026-11-24 09:00")  # Tuesday
    assert hit(app, "nguoi-doc-1") == 200
    clock.now = vietnam("2026-11-25 10:00")  # Wednesday
    assert [hit(app, f"nguoi-doc-{n}") for n in (2, 3)] == [200, 200]
    assert call(app, "GET", "/stats") == (200, {"online": 2, "today": 2, "week": 3, "total": 82_744_004})


def served_soon(app: CounterApp, name: str, value: int) -> bool:
    """Whether `GET /stats` gives `value` for `name` within 3 s: the writer works the figures out
    again every second while no one visits, so a moved clock shows."""
    deadline = time.monotonic() + 3
    while call(app, "GET", "/stats")[1][name] != value and time.monotonic() < deadline:
        time.sleep(0.05)
    return bool(call(app, "GET", "/stats")[1][name] == value)


def test_days_turn_at_midnight_in_vietnam_not_in_utc(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    clock.now = datetime(2026, 11, 25, 16, 59, 59, tzinfo=UTC)  # 23:59:59 in Vietnam
    hit(app)
    assert call(app, "GET", "/stats")[1]["today"] == 1
    clock.now = datetime(2026, 11, 25, 17, 0, 0, tzinfo=UTC)  # 00:00 on Thursday there
    assert served_soon(app, "today", 0) and call(app, "GET", "/stats")[1]["week"] == 1
    clock.now = vietnam("2026-11-30 00:00")  # Monday: a new week
    assert served_soon(app, "week", 0) and call(app, "GET", "/stats")[1]["total"] == 82_744_001


def test_online_is_distinct_visitors_in_the_last_five_minutes(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    for visitor in ("nguoi-doc-1", "nguoi-doc-1", "nguoi-doc-2"):
        hit(app, visitor)
    assert call(app, "GET", "/stats")[1]["online"] == 2
    clock.now += timedelta(minutes=4, seconds=59)
    hit(app, "nguoi-doc-3")
    assert call(app, "GET", "/stats")[1]["online"] == 3
    clock.now += timedelta(seconds=2)
    assert served_soon(app, "online", 1)
    clock.now += timedelta(minutes=5)
    assert served_soon(app, "online", 0)


def test_one_visitor_cannot_inflate_the_counts(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    answers = [hit(app) for _ in range(RATE_LIMIT + 5)]
    assert answers.count(200) == RATE_LIMIT and answers[-5:] == [429] * 5
    assert store.figures["today"] == RATE_LIMIT
    clock.now += timedelta(minutes=10)
    assert hit(app) == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "origin", "status"),
    [
        ("GET", "/hit", b"", SITE, 405),
        ("POST", "/stats", b"{}", SITE, 405),
        ("GET", "/khac", b"", SITE, 404),
        ("POST", "/hit", b"not json", SITE, 400),
        ("POST", "/hit", b'["a"]', SITE, 400),
        ("POST", "/hit", b'{"path": "/", "visitor": "x"}', SITE, 400),
        ("POST", "/hit", b'{"path": "khong-gach", "visitor": "nguoi-doc-1"}', SITE, 400),
        ("POST", "/hit", b"\xff\xfe", SITE, 400),
        ("POST", "/hit", b"x" * 5000, SITE, 413),
        ("POST", "/hit", b'{"path": "/", "visitor": "nguoi-doc-1"}', "https://trang-khac.vn", 403),
        ("GET", "/stats", b"", "https://trang-khac.vn", 403),
        ("POST", "/hit", b'{"path": "/", "visitor": "nguoi-doc-1"}', "null", 403),  # no host to match
    ],
)
def test_bad_requests_get_a_4xx_and_count_nothing(
    store: CounterStore, method: str, path: str, body: bytes, origin: str, status: int
) -> None:
    app = CounterApp(store, [SITE])
    assert call(app, method, path, body, origin)[0] == status
    assert hit(app) == 200 and store.figures["today"] == 1  # and the service carries on


@pytest.mark.parametrize("name", ["host", "origin", "content-length", "content-type", "user-agent"])
def test_a_header_sent_twice_is_refused(store: CounterStore, name: str) -> None:
    app = CounterApp(store, [SITE])
    body = hit_body()
    headers = (
        ("user-agent", PHONE),
        ("host", "stttt.dienbien.gov.vn"),
        ("content-length", str(len(body))),
        ("content-type", "text/plain"),
    )
    twice = (*headers, next(header for header in (*headers, ("origin", SITE)) if header[0] == name))
    status, _headers, answer = asyncio.run(request(app, "POST", "/hit", body, headers=twice))
    assert (status, answer) == (400, {"error": "tiêu đề lặp lại"})
    assert hit(app) == 200 and store.figures["today"] == 1


def test_a_hit_not_sent_by_a_page_is_answered_but_not_counted(store: CounterStore) -> None:
    app = CounterApp(store, [SITE])
    assert call(app, "POST", "/hit", hit_body(), origin="") == (200, {"ok": True, "counted": False})
    assert hit(app) == 200 and store.figures["today"] == 1


def test_the_sites_origin_may_read_the_answers(store: CounterStore) -> None:
    app = CounterApp(store, [SITE + "/"])
    _status, headers, _answer = asyncio.run(request(app, "GET", "/stats"))
    assert headers["Access-Control-Allow-Origin"] == SITE and "Set-Cookie" not in headers


@pytest.mark.parametrize(
    ("user_agent", "counted"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
        ("Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)", False),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", False),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36 Zalo",
            True,
        ),
        (PHONE, True),
        ("", False),  # every browser says what it is; a script may say nothing
    ],
)
def test_known_crawlers_are_answered_but_not_counted(
    store: CounterStore, user_agent: str, counted: bool
) -> None:
    app = CounterApp(store, [SITE])
    headers = (("user-agent", user_agent),)
    status, _headers, _answer = asyncio.run(request(app, "POST", "/hit", hit_body(), headers=headers))
    assert status == 200  # a crawler is not told to come back
    assert hit(app, "nguoi-doc-2") == 200 and store.figures["today"] == (2 if counted else 1)


def test_concurrent_hits_are_all_counted_in_a_few_transactions(store: CounterStore) -> None:
    app = CounterApp(store, [SITE])
    commits = []
    write = store._write

    def counting_commits(visitors: list[str]) -> list[bool]:
        commits.append(len(visitors))
        return write(visitors)

    store._write = counting_commits  # type: ignore[method-assign]

    async def visit_all() -> list[int]:
        answers = [request(app, "POST", "/hit", hit_body(f"nguoi-doc-{n:04d}")) for n in range(1000)]
        return [status for status, _headers, _answer in await asyncio.gather(*answers)]

    assert asyncio.run(visit_all()) == [200] * 1000
    assert store.figures["today"] == 1000
    assert sum(commits) == 1000 and len(commits) < 100  # group commit: batches, not one per hit


def test_a_hit_is_answered_only_once_on_disk_and_stats_never_wait(
    store: CounterStore, tmp_path: Path
) -> None:
    app = CounterApp(store, [SITE])
    assert hit(app, "nguoi-doc-0") == 200
    other = sqlite3.connect(tmp_path / "counter.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock

    async def while_locked() -> tuple[float, Any, bool, int]:
        pending = asyncio.ensure_future(request(app, "POST", "/hit", hit_body("nguoi-doc-1")))
        await asyncio.sleep(0.3)
        started = time.perf_counter()
        _status, _headers, figures = await request(app, "GET", "/stats")
        waited = time.perf_counter() - started
        answered_while_locked = pending.done()
        other.execute("ROLLBACK")
        status, _headers, _answer = await pending
        return waited, figures, answered_while_locked, status

    waited, figures, answered_while_locked, status = asyncio.run(while_locked())
    other.close()
    assert waited < 0.1 and figures["today"] == 1  # the last figures, at once
    assert not answered_while_locked and status == 200
    assert call(app, "GET", "/stats")[1]["today"] == 2  # a hit answered is in the next figures


def test_hits_that_cannot_be_written_are_not_acknowledged_and_fail_together(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    monkeypatch.setattr(store_module, "MAX_BATCH", 1)
    locked = CounterStore(tmp_path / "counter.sqlite", clock=clock)
    app = CounterApp(locked, [SITE])
    other = sqlite3.connect(tmp_path / "counter.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def twenty_hits() -> list[tuple[int, dict[str, str], Any]]:
        hits = (request(app, "POST", "/hit", hit_body(f"nguoi-doc-{n:02d}")) for n in range(20))
        return await asyncio.gather(*hits)

    started = time.monotonic()
    try:
        answers = asyncio.run(twenty_hits())
    finally:
        other.execute("ROLLBACK")
        other.close()
    # one wait for the lock, not twenty: what queued behind the failed batch is failed with it
    assert time.monotonic() - started < 2
    assert {(status, headers["Retry-After"]) for status, headers, _answer in answers} == {(503, "5")}
    assert "thử lại" in answers[0][2]["error"]
    said = capsys.readouterr().err  # the operator learns of it, in the journal
    assert f"Bộ đếm chưa ghi được 20 lượt xem vào {tmp_path / 'counter.sqlite'} (database is locked)" in said
    assert hit(app) == 200 and locked.figures["today"] == 1  # and once the lock is gone, it counts
    locked.close()


def test_the_writer_outlives_a_failing_write(store: CounterStore, monkeypatch: pytest.MonkeyPatch) -> None:
    app = CounterApp(store, [SITE])
    write = store._write
    failures = iter([ValueError("a bug")])

    def failing_once(visitors: list[str]) -> list[bool]:
        for failure in failures:
            raise failure
        return write(visitors)

    monkeypatch.setattr(store, "_write", failing_once)
    assert hit(app) == 503
    assert hit(app) == 200 and store.figures["today"] == 1


def test_a_closed_store_refuses_hits_at_once(store: CounterStore) -> None:
    app = CounterApp(store, [SITE])
    store.close()
    assert hit(app) == 503


def test_a_restart_loses_nothing(tmp_path: Path, clock: Clock) -> None:
    first = CounterStore(tmp_path / "counter.sqlite", clock=clock)
    for number in range(3):
        hit(CounterApp(first, [SITE]), f"nguoi-doc-{number}")
    # each commit reaches the disk itself (FULL), not only the OS's cache: a power cut loses nothing
    assert first._connection.execute("PRAGMA synchronous").fetchone() == (2,)
    first.close()
    again = CounterStore(tmp_path / "counter.sqlite", clock=clock)
    assert again.figures == {"online": 3, "today": 3, "week": 3, "total": 3}
    again.close()


def test_visitors_gone_for_longer_than_the_windows_are_pruned_and_days_kept(
    store: CounterStore, clock: Clock, tmp_path: Path
) -> None:
    app = CounterApp(store, [SITE])
    for day in range(3):
        for number in range(40):
            assert hit(app, f"nguoi-doc-{day}-{number:03d}") == 200
            clock.now += timedelta(minutes=1)
        clock.now += timedelta(days=1)
    hit(app, "nguoi-doc-cuoi")
    with sqlite3.connect(tmp_path / "counter.sqlite") as database:
        seen = [row[0] for row in database.execute("SELECT last_seen FROM visitors")]
        days = database.execute("SELECT COUNT(*), SUM(hits) FROM days").fetchone()
    assert len(seen) == 1 and min(seen) >= clock.now.timestamp() - KEEP_VISITOR
    assert days == (4, 121) and store.figures["total"] == 82_744_121
