"""`build_site`: sources and config into the `Site` the templates render. Pure: no I/O.

Drops drafts and scheduled articles (unless --drafts, --future), resolves provinces and themes
against their vocabularies, gives each article its URL and groups articles by term. Every
problem is recorded, not raised one at a time.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from ..config.settings import Config, Vocabulary, VocabularyEntry
from ..errors import BuildFailed, ContentError, Problems
from ..sources.content import PAGES_FOLDER, Source
from ..state.bodies import Bodies, Body
from ..text.vietnamese import format_datetime, is_unmarked, slugify, sort_key, strip_marks, term_key
from . import urls

# Each kind of term, with the messages that name its taxonomy and one of its terms.
TAXONOMY_KINDS = {"provinces": ("provinces", "province"), "themes": ("themes", "theme")}


@dataclass(frozen=True)
class Term:
    """A province or an emulation theme, as pages show and link it."""

    kind: str  # "provinces" or "themes"
    name: str
    slug: str
    url: str
    description: str = ""
    note: str = ""
    since: date | None = None  # the first day it stands for something (`VocabularyEntry`)
    until: date | None = None  # its last day: a former province
    successor: tuple[str, str, date] | None = None  # (name, address, first day) of the one after
    predecessors: tuple[
        tuple[str, str, date], ...
    ] = ()  # (name, address, first day here) of those it took over


@dataclass(frozen=True)
class Article:
    source_path: str
    meta: str  # digest of what the source file says, its body aside (Source.meta)
    title: str
    date: datetime
    url: str
    slug: str
    body: Body  # its HTML read only when a page shows it: see body_html
    summary: str
    lead: str
    updated: datetime | None
    provinces: tuple[Term, ...]
    themes: tuple[Term, ...]
    author: str
    image: str
    image_alt: str
    image_caption: str
    image_focus: tuple[int, int]  # the point of the photo its thumbnails keep (per cent across, down)
    draft: bool
    featured: bool  # in the home page's "Tin nổi bật"
    pinned_until: datetime | None  # the home page's lead until then (`Site.pinned`)
    extra: dict[str, Any]
    lines: dict[str, int]  # front-matter key → line in the source file, for messages
    links: tuple[tuple[str, int], ...]  # root-relative links in the source, with their lines
    base_path: str  # the site's, for links in the body

    @property
    def body_html(self) -> str:
        return urls.rebase_links(self.base_path, self.body.html())


@dataclass(frozen=True)
class SitePage:
    """A page that is not news (content/pages/): Giới thiệu, Cơ cấu tổ chức, Liên hệ. At its own
    address, in the sitemap, in no list of articles."""

    source_path: str
    meta: str  # digest of what the source file says, its body aside (Source.meta)
    title: str
    url: str
    template: str  # page.html, or the page's own (`template:`)
    body: Body
    summary: str
    updated: datetime | None
    image: str
    image_alt: str
    extra: dict[str, Any]
    lines: dict[str, int]
    links: tuple[tuple[str, int], ...]
    base_path: str
    parents: tuple[tuple[str, str], ...] = ()  # (title, url) of the pages above it: its section

    @property
    def body_html(self) -> str:
        return urls.rebase_links(self.base_path, self.body.html())


DEFAULT_PAGE_TEMPLATE = "page.html"


@dataclass(frozen=True)
class Document:
    """An official document (văn bản, content/van-ban/): a decision, a plan, an official letter."""

    source_path: str
    meta: str  # digest of what the source file says, its body aside (Source.meta)
    number: str  # 125/QĐ-UBND
    url: str
    doc_type: str  # the type's name in the vocabulary: Quyết định
    issuer: str
    date: datetime  # issued
    signer: str
    summary: str  # trích yếu
    in_force: datetime | None
    expires: datetime | None
    status: str  # at the build's time: "in_force", "not_yet" (in force later), "expired"
    files: tuple[str, ...]  # addresses of files under static/, as written (`published_files`)
    provinces: tuple[Term, ...]
    themes: tuple[Term, ...]
    body: Body
    lines: dict[str, int]
    links: tuple[tuple[str, int], ...]  # the body's, with their lines
    base_path: str
    updated: datetime | None = None  # as an article's, for the sitemap: documents are not updated

    @property
    def body_html(self) -> str:
        return urls.rebase_links(self.base_path, self.body.html())

    @property
    def title(self) -> str:
        """As feeds name it: `Quyết định 125/QĐ-UBND: Về việc …`."""
        return f"{self.doc_type} {self.number}: {self.summary}"

    @property
    def author(self) -> str:
        """As feeds credit it: the body that issued it."""
        return self.issuer

    @property
    def file_names(self) -> tuple[str, ...]:
        """Its files' names, as written: a browser saves each under its own."""
        return tuple(address.rsplit("/", 1)[-1] for address in self.files)

    @property
    def published_files(self) -> tuple[str, ...]:
        """Where its files are published: their addresses folded to ASCII."""
        return tuple(map(urls.attachment_address, self.files))

    @property
    def lead(self) -> str:
        """As search weighs it second and shows it first: who issued and signed it, its files."""
        return " · ".join(filter(None, (self.issuer, self.signer, *self.file_names)))


