"""When nothing a build reads has changed since the last one, say so instead of building.

The last successful build records a digest of every input (newsgen's code, the config and the
command-line options, and the name, size and mtime of every file under content/, templates/ and
static/), the moment its output next changes by itself (the earliest scheduled article), and the
size and mtime of every file it left in the output. A build whose inputs have the same digest,
that runs before that moment, and finds the output exactly as left, would write nothing: it
returns the last build's report instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import CACHE_DIR, digest, read_entries, write_entries
from .config import CONFIG_FILE, Config
from .files import list_files
from .render import THEME_DIR

if TYPE_CHECKING:
    from .build import BuildReport

_FILE = "last-build.pickle"


@dataclass(frozen=True)
class LastBuild:
    report: BuildReport
    next_change: float  # timestamp of the earliest scheduled article, or infinity
    outputs: dict[str, tuple[int, int]]  # every output file: (size, mtime_ns)


def inputs_digest(config: Config) -> str:
    """A digest of everything a build reads."""
    parts: list[object] = [__version__, repr(config)]
    folders = [Path(__file__).parent, THEME_DIR, config.content_dir, config.templates_dir, config.static_dir]
    for folder in folders:
        for name in list_files(folder):
            stat = os.stat(folder / name)
            parts.append((str(folder), name, stat.st_size, stat.st_mtime_ns))
    config_file = config.source_dir / CONFIG_FILE
    if config_file.is_file():
        parts.append(config_file.read_bytes())
    return digest(repr(parts).encode())


def unchanged_build(config: Config, inputs: str, now: datetime) -> BuildReport | None:
    """The last build's report, if building again would change nothing."""
    entries = read_entries(config.source_dir / CACHE_DIR / _FILE, inputs)
    last = entries.get("last")
    if not isinstance(last, LastBuild) or now.timestamp() >= last.next_change:
        return None
    found = set(list_files(config.output_dir, skip_hidden=False))
    if found != set(last.outputs):
        return None
    for path, recorded in last.outputs.items():
        try:
            stat = os.stat(config.output_dir / path)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != recorded:
            return None
    return replace(last.report, changed=0, removed=0, pages_rendered=0)


def record_build(config: Config, inputs: str, report: BuildReport, next_change: float) -> None:
    outputs = {}
    for path in list_files(config.output_dir, skip_hidden=False):
        stat = os.stat(config.output_dir / path)
        outputs[path] = (stat.st_size, stat.st_mtime_ns)
    write_entries(
        config.source_dir / CACHE_DIR / _FILE, inputs, {"last": LastBuild(report, next_change, outputs)}
    )
