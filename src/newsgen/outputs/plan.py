"""`plan_site`: every file of the site, its pages not yet rendered, each with its template and
context: cheap, so that every path and link can be checked before anything is rendered."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config.settings import Config
from ..files import list_files
from ..site import urls
from ..site.model import Article, Document, Site, by_month
from ..text.vietnamese import slugify, sort_key
from . import assets
from .feeds import documents_feed_title, feed_links, feed_outputs, term_feed_title
from .output import Output
from .sitemap import ROBOTS, sitemap_outputs


@dataclass(frozen=True)
class Pagination:
    """One page of a paginated listing."""

    number: int
    count: int
    items: Sequence[Article | Document]
    url_for: Callable[[int], str] = field(repr=False)

    @property
    def prev_url(self) -> str | None:
        return self.url_for(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for(self.number + 1) if self.number < self.count else None

    @property
    def window(self) -> list[int | None]:
        """The page numbers a numbered pagination links to, None where an ellipsis stands: the
        first and the last, two either side of this one, and the pages halfway to the first and
        to the last, so that any page is a few clicks away (page 15 of 30: two, from page 1)."""
        shown = {1, self.count, (1 + self.number) // 2, (self.number + self.count + 1) // 2}
        shown |= set(range(max(1, self.number - 2), min(self.count, self.number + 2) + 1))
        window: list[int | None] = []
        previous = 0
        for number in sorted(shown):
            if number == previous + 2:
                window.append(previous + 1)  # one page left out: shown, not an ellipsis
            elif number > previous + 2:
                window.append(None)
            window.append(number)
            previous = number
        return window


@dataclass(frozen=True)
class TaxonomyLink:
    """A taxonomy as navigation shows it, without its articles."""

    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class Page:
    """What every template gets as `page`: its title, description and address."""

    title: str
    url: str
    description: str = ""
    kind: str = (
        "page"  # home, news, article, page (content/pages/), taxonomy, term, archive, search, not_found
    )
    feeds: tuple[tuple[str, str, str], ...] = ()  # (type, title, url) of its feeds, for <link>


@dataclass(frozen=True)
class PlannedPage:
    """A page to render: where it goes, with which template and context, and what it shows."""

    path: str
    template: str
    origin: str  # for messages: the article's file, or the listing's name
    context: dict[str, Any]


def plan_site(site: Site) -> list[PlannedPage | Output]:
    """Every file of the site, pages not yet rendered: cheap, so paths can be checked first."""
    config = site.config

    def page(template: str, url: str, origin: str, **context: Any) -> PlannedPage:
        return PlannedPage(urls.output_path(config, url), template, origin, context)

    plan: list[PlannedPage | Output] = []
    site_feeds = feed_links(config, config.site_name, urls.home_url(config))
    home = Page(config.site_name, urls.home_url(config), config.site_description, "home", site_feeds)
    plan.append(page("index.html", home.url, "trang chủ", page=home, **_home_context(site)))
    news_url = functools.partial(urls.news_url, config)
    for pagination in paginate(site.articles, config.per_page, news_url):
        title = _numbered(config, config.messages.text("news"), pagination)
        view = Page(title, news_url(pagination.number), kind="news", feeds=site_feeds)
        plan.append(page("news.html", view.url, "trang tin tức", page=view, pagination=pagination))
    plan.extend(
        article_page(config, article, site.related.get(article.source_path, ()), site_feeds)
        for article in site.articles
    )
    for taxonomy in site.taxonomies:
        listing_page = Page(taxonomy.title, taxonomy.url, kind="taxonomy", feeds=site_feeds)
        plan.append(page("taxonomy.html", taxonomy.url, taxonomy.title, page=listing_page, taxonomy=taxonomy))
        for listing in taxonomy.listings:
            term = listing.term
            url_for = functools.partial(urls.term_url, config, term.kind, term.slug)
            term_feeds = feed_links(config, term_feed_title(config, taxonomy, term), term.url) + site_feeds
            documents = _documents_about(site, term)
            for pagination in paginate(listing.articles, config.per_page, url_for):
                url = url_for(pagination.number)
                description = term.description or config.messages.text("term_description", name=term.name)
                view = Page(_numbered(config, term.name, pagination), url, description, "term", term_feeds)
                origin = f"trang {taxonomy.singular.lower()} {term.name}"
                context = {
                    "taxonomy": taxonomy,
                    "term": term,
                    "pagination": pagination,
                    "documents": documents if pagination.number == 1 else (),
                }
                plan.append(page("term.html", url, origin, page=view, **context))
    for site_page in site.pages:
        view = Page(site_page.title, site_page.url, site_page.summary, "page", site_feeds)
        plan.append(page(site_page.template, view.url, site_page.source_path, page=view, site_page=site_page))
    plan.extend(_document_pages(site, page, site_feeds))
    plan.extend(_archive_pages(site, page, site_feeds))
    if config.search:
        plan.append(_search_page(site, page, site_feeds))
    not_found = Page(config.messages.text("not_found"), urls.not_found_url(config), kind="not_found")
    plan.append(PlannedPage(urls.NOT_FOUND_PATH, "404.html", "trang 404", {"page": not_found}))
    plan.extend(feed_outputs(site))
    plan.extend(plan_sitemap(site, [item for item in plan if isinstance(item, PlannedPage)]))
    for name, published in assets.fingerprinted_names().items():
        source = assets.THEME_ASSETS / name
        plan.append(Output(urls.asset_path(published), source=source, origin="giao diện của newsgen"))
        # and under its plain name, which a server can give a page still cached from the last
        # version when it asks for a hashed name that is gone (deploy/nginx.conf does)
        plan.append(Output(urls.asset_path(name), source=source, origin="giao diện của newsgen"))
    plan.extend(_files(config.static_dir, "", "static/", published_attachments(site)))
    return plan


HOME_LATEST = 9  # the lead article and the latest news after it
HOME_BLOCK = 4  # articles in each province's block
HOME_FEATURED = 5  # articles in "Tin nổi bật"


def _home_context(site: Site) -> dict[str, Any]:
    """The home page: its lead (the newest pinned article, else the newest) and the newest
    articles after it, the featured ones, and the newest of each province that has any."""
    blocks = tuple(
        (listing.term, listing.articles[:HOME_BLOCK])
        for listing in site.provinces.listings
        if listing.articles
    )
    lead = site.pinned[:1] or site.articles[:1]
    others = tuple(article for article in site.articles if all(article is not first for first in lead))
    featured = tuple(article for article in others if article.featured)[:HOME_FEATURED]
    return {"latest": lead + others[: HOME_LATEST - 1], "featured": featured, "province_blocks": blocks}


@dataclass(frozen=True)
class Attachment:
    """A document's file as its page offers it: "PDF, 1,2 MB"."""

    url: str  # under the base path, ASCII-folded (`urls.attachment_address`)
    name: str  # as written: saved under it
    kind: str  # PDF, DOCX, …
    size: int | None  # bytes; None if the file is not there (a build stops on it first)


