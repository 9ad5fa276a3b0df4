"""The build state: one SQLite file in the site's `.newsgen-cache/`, holding plain data only.

    meta      what wrote the file: its format and newsgen's code (by content)
    sources   each content file's parse result (JSON), with the digest of the bytes it came from
    bodies    each article body's HTML, by the digest of its file
    records   per output folder, named JSON records: the last build's, the search index's
    content   per output folder: the content files the last build read, with sizes and mtimes
    articles  per output folder: each article's file digest, identity and related articles
    outputs   per output folder: each file the last build left, with its size and mtime
    pages     per output folder: each page's key, the far-reaching values it read, its file's
              size and mtime
    search    per output folder: each article in the search index: its id, what it was made
              from, its date, its terms and weights, and its file (`outputs.search`)
    search_shards  per output folder: the search index's shards, by number: name and JSON

Text, numbers and JSON only: never pickle, nothing that runs. A file that is missing, damaged,
written by another program or another version of newsgen, or holding values of the wrong shape,
is set aside and made anew: it only ever costs a slower build. Without a cache folder that can
be written, nothing is kept: article bodies stay in memory (`Bodies`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..version import __version__

log = logging.getLogger(__name__)

CACHE_DIR = ".newsgen-cache"
FILE = "state.sqlite"
# Raised whenever the tables or the JSON they hold change shape: another version's file is made anew.
FORMAT = 3
_NOT_WRITTEN = "Lưu ý: không ghi được bộ nhớ đệm %s (%s); lần tạo trang sau sẽ chậm hơn"
_APPLICATION_ID = 0x4E475354  # "NGST": a newsgen store, not some other SQLite file

_TABLES = {
    "meta": "name TEXT PRIMARY KEY, value TEXT NOT NULL",
    "sources": "path TEXT PRIMARY KEY, digest TEXT NOT NULL, data TEXT NOT NULL",
    "bodies": "digest TEXT PRIMARY KEY, html TEXT NOT NULL",
    "records": "output TEXT, name TEXT, data TEXT NOT NULL, PRIMARY KEY (output, name)",
    "content": "output TEXT, path TEXT, size INTEGER, mtime INTEGER, PRIMARY KEY (output, path)",
    "articles": "output TEXT, path TEXT, digest TEXT, identity TEXT, related TEXT,"
    " PRIMARY KEY (output, path)",
    "outputs": "output TEXT, path TEXT, size INTEGER, mtime INTEGER, PRIMARY KEY (output, path)",
    "pages": "output TEXT, path TEXT, key TEXT, reads TEXT, size INTEGER, mtime INTEGER,"
    " PRIMARY KEY (output, path)",
    "search": "output TEXT, path TEXT, id INTEGER, key TEXT, date INTEGER, terms TEXT, data TEXT,"
    " PRIMARY KEY (output, path)",
    "search_shards": "output TEXT, path TEXT, name TEXT, data TEXT, PRIMARY KEY (output, path)",
}


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def files_digest(files: list[Path], relative_to: Path) -> str:
    """The digest of files' names and bytes. By content, not by modification time: a CI machine's
    fresh checkout and `pip install` give every file a new time but the same bytes."""
    return digest(
        repr([(path.relative_to(relative_to).as_posix(), path.read_bytes()) for path in files]).encode()
    )


@functools.cache
def code_digest() -> str:
    """newsgen's own modules and theme, which shape everything the store holds."""
    package = Path(__file__).parent.parent
    return files_digest(sorted(package.rglob("*.py")), package)


def output_cache_file(source_dir: Path, output_dir: Path, name: str) -> Path:
    """The cache file `name` of one output folder. `newsgen serve` builds into a folder of its own:
    its files must not make `newsgen build` start again from scratch, nor the other way round."""
    if output_dir == (source_dir / "build").resolve():
        return source_dir / CACHE_DIR / name
    stem, _dot, suffix = name.partition(".")
    return source_dir / CACHE_DIR / f"{stem}-{digest(os.fsencode(output_dir))[:8]}.{suffix}"


class StoreDamaged(Exception):
    """A value in the store is not of the shape newsgen writes: the store is made anew."""


