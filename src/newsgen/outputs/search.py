"""Full-text search that needs no server: newsgen's own index of the published articles (and
documents, `Indexed`), in `tim-kiem/chi-muc/`, which the search page's script (`search.js`)
reads in the browser.

What the index holds (README, "Search", says how results are ranked):
- each article's words, folded (`text.folding`: no case, tone or letter marks, đ → d), each
  with a weight from the fields it stands in (title, sapo, body: BM25F, lengths by buckets) and
  how often; the pairs of adjacent words of its title and summary (sapo, or first paragraph), for
  phrases; its words as
  written, with their marks (`=điện`), to prefer them when a query has marks; and its
  provinces, themes and year (`#p:son-la`, `#t:…`, `#y:2024`), to filter by;
- `meta.json`: the format, the index's epoch, the number of articles, each article's date by id
  (for newest first), the provinces and themes with their names and aliases folded (a query
  that names one is offered its page), and the digests that name the shard files, one string;
- `s/<n>-<digest>.json`: the shards, each term's articles (ids ascending, as gaps) and weights
  (none for a word in more than half of the articles: see `_COMMON_AT_LEAST`), the terms
  spread over a power of two of shards by CRC-32, so that a query loads a few;
- `bai/<id>.json`: what a result shows (address, title, date, provinces) and the text its
  excerpt is cut from.

Ids are given by date when an index is made anew and never given to another article after;
the epoch, which every article's file carries, changes only then: a page loaded before a deploy
notices and loads the index again. An edit writes again only the article's file, the shards of
the terms whose weight for it changed, and `meta.json`.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import math
import operator
import re
import zlib
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableSequence, Sequence
from dataclasses import dataclass

import orjson

from ..config.settings import Config
from ..files import FileStats
from ..parallel import map_chunks_in_processes, map_in_processes
from ..site import urls
from ..site.model import Article, Document, Site
from ..state.store import Store, StoreDamaged, check, digest
from ..text.folding import word_counts, words
from ..text.vietnamese import format_date
from .output import Output

FOLDER = f"{urls.SEARCH_SEGMENT}/{urls.SEARCH_INDEX_SEGMENT}"  # in the output, below the search page
FORMAT = 2  # of the files below: the script refuses another
_RECORD = "search index"  # in the store: what is below, of the index as a whole
_RECORD_KEYS = {
    "published": bool,
    "format": int,
    "epoch": str,
    "next_id": int,
    "shards": int,
    "terms": list,
    "dates": list,
    "count": int,
    "common": int,
}
_VERSION = 5  # of what a document holds: raise it when `_terms` or `_document` change

# BM25F: each field's weight, its usual length in words, and how much length counts.
_FIELDS = (("title", 5.0, 12), ("lead", 2.0, 40), ("body", 1.0, 400))
_B = 0.75
_QUARTERS = 4  # a weight is kept as a whole number of quarters, at most 255
# A word in more than half of the articles tells little about which ranks first (BM25's idf is
# under ln 2), and its weights are most of what a query loads: the files leave them out. Half as
# counted when the shards were laid out (again when the count doubles or halves), and at least:
_COMMON_AT_LEAST = 80
_EXCERPT_TEXT = 1500  # characters of an article's text (its first paragraphs) excerpts come from
_TAG = re.compile(r"<[^>]*>")
_SHARD_NAME = re.compile(r"s/[0-9]+-[0-9a-f]{8}\.json")
_ORIGIN = "chỉ mục tìm kiếm"  # what the index's files come from, in messages

Indexed = Article | Document  # a document (văn bản) is found as an article is: its number and
# type begin its title, its issuer, signer and files' names stand as its sapo


def document_key(identity: str, body_digest: str) -> str:
    """What an article's search document is made from: how listings show it, and its body."""
    return digest(f"{_VERSION} {identity} {body_digest}".encode())


def shard_of(term: str, shards: int) -> int:
    """The shard that holds `term` (search.js works it out the same way)."""
    return zlib.crc32(term.encode()) & (shards - 1)


