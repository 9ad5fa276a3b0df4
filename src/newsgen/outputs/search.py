"""Full-text search that needs no server: a Pagefind index of the published articles, in
`/pagefind/`, which the search page (`/tim-kiem/`, `search.js`) queries in the browser.

Pagefind indexes HTML files. Each article gets a small one of its own in the cache (its title,
date, provinces, themes, summary and body, marked with Pagefind's `data-pagefind-*`
attributes), written only when the article changed, at its page's path, so that Pagefind gives
results the article's address. Pagefind cannot update an index, so whenever an article's file
changed the whole index is made again (about 6 s for 10,000 articles), after the pages are
written; its files are then brought into the output like any others. `newsgen serve` does this
after the reload, so that an edit shows at once and search catches up a few seconds later.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cbor2

from ..config.settings import Config
from ..errors import OutputError, disk_error
from ..files import FileStats, list_files
from ..site import urls
from ..site.model import Article
from ..state.store import Store, StoreDamaged, check, digest, output_cache_file
from ..text.vietnamese import format_date
from .output import Output

FOLDER = "pagefind"  # in the output
PAGEFIND = [sys.executable, "-m", "pagefind"]  # the binary the pagefind[bin] package brings
# Pagefind's own search interfaces: the search page has its own (search.js), so these stay out.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_RECORD = "search index"  # in the store: what the index was made from
_VERSION = 2  # of the documents below: raise it when they change


class SearchIndex:
    """The search documents of one output folder, and the index made from them."""

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.root = output_cache_file(config.source_dir, config.output_dir, "search.index")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError:  # no cache folder to be had: a folder for this build alone
            self.root = Path(tempfile.mkdtemp(prefix="newsgen-search-"))
            weakref.finalize(self, shutil.rmtree, self.root, True)
        self.docs = self.root / "docs"
        self.bundle = self.root / "bundle"
        self.store = store
        self.articles: dict[str, tuple[str, str]] = _read_articles(store)  # path → (key, doc path)
        self._saved = dict(self.articles)  # as the store holds them
        indexed = store.record(_RECORD)
        self.indexed: str | None = indexed if type(indexed) is str else None  # what the bundle was made from
        if not self.articles:  # the store was made anew: documents of articles gone may be left
            shutil.rmtree(self.docs, ignore_errors=True)
        self._running: tuple[subprocess.Popen[str], Path, str] | None = None

    def update(self, articles: Iterable[Article], key: Callable[[Article], str], complete: bool) -> None:
        """Write the documents of `articles` that changed (`key`: changes with what is indexed);
        with `complete`, `articles` are all the published ones, and the others' documents go."""
        with _writing(self.root):
            self._update(articles, key, complete)

    def _update(self, articles: Iterable[Article], key: Callable[[Article], str], complete: bool) -> None:
        seen, left, before = set(), set(), dict(self.articles)
        for article in articles:
            seen.add(article.source_path)
            entry = (key(article), urls.output_path(self.config, article.url))
            known = self.articles.get(article.source_path)
            if known == entry:
                continue
            if known is not None and known[1] != entry[1]:
                left.add(known[1])  # its address moved
            target = self.docs / entry[1]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_document(self.config, article), encoding="utf-8")
            self.articles[article.source_path] = entry
        if complete:
            for path in set(self.articles) - seen:
                left.add(self.articles.pop(path)[1])
        # Only now: another article may have taken an address one left (or a renamed file kept it).
        for document in left - {document for _key, document in self.articles.values()}:
            (self.docs / document).unlink(missing_ok=True)
        if self.articles != before:
            self._save()

    def stale(self) -> bool:
        if self.articles and not (self.bundle / "pagefind.js").is_file():
            return True  # the cache lost its bundle
        return self.indexed != self._made_from()

    def start(self) -> None:
        """If the documents changed since the index was made, start making it again, in a process
        of its own: it runs while pages are rendered, and `finish` waits for it."""
        with _writing(self.root):
            self._start()

    def _start(self) -> None:
        for unused in [*self.root.glob("unused-*"), *self.root.glob("bundle-*")]:  # under the lock
            shutil.rmtree(unused, ignore_errors=True)
        if self._running is not None or not self.stale():
            return
        if not self.articles:  # Pagefind makes no empty index: none is published
            shutil.rmtree(self.bundle, ignore_errors=True)
            self.indexed = self._made_from()
            self._save()
            return
        self.docs.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix="bundle-", dir=self.root))
        command = [*PAGEFIND, "--site", str(self.docs)]
        command += ["--output-path", str(fresh), "--force-language", "vi", "--silent"]
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            shutil.rmtree(fresh, ignore_errors=True)
            raise _failed(error.strerror or str(error)) from None
        self._running = (process, fresh, self._made_from())

    def finish(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Wait for the index `start` began, and put it in place; OutputError if Pagefind failed.
        False if `cancelled()` came true first: Pagefind is stopped, the index left as it was."""
        with _writing(self.root):
            return self._finish(cancelled)

    def _finish(self, cancelled: Callable[[], bool] | None) -> bool:
        if self._running is None:
            return True
        process, fresh, made_from = self._running
        while cancelled is not None and process.poll() is None:
            if cancelled():
                process.kill()
                process.communicate()
                self._running = None
                fresh.rename(fresh.with_name(f"unused-{fresh.name}"))  # deleted by the next start
                return False
            time.sleep(0.02)
        self._running = None
        said = process.communicate()[0].strip().splitlines()
        if process.returncode != 0 or not (fresh / "pagefind.js").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            raise _failed(said[-1] if said else f"mã lỗi {process.returncode}")
        try:
            _sort_filters(fresh)
        except (OSError, ValueError, LookupError, TypeError, cbor2.CBORError) as error:
            shutil.rmtree(fresh, ignore_errors=True)
            raise _failed(f"định dạng chỉ mục lạ: {error!r}") from None
        _keep_unchanged_mtimes(self.bundle, fresh)
        shutil.rmtree(self.bundle, ignore_errors=True)
        os.replace(fresh, self.bundle)
        self.indexed = made_from
        self._save()
        return True

    def stop(self) -> None:
        """Stop Pagefind if it still runs (the build failed): the index stays as it was."""
        self.finish(cancelled=lambda: True)

    def files(self) -> Iterator[Output]:
        """The index's files, once it is made, for a full build: the writer copies those that differ."""
        self.finish()
        for name in self._published():
            yield Output(f"{FOLDER}/{name}", source=self.bundle / name, origin="chỉ mục tìm kiếm")

    def changes(self, existing: FileStats) -> tuple[list[Output], list[str]]:
        """Once the index is made: its files that the output lacks or holds otherwise, and the
        output's index files that the index no longer has."""
        self.finish()
        wanted = {f"{FOLDER}/{name}": self.bundle / name for name in self._published()}
        changed = []
        for path, source in wanted.items():
            stat = source.stat()
            if existing.get(path) != (stat.st_size, stat.st_mtime_ns):
                changed.append(Output(path, source=source, origin="chỉ mục tìm kiếm"))
        gone = [path for path in existing if path.startswith(f"{FOLDER}/") and path not in wanted]
        return changed, gone

    def _published(self) -> list[str]:
        return [name for name in list_files(self.bundle) if not name.startswith(_UNUSED)]

    def _made_from(self) -> str:
        return digest(repr(sorted(self.articles.values())).encode())

    def _save(self) -> None:
        with self.store.writing() as connection:
            rows = {path: (key, document) for path, (key, document) in self.articles.items()}
            self.store.put_rows(connection, "search", rows, self._saved)
            self.store.put_record(connection, _RECORD, self.indexed)
        self._saved = dict(self.articles)


@contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """A full disk or a folder newsgen may not write, met while keeping the index, as a message."""
    try:
        yield
    except OSError as error:
        raise disk_error(error, Path(error.filename or folder)) from None


def index_edits(
    config: Config,
    store: Store,
    articles: Iterable[Article],
    key: Callable[[Article], str],
    existing: FileStats,
    now: bool,
) -> tuple[list[Output], list[str]]:
    """After edits to `articles`: their search documents written again and, with `now`, the index
    made again; its files that the output (`existing`) lacks or holds otherwise, and those it
    should no longer hold. Without `now`, `update_search_index` is left to do the rest."""
    if not config.search:
        return [], []
    index = SearchIndex(config, store)
    index.update(articles, key, complete=False)
    if not now:
        return [], []
    index.start()
    return index.changes(existing)


def _read_articles(store: Store) -> dict[str, tuple[str, str]]:
    """The documents the cache holds, by article; none if the store holds a value of another shape."""
    articles = {}
    try:
        for path, row in store.rows("search").items():
            check(len(row) == 2 and all(type(part) is str for part in row), "search document")
            articles[path] = (row[0], row[1])
    except StoreDamaged as error:
        store.damaged(error)
        return {}
    return articles


def _failed(reason: str) -> OutputError:
    return OutputError(
        f"không tạo được chỉ mục tìm kiếm (Pagefind: {reason})",
        hint="cài lại newsgen để có gói pagefind[bin]; hoặc tắt tìm kiếm bằng search: false",
    )


def document_key(identity: str, body_digest: str) -> str:
    """What an article's search document is made from: how listings show it, and its body."""
    return digest(f"{_VERSION} {identity} {body_digest}".encode())


def _document(config: Config, article: Article) -> str:
    """The article as Pagefind reads it: the title, date and provinces shown with each result,
    provinces and themes to filter by, the date to sort by, and the text to search."""
    escape = html.escape
    provinces = ", ".join(term.name for term in article.provinces)
    # Filters and metadata as attributes of empty elements: their text is not searched.
    filters = [f"tinh:{term.name}" for term in article.provinces]
    filters += [f"chu_de:{term.name}" for term in article.themes]
    meta = [f"date:{format_date(article.date)}", f"provinces:{provinces}"]
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(article.title)}</title></head><body>"
        f'<main data-pagefind-body data-pagefind-sort="date:{article.date.isoformat()}">'
        + "".join(f'<span data-pagefind-meta="{escape(item)}"></span>' for item in meta)
        + "".join(f'<span data-pagefind-filter="{escape(item)}"></span>' for item in filters)
        + f'<h1 data-pagefind-meta="title">{escape(article.title)}</h1>'
        + (f"<p>{escape(article.lead)}</p>" if article.lead else "")
        + f"{article.body_html}</main></body></html>"
    )


