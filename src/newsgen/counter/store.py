"""The counts behind "Thống kê truy cập", in one SQLite file, written by one thread.

Hits wait in a queue; the writer thread takes all that are waiting and counts them in one
transaction (group commit: under load a batch holds every hit that came while the last one was
being written), then tells each hit whether it was counted. A hit is told only once its batch
is committed, so killing the process never loses a hit that was acknowledged; with
`synchronous = FULL` the commit has reached the disk itself, so a power cut does not either.
After each commit, and every second while idle (online and
today move with the clock), the writer works out the four figures; `figures` hands out the last
ones at once, so reading them never waits on a write.

Rows: a count per day (kept for ever: a few hundred rows a year) and one row per recent visitor
(when last seen, and how many hits it made in its current rate window), pruned once a visitor
has been gone longer than both the online and the rate window.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import UsageError

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ONLINE_SECONDS = 5 * 60
RATE_WINDOW = 10 * 60  # seconds
RATE_LIMIT = 60  # hits a visitor may make in one window; more are not counted
KEEP_VISITOR = max(ONLINE_SECONDS, RATE_WINDOW)  # seconds a visitor's row outlives its last hit
PRUNE_EVERY = 60  # seconds
MAX_BATCH = 1000  # hits in one transaction
MAX_WAITING = 20_000  # hits queued before new ones are refused (the disk is stuck, or too slow)
BUSY_SECONDS = 10  # how long a batch waits for another process's write lock before it fails

Clock = Callable[[], datetime]
# Told once a hit was written: True counted, False over its visitor's limit, None not written.
Done = Callable[[bool | None], None]
Figures = dict[str, int]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CounterStore:
    """Counts hits from any thread through `add`; `figures` are the counts as last worked out."""

    def __init__(self, database: Path, offset: int = 0, clock: Clock = _utc_now) -> None:
        self.database, self.offset, self.clock = database, offset, clock
        self._queue: queue.Queue[tuple[str, Done] | None] = queue.Queue(MAX_WAITING)
        self._closing = threading.Lock()
        self._closed = False
        self._pruned = 0  # when visitors were last pruned, in the clock's seconds
        self._connection = open_database(database)
        self.figures = _figures(self._connection, clock(), offset)
        self._writer = threading.Thread(target=self._write_until_stopped, name="counter-writer", daemon=True)
        self._writer.start()

    def add(self, visitor: str, done: Done) -> bool:
        """Queue a hit by `visitor`; `done` is called from the writer's thread once it is written.
        False, and `done` never called, when too many hits are waiting or the store is closed."""
        with self._closing:
            if self._closed or not self._writer.is_alive():
                return False
            try:
                self._queue.put_nowait((visitor, done))
            except queue.Full:
                return False
        return True

    def close(self) -> None:
        """Write what is queued, then stop the writer."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
        self._connection.close()

    def _write_until_stopped(self) -> None:
        stopping = False
        while not stopping:
            try:
                first = self._queue.get(timeout=1)
            except queue.Empty:
                self._refresh()
                continue
            batch = [first, *self._waiting(MAX_BATCH - 1)]
            hits = [hit for hit in batch if hit is not None]
            outcomes: list[bool | None]
            try:
                outcomes = list(self._write([visitor for visitor, _done in hits])) if hits else []
            except Exception as error:  # noqa: BLE001 - a full disk, a lock held too long: answer, carry on
                # what waits behind would fail the same way, each batch after a long wait: fail it now
                batch += self._waiting(MAX_WAITING)
                hits = [hit for hit in batch if hit is not None]
                outcomes = [None] * len(hits)
                with contextlib.suppress(OSError, ValueError):  # no one reads standard error now
                    print(  # to the journal: the operator's only sign
                        f"Bộ đếm chưa ghi được {len(hits)} lượt xem vào {self.database} ({error}); "
                        "các lượt này không được tính. Kiểm tra ổ đĩa còn chỗ trống và không chương "
                        "trình nào khác đang giữ tệp.",
                        file=sys.stderr,
                        flush=True,
                    )
            stopping = None in batch
            self._refresh()
            for (_visitor, done), outcome in zip(hits, outcomes, strict=True):
                with contextlib.suppress(Exception):  # the caller's loop may be gone
                    done(outcome)

    def _waiting(self, most: int) -> list[tuple[str, Done] | None]:
        """Up to `most` of the hits queued now, without waiting for more."""
        taken: list[tuple[str, Done] | None] = []
        while len(taken) < most:
            try:
                taken.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return taken

    def _write(self, visitors: list[str]) -> list[bool]:
        """Count one batch in one transaction: whether each hit was counted."""
        now = self.clock()
        seconds = int(now.timestamp())
        day = now.astimezone(ZONE).date().isoformat()
        connection, counted = self._connection, []
        connection.execute("BEGIN IMMEDIATE")
        try:
            for visitor in visitors:
                row = connection.execute(
                    "SELECT window_start, window_hits FROM visitors WHERE visitor = ?", (visitor,)
                ).fetchone()
                start, hits = (seconds, 0) if row is None or seconds - row[0] >= RATE_WINDOW else row
                counted.append(hits < RATE_LIMIT)
                connection.execute(
                    "INSERT INTO visitors VALUES (?, ?, ?, ?) ON CONFLICT (visitor) DO UPDATE SET"
                    " last_seen = excluded.last_seen, window_start = excluded.window_start,"
                    " window_hits = excluded.window_hits",
                    (visitor, seconds, start, min(hits + 1, RATE_LIMIT)),
                )
            if any(counted):
                connection.execute(
                    "INSERT INTO days VALUES (?, ?) ON CONFLICT (day)"
                    " DO UPDATE SET hits = hits + excluded.hits",
                    (day, sum(counted)),
                )
            if seconds - self._pruned >= PRUNE_EVERY:
                connection.execute("DELETE FROM visitors WHERE last_seen < ?", (seconds - KEEP_VISITOR,))
                self._pruned = seconds
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return counted

    def _refresh(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # locked out for now: the last figures stand
            self.figures = _figures(self._connection, self.clock(), self.offset)


def open_database(database: Path) -> sqlite3.Connection:
    """The counter's database, its tables made if new; a plain message if it cannot be opened."""
    try:
        connection = sqlite3.connect(
            database, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")  # a commit survives a power cut, not only a kill
        connection.execute("CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, hits INTEGER NOT NULL)")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS visitors (visitor TEXT PRIMARY KEY, last_seen INTEGER NOT NULL,"
            " window_start INTEGER NOT NULL, window_hits INTEGER NOT NULL)"
        )
        connection.execute("CREATE INDEX IF NOT EXISTS visitors_seen ON visitors (last_seen)")
    except sqlite3.DatabaseError as error:
        not_ours = "not a database" in str(error)
        raise UsageError(
            f"không mở hay ghi được tệp số đếm {database}",
            path="--db",
            hint="tệp này không phải tệp số đếm; chọn tệp khác bằng --db"
            if not_ours
            else "kiểm tra thư mục chứa tệp đã có và cho phép ghi, hoặc chọn tệp khác bằng --db",
        ) from None
    return connection


def _figures(connection: sqlite3.Connection, now: datetime, offset: int) -> Figures:
    today = now.astimezone(ZONE).date()
    monday = today - timedelta(days=today.weekday())
    online = connection.execute(
        "SELECT COUNT(*) FROM visitors WHERE last_seen > ?", (int(now.timestamp()) - ONLINE_SECONDS,)
    ).fetchone()[0]
    day_hits = connection.execute("SELECT hits FROM days WHERE day = ?", (today.isoformat(),)).fetchone()
    week = connection.execute(
        "SELECT COALESCE(SUM(hits), 0) FROM days WHERE day >= ? AND day <= ?",
        (monday.isoformat(), today.isoformat()),
    ).fetchone()[0]
    total = connection.execute("SELECT COALESCE(SUM(hits), 0) FROM days").fetchone()[0]
    return {"online": online, "today": day_hits[0] if day_hits else 0, "week": week, "total": total + offset}