def _document_pages(
    site: Site, page: Callable[..., PlannedPage], feeds: tuple[tuple[str, str, str], ...]
) -> Iterator[PlannedPage]:
    """Văn bản: the list of documents, newest issued first, the same list of each type, issuer
    and year (static pages, so that filtering needs no script), and a page for each document."""
    config = site.config
    if not site.documents:
        return
    list_feeds = feed_links(config, documents_feed_title(config), urls.documents_url(config)) + feeds
    filters = {kind: options for kind, options in _document_filters(site).items() if len(options) > 1}
    shown = tuple((kind, tuple(options)) for kind, options in filters.items())  # one value: no choice
    listings: list[tuple[DocumentFilter | None, Sequence[Document], Callable[[int], str]]] = [
        (None, site.documents, functools.partial(urls.documents_url, config))
    ]
    for kind, options in filters.items():
        listings.extend(
            (option, listed, functools.partial(urls.document_filter_url, config, kind, option.slug))
            for option, listed in options.items()
        )
    for current, documents, url_for in listings:
        title = config.messages.text("documents")
        if current is not None:
            title = config.messages.text("documents_filtered", title=title, name=current.title)
        for pagination in paginate(documents, config.per_page, url_for):
            view = Page(
                _numbered(config, title, pagination),
                url_for(pagination.number),
                kind="documents",
                feeds=list_feeds,
            )
            origin = f"danh sách văn bản{f' ({current.title})' if current else ''}"
            yield page(
                "documents.html",
                view.url,
                origin,
                page=view,
                pagination=pagination,
                filters=shown,
                current=current,
            )
    for document in site.documents:
        view = Page(
            f"{document.doc_type} {document.number}", document.url, document.summary, "document", feeds
        )
        attachments = tuple(
            _attachment(config, *file)
            for file in zip(document.files, document.published_files, document.file_names, strict=True)
        )
        yield page(
            "document.html",
            view.url,
            document.source_path,
            page=view,
            document=document,
            attachments=attachments,
        )


