"""The theme's own assets (style.css, site.js, …) under names that carry a hash of their content,
so that a browser or proxy holding last version's stylesheet never serves it with new pages, and
every asset can be cached for a year."""

from __future__ import annotations

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
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()[:HASH_LENGTH]  # 40 KB in all
        folder_part, slash, file_name = name.rpartition("/")
        stem, dot, suffix = file_name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{file_name}.{digest}"
        names[name] = folder_part + slash + hashed
    return names