@dataclass(frozen=True)
class TermListing:
    term: Term
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True)
class Taxonomy:
    kind: str
    title: str  # "Các tỉnh"
    singular: str  # "Tỉnh"
    url: str
    listings: tuple[TermListing, ...]  # in Vietnamese alphabetical order of term names


@dataclass(frozen=True)
class ArchiveMonth:
    year: int
    month: int
    url: str
    count: int  # articles
    year_url: str
    title: str  # Tháng 2/2023


@dataclass(frozen=True)
class ArchiveYear:
    year: int
    url: str
    count: int  # articles
    months: tuple[ArchiveMonth, ...]  # newest first
    modified: datetime | None = None  # the last change to its articles (`updated`, or the date)
    title: str = ""  # Năm 2023


@dataclass(frozen=True)
class Site:
    config: Config
    articles: tuple[Article, ...]  # newest first
    provinces: Taxonomy
    themes: Taxonomy
    archive: tuple[ArchiveYear, ...] = ()  # newest first; each month's articles: `by_month`
    related: dict[str, tuple[Article, ...]] = field(default_factory=dict)  # by source path
    pinned: tuple[Article, ...] = ()  # pinned at the build's time, newest first: the first leads
    pages: tuple[SitePage, ...] = ()  # by address
    documents: tuple[Document, ...] = ()  # newest issued first

    @property
    def taxonomies(self) -> tuple[Taxonomy, Taxonomy]:
        return self.provinces, self.themes

    def searchable_terms(self, taxonomy: Taxonomy) -> tuple[Term, ...]:
        """The terms of `taxonomy` that articles or documents have: those search can filter by."""
        documented = {term.name for document in self.documents for term in getattr(document, taxonomy.kind)}
        return tuple(item.term for item in taxonomy.listings if item.articles or item.term.name in documented)


def build_site(
    config: Config, sources: list[Source], now: datetime, problems: Problems, bodies: Bodies
) -> Site:
    """The site as visitors will see it at `now`; drafts only with --drafts, articles dated later
    only with --future. Article bodies are in `bodies`, as `load_sources` left them."""
    published = [
        source
        for source in sources
        if is_published(config, source, now) and not source.is_page and not source.is_document
    ]
    for source in sources:
        if is_scheduled(config, source, now):
            problems.warn(_scheduled(source, now))
    pages = _pages(
        config, [s for s in sources if s.is_page and (config.drafts or not s.draft)], problems, bodies
    )
    resolvers = {kind: _TermResolver(config, kind) for kind in TAXONOMY_KINDS}
    document_sources = [s for s in sources if s.is_document and (config.drafts or not s.draft)]
    for resolver in resolvers.values():
        resolver.learn_marked([*published, *document_sources])
    articles: list[Article] = []
    for source in published:
        with problems.about(source.path):
            articles.append(_make_article(config, source, resolvers, bodies))
    articles.sort(key=lambda a: (-a.date.timestamp(), a.source_path))
    _check_unique_urls(articles, problems)
    # after the articles, whose spelling of a theme comes first; a theme only documents name
    # has its page too, which lists them
    documents = _documents(config, document_sources, now, problems, bodies, resolvers)
    return Site(
        config=config,
        articles=tuple(articles),
        provinces=resolvers["provinces"].taxonomy(articles),
        themes=resolvers["themes"].taxonomy(articles),
        archive=_archive(config, articles),
        related=related_articles(articles),
        pinned=tuple(a for a in articles if a.pinned_until is not None and a.pinned_until > now),
        pages=pages,
        documents=documents,
    )