@dataclass(frozen=True)
class DocumentFilter:
    """A type, an issuer or a year that the list of documents can be narrowed to."""

    kind: str  # type, issuer, year
    name: str  # Quyết định; UBND tỉnh Điện Biên; 2026
    title: str  # as a page's title names it: Quyết định; năm 2026
    slug: str
    url: str
    count: int  # documents


def _document_filters(site: Site) -> dict[str, dict[DocumentFilter, list[Document]]]:
    """Each type (in the vocabulary's order), issuer (alphabetical) and year (newest first) that
    documents have, with those documents, newest issued first."""
    config = site.config
    type_order = {entry.name: number for number, entry in enumerate(config.document_types.entries)}
    groups: dict[str, dict[str, list[Document]]] = {"type": {}, "issuer": {}, "year": {}}
    names: dict[tuple[str, str], str] = {}  # (kind, slug) → the first name written: issuers are open
    for document in site.documents:
        for kind, name in (
            ("type", document.doc_type),
            ("issuer", document.issuer),
            ("year", str(document.date.year)),
        ):
            if not name:
                continue
            vocabulary = config.document_types if kind == "type" else config.issuers
            entry = vocabulary.lookup(name) if kind != "year" else None
            slug = entry.slug if entry is not None else slugify(name)
            if not slug:  # an issuer of no letter or digit ("—"): listed, but not to filter by
                continue
            names.setdefault((kind, slug), name)
            groups[kind].setdefault(slug, []).append(document)
    order: dict[str, Callable[[str], Any]] = {
        "type": lambda slug: (
            type_order.get(names["type", slug], len(type_order)),
            sort_key(names["type", slug]),
        ),
        "issuer": lambda slug: sort_key(names["issuer", slug]),
        "year": lambda slug: -int(slug),
    }
    filters: dict[str, dict[DocumentFilter, list[Document]]] = {}
    for kind, by_slug in groups.items():
        filters[kind] = {}
        for slug in sorted(by_slug, key=order[kind]):
            name = names[kind, slug]
            title = config.messages.text("documents_year", year=name) if kind == "year" else name
            url = urls.document_filter_url(config, kind, slug)
            filters[kind][DocumentFilter(kind, name, title, slug, url, len(by_slug[slug]))] = by_slug[slug]
    return filters


TERM_DOCUMENTS = 10  # the newest documents a province's or theme's first page lists


def _documents_about(site: Site, term: Any) -> tuple[Document, ...]:
    """The newest documents tagged with `term`, for its page's "Văn bản" block."""
    about = (
        document
        for document in site.documents
        if any(other.name == term.name for other in getattr(document, term.kind))
    )
    return tuple(itertools.islice(about, TERM_DOCUMENTS))


def _attachment(config: Config, address: str, published: str, name: str) -> Attachment:
    try:
        size: int | None = (config.static_dir / address.lstrip("/")).stat().st_size
    except OSError:
        size = None
    kind = name.rsplit(".", 1)[-1].upper() if "." in name else ""
    return Attachment(urls.site_url(config, published), name, kind, size)


def _search_page(
    site: Site, page: Callable[..., PlannedPage], feeds: tuple[tuple[str, str, str], ...]
) -> PlannedPage:
    """Tìm kiếm, with the provinces, themes and years that have articles, to filter by."""
    config = site.config
    view = Page(config.messages.text("search"), urls.search_url(config), kind="search", feeds=feeds)
    provinces, themes = map(site.searchable_terms, site.taxonomies)
    indexed = bool(site.articles or site.documents)  # else there is no index to search
    years = sorted({year.year for year in site.archive} | {d.date.year for d in site.documents}, reverse=True)
    return page(
        "search.html",
        view.url,
        "trang tìm kiếm",
        page=view,
        provinces=provinces,
        themes=themes,
        years=tuple(years),
        index_url=f"{view.url}{urls.SEARCH_INDEX_SEGMENT}/" if indexed else "",
    )


