"""When nothing a build reads has changed since the last one, say so instead of building.

The last successful build records a digest of every input (newsgen's code, the config and the
command-line options, and the name, size and mtime of every file under content/, templates/ and
static/), the moment its output next changes by itself (the earliest scheduled article), and the
size and mtime of every file it left in the output. A build whose inputs have the same digest,
that runs before that moment, and finds the output exactly as left, would write nothing: it
returns the last build's report instead. Only if every input's mtime was already settled
(`FolderScan.settled`) when recorded: a file edited twice within a timestamp's resolution can
keep its size and mtime.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import assets
from .cache import code_digest, digest, output_cache_file, read_entries, write_entries
from .config import CONFIG_FILE, Config
from .content import fingerprint
from .files import FileStats, FolderScan
from .render import THEME_DIR

if TYPE_CHECKING:
    from .build import BuildReport

_FILE = "last-build.pickle"


@dataclass(frozen=True)
class Inputs:
    digest: str  # of everything a build reads
    settled: bool  # every file's size and mtime will show any later change to it
    content: FolderScan  # the files under content/, for the source cache
    others: str  # digest of everything but the files under content/
    others_settled: bool
    code: str  # digest of newsgen's own modules: what the record was written by


class ArticleRecord(NamedTuple):
    digest: str  # of its file's bytes
    identity: str | None  # as pages list it (`incremental.article_identity`); None: not published
    related: tuple[str, ...] = ()  # the source paths of the articles its page lists as related


@dataclass(frozen=True)
class LastBuild:
    report: BuildReport
    built_at: float  # the timestamp the build was made for (its `now`)
    next_change: float  # timestamp of the earliest scheduled article, or infinity
    outputs: FileStats  # every output file
    inputs: Inputs
    articles: dict[str, ArticleRecord]  # by source path; for `edits.edited_build` too
    sidebar: bytes
    sidebar_bodies: list[str]  # whose bodies the sidebar showed

    def holds_at(self, now: datetime) -> bool:
        """True if the same articles are published at `now` as when it was built."""
        return self.built_at <= now.timestamp() < self.next_change

    def unchanged_report(self) -> BuildReport:
        return replace(self.report, changed=0, removed=0, pages_rendered=0)


def scan_inputs(config: Config) -> Inputs:
    """Everything a build reads, as names, sizes and mtimes of files, and the config."""
    content = FolderScan.of(config.content_dir)
    # assets.THEME_ASSETS lies in THEME_DIR, save in a test that swaps the theme's assets
    folders = (THEME_DIR, assets.THEME_ASSETS, config.templates_dir, config.static_dir)
    scans = [FolderScan.of(folder) for folder in folders]
    code = code_digest()
    parts: list[object] = [repr(config), fingerprint(config), code, [scan.files for scan in scans]]
    parts.append(os.environ.get("SOURCE_DATE_EPOCH"))  # the date of empty feeds
    config_file = config.source_dir / CONFIG_FILE
    if config_file.is_file():
        parts.append(config_file.read_bytes())
    others = digest(repr(parts).encode())
    others_settled = all(scan.all_settled() for scan in scans)
    return Inputs(
        digest=digest(repr((others, content.files)).encode()),
        settled=others_settled and content.all_settled(),
        content=content,
        others=others,
        others_settled=others_settled,
        code=digest(repr(code).encode()),
    )


def last_build(config: Config, inputs: Inputs) -> LastBuild | None:
    """What the last build recorded, if the same code wrote it."""
    last = read_entries(_record_file(config), inputs.code).get("last")
    return last if isinstance(last, LastBuild) else None


def unchanged_files(last: LastBuild | None, content: FolderScan) -> dict[str, str]:
    """The articles whose size and mtime show they are as the last build read them, by source
    path, with the digests of their bytes. Only mtimes settled when recorded count."""
    if last is None:
        return {}
    before = last.inputs.content
    found = {}
    for name, stat in content.files.items():
        path = f"content/{name}"
        if path in last.articles and before.files.get(name) == stat and before.settled(name):
            found[path] = last.articles[path].digest
    return found


def unchanged_build(
    last: LastBuild | None, inputs: Inputs, now: datetime, output: Callable[[], FileStats]
) -> BuildReport | None:
    """The last build's report, if building again would change nothing; `output()` gives the
    output folder as found, asked for only when the inputs are those of the last build."""
    if last is None or last.inputs.digest != inputs.digest or not last.holds_at(now):
        return None
    if not last.inputs.settled:  # a file may have changed since without changing its mtime
        return None
    if output() != last.outputs:
        return None
    return last.unchanged_report()


def record_build(config: Config, last: LastBuild) -> None:
    """Remember a build, for `unchanged_build` and `edited_build` to compare with next time."""
    write_entries(_record_file(config), last.inputs.code, {"last": last})


def _record_file(config: Config) -> Path:
    return output_cache_file(config.source_dir, config.output_dir, _FILE)