def _documents(
    config: Config,
    sources: list[Source],
    now: datetime,
    problems: Problems,
    bodies: Bodies,
    resolvers: dict[str, _TermResolver],
) -> tuple[Document, ...]:
    """The documents of `sources` (drafts left out already), newest issued first; each number
    once for each issuer."""
    documents: list[Document] = []
    for source in sources:
        with problems.about(source.path):
            documents.append(_make_document(config, source, now, resolvers, bodies))
    first: dict[tuple[str, str], Document] = {}
    for document in sorted(documents, key=lambda d: d.source_path):
        other = first.setdefault((term_key(document.number), document.issuer), document)
        if other is not document:
            problems.add(
                ContentError(
                    f"số ký hiệu {document.number} của {document.issuer or 'cơ quan này'}"
                    f" đã có ở {other.source_path}",
                    path=document.source_path,
                    line=document.lines.get("number"),
                    hint="kiểm tra lại số ký hiệu; một văn bản chỉ cần một tệp",
                )
            )
    documents.sort(key=lambda d: (-d.date.timestamp(), d.source_path))
    return tuple(documents)


def _make_document(
    config: Config, source: Source, now: datetime, resolvers: dict[str, _TermResolver], bodies: Bodies
) -> Document:
    problems = Problems()
    names: dict[str, str] = {}
    for key, vocabulary, label in (
        ("type", config.document_types, "loại văn bản"),
        ("issuer", config.issuers, "cơ quan ban hành"),
    ):
        written = source.doc_type if key == "type" else source.issuer
        entry = vocabulary.lookup(written) if written else None
        if written and entry is None and vocabulary.closed:
            hint = vocabulary.unknown_hint(written, f"dùng một tên trong danh sách {label} của newsgen.yaml")
            problems.add(
                ContentError(
                    f'{label} "{written}" không có trong danh sách',
                    path=source.path,
                    line=source.lines.get(key),
                    hint=hint,
                )
            )
        names[key] = entry.name if entry else " ".join(written.split())
    if source.in_force and source.expires and source.expires <= source.in_force:
        problems.add(
            ContentError(
                "ngày hết hiệu lực phải sau ngày có hiệu lực",
                path=source.path,
                line=source.lines.get("expires"),
                hint="kiểm tra lại hai ngày in_force: và expires:",
            )
        )
    terms = _terms_of(source, resolvers, problems)
    problems.raise_if_any()
    if source.expires is not None and source.expires <= now:
        status = "expired"
    elif source.in_force is not None and source.in_force > now:
        status = "not_yet"
    else:
        status = "in_force"
    return Document(
        source_path=source.path,
        meta=source.meta,
        number=source.number,
        url=urls.document_url(config, source.slug),
        doc_type=names["type"],
        issuer=names["issuer"],
        date=source.date,
        signer=source.signer,
        summary=source.summary,
        in_force=source.in_force,
        expires=source.expires,
        status=status,
        files=source.files,
        provinces=terms["provinces"],
        themes=terms["themes"],
        body=Body(bodies, source.digest, source.path),
        lines=source.lines,
        links=source.links,
        base_path=config.base_path,
    )