class Store:
    """The build state of one site, seen from one output folder (`output`)."""

    def __init__(self, path: Path, output: str) -> None:
        self.path, self.output = path, output
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self.writable = True
        self.trusted = True  # false: nothing is read from it
        self.discard = False  # found damaged: deleted by `finish`

    @classmethod
    def open(cls, source_dir: Path, output_dir: Path) -> Store:
        """The store in `source_dir`'s cache folder, made anew if it cannot be trusted. One that
        cannot be had holds nothing and keeps nothing: bodies then stay in memory."""
        store = cls(source_dir / CACHE_DIR / FILE, os.fspath(output_dir))
        try:
            store.path.parent.mkdir(exist_ok=True)
            store._prepare()
        except (OSError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or error
            log.warning(_NOT_WRITTEN, store.path, reason)
            store.close()
            store.trusted = store.writable = False
        return store

    def _prepare(self) -> None:
        """Check that the file is a newsgen store of this format and code; else make it anew."""
        for attempt in range(2):
            try:
                if self._trusted():
                    return
            except sqlite3.DatabaseError as error:  # not an SQLite file, or damaged
                log.debug("making the store %s anew: %s", self.path, error)
            self.close()
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            if attempt == 0:
                self._create()

    def _trusted(self) -> bool:
        connection = self.connection()
        if connection.execute("PRAGMA application_id").fetchone() != (_APPLICATION_ID,):
            return False
        if connection.execute("PRAGMA user_version").fetchone() != (FORMAT,):
            return False
        found = dict(
            connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        )
        if found != {name: _create_sql(name) for name in _TABLES}:
            return False
        made_by = dict(connection.execute("SELECT name, value FROM meta").fetchall())
        return made_by.get("code") == code_digest() and made_by.get("version") == __version__

    def _create(self) -> None:
        with self.connection() as connection:
            connection.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {FORMAT}")
            for name in _TABLES:
                connection.execute(_create_sql(name))
            made_by = {"code": code_digest(), "version": __version__}
            connection.executemany("INSERT INTO meta VALUES (?, ?)", made_by.items())

    def connection(self) -> sqlite3.Connection:
        """This process's connection: one made before a fork must not be used in a worker."""
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(self.path, timeout=30)
            self._connection.execute("PRAGMA synchronous = OFF")  # a cache: losing it costs only time
            self._pid = os.getpid()
        return self._connection

    def close(self) -> None:
        """Close the connection, as SQLite asks before a fork; the next use opens it again."""
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def read(
        self, query: str, parameters: Iterable[Any] = (), *, found_damaged_too: bool = False
    ) -> list[Any]:
        """The rows of a query; none if the file cannot be read (it is then made anew).
        `found_damaged_too`: read on from a store found damaged during this build (the bodies
        this build put there, which its pages show)."""
        if not self.trusted and not (found_damaged_too and self.discard):
            return []
        try:
            return self.connection().execute(query, tuple(parameters)).fetchall()
        except sqlite3.Error as error:
            self.damaged(error)
            return []

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A transaction; if it fails, the store is not written again by this process. Once
        the store is not written, the block's first statement ends it."""
        try:
            if self.writable:
                with self.connection() as connection:
                    yield connection
            else:
                yield sqlite3.connect(":memory:")  # no tables: nothing is written
        except sqlite3.Error as error:
            if self.writable:
                self.writable = False
                log.warning(_NOT_WRITTEN, self.path, error)

    def damaged(self, error: Exception) -> None:
        """A value of the wrong shape, or an unreadable file: nothing more is written to it or
        read from it but bodies (`found_damaged_too`), and `finish` sets it aside. (Not at once:
        the pages this build renders show bodies it put there.)"""
        if self.writable:
            log.warning("Lưu ý: bộ nhớ đệm %s bị hỏng (%s), sẽ được tạo lại", self.path, error)
        self.writable = self.trusted = False
        self.discard = True

    def finish(self) -> None:
        """After the build: close, and delete the file if it was found damaged."""
        self.close()
        if self.discard:
            with contextlib.suppress(OSError):
                self.path.unlink()

    # Named JSON records of this output folder.

    def record(self, name: str) -> Any:
        rows = self.read("SELECT data FROM records WHERE output = ? AND name = ?", (self.output, name))
        try:
            return json.loads(rows[0][0]) if rows else None
        except (TypeError, ValueError) as error:  # not JSON text
            self.damaged(error)
            return None

    def put_record(self, connection: sqlite3.Connection, name: str, value: Any) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        connection.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", (self.output, name, data))

    def rows(self, table: str, reading: Iterable[str] | None = None) -> dict[str, tuple[Any, ...]]:
        """A per-output table's rows for this output folder, by path; with `reading` (for `pages`,
        whose rows have reads), only the pages whose reads (one per line) include one of those."""
        if reading is None:
            rows = self.read(f"SELECT * FROM {table} WHERE output = ?", (self.output,))  # noqa: S608
        else:
            found = "instr(char(10) || reads || char(10), char(10) || ? || char(10)) > 0"
            rows = [
                row
                for read in sorted(set(reading))
                for row in self.read(
                    f"SELECT * FROM {table} WHERE output = ? AND {found}", (self.output, read)
                )  # noqa: S608
            ]
        return {row[1]: row[2:] for row in rows}

    def put_rows(
        self,
        connection: sqlite3.Connection,
        table: str,
        rows: dict[str, tuple[Any, ...]],
        before: dict[str, tuple[Any, ...]] | None = None,
    ) -> None:
        """Make a per-output table's rows for this output folder `rows`, writing only those that
        differ from `before` (what it holds now, if known)."""
        if before is None:
            connection.execute(f"DELETE FROM {table} WHERE output = ?", (self.output,))  # noqa: S608
            before = {}
        changed = {path: row for path, row in rows.items() if before.get(path) != row}
        self.change_rows(connection, table, changed, before.keys() - rows.keys())

    def change_rows(
        self,
        connection: sqlite3.Connection,
        table: str,
        changed: dict[str, tuple[Any, ...]],
        gone: Iterable[str],
    ) -> None:
        """Write the `changed` rows of a per-output table for this output folder, and delete
        those of the paths `gone`."""
        removed = ((self.output, path) for path in gone)
        connection.executemany(f"DELETE FROM {table} WHERE output = ? AND path = ?", removed)  # noqa: S608
        rows = [(self.output, path, *row) for path, row in changed.items()]
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)  # noqa: S608


def _create_sql(name: str) -> str:
    return f"CREATE TABLE {name} ({_TABLES[name]}) WITHOUT ROWID"


def check(condition: bool, what: str) -> None:
    """Raise StoreDamaged unless `condition`: a value read from the store has the wrong shape."""
    if not condition:
        raise StoreDamaged(what)
