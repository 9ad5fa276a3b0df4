"""A persistent cache of parsed articles, so a rebuild re-reads only what changed.

One pickle file under the site's `.newsgen-cache/` (git-ignored, safe to delete) maps each
article's path to the digest of its bytes and its parsed `Source`. The whole file is keyed by a
fingerprint of everything else that shapes a `Source`; a missing, stale or unreadable cache is
simply rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

log = logging.getLogger(__name__)

CACHE_DIR = ".newsgen-cache"
_FILE = "sources.pickle"
# The shape of what the cache files hold: raised whenever it changes, so that files written by
# another version of newsgen are never misread (module mtimes need not differ: Nix pins them).
FORMAT = 4


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
    """newsgen's own modules, which shape everything a cache holds."""
    package = Path(__file__).parent
    return files_digest(sorted(package.glob("*.py")), package)


def output_cache_file(source_dir: Path, output_dir: Path, name: str) -> Path:
    """The cache file `name` of one output folder. `newsgen serve` builds into a folder of its own:
    its records must not make `newsgen build` start again from scratch, nor the other way round."""
    if output_dir == (source_dir / "build").resolve():
        return source_dir / CACHE_DIR / name
    stem, _dot, suffix = name.partition(".")
    return source_dir / CACHE_DIR / f"{stem}-{digest(os.fsencode(output_dir))[:8]}.{suffix}"


def read_entries(path: Path, fingerprint: str) -> dict[Any, Any]:
    """The entries a cache file holds if it was written under `fingerprint`; else none.

    A missing, stale or damaged file is not an error: it only means starting afresh.
    """
    if _memory is not None:
        kept = _memory.get(path)
        if kept is not None:
            return kept[1] if kept[0] == fingerprint else {}
    try:
        found = _stat_key(path)
        with open(path, "rb") as file:
            written_by, written_under, entries = pickle.load(file)  # noqa: S301 - our own file
    except FileNotFoundError:
        return {}
    except Exception as error:  # noqa: BLE001 - any damage means: start afresh
        log.debug("ignoring unreadable cache %s: %s", path, error)
        return {}
    if written_by != (FORMAT, __version__) or not isinstance(entries, dict):
        return {}
    if _memory is not None:
        _memory.files[path] = (found, written_under, entries)
    return entries if written_under == fingerprint else {}


def write_entries(path: Path, fingerprint: str, entries: dict[Any, Any]) -> None:
    """Write a cache file atomically; one that cannot be written is only a slower next build."""
    if _memory is not None:
        _memory.pending[path] = (fingerprint, entries)
        return
    _write(path, fingerprint, entries)


def _write(path: Path, fingerprint: str, entries: dict[Any, Any]) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(fd, "wb") as file:
            pickle.dump(((FORMAT, __version__), fingerprint, entries), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        message = "Lưu ý: không ghi được bộ nhớ đệm %s (%s); lần dựng sau sẽ chậm hơn"
        log.warning(message, path, error.strerror)


def _stat_key(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class KeptInMemory:
    """For a process that builds again and again (`newsgen serve`'s builder): the cache files it
    reads or writes stay in memory, so the next build need not unpickle them, and writes wait for
    `flush()`, so that a build's outcome is handed on before its records are pickled. A file
    changed by another process since is read again."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[tuple[int, int, int], str, dict[Any, Any]]] = {}
        self.pending: dict[Path, tuple[str, dict[Any, Any]]] = {}

    def get(self, path: Path) -> tuple[str, dict[Any, Any]] | None:
        """(fingerprint, entries) of `path` as this process last read or wrote it, if still so."""
        if path in self.pending:
            return self.pending[path]
        kept = self.files.get(path)
        try:
            if kept is not None and kept[0] == _stat_key(path):
                return kept[1], kept[2]
        except OSError:
            pass
        return None

    def flush(self) -> None:
        for path, (fingerprint, entries) in self.pending.items():
            _write(path, fingerprint, entries)
            with contextlib.suppress(OSError):
                self.files[path] = (_stat_key(path), fingerprint, entries)
        self.pending.clear()


_memory: KeptInMemory | None = None


def keep_in_memory() -> KeptInMemory:
    """From now on, keep this process's cache files in memory (see `KeptInMemory`)."""
    global _memory
    _memory = KeptInMemory()
    return _memory


class SourceCache:
    """Parsed articles by path, valid while the file's digest and the fingerprint are the same."""

    def __init__(self, folder: Path | None, fingerprint: str) -> None:
        self.path = folder / CACHE_DIR / _FILE if folder else None
        self.fingerprint = fingerprint
        self.entries: dict[str, tuple[str, Any]] = {}
        self.changed = False
        if self.path is not None:
            self.entries = read_entries(self.path, fingerprint)

    def get(self, path: str, data_digest: str) -> Any | None:
        entry = self.entries.get(path)
        return entry[1] if entry and entry[0] == data_digest else None

    def put(self, path: str, data_digest: str, value: Any) -> None:
        if self.entries.get(path) != (data_digest, value):
            self.entries[path] = (data_digest, value)
            self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget articles that no longer exist."""
        for path in set(self.entries) - paths:
            del self.entries[path]
            self.changed = True

    def save(self) -> None:
        if self.path is not None and self.changed:
            write_entries(self.path, self.fingerprint, self.entries)
