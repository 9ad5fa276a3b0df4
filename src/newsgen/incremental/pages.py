"""Skip rendering pages whose inputs did not change since the last build.

Each planned page gets a key: a digest of newsgen's code, the templates, the config, the sidebar
and the page's own context. A page whose key matches the one recorded when its file was last
written, and whose file is still as written, is kept as it is.

A template may also reach far: all articles through `site`, every listing through a taxonomy.
Those are handed to templates behind a `Tracked` proxy that notes the reach; a page whose last
render reached far also depends on a digest of what it reached. Article bodies are noted the same
way: an article counts for a page by everything its file says but its body, and a page that
showed a body (`bodies.noting_reads`) depends on that body too, so editing an article's text
renders again only the pages that show it. Rendering is a function of the key's inputs, so a page
with the same inputs reaches the same way again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..config.settings import Config
from ..files import FileStats
from ..images.pictures import index_digest
from ..outputs import assets
from ..outputs.assets import THEME_DIR
from ..outputs.plan import Page, Pagination, PlannedPage
from ..site.model import Article, Document, Site, SitePage, Taxonomy, Term
from ..state import bodies
from ..state.store import Store, StoreDamaged, check, code_digest, digest, files_digest
from ..version import __version__


class Tracked:
    """A context value as templates see it: reading one of its `far` attributes is noted in `used`."""

    def __init__(self, target: Any, name: str, far: frozenset[str] | None, used: set[str]) -> None:
        self._target, self._name, self._far, self._used = target, name, far, used

    def __getattr__(self, attribute: str) -> Any:
        if self._far is None or attribute in self._far:
            self._used.add(self._name)
        return getattr(self._target, attribute)


# What is far in each kind of value: everything in the site, the listings of a taxonomy.
_FAR: dict[type, frozenset[str] | None] = {Site: None, Taxonomy: frozenset({"listings"})}

# What each page was rendered from: path → (key, far-reaching reads, its file's size and mtime).
Records = dict[str, tuple[str, frozenset[str], int, int]]

BODY = "body:"  # in a page's reads: "body:content/x.md", the page showed that article's body


class PageMemo:
    """What each output page was last rendered from, and the size and mtime it was written with."""

    def __init__(
        self,
        store: Store,
        config: Config,
        existing: FileStats,
        body_digests: dict[str, str],
        known: tuple[str, Records] | None = None,
    ) -> None:
        """`existing`: the output folder's files as the build found them; `body_digests`: each
        article's body (its file's digest) by source path; `known`: the records the last build
        in this process saved, and their base, if it keeps them (`newsgen serve`)."""
        self.store = store
        self.known = known
        self.config = config
        self.body_digests = body_digests
        self.sidebar = b""
        self.sidebar_bodies: list[str] = []
        self.existing = existing
        self.base = ""
        self.previous: Records = {}
        self.rendered: dict[str, tuple[str, frozenset[str]]] = {}
        self._identities: dict[int, str] = {}
        self.kept = 0

    def start(
        self, sidebar: bytes, sidebar_bodies: Iterable[str], showing: Iterable[str] | None = None
    ) -> None:
        """Read what the last build recorded, if it was made from the same code, templates,
        config and sidebar. (The sidebar showed the bodies of `sidebar_bodies`: its bytes
        already say all a page gets from it.) With `showing`, only the records of the pages
        that showed the bodies of those articles (source paths)."""
        self.sidebar, self.sidebar_bodies = sidebar, sorted(sidebar_bodies)
        parts = (__version__, _code_and_templates(self.config), repr(self.config), sidebar)
        base = digest(repr(parts).encode())
        if base != self.base:  # else read already, for this sidebar
            self.base = base
            if self.known is not None and self.known[0] == base:
                self.previous = self.known[1]
            else:
                reading = None if showing is None else [BODY + path for path in showing]
                self.previous = self._read(reading) if self.store.record("pages") == base else {}

    def _read(self, reading: list[str] | None) -> Records:
        previous = {}
        sets: dict[str, frozenset[str]] = {"": bodies.NOTHING_READ}  # many pages read alike: one set each
        try:
            for path, (key, reads, size, mtime) in self.store.rows("pages", reading).items():
                check(type(key) is str and type(reads) is str and type(size) is type(mtime) is int, "page")
                used = sets.get(reads)
                if used is None:
                    used = sets[reads] = frozenset(reads.split("\n"))
                previous[path] = (key, used, size, mtime)
        except StoreDamaged as error:
            self.store.damaged(error)
            return {}
        return previous

    def track(self, context: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """The context to render with, and the set its far-reaching values note their use in."""
        used: set[str] = set()
        tracked = {
            name: Tracked(value, name, _FAR[type(value)], used) if type(value) in _FAR else value
            for name, value in context.items()
        }
        return tracked, used

    @staticmethod
    @contextmanager
    def reading(used: set[str]) -> Iterator[None]:
        """Note in `used` the bodies read inside the block."""
        with bodies.noting_reads() as read:
            yield
        used.update(BODY + owner for owner in read)

    def key(self, page: PlannedPage, context: dict[str, Any], used: frozenset[str]) -> str:
        """`context` is the page's context plus `site`, the whole site."""
        identity = self._identity
        near = [f"{name}={identity(context[name])}" for name in sorted(context)]
        far = [f"{name}~{self._reached(name, context)}" for name in sorted(used)]
        return digest("\n".join([page.template, *near, *far]).encode())

    def reusable(self, page: PlannedPage, context: dict[str, Any]) -> bool:
        """True when the page's file is what rendering it again would write."""
        recorded = self.previous.get(page.path)
        if recorded is None:
            return False
        key, used, size, mtime = recorded
        if self.existing.get(page.path) != (size, mtime) or self.key(page, context, used) != key:
            return False
        self.rendered[page.path] = (key, used)
        self.kept += 1
        return True

    def remember(self, page: PlannedPage, context: dict[str, Any], used: set[str]) -> None:
        frozen = frozenset(used) if used else bodies.NOTHING_READ  # one empty set, not one a page
        self.rendered[page.path] = (self.key(page, context, frozen), frozen)

    def save(self, written: FileStats, keep_previous: bool = False) -> Records:
        """Record the pages of a build, with the sizes and mtimes of the files it left (`written`);
        with `keep_previous`, the last build's record of the pages not rendered now as well, of
        those still there. Only the records that differ from the last build's are written. The
        records, for a process that keeps them (`known`)."""
        joined: dict[frozenset[str], str] = {}  # pages share their sets of reads

        def text(used: frozenset[str]) -> str:
            found = joined.get(used)
            if found is None:
                found = joined[used] = "\n".join(sorted(used))
            return found

        before = self.previous if keep_previous else {}
        records = dict(before)  # a page not rendered now was not written either: its record holds
        for path in before.keys() - written.keys():
            del records[path]
        for path, (key, used) in self.rendered.items():
            records[path] = (key, used, *written[path])
        changed = [(path, records[path]) for path in self.rendered if before.get(path) != records[path]]
        with self.store.writing() as connection:
            self.store.put_record(connection, "pages", self.base)
            if not keep_previous:
                connection.execute("DELETE FROM pages WHERE output = ?", (self.store.output,))
            gone = [(self.store.output, path) for path in before.keys() - records.keys()]
            connection.executemany("DELETE FROM pages WHERE output = ? AND path = ?", gone)
            rows = [(self.store.output, path, key, text(used), *stat) for path, (key, used, *stat) in changed]
            connection.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)", rows)
        return records

    def identity_of(self, article: Article | Document) -> str:
        return self._identity(article)

    def known_identities(self, articles: Iterable[Article]) -> dict[int, str]:
        """The identities of those of `articles` worked out so far, by id(), for a process that
        keeps the articles for its next build (`reuse_identities`)."""
        known = self._identities
        return {id(article): known[id(article)] for article in articles if id(article) in known}

    def reuse_identities(self, known: dict[int, str]) -> None:
        """Take the identities of articles that are still the same objects, with the same fields."""
        self._identities.update(known)

    def _identity(self, value: Any) -> str:
        """What a template can read from `value` without reaching far, as one line of text."""
        kind = type(value)
        if kind is Article or kind is Term:  # shared by many pages: once per build
            known = self._identities.get(id(value))
            if known is None:
                known = self._identities[id(value)] = self._article_or_term(value)
            return known
        if kind is tuple:  # related articles
            return "(" + ",".join(map(self._identity, value)) + ")"
        if kind is Pagination:  # article identities are digests: fixed length, no separator needed
            items = "".join(map(self._identity, value.items))
            return f"{value.number}/{value.count} {value.url_for(1)!r} {items}"
        if kind is Document:  # its body is noted when read, as an article's
            terms = [(t.kind, t.name, t.slug) for t in value.provinces + value.themes]
            return digest(
                f"{value.meta}{value.url}{value.status}{value.doc_type}{value.issuer}{terms}".encode()
            )
        if kind is SitePage:  # its body is noted when read, as an article's
            return digest(f"{value.meta}{value.url}{value.template}{value.parents}".encode())
        if kind is Site or kind is Config:
            return ""  # a Site is all far; the config is in every key already
        if kind is Taxonomy:
            return repr((value.kind, value.title, value.singular, value.url))
        if kind is Page:
            return repr(tuple(value.__dict__.values()))
        return repr(value)  # plain values: repr escapes line breaks

    @staticmethod
    def _article_or_term(value: Article | Term) -> str:
        if isinstance(value, Term):
            return repr(tuple(value.__dict__.values()))
        return article_identity(value)

    def _reached(self, name: str, context: dict[str, Any]) -> str:
        if name.startswith(BODY):
            return self._body(name[len(BODY) :])
        return self._far_identity(context[name]) if name in context else "?"  # "?": a read no page makes

    def _body(self, owner: str) -> str:
        return self.body_digests.get(owner, "-")

    def _far_identity(self, value: Any) -> str:
        """A digest of everything a template can reach from a Site or a Taxonomy; once per build."""
        known = self._identities.get(id(value))
        if known is None:
            if isinstance(value, Site):
                parts: Any = [self._identity(a) for a in value.articles]
                parts += [self._far_identity(taxonomy) for taxonomy in value.taxonomies]
            else:
                parts = [
                    (entry.term, [self._identity(a) for a in entry.articles]) for entry in value.listings
                ]
            known = self._identities[id(value)] = digest(repr(parts).encode())
        return known


def article_identity(article: Article) -> str:
    """An article as pages list it: what its file says, its body aside, placed at its URL with its
    terms. Should an Article ever point at other articles (related ones), their identities
    belong here."""
    terms = [(t.kind, t.name, t.slug) for t in article.provinces + article.themes]
    return digest(f"{article.meta}{article.url}{terms}".encode())


def _code_and_templates(config: Config) -> list[str]:
    """newsgen's own modules, every template a page can use, the theme's assets (whose names
    the pages carry), by content; and the sizes the photos were published at."""
    digests = [code_digest(), index_digest(config)]
    for folder in (THEME_DIR / "templates", config.templates_dir, assets.THEME_ASSETS):
        if folder.is_dir():
            digests.append(files_digest(sorted(path for path in folder.rglob("*") if path.is_file()), folder))
    return digests