def _common_for(articles: int) -> int:
    return max(_COMMON_AT_LEAST, articles // 2)


def shard_count(articles: int) -> int:
    """About ten articles' worth of terms per shard: a power of two between 16 and 4,096."""
    wanted = max(1, math.ceil(articles / 10))
    return min(4096, max(16, 1 << (wanted - 1).bit_length()))


# A term's articles, ids ascending, and its weights (arrays while an index is made: less memory).
Postings = tuple[MutableSequence[int], MutableSequence[int]]


@dataclass
class _Doc:
    """One article as the index holds it."""

    id: int
    key: str
    date: int  # minutes since 1970, for newest first
    terms: str  # JSON: {term: weight in quarters; 0 for a term that is there or not}
    data: str  # its file, bai/<id>.json, but for the epoch


class SearchIndex:
    """The search index of one output folder, kept in the store and brought up to date."""

    def __init__(
        self, config: Config, store: Store, jobs: int = 1, only: Collection[str] | None = None
    ) -> None:
        """`only`: the source paths of the articles the build may change (a few edited ones), to
        read only what the store holds of those; else all."""
        self.config, self.store, self.jobs = config, store, jobs
        self.docs: dict[str, tuple[int, str, int]] = {}  # path → (id, key, date), of `only` or all
        self.names: dict[int, str] = {}  # shard → its file's name
        self.epoch, self.next_id, self.shards, self.count = "", 0, 0, 0
        self.common = 0  # a word in more articles than this has no weights in the files
        self.dates: list[int] = []  # each id's article's date (0 for an id no longer used)
        self.terms: list[object] = []  # the provinces and themes, as meta.json gives them
        try:
            self._read(only)
        except StoreDamaged as error:
            store.damaged(error)
            self.docs, self.names, self.epoch = {}, {}, ""
        self.written: dict[str, bytes] = {}  # files of the index made or changed by `update`
        self.staged: dict[str, Output] = {}  # and those the workers staged (`update`'s `stage`)
        self._stage: Callable[[Output], Output] | None = None
        self._update: tuple[list[Indexed], Callable[[Indexed], str], Site | None] = ([], str, None)

    def _read(self, only: Collection[str] | None) -> None:
        record = self.store.record(_RECORD)
        if type(record) is not dict or record.get("format") != FORMAT or record.get("published") is not True:
            return  # none, another format's, or one a build that failed left half-written
        check(record.keys() == set(_RECORD_KEYS), "search index")
        self.epoch, self.next_id, self.shards = record["epoch"], record["next_id"], record["shards"]
        self.terms, self.dates, self.count = record["terms"], record["dates"], record["count"]
        self.common = record["common"]
        check(all(type(record[name]) is kind for name, kind in _RECORD_KEYS.items()), "search index")
        check(
            len(self.dates) == self.next_id and all(type(date) is int for date in self.dates), "search index"
        )
        output = (self.store.output,)
        rows = (
            self.store.read("SELECT path, id, key, date FROM search WHERE output = ?", output)
            if only is None
            else [
                row
                for path in only
                for row in self.store.read(
                    "SELECT path, id, key, date FROM search WHERE output = ? AND path = ?", (*output, path)
                )
            ]
        )
        for path, id_, key, date in rows:
            check(type(id_) is int and type(key) is str and type(date) is int, "search")
            self.docs[path] = (id_, key, date)
        check(only is not None or len(self.docs) == self.count, "search: articles missing")
        for number, name in self.store.read("SELECT path, name FROM search_shards WHERE output = ?", output):
            check(type(name) is str and _SHARD_NAME.fullmatch(name) is not None, "search shard")
            check(name.startswith(f"s/{number}-"), "search shard")
            self.names[int(number)] = name
        check(set(self.names) == set(range(self.shards)), "search shards")

    def update(
        self,
        articles: Iterable[Indexed],
        key: Callable[[Indexed], str],
        site: Site | None = None,
        stage: Callable[[Output], Output] | None = None,
    ) -> None:
        """Bring the index up to date with `articles` (`key` changes with what is indexed). With
        the `site`, they are all the published ones, and the others leave the index; without,
        they are a few edited ones, which change no province or theme. StoreDamaged, without the
        site, if the store holds a value of the wrong shape; with it, the index is made anew.
        With `stage` (the writer's), an index made anew has its articles' files staged by the
        worker processes that make them (`staged`), not held in memory."""
        self._update, self._stage = (list(articles), key, site), stage
        try:
            self._bring_up_to_date()
        except StoreDamaged as error:
            self.store.damaged(error)
            if site is None:
                raise
            self._start_over()

    def _start_over(self) -> None:
        """Make the index anew, from the articles `update` was given (the store is not written)."""
        self.docs, self.names, self.epoch, self.written, self.staged = {}, {}, "", {}, {}
        self._bring_up_to_date()
        self._save_record(published=False)

    def _bring_up_to_date(self) -> None:
        articles, key, site = self._update
        keys = {article.source_path: key(article) for article in articles}
        new = [a for a in articles if self.docs.get(a.source_path, (0, None))[1] != keys[a.source_path]]
        if site is not None:
            self.terms = _named_terms(self.config, site)
        if not self.epoch:
            self._make_anew(new, keys)
            self.written[f"{FOLDER}/meta.json"] = self._meta()
            return
        changed = {
            article.source_path: _Doc(-1, keys[article.source_path], _minutes(article), terms, data)
            for article, (terms, data) in zip(new, self._prepared(new), strict=True)
        }
        gone = self.docs.keys() - keys.keys() if site is not None else set()
        if site is not None:
            self.count = len(self.docs.keys() - gone | changed.keys())
        count = self.count
        if not (
            self.shards // 4 <= shard_count(count) <= self.shards * 4
            and self.common // 2 <= _common_for(count) <= self.common * 2
        ):
            self._spread(shard_count(count), changed, gone)  # grown or shrunk a lot
        elif changed or gone:
            self._change(changed, gone)
        else:
            self._save_record(published=False)  # the provinces' and themes' names may have changed
        self.written[f"{FOLDER}/meta.json"] = self._meta()

    def _prepared(self, articles: list[Indexed]) -> Iterator[tuple[str, str]]:
        """The terms (JSON) and file of each of `articles`, in order, by worker processes."""
        self.store.close()  # workers may be forked next: each opens its own connection
        work = functools.partial(_prepare, articles)
        return map_in_processes(work, range(len(articles)), self.jobs)

    def _make_anew(self, articles: list[Indexed], keys: dict[str, str]) -> None:
        """Ids by date, and every article's terms put in their shards: worker processes work out
        the postings of a chunk of articles each, joined here as they come; the articles are
        saved a chunk at a time, not all held in memory."""
        articles = sorted(articles, key=lambda article: (_minutes(article), article.source_path))
        self.epoch = digest(repr(sorted(keys.items())).encode())[:12]
        self.next_id, self.count, self.dates = len(articles), len(articles), []
        self.shards, self.common = shard_count(len(articles)), _common_for(len(articles))
        self._save_record(published=False)  # until it is whole again, no build may trust it
        with self.store.writing() as connection:
            connection.execute("DELETE FROM search WHERE output = ?", (self.store.output,))
        self.docs = {}
        self.store.close()  # workers are forked next: each opens its own connection
        work = functools.partial(_prepare_chunk, articles, self.epoch, self._stage)
        postings: dict[str, Postings] = {}
        number = 0
        for prepared, chunk_postings in map_chunks_in_processes(work, range(len(articles)), self.jobs):
            batch = {}
            for terms, data, staged in prepared:
                if staged is not None:
                    self.staged[staged.path] = staged
                article = articles[number]
                path = article.source_path
                batch[path] = _Doc(number, keys[path], _minutes(article), terms, data)
                number += 1
            self._save_docs(batch, set())
            _join_postings(postings, *chunk_postings)
        by_shard = _by_shard(postings, self.shards)
        del postings
        self._save_shards(by_shard, anew=True)

    def _spread(self, shards: int, changed: dict[str, _Doc], gone: set[str]) -> None:
        """The same articles, ids and epoch, spread over another number of shards."""
        self._give_ids(changed)
        kept = {path: self._stored(path) for path in self.docs.keys() - gone - changed.keys()}
        self._write_all(shards, {**kept, **changed}, gone)

    def _write_all(self, shards: int, docs: dict[str, _Doc], gone: set[str]) -> None:
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc in sorted(docs.values(), key=lambda doc: doc.id):
            _add_postings(postings, doc.id, _terms_of(doc.terms))
        self.shards, self.common = shards, _common_for(self.count)
        self._save(docs, gone, _by_shard(postings, shards), anew=True)

    def _change(self, changed: dict[str, _Doc], gone: set[str]) -> None:
        """Write again only the shards of the terms whose entries for these articles differ."""
        before = {
            path: _terms_of(self._stored(path).terms) for path in (changed.keys() & self.docs.keys()) | gone
        }
        self._give_ids(changed)
        entries: dict[str, dict[int, int | None]] = {}  # term → id → weight, None to take out
        for path in gone:
            for term in before[path]:
                entries.setdefault(term, {})[self.docs[path][0]] = None
        for path, doc in changed.items():
            old, new = before.get(path, {}), _terms_of(doc.terms)
            for term, weight in new.items():
                if old.get(term) != weight:
                    entries.setdefault(term, {})[doc.id] = weight
            for term in old.keys() - new.keys():
                entries.setdefault(term, {})[doc.id] = None
        by_shard: dict[int, dict[str, Postings]] = {}
        for term, changes in entries.items():
            number = shard_of(term, self.shards)
            shard = by_shard.get(number)
            if shard is None:
                shard = by_shard[number] = self._stored_shard(number)
            postings = dict(zip(*shard.get(term, ([], [])), strict=True))
            for id_, change in changes.items():
                if change is None:
                    postings.pop(id_, None)
                else:
                    postings[id_] = change
            ids = sorted(postings)
            shard[term] = (ids, [postings[id_] for id_ in ids])
        self._save(changed, gone, by_shard, anew=False)

    def _give_ids(self, changed: dict[str, _Doc]) -> None:
        for path, doc in sorted(changed.items(), key=lambda item: (item[1].date, item[0])):
            if path in self.docs:
                doc.id = self.docs[path][0]
            else:
                doc.id, self.next_id = self.next_id, self.next_id + 1

    def _stored(self, path: str) -> _Doc:
        rows = self.store.read(
            "SELECT id, key, date, terms, data FROM search WHERE output = ? AND path = ?",
            (self.store.output, path),
        )
        check(len(rows) == 1, "search")
        id_, key, date, terms, data = rows[0]
        check(type(terms) is str and type(data) is str, "search")
        return _Doc(id_, key, date, terms, data)

    def _stored_shard(self, number: int) -> dict[str, Postings]:
        rows = self.store.read(
            "SELECT data FROM search_shards WHERE output = ? AND path = ?", (self.store.output, str(number))
        )
        check(len(rows) == 1, "search shard")
        return _read_shard(rows[0][0])

    def _save(
        self,
        docs: dict[str, _Doc],
        gone: set[str],
        shards: dict[int, dict[str, Postings]],
        anew: bool,
    ) -> None:
        self._save_docs(docs, gone)
        self._save_shards(shards, anew)

    def _save_docs(self, docs: dict[str, _Doc], gone: set[str]) -> None:
        """Keep these articles' entries (and files), and take out those of the articles `gone`."""
        self.dates += [0] * (self.next_id - len(self.dates))
        for path, doc in docs.items():
            self.docs[path] = (doc.id, doc.key, doc.date)
            self.dates[doc.id] = doc.date
            path_ = f"{FOLDER}/bai/{doc.id}.json"
            if path_ not in self.staged:
                self.written[path_] = _with_epoch(doc.data, self.epoch)
        for path in gone:
            self.dates[self.docs.pop(path)[0]] = 0
        rows = {path: (doc.id, doc.key, doc.date, doc.terms, doc.data) for path, doc in docs.items()}
        with self.store.writing() as connection:
            self.store.change_rows(connection, "search", rows, gone)

    def _save_shards(self, shards: dict[int, dict[str, Postings]], anew: bool) -> None:
        """Keep these shards (with `anew`, only these), and the record of the index as a whole."""
        shard_rows = {}
        for number, terms in shards.items():
            held = {term: postings for term, postings in terms.items() if postings[0]}
            data = _shard_json(held, self.common)
            name = f"s/{number}-{digest(data.encode())[:8]}.json"
            shard_rows[str(number)] = (name, _shard_json(held))
            self.names[number] = name
            self.written[f"{FOLDER}/{name}"] = data.encode()
        self.names = {number: name for number, name in self.names.items() if number < self.shards}
        with self.store.writing() as connection:
            if anew:
                connection.execute("DELETE FROM search_shards WHERE output = ?", (self.store.output,))
            self.store.change_rows(connection, "search_shards", shard_rows, ())
        self._save_record(published=False)

    def _save_record(self, published: bool) -> None:
        """The record of the index as a whole; `published` once the build that made it has put its
        files in the output (until then, a build that failed leaves one the next will not read)."""
        record = {
            "format": FORMAT,
            "published": published,
            "epoch": self.epoch,
            "next_id": self.next_id,
            "shards": self.shards,
            "terms": self.terms,
            "dates": self.dates,
            "count": self.count,
            "common": self.common,
        }
        with self.store.writing() as connection:
            self.store.put_record(connection, _RECORD, record)

    def published(self) -> None:
        """Say that the output now holds the index's files as `update` left them."""
        self._save_record(published=True)

    def _meta(self) -> bytes:
        gaps = [self.dates[0], *map(operator.sub, self.dates[1:], self.dates)] if self.dates else []
        meta = {
            "format": FORMAT,
            "epoch": self.epoch,
            "count": self.count,
            "dates": gaps,
            "terms": self.terms,
            # "s/<n>-<digest>.json" for each shard n: the digests alone, one string (gzip does
            # little with them, and at 50,000 articles they were most of the file)
            "shards": "".join(self.names[number][-13:-5] for number in range(self.shards)),
        }
        return _json(meta).encode()

    def files(self, existing: FileStats, recorded: FileStats | None) -> Iterator[Output]:
        """Every file of the index, for a full build: those `update` made or changed, and the
        others kept where the output (`existing`) still has them as the last build left them.
        No file for a site without articles: its search page says so."""
        if not self.docs:
            return
        wanted = [f"{FOLDER}/meta.json"]
        wanted += [f"{FOLDER}/{self.names[number]}" for number in range(self.shards)]
        wanted += [f"{FOLDER}/bai/{id_}.json" for id_, _key, _date in sorted(self.docs.values())]
        recorded = recorded or {}
        missing = [
            path
            for path in wanted
            if path not in self.written
            and path not in self.staged
            and (path not in existing or existing[path] != recorded.get(path))
        ]
        found = self._files(missing) if missing else {}
        if any(path not in found for path in missing):  # the store lost some, or was found damaged
            self.store.damaged(StoreDamaged("search files"))
            self._start_over()
            yield from self.files(existing, recorded)
            return
        for path in wanted:
            data = self.written.get(path) or found.get(path)
            if path in self.staged:
                yield self.staged[path]
            elif data is None:
                yield Output(path, origin=_ORIGIN, kept=True)
            else:
                yield Output(path, data, origin=_ORIGIN)

    def _files(self, paths: list[str]) -> dict[str, bytes]:
        """Index files `update` did not change, from the store."""
        output = (self.store.output,)
        found = {}
        asked = set(paths)
        if any(path.startswith(f"{FOLDER}/bai/") for path in paths):
            for id_, data in self.store.read("SELECT id, data FROM search WHERE output = ?", output):
                if type(data) is str:
                    found[f"{FOLDER}/bai/{id_}.json"] = _with_epoch(data, self.epoch)
        if any(path.startswith(f"{FOLDER}/s/") for path in paths):
            for name, data in self.store.read(
                "SELECT name, data FROM search_shards WHERE output = ?", output
            ):
                if f"{FOLDER}/{name}" not in asked:
                    continue
                try:
                    found[f"{FOLDER}/{name}"] = _shard_json(_read_shard(data), self.common).encode()
                except StoreDamaged:
                    continue  # missing: `files` makes the index anew
        return found

    def changes(self, existing: FileStats) -> tuple[list[Output], list[str]]:
        """After `update` with some articles: the files it made or changed, and the index's files
        in the output (`existing`) that it no longer has."""
        outputs = [Output(path, data, origin=_ORIGIN) for path, data in sorted(self.written.items())]
        shards = {f"{FOLDER}/{name}" for name in self.names.values()}
        gone = [path for path in existing if path.startswith(f"{FOLDER}/s/") and path not in shards]
        return outputs, gone


def index_edits(
    config: Config,
    store: Store,
    articles: Iterable[Indexed],
    key: Callable[[Indexed], str],
    existing: FileStats,
) -> tuple[list[Output], list[str], Callable[[], None]] | None:
    """After edits to `articles`: the index's files that change, those that go, and what to call
    once they are in the output; None if the store has no index for them, or holds something of
    the wrong shape (a full build makes the index anew)."""
    if not config.search:
        return [], [], lambda: None
    articles = list(articles)
    index = SearchIndex(config, store, only=[article.source_path for article in articles])
    if not index.epoch or index.docs.keys() != {article.source_path for article in articles}:
        return None
    try:
        index.update(articles, key)
    except StoreDamaged:
        return None
    return (*index.changes(existing), index.published)


def _named_terms(config: Config, site: Site) -> list[object]:
    """The provinces and themes with articles or documents: [kind, slug, name, address, [names
    folded]]."""
    terms: list[object] = []
    for taxonomy, kind, vocabulary in (
        (site.provinces, "p", config.provinces),
        (site.themes, "t", config.themes),
    ):
        for term in site.searchable_terms(taxonomy):
            entry = vocabulary.lookup(term.name)
            names = [term.name, *(entry.aliases if entry is not None else ())]
            keys = sorted({" ".join(words(name)[1]) for name in names} - {""})
            terms.append([kind, term.slug, term.name, term.url, keys])
    return terms


def _prepare(articles: list[Indexed], number: int) -> tuple[str, str]:
    """The terms (JSON) and the file of `articles[number]`: run by worker processes, which read
    its body from the store."""
    terms, data = _made(articles[number])
    return _terms_json(terms), data


# A chunk's postings, flat (a few arrays pickle much faster than a list per term): the terms,
# how many articles each has, and their ids and weights one term after the other.
_FlatPostings = tuple[list[str], "array[int]", "array[int]", "array[int]"]


def _prepare_chunk(
    articles: list[Indexed], epoch: str, stage: Callable[[Output], Output] | None, numbers: Sequence[int]
) -> tuple[list[tuple[str, str, Output | None]], _FlatPostings]:
    """What `_prepare` gives for each of `articles[numbers]`, with its file as `stage` left it,
    and their postings, the numbers as ids: run by worker processes."""
    prepared = []
    postings: dict[str, tuple[list[int], list[int]]] = {}
    for number in numbers:
        terms, data = _made(articles[number])
        file = f"{FOLDER}/bai/{number}.json"
        staged = stage(Output(file, _with_epoch(data, epoch), origin=_ORIGIN)) if stage else None
        prepared.append((_terms_json(terms), data, staged))
        _add_postings(postings, number, terms)
    held = postings.values()
    return prepared, (
        list(postings),
        array("i", [len(ids) for ids, _weights in held]),
        array("i", itertools.chain.from_iterable(ids for ids, _weights in held)),
        array("B", itertools.chain.from_iterable(weights for _ids, weights in held)),
    )


def _join_postings(
    postings: dict[str, Postings], terms: list[str], counts: array[int], ids: array[int], weights: array[int]
) -> None:
    """Add a chunk's postings (`_prepare_chunk`), whose ids are above those already there."""
    start = 0
    for term, count in zip(terms, counts, strict=True):
        end = start + count
        held = postings.get(term)
        if held is None:
            postings[term] = (ids[start:end], weights[start:end])
        else:
            held[0].extend(ids[start:end])
            held[1].extend(weights[start:end])
        start = end


def _made(article: Indexed) -> tuple[dict[str, int], str]:
    """The article's terms, and its file but for the epoch."""
    body = _text(article.body_html)
    return _terms(article, body), _document(article, body)


def _add_postings(postings: dict[str, tuple[list[int], list[int]]], id_: int, terms: dict[str, int]) -> None:
    """Add the article `id_`, whose ids are above those already in `postings`, with its `terms`."""
    for term, weight in terms.items():
        held = postings.get(term)
        if held is None:
            postings[term] = ([id_], [weight])
        else:
            held[0].append(id_)
            held[1].append(weight)


def _by_shard(postings: Mapping[str, Postings], shards: int) -> dict[int, dict[str, Postings]]:
    by_shard: dict[int, dict[str, Postings]] = {number: {} for number in range(shards)}
    for term, held in postings.items():
        by_shard[shard_of(term, shards)][term] = held
    return by_shard


def _terms(article: Indexed, body: str) -> dict[str, int]:
    """The article's terms and their weights (see the module's docstring)."""
    counts, scales = [], []
    present: set[str] = set()
    for text, (_field, boost, usual) in zip((article.title, article.lead, body), _FIELDS, strict=True):
        folded, marked = word_counts(text)
        length = sum(folded.values())
        counts.append(folded)
        scales.append(boost / (1 - _B + _B * _bucket(length) / usual) if length else 0.0)
        present.update("=" + word for word in marked)
    title, lead, body_counts = counts
    # Most terms are the body's alone: their weight depends only on how often they stand there.
    by_count = [_quarters(count * scales[2]) for count in range(max(body_counts.values(), default=0) + 1)]
    terms = {term: by_count[count] for term, count in body_counts.items()}
    for term in title.keys() | lead.keys():
        weight = 0.0
        for field, scale in zip(counts, scales, strict=True):
            if term in field:
                weight += field[term] * scale
        terms[term] = _quarters(weight)
    summary = article.lead if article.summary == article.lead else article.summary
    for text in (article.title, summary):  # phrases: the pairs of words of the title and the
        present.update(map(" ".join, itertools.pairwise(words(text)[1])))  # sapo or first paragraph
    present.update(f"#p:{term.slug}" for term in article.provinces)
    present.update(f"#t:{term.slug}" for term in article.themes)
    present.add(f"#y:{article.date.year}")
    present.difference_update(terms)
    terms.update(dict.fromkeys(present, 0))
    return terms


def _quarters(weight: float) -> int:
    return min(255, max(1, round(weight * _QUARTERS)))


def _bucket(length: int) -> float:
    """`length`, rounded to a step of 25 %: a sentence more rarely changes every weight."""
    return 1.25 ** round(math.log(length + 1, 1.25))


def _text(body_html: str) -> str:
    return html.unescape(_TAG.sub(" ", body_html))


def _minutes(article: Indexed) -> int:
    return int(article.date.timestamp() // 60)


def _document(article: Indexed, body: str) -> str:
    """What a result shows of the article (its file, but for the epoch)."""
    text = " ".join(f"{article.lead} {body}".split())
    return _json(
        {
            "u": article.url,
            "t": article.title,
            "d": format_date(article.date),
            "p": ", ".join(term.name for term in article.provinces),
            "x": text[:_EXCERPT_TEXT],
        }
    )


def _with_epoch(document: str, epoch: str) -> bytes:
    return ('{"e":' + json.dumps(epoch) + "," + document[1:]).encode()


def _terms_of(text: str) -> dict[str, int]:
    """An article's terms and weights, from their JSON (StoreDamaged if not of that shape)."""
    try:
        terms = orjson.loads(text)
    except ValueError:
        raise StoreDamaged("search terms") from None
    check(type(terms) is dict and all(type(weight) is int for weight in terms.values()), "search terms")
    return terms  # type: ignore[no-any-return]


def _shard_json(terms: dict[str, Postings], common: int | None = None) -> str:
    """{term: [gaps between ids, weights]}, or [gaps] alone for a term that is there or not;
    with `common`, the shard's file, where a term in more articles than that has no weights."""
    shard: dict[str, list[list[int]]] = {}
    for term, (ids, weights) in terms.items():
        gaps = [ids[0], *map(operator.sub, ids[1:], ids)]
        weighed = any(weights) and (common is None or len(ids) <= common)
        shard[term] = [gaps, list(weights)] if weighed else [gaps]
    return _json(shard)


def _read_shard(text: object) -> dict[str, Postings]:
    shard: dict[str, Postings] = {}
    try:
        for term, value in orjson.loads(text).items():  # type: ignore[arg-type]
            ids = list(itertools.accumulate(value[0]))
            weights = value[1] if len(value) > 1 else [0] * len(ids)
            check(len(weights) == len(ids), "search shard")
            check(all(type(number) is int for number in [*ids, *weights]), "search shard")
            shard[term] = (ids, weights)
    except (TypeError, ValueError, AttributeError, IndexError, KeyError) as error:
        raise StoreDamaged(f"search shard: {error}") from None
    return shard


def _terms_json(terms: dict[str, int]) -> str:
    """Not sorted, unlike the files: the store's copy need only be read back."""
    return orjson.dumps(terms).decode()


def _json(value: object) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
