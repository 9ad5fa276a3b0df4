"""Article bodies as HTML, kept on disk rather than in memory.

A page shows at most its own article's body, so a build need not hold ten thousand of them: each is
written, when its article is parsed, to an SQLite database in `.newsgen-cache/` under the digest of
the article's file, and read back by the process that renders a page showing it. SQLite (in
Python's standard library) writes only the bodies that changed and reads one without the others.
Without a cache folder that can be written, bodies stay in memory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .errors import OutputError

log = logging.getLogger(__name__)

_FILE = "bodies.sqlite"


@dataclass(frozen=True)
class Body:
    """One article's body, read when a page shows it; reads are noted (`noting_reads`)."""

    store: Bodies
    _digest: str  # of the article's file: the store's key
    owner: str  # the article's source path

    @property
    def digest(self) -> str:
        """Changes with the body: a page that shows it depends on the body as if it showed it."""
        self._note()
        return self._digest

    def html(self) -> str:
        self._note()
        return self.store.get(self._digest)

    def _note(self) -> None:
        note_reads((self.owner,))

    def __str__(self) -> str:
        return self.html()


_reads: set[str] | None = None
NOTHING_READ: frozenset[str] = frozenset()  # one for all: empty frozensets are not shared by themselves


def note_reads(owners: Iterable[str]) -> None:
    """Count the bodies of `owners` as read, if reads are being noted."""
    if _reads is not None:
        _reads.update(owners)


@contextlib.contextmanager
def noting_reads() -> Iterator[set[str]]:
    """The owners of the bodies read inside the block: which articles' bodies a page shows."""
    global _reads
    outer, _reads = _reads, set()
    try:
        yield _reads
    finally:
        if outer is not None:
            outer |= _reads
        _reads = outer


class Bodies:
    """Bodies by the digest of their article's file, for one fingerprint of the parsing code."""

    def __init__(self, database: Path | None) -> None:
        self.database = database  # None: bodies only in memory
        self.writable = database is not None
        self.in_memory: dict[str, str] = {}

    @classmethod
    def open(cls, folder: Path | None, fingerprint: str) -> Bodies:
        """The store in `folder`'s cache, emptied if made under another fingerprint; rebuilt if
        damaged; in memory if it cannot be had."""
        if folder is None:
            return cls(None)
        database = folder / CACHE_DIR / _FILE
        _forget_connection(database)  # the last build's: its file may have been deleted since
        for attempt in range(2):
            try:
                database.parent.mkdir(exist_ok=True)
                with _connect(database) as connection:
                    _prepare(connection, fingerprint)
                return cls(database)
            except sqlite3.DatabaseError as error:  # damaged: start afresh, once
                log.debug("rebuilding the body store %s: %s", database, error)
                _forget_connection(database)
                if attempt == 0:
                    with contextlib.suppress(OSError):
                        database.unlink()
            except OSError as error:
                log.debug("keeping article bodies in memory: %s", error)  # the caches say why
                break
        return cls(None)

    def digests(self) -> set[str]:
        found = set(self.in_memory)
        if self.database is not None:
            try:
                found |= {row[0] for row in _connect(self.database).execute("SELECT digest FROM bodies")}
            except sqlite3.Error as error:  # none of its bodies can be counted on: parse again
                self._give_up(error)
                self.database = None
        return found

    def add(self, bodies: dict[str, str]) -> None:
        if self.database is not None and self.writable:
            try:
                with _connect(self.database) as connection:
                    connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", bodies.items())
                return
            except sqlite3.Error as error:  # a store made by another user, or locked too long
                self._give_up(error)
        self.in_memory.update(bodies)

    def keep_only(self, digests: Iterable[str]) -> None:
        """Forget the bodies of articles that are gone or changed."""
        keep = set(digests)
        self.remove(self.digests() - keep)

    def remove(self, digests: set[str]) -> None:
        for digest in digests & set(self.in_memory):
            del self.in_memory[digest]
        if self.database is not None and self.writable:
            try:
                with _connect(self.database) as connection:
                    connection.executemany("DELETE FROM bodies WHERE digest = ?", ((d,) for d in digests))
            except sqlite3.Error as error:
                self._give_up(error)

    def get(self, digest: str) -> str:
        if digest in self.in_memory:
            return self.in_memory[digest]
        row = None
        if self.database is not None:
            with contextlib.suppress(sqlite3.Error):
                query = "SELECT html FROM bodies WHERE digest = ?"
                row = _connect(self.database).execute(query, (digest,)).fetchone()
        if row is None:
            raise OutputError(
                f"không đọc được nội dung bài từ {CACHE_DIR}/{_FILE}: có thể thư mục {CACHE_DIR}/ vừa bị "
                "xoá hay sửa, hoặc một lệnh dựng khác của cùng trang đang chạy",
                hint=f"dựng lại trang; nếu vẫn lỗi, xoá thư mục {CACHE_DIR}/ (an toàn) rồi dựng lại",
            )
        return str(row[0])

    def close(self) -> None:
        """Close this process's connection, as SQLite asks before a fork; the next use reopens it."""
        if self.database is not None:
            _forget_connection(self.database)

    def _give_up(self, error: sqlite3.Error) -> None:
        """Write no more to the store: new bodies stay in memory. Slower next time, never wrong."""
        message = "Lưu ý: không ghi được bộ nhớ đệm %s (%s); lần dựng sau sẽ chậm hơn"
        log.warning(message, self.database, error)
        self.writable = False


def _prepare(connection: sqlite3.Connection, fingerprint: str) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS made_by (fingerprint TEXT)")
    connection.execute("CREATE TABLE IF NOT EXISTS bodies (digest TEXT PRIMARY KEY, html TEXT) WITHOUT ROWID")
    made_by = connection.execute("SELECT fingerprint FROM made_by").fetchone()
    if made_by != (fingerprint,):
        connection.execute("DELETE FROM bodies")
        connection.execute("DELETE FROM made_by")
        connection.execute("INSERT INTO made_by VALUES (?)", (fingerprint,))


# One connection per process and database: a connection must not cross a fork into a worker.
_connections: dict[tuple[int, Path], sqlite3.Connection] = {}


def _connect(database: Path) -> sqlite3.Connection:
    key = (os.getpid(), database)
    connection = _connections.get(key)
    if connection is None:
        connection = _connections[key] = sqlite3.connect(database, timeout=30)
        connection.execute("PRAGMA synchronous = OFF")  # a cache: losing it costs only time
    return connection


def _forget_connection(database: Path) -> None:
    connection = _connections.pop((os.getpid(), database), None)
    if connection is not None:
        connection.close()
