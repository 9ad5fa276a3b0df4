"""Article bodies as HTML, kept in the store rather than in memory.

A page shows at most its own article's body, so a build need not hold ten thousand of them: each is
written, when its article is parsed, to the store's `bodies` table under the digest of the
article's file, and read back by the process that renders a page showing it. Without a store
(`newsgen check`), bodies stay in memory.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import OutputError
from .store import CACHE_DIR, FILE, Store


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
    """Bodies by the digest of their article's file: in the store, or in memory without one."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.in_memory: dict[str, str] = {}

    def digests(self) -> set[str]:
        found = set(self.in_memory)
        if self.store is not None:
            query = "SELECT digest FROM bodies WHERE typeof(html) = 'text'"  # else parsed again
            found |= {row[0] for row in self.store.read(query)}
        return found

    def add(self, bodies: dict[str, str]) -> None:
        if self.store is None or not self.store.writable:
            self.in_memory.update(bodies)
            return
        with self.store.writing() as connection:
            connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", bodies.items())
        if not self.store.writable:  # it failed: these bodies stay here
            self.in_memory.update(bodies)

    def keep_only(self, digests: Iterable[str]) -> None:
        """Forget the bodies of articles that are gone or changed."""
        self.remove(self.digests() - set(digests))

    def remove(self, digests: set[str]) -> None:
        for digest in digests & set(self.in_memory):
            del self.in_memory[digest]
        if self.store is not None and digests:
            with self.store.writing() as connection:
                connection.executemany("DELETE FROM bodies WHERE digest = ?", ((d,) for d in digests))

    def get(self, digest: str) -> str:
        if digest in self.in_memory:
            return self.in_memory[digest]
        rows = []
        if self.store is not None:
            rows = self.store.read(
                "SELECT html FROM bodies WHERE digest = ?", (digest,), found_damaged_too=True
            )
        if not rows or type(rows[0][0]) is not str:
            raise OutputError(
                f"không đọc được nội dung bài từ {CACHE_DIR}/{FILE}: có thể thư mục {CACHE_DIR}/ vừa bị "
                "xóa hay sửa, hoặc một lệnh tạo trang khác của cùng trang đang chạy",
                hint=f"tạo lại trang; nếu vẫn lỗi, xóa thư mục {CACHE_DIR}/ (an toàn) rồi tạo lại",
            )
        return str(rows[0][0])
