"""What a build records for the next one to compare with: `Inputs` (newsgen's code, the config
and the command line, and the name, size and mtime of every file under content/, templates/ and
static/) and `LastBuild` (those inputs, the report, the moment the output next changes by itself,
each article's digest and identity, and the size and mtime of every file it left), kept in the
store (`store.py`). Only mtimes already settled when recorded (`FolderScan.settled`) show that a
file did not change: a file edited twice within a timestamp's resolution can keep its size and
mtime.
"""

from __future__ import annotations

import os
from collections.abc import ItemsView, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple

from ..config.settings import CONFIG_FILE, Config
from ..files import FileStats, FolderScan
from ..outputs import assets
from ..outputs.assets import THEME_DIR
from ..report import BuildReport, report_from_data, report_to_data
from ..sources.content import fingerprint
from ..state.store import Store, StoreDamaged, check, code_digest, digest


@dataclass(frozen=True)
class Inputs:
    digest: str  # of everything a build reads
    settled: bool  # every file's size and mtime will show any later change to it
    content: FolderScan  # the files under content/, for the source cache
    others: str  # digest of everything but the files under content/
    others_settled: bool


class ArticleRecord(NamedTuple):
    digest: str  # of its file's bytes
    identity: str | None  # as pages list it (`pages.article_identity`); None: not published
    related: tuple[str, ...] = ()  # the source paths of the articles its page lists as related


@dataclass(frozen=True)
class LastBuild:
    report: BuildReport
    built_at: float  # the timestamp the build was made for (its `now`)
    next_change: float  # timestamp of the earliest scheduled article, or infinity
    outputs: FileStats  # every output file
    inputs: Inputs
    articles: Mapping[str, ArticleRecord]  # by source path; for `edits.edited_build` too
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
    )


def last_build(store: Store, config: Config) -> LastBuild | None:
    """What the last build into this output folder recorded, if anything."""
    record = store.record("last")
    if record is None:
        return None
    try:
        return _last_build(store, config, record)
    except StoreDamaged as error:
        store.damaged(error)
        return None


def _last_build(store: Store, config: Config, record: Any) -> LastBuild:
    check(type(record) is dict and record.keys() == _RECORD_KEYS, "record")
    inputs, sidebar_bodies = record["inputs"], record["sidebar_bodies"]
    check(type(inputs) is dict and inputs.keys() == _INPUTS_KEYS, "inputs")
    check(all(type(inputs[name]) is str for name in ("digest", "others")), "inputs")
    check(all(type(inputs[name]) is bool for name in ("settled", "others_settled")), "inputs")
    check(type(inputs["started_ns"]) is int and type(record["sidebar"]) is str, "record")
    check(type(sidebar_bodies) is list and all(type(path) is str for path in sidebar_bodies), "record")
    check(all(type(record[name]) is float for name in ("built_at", "next_change")), "record")
    content, outputs = _stats(store, "content"), _stats(store, "outputs")
    return LastBuild(
        report=report_from_data(record["report"], config.timezone),
        built_at=record["built_at"],
        next_change=record["next_change"],
        outputs=outputs,
        inputs=Inputs(
            digest=inputs["digest"],
            settled=inputs["settled"],
            content=FolderScan(content, inputs["started_ns"]),
            others=inputs["others"],
            others_settled=inputs["others_settled"],
        ),
        articles=StoredArticles(store),
        sidebar=record["sidebar"].encode(),
        sidebar_bodies=sidebar_bodies,
    )


_RECORD_KEYS = {"report", "built_at", "next_change", "inputs", "sidebar", "sidebar_bodies"}
_INPUTS_KEYS = {"digest", "settled", "others", "others_settled", "started_ns"}


class StoredArticles(Mapping[str, ArticleRecord]):
    """The last build's records of articles, read from the store when first needed: a build
    that finds nothing changed needs none of them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.records: dict[str, ArticleRecord] | None = None

    def _read(self) -> dict[str, ArticleRecord]:
        if self.records is None:
            self.records = {}
            try:
                for path, (file_digest, identity, related) in self.store.rows("articles").items():
                    check(type(file_digest) is str and type(related) is str, "article")
                    check(identity is None or type(identity) is str, "article")
                    paths = tuple(related.split("\n")) if related else ()
                    self.records[path] = ArticleRecord(file_digest, identity, paths)
            except StoreDamaged as error:
                self.store.damaged(error)
                self.records = {}
        return self.records

    def __getitem__(self, path: str) -> ArticleRecord:
        return self._read()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    # The dict's own, rather than the Mapping's, which look up every key again.
    def __contains__(self, path: object) -> bool:
        return path in self._read()

    def get(self, path: str, default: Any = None) -> Any:
        return self._read().get(path, default)

    def items(self) -> ItemsView[str, ArticleRecord]:
        return self._read().items()


def _stats(store: Store, table: str) -> FileStats:
    stats = store.rows(table)
    for size, mtime in stats.values():
        check(type(size) is int and type(mtime) is int, table)
    return stats  # checked: (size, mtime) each


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


def record_build(store: Store, last: LastBuild, before: LastBuild | None = None) -> None:
    """Remember a build, for `unchanged_build` and `edited_build` to compare with next time.
    `before`: what the store holds now, if known, so that only what differs is written."""
    inputs = last.inputs
    record = {
        "report": report_to_data(last.report),
        "built_at": float(last.built_at),
        "next_change": float(last.next_change),
        "inputs": {
            "digest": inputs.digest,
            "settled": inputs.settled,
            "others": inputs.others,
            "others_settled": inputs.others_settled,
            "started_ns": inputs.content.started_ns,
        },
        "sidebar": last.sidebar.decode(),
        "sidebar_bodies": list(last.sidebar_bodies),
    }
    with store.writing() as connection:
        store.put_record(connection, "last", record)
        if before is None or before.inputs.content.files is not inputs.content.files:
            old = None if before is None else before.inputs.content.files
            store.put_rows(connection, "content", inputs.content.files, old)
        if before is None or before.outputs is not last.outputs:
            store.put_rows(connection, "outputs", last.outputs, None if before is None else before.outputs)
        if before is None:
            store.put_rows(connection, "articles", {path: _row(a) for path, a in last.articles.items()})
        elif before.articles is not last.articles:  # after an edit, most records are the very same
            was, now = before.articles, last.articles
            changed = {path: _row(a) for path, a in now.items() if was.get(path) != a}
            store.change_rows(connection, "articles", changed, was.keys() - now.keys())


def _row(article: ArticleRecord) -> tuple[Any, ...]:
    return (article.digest, article.identity, "\n".join(article.related))
