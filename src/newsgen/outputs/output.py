"""`Output`: one file of the built site, as the render stages produce it and the writer writes it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Output:
    """`data` to write, a `source` file to copy, or a file to keep, at `path` in the output folder."""

    path: str  # relative to the output folder, forward slashes
    data: bytes | None = None
    source: Path | None = None
    origin: str = ""  # what it comes from, for messages: content/x.md, static/a.jpg, the theme
    kept: bool = False  # the file the last build wrote is still right: nothing to write
    staged: bool = False  # already written to the writer's staging folder, by a worker