def _pages(config: Config, sources: list[Source], problems: Problems, bodies: Bodies) -> tuple[SitePage, ...]:
    """The pages, by address, each with the pages above it (`parents`): those at the folders of
    its address (`/gioi-thieu/` above `/gioi-thieu/co-cau-to-chuc/`)."""
    made: list[SitePage] = []
    for source in sources:
        with problems.about(source.path):
            made.append(_make_page(config, source, bodies))
    by_url = {page.url: page for page in sorted(made, key=lambda p: p.source_path, reverse=True)}
    pages = []
    for page in sorted(made, key=lambda p: (p.url, p.source_path)):
        folders = page.url[len(config.base_path) :].rstrip("/").split("/")[:-1]
        above = [
            config.base_path + "".join(f"{part}/" for part in folders[:depth])
            for depth in range(1, len(folders) + 1)
        ]
        parents = tuple((by_url[url].title, url) for url in above if url in by_url)
        pages.append(replace(page, parents=parents))
    return tuple(pages)


def _make_page(config: Config, source: Source, bodies: Bodies) -> SitePage:
    name = source.path.removeprefix(PAGES_FOLDER)
    if not source.url and not all(slugify(part) for part in name.removesuffix(".md").split("/")):
        raise ContentError(
            f"tên tệp hay thư mục {name} không có chữ hoặc số để làm địa chỉ trang",
            line=1,
            hint="đổi tên cho có chữ, hoặc thêm dòng url: /dia-chi-trang/",
        )
    return SitePage(
        source_path=source.path,
        meta=source.meta,
        title=source.title,
        url=urls.page_url(config, source.path, source.url),
        template=source.template or DEFAULT_PAGE_TEMPLATE,
        body=Body(bodies, source.digest, source.path),
        summary=source.summary,
        updated=source.updated,
        image=source.image,
        image_alt=source.image_alt,
        extra=source.extra,
        lines=source.lines,
        links=source.links,
        base_path=config.base_path,
    )


RELATED_COUNT = 5


def related_articles(
    articles: Sequence[Article], count: int = RELATED_COUNT
) -> dict[str, tuple[Article, ...]]:
    """For each article (`articles` newest first), the `count` others that share the most
    provinces and themes with it, the newest first among equals.

    Never article against article: articles with the same terms form a group, and each term and
    each pair of terms lists the groups that have it, newest first. For a group, the groups
    sharing all its terms are found first, then those sharing all but one, and so on, each time
    by walking the shortest of those lists and stopping as soon as it has found enough; for an
    article with so many terms that their subsets outnumber the groups sharing one of them, those
    groups' shared terms are counted instead."""
    terms_of = [frozenset((term.kind, term.name) for term in a.provinces + a.themes) for a in articles]
    position = {id(article): index for index, article in enumerate(articles)}  # lower: newer
    groups: dict[frozenset[tuple[str, str]], list[Article]] = {}  # in the order of their newest
    for article, terms in zip(articles, terms_of, strict=True):
        if terms:
            groups.setdefault(terms, []).append(article)
    # The groups that have a term, or a pair of terms, newest first: a walk for groups that share
    # several terms goes down the shortest list of one of their pairs.
    having: dict[frozenset[tuple[str, str]], list[frozenset[tuple[str, str]]]] = {}
    for terms in groups:
        for size in (1, 2):
            for some in itertools.combinations(sorted(terms), size):
                having.setdefault(frozenset(some), []).append(terms)
    related: dict[str, tuple[Article, ...]] = {}
    for terms, members in groups.items():
        ranked: list[Article] = []  # count + 1 of them: the article itself is among them
        taken: set[frozenset[tuple[str, str]]] = set()  # groups of the levels above
        reach = sum(len(having[frozenset([term])]) for term in terms)  # groups sharing a term, at most
        counted: dict[int, list[frozenset[tuple[str, str]]]] | None = None  # groups by terms shared
        for level in range(len(terms), 0, -1):
            need = count + 1 - len(ranked)
            if counted is None and math.comb(len(terms), level) * math.comb(level, 2) > reach:
                # More subsets of the terms to walk than groups that share one: count instead.
                counted = {}
                shared_counts = Counter(group for term in terms for group in having[frozenset([term])])
                for group, shared_count in shared_counts.items():
                    counted.setdefault(shared_count, []).append(group)
            if counted is not None:
                found = counted.get(level, [])
            else:
                found = []
                for shared in itertools.combinations(sorted(terms), level):
                    wanted = frozenset(shared)
                    walked = min((having[frozenset(some)] for some in _pairs(shared)), key=len)
                    hits = (group for group in walked if wanted <= group and group not in taken)
                    found += itertools.islice(hits, need)
            # Each group of this level has exactly `level` of the terms (the others were taken above,
            # or the walks would have stopped there): the newest articles of the level are among the
            # first ones of the groups whose first ones are newest.
            taken.update(found)
            best = heapq.nsmallest(need, found, key=lambda group: position[id(groups[group][0])])
            candidates = sorted(
                (a for group in best for a in groups[group][:need]), key=lambda a: position[id(a)]
            )
            ranked += candidates[:need]
            if len(ranked) > count:
                break
        for article in members:
            related[article.source_path] = tuple(other for other in ranked if other is not article)[:count]
    return related


