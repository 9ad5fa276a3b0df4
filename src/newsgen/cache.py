"""A persistent cache of parsed articles, so a rebuild re-reads only what changed.

One pickle file under the site's `.newsgen-cache/` (git-ignored, safe to delete) maps each
article's path to the digest of its bytes and its parsed `Source`. The whole file is keyed by a
fingerprint of everything else that shapes a `Source`; a missing, stale or unreadable cache is
simply rebuilt.
"""

from __future__ import annotations

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
FORMAT = 3


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
    try:
        with open(path, "rb") as file:
            written_by, written_under, entries = pickle.load(file)  # noqa: S301 - our own file
    except FileNotFoundError:
        return {}
    except Exception as error:  # noqa: BLE001 - any damage means: start afresh
        log.debug("ignoring unreadable cache %s: %s", path, error)
        return {}
    same = written_by == (FORMAT, __version__) and written_under == fingerprint
    return entries if same and isinstance(entries, dict) else {}


def write_entries(path: Path, fingerprint: str, entries: dict[Any, Any]) -> None:
    """Write a cache file atomically; one that cannot be written is only a slower next build."""
    try:
        path.parent.mkdir(exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(fd, "wb") as file:
            pickle.dump(((FORMAT, __version__), fingerprint, entries), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        message = "Lưu ý: không ghi được bộ nhớ đệm %s (%s); lần dựng sau sẽ chậm hơn"
        log.warning(message, path, error.strerror)


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