def _archive_pages(
    site: Site, page: Callable[..., PlannedPage], feeds: tuple[tuple[str, str, str], ...]
) -> Iterator[PlannedPage]:
    """Lưu trữ: the years and months, a page for each year (its months) and for each month (its
    articles, paginated)."""
    config = site.config
    index = Page(config.messages.text("archive"), urls.archive_url(config), kind="archive", feeds=feeds)
    yield page("archive.html", index.url, "trang lưu trữ", page=index, archive=site.archive)
    months = by_month(site.articles)
    for year in site.archive:
        title = config.messages.text("archive_title", title=year.title)
        view = Page(title, year.url, kind="archive", feeds=feeds)
        yield page("archive_year.html", year.url, f"lưu trữ {year.title.lower()}", page=view, year=year)
        for month in year.months:
            url_for = functools.partial(urls.archive_url, config, month.year, month.month)
            for pagination in paginate(months[month.year, month.month], config.per_page, url_for):
                title = _numbered(
                    config, config.messages.text("archive_title", title=month.title), pagination
                )
                view = Page(title, url_for(pagination.number), kind="archive", feeds=feeds)
                origin = f"lưu trữ {month.title.lower()}"
                yield page(
                    "archive_month.html", view.url, origin, page=view, month=month, pagination=pagination
                )


def plan_sitemap(site: Site, pages: list[PlannedPage]) -> Iterator[Output]:
    """sitemap.xml of the pages but the 404 page, and robots.txt (`sitemap_of`)."""
    return sitemap_of(site, list(sitemap_entries(site, enumerate(pages)).values()))


SitemapEntry = tuple[str, datetime | None]  # a page's URL, and when what it shows last changed


def sitemap_entries(site: Site, pages: Iterable[tuple[int, PlannedPage]]) -> dict[int, SitemapEntry]:
    """The sitemap's entries of numbered pages, by their numbers: all but the 404 page."""
    newest = max((article.updated or article.date for article in site.articles), default=None)
    return {
        number: (page.context["page"].url, _shows_since(page, newest))
        for number, page in pages
        if page.path != urls.NOT_FOUND_PATH
    }


def sitemap_of(site: Site, entries: list[SitemapEntry]) -> Iterator[Output]:
    """sitemap.xml of these entries, and robots.txt: at the root only, and not over the editors' own."""
    config = site.config
    robots = config.base_path == "/" and not (config.static_dir / ROBOTS).exists()
    return sitemap_outputs(site, entries, robots)


def _shows_since(page: PlannedPage, newest: datetime | None) -> datetime | None:
    """When what a page shows last changed: a page of content/pages/, its `updated` (else
    unknown); its article; the newest article it lists (None for an
    empty listing); the newest of its year for a year of the archive; else the site's `newest`
    (the lists of provinces, themes and years count every article)."""
    context = page.context
    if "site_page" in context:
        return context["site_page"].updated  # type: ignore[no-any-return]
    if "document" in context:
        return context["document"].date  # type: ignore[no-any-return]
    if "article" in context:
        shown: Sequence[Article | Document] = [context["article"]]
    elif "pagination" in context:
        shown = context["pagination"].items
    elif "year" in context:
        return context["year"].modified  # type: ignore[no-any-return]
    else:
        return newest
    return max((item.updated or item.date for item in shown), default=None)


def article_page(
    config: Config,
    article: Article,
    related: tuple[Article, ...],
    feeds: tuple[tuple[str, str, str], ...] | None = None,
) -> PlannedPage:
    """`feeds`: the site's feeds, which `plan_site` works out once for all articles."""
    if feeds is None:
        feeds = feed_links(config, config.site_name, urls.home_url(config))
    view = Page(article.title, article.url, article.summary, "article", feeds)
    path = urls.output_path(config, article.url)
    context = {"page": view, "article": article, "related": related}
    return PlannedPage(path, "article.html", article.source_path, context)


def _numbered(config: Config, title: str, pagination: Pagination) -> str:
    if pagination.number == 1:
        return title
    return config.messages.text("numbered_title", title=title, number=pagination.number)


def paginate(
    items: Sequence[Article | Document], per_page: int, url_for: Callable[[int], str]
) -> Iterator[Pagination]:
    """Pages of `per_page` items; an empty listing still has its first page."""
    count = max(1, math.ceil(len(items) / per_page))
    for number in range(1, count + 1):
        start = (number - 1) * per_page
        yield Pagination(number, count, items[start : start + per_page], url_for)


def _files(folder: Path, prefix: str, origin: str, renamed: dict[str, str] | None = None) -> Iterator[Output]:
    """The files under `folder`, hidden ones left out, to be copied as they are: at their own
    names, or at those `renamed` gives them (by name)."""
    for name in list_files(folder):
        shown = origin + name if origin.endswith("/") else origin
        yield Output(prefix + (renamed or {}).get(name, name), source=folder / name, origin=shown)


def published_attachments(site: Site) -> dict[str, str]:
    """The documents' files, by their names under static/: the names they are published at, once."""
    return {
        address.lstrip("/"): published.lstrip("/")
        for document in site.documents
        for address, published in zip(document.files, document.published_files, strict=True)
    }