def _pairs(terms: tuple[tuple[str, str], ...]) -> Iterator[tuple[tuple[str, str], ...]]:
    """The pairs of `terms`, or the one term alone."""
    return itertools.combinations(terms, min(2, len(terms)))


def by_month(articles: Sequence[Article]) -> dict[tuple[int, int], list[Article]]:
    """Articles by (year, month) of their date in the site's zone, in the order given."""
    months: dict[tuple[int, int], list[Article]] = {}
    for article in articles:
        months.setdefault((article.date.year, article.date.month), []).append(article)
    return months


def _archive(config: Config, articles: list[Article]) -> tuple[ArchiveYear, ...]:
    years: dict[int, list[ArchiveMonth]] = {}
    modified: dict[int, datetime] = {}
    for article in articles:
        when = article.updated or article.date
        modified[article.date.year] = max(when, modified.get(article.date.year, when))
    for (year, month), listed in sorted(by_month(articles).items(), reverse=True):
        url = urls.archive_url(config, year, month)
        title = config.messages.text("month_title", month=month, year=year)
        years.setdefault(year, []).append(
            ArchiveMonth(year, month, url, len(listed), urls.archive_url(config, year), title)
        )
    return tuple(
        ArchiveYear(
            year,
            urls.archive_url(config, year),
            sum(m.count for m in months),
            tuple(months),
            modified[year],
            config.messages.text("year_title", year=year),
        )
        for year, months in years.items()
    )


def is_published(config: Config, source: Source, now: datetime) -> bool:
    return (config.drafts or not source.draft) and (config.future or source.date <= now)


def is_scheduled(config: Config, source: Source, now: datetime) -> bool:
    """An article held back only until its date comes. (A document's date is the day it was
    issued, which holds nothing back.)"""
    return (
        not source.is_document
        and (config.drafts or not source.draft)
        and not config.future
        and source.date > now
    )


def article_alone(config: Config, source: Source, bodies: Bodies) -> Article:
    """`source` as `build_site` would make it, if no other article spells its terms otherwise."""
    return _make_article(
        config, source, {kind: _TermResolver(config, kind) for kind in TAXONOMY_KINDS}, bodies
    )


def site_without_articles(config: Config) -> Site:
    """A site with its taxonomies' titles and addresses only, for navigation."""
    return Site(config, (), _taxonomy(config, "provinces", ()), _taxonomy(config, "themes", ()))


def _taxonomy(config: Config, kind: str, listings: tuple[TermListing, ...]) -> Taxonomy:
    title, singular = (config.messages.text(key) for key in TAXONOMY_KINDS[kind])
    return Taxonomy(kind, title, singular, urls.taxonomy_url(config, kind), listings)