def _sort_filters(bundle: Path) -> None:
    """Pagefind lists filter values (the provinces, the themes) in a different order on every run;
    sorted here, so that the same articles always give the same files, byte for byte
    (reproducible builds, and no file rewritten for nothing). Filter files are gzipped CBOR
    after a signature: [name, [[value, [page numbers]], …]]; the language's meta file lists
    them as [name, file] pairs, and pagefind-entry.json names the meta file."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_cbor(meta_file)
        prefix = language["hash"].split("_")[0]  # the language: vi
        filters = []
        for name, old_hash in meta[3]:
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            data = _read_cbor(old)
            data[1] = sorted(data[1], key=lambda value: value[0])
            old.unlink()
            new_hash, content = _cbor_file(data, prefix, 7)
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(content)
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        meta_file.unlink()
        language["hash"], content = _cbor_file(meta, prefix, 10)
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(content)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


_SIGNATURE = b"pagefind_dcd"


def _read_cbor(path: Path) -> Any:
    return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(_SIGNATURE))


def _cbor_file(value: Any, prefix: str, length: int) -> tuple[str, bytes]:
    """`value` as Pagefind writes it, and the name Pagefind would give it: from its contents."""
    data = gzip.compress(_SIGNATURE + cbor2.dumps(value), mtime=0)
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:length]}", data


def _keep_unchanged_mtimes(old: Path, new: Path) -> None:
    """Files the new index has byte for byte as the old one did keep the old mtimes, so that the
    writer sees them unchanged (most are: Pagefind names its chunks by their contents)."""
    if not old.is_dir():
        return
    for name in list_files(new):
        before, after = old / name, new / name
        try:
            stat = before.stat()
            if stat.st_size == after.stat().st_size and before.read_bytes() == after.read_bytes():
                os.utime(after, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        except OSError:
            continue
