"""The theme's own assets (style.css, site.js, …) under names that carry a hash of their content,
so that a browser or proxy holding last version's stylesheet never serves it with new pages, and
every asset can be cached for a year."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ..files import list_files

THEME_DIR = Path(__file__).parent.parent / "theme"  # templates, assets and messages
THEME_ASSETS = THEME_DIR / "static"
HASH_LENGTH = 10  # hex digits


def fingerprinted_names() -> dict[str, str]:
    """Each asset's name, and the name it is published under: style.css → style.1a2b3c4d5e.css."""
    folder, names = THEME_ASSETS, {}
    for name in list_files(folder):
        stat = (folder / name).stat()
        digest = _digest(folder / name, stat.st_mtime_ns, stat.st_size)
        folder_part, slash, file_name = name.rpartition("/")
        stem, dot, suffix = file_name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{file_name}.{digest}"
        names[name] = folder_part + slash + hashed
    return names


@functools.lru_cache(maxsize=64)
def _digest(path: Path, _mtime_ns: int, _size: int) -> str:
    """Kept per version of a file: `newsgen serve` rebuilds many times with the same assets."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