def _make_article(
    config: Config, source: Source, resolvers: dict[str, _TermResolver], bodies: Bodies
) -> Article:
    slug = source.slug
    if not slug:
        raise ContentError(
            "tiêu đề không có chữ hoặc số để làm đường dẫn",
            line=source.lines.get("title"),
            hint="thêm dòng slug: ten-bai-viet",
        )
    problems = Problems()
    terms = _terms_of(source, resolvers, problems)
    problems.raise_if_any()
    return Article(
        source_path=source.path,
        meta=source.meta,
        title=source.title,
        date=source.date,
        url=urls.article_url(config, source.date, slug),
        slug=slug,
        body=Body(bodies, source.digest, source.path),
        summary=source.summary,
        lead=source.lead,
        updated=source.updated,
        provinces=terms["provinces"],
        themes=terms["themes"],
        author=source.author,
        image=source.image,
        image_alt=source.image_alt,
        image_caption=source.image_caption,
        image_focus=source.image_focus,
        draft=source.draft,
        featured=source.featured,
        pinned_until=source.pinned_until,
        extra=source.extra,
        lines=source.lines,
        links=source.links,
        base_path=config.base_path,
    )


def _terms_of(
    source: Source, resolvers: dict[str, _TermResolver], problems: Problems
) -> dict[str, tuple[Term, ...]]:
    """The provinces and themes `source` names, by kind; each unknown name in `problems`."""
    terms: dict[str, tuple[Term, ...]] = {}
    for kind, resolver in resolvers.items():
        try:
            terms[kind] = resolver.resolve(source)
        except BuildFailed as failed:
            problems.add(failed)
            terms[kind] = ()
    return terms


def _scheduled(source: Source, now: datetime) -> ContentError:
    when = format_datetime(source.date)
    far = source.date - now > timedelta(days=365)
    return ContentError(
        f"bài hẹn giờ, sẽ lên trang từ {when}",
        path=source.path,
        line=source.lines.get("date"),
        hint="kiểm tra lại năm trong date:" if far else "tạo lại trang web sau giờ đó để bài xuất hiện",
        code="scheduled",
    )


def _check_unique_urls(articles: list[Article], problems: Problems) -> None:
    first_at: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.source_path):
        other = first_at.setdefault(article.url, article)
        if other is not article:
            problems.add(
                ContentError(
                    f"bài này và {other.source_path} có cùng địa chỉ {article.url}",
                    path=article.source_path,
                    line=article.lines.get("slug", article.lines.get("title")),
                    hint=f"thêm vào một trong hai bài một dòng slug: khác, ví dụ slug: {article.slug}-2",
                )
            )


class _TermResolver:
    """Resolves the names articles give to terms of one kind; open vocabularies grow as they go."""

    def __init__(self, config: Config, kind: str) -> None:
        self.config = config
        self.kind = kind
        self.vocabulary: Vocabulary = getattr(config, kind)
        self.terms = {entry.name: self._term(entry) for entry in self.vocabulary.entries}
        self.found: dict[str, VocabularyEntry] = {}  # open vocabulary: term key → first spelling
        self.first_use: dict[str, tuple[str, str]] = {}  # open vocabulary: slug → (name, path)
        self.by_name: dict[str, Term] = {}  # as spelt in articles: thousands of articles, few names

    def _term(self, entry: VocabularyEntry) -> Term:
        successor = self.vocabulary.lookup(entry.successor) if entry.successor else None
        predecessors = tuple(
            (other.name, self._url(other), other.until + timedelta(days=1))
            for other in self.vocabulary.entries
            if other.successor and other.until and self.vocabulary.lookup(other.successor) is entry
        )
        return Term(
            kind=self.kind,
            name=entry.name,
            slug=entry.slug,
            url=self._url(entry),
            description=entry.description,
            note=entry.note,
            since=entry.since,
            until=entry.until,
            successor=(successor.name, self._url(successor), entry.until + timedelta(days=1))
            if successor and entry.until
            else None,
            predecessors=predecessors,
        )

    def _url(self, entry: VocabularyEntry) -> str:
        return urls.term_url(self.config, self.kind, entry.slug)

    def learn_marked(self, sources: Iterable[Source]) -> None:
        """Meet first the names of an open vocabulary written with marks, so that the same
        names typed without (`_open_entry`) are theirs whichever file comes first; their
        mistakes are said when their files are resolved."""
        if self.vocabulary.closed:
            return
        met: set[str] = set()  # thousands of files, few names
        for source in sources:
            for name in getattr(source, self.kind):
                if name in met:
                    continue
                met.add(name)
                if not is_unmarked(name) and self.vocabulary.lookup(name) is None:
                    with contextlib.suppress(ContentError):
                        self._open_entry(name, None, source.path)

    def resolve(self, source: Source) -> tuple[Term, ...]:
        """The terms of this kind that `source` names, each once, in the order it names them."""
        terms: dict[str, Term] = {}  # by name: a term named twice is listed once
        unknown = Problems()  # every unknown name, not only the first
        for index, name in enumerate(getattr(source, self.kind)):
            term = self.by_name.get(name)
            if term is None:
                line = source.lines.get(f"{self.kind}.{index}", source.lines.get(self.kind))
                with unknown.about(source.path):
                    entry = self.vocabulary.lookup(name) or self._open_entry(name, line, source.path)
                    term = self.by_name[name] = self.terms[entry.name]
            if term is not None:
                terms.setdefault(term.name, term)
        unknown.raise_if_any()
        return tuple(terms.values())

    def _open_entry(self, name: str, line: int | None, path: str) -> VocabularyEntry:
        if self.vocabulary.closed:
            raise self.vocabulary.unknown(self.kind, name, line)
        key = term_key(name)
        if key not in self.found and is_unmarked(name):  # "Chuyen doi so": the one it is unmarked
            alike = [entry for found, entry in self.found.items() if strip_marks(found) == key]
            if len(alike) > 1:
                raise ContentError(
                    f'chủ đề "{name}" viết không dấu, giống nhiều chủ đề',
                    line=line,
                    hint="viết có dấu để chọn một: " + " hay ".join(f'"{entry.name}"' for entry in alike),
                )
            if alike:
                return alike[0]
        if key not in self.found:
            entry = VocabularyEntry(name=" ".join(name.split()), slug=slugify(name))
            if not entry.slug:
                raise ContentError(
                    f'chủ đề "{name}" không có chữ hoặc số để làm đường dẫn',
                    line=line,
                    hint="đặt tên chủ đề bằng chữ, ví dụ Chuyển đổi số",
                )
            # `Tin bão` and `Tin báo` are two themes that would share one page.
            if entry.slug in self.first_use:
                other, other_path = self.first_use[entry.slug]
                raise ContentError(
                    f'chủ đề "{entry.name}" và chủ đề "{other}" (trong {other_path}) cùng ra một địa chỉ',
                    line=line,
                    hint="thống nhất cách viết, hoặc khai báo themes: trong newsgen.yaml với slug riêng",
                )
            self.first_use[entry.slug] = (entry.name, path)
            self.found[key] = entry
            self.terms[entry.name] = self._term(entry)
        return self.found[key]

    def taxonomy(self, articles: list[Article]) -> Taxonomy:
        by_name: dict[str, list[Article]] = {name: [] for name in self.terms}
        for article in articles:
            for term in getattr(article, self.kind):
                by_name[term.name].append(article)

        def order(name: str) -> tuple[bool, Any]:  # those of today first, then the former ones
            return self.terms[name].until is not None, sort_key(name)

        listings = tuple(
            TermListing(self.terms[name], tuple(by_name[name])) for name in sorted(self.terms, key=order)
        )
        return _taxonomy(self.config, self.kind, listings)
