"""RSS 2.0 and Atom feeds of the whole site, of each province and theme, and of the documents
(/van-ban/), as `Output`s.

Written by an XML writer (`xmlout`), never by pasting strings: titles hold ampersands, quotes
and angle brackets. Every date comes from the articles (or `SOURCE_DATE_EPOCH`), never from the
clock, so that two builds of the same content are byte for byte the same.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime

from ..config.settings import Config
from ..site import urls
from ..site.model import Article, Document, Site, Taxonomy, Term
from .output import Output
from .xmlout import XmlDocument

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"


def feed_links(config: Config, title: str, page_url: str) -> tuple[tuple[str, str, str], ...]:
    """(type, title, url) of the RSS and Atom feeds of the listing at `page_url`, for pages to
    link as `<link rel="alternate">`; none when `base_url` has no host."""
    if urls.absolute_url(config, "/") is None:
        return ()
    return (
        (RSS_TYPE, config.messages.text("feed_rss", title=title), urls.feed_url(page_url, "rss")),
        (ATOM_TYPE, config.messages.text("feed_atom", title=title), urls.feed_url(page_url, "atom")),
    )


def term_feed_title(config: Config, taxonomy: Taxonomy, term: Term) -> str:
    return config.messages.text("term_feed", site=config.site_name, kind=taxonomy.singular, name=term.name)


def feed_outputs(site: Site) -> Iterator[Output]:
    """The site's feeds, then each province's and each theme's; none when `base_url` has no host
    (a feed reader needs full addresses)."""
    config = site.config
    if urls.absolute_url(config, "/") is None:
        return
    listings: list[tuple[str, str, Sequence[Article | Document]]] = [
        (config.site_name, urls.home_url(config), site.articles)
    ]
    if site.documents:
        title = documents_feed_title(config)
        listings.append((title, urls.documents_url(config), site.documents))
    for taxonomy in site.taxonomies:
        for listing in taxonomy.listings:
            term = listing.term
            listings.append((term_feed_title(config, taxonomy, term), term.url, listing.articles))
    for title, page_url, articles in listings:
        newest = list(articles[: config.feed_items])
        folder = urls.output_path(config, page_url).removesuffix("index.html")
        rss, atom = (urls.feed_url(page_url, kind) for kind in ("rss", "atom"))
        yield Output(folder + urls.FEED_FILES["rss"], _rss(site, title, page_url, rss, newest), origin="RSS")
        yield Output(
            folder + urls.FEED_FILES["atom"], _atom(site, title, page_url, atom, newest), origin="Atom"
        )


def documents_feed_title(config: Config) -> str:
    return config.messages.text("documents_feed", site=config.site_name)


def _rss(site: Site, title: str, page_url: str, self_url: str, articles: list[Article | Document]) -> bytes:
    config = site.config
    xml = XmlDocument()
    xml.start("rss", {"version": "2.0", "xmlns:atom": _ATOM_NS, "xmlns:dc": _DC_NS})
    xml.start("channel")
    xml.text("title", title)
    xml.text("link", _absolute(site, page_url))
    xml.text("description", config.site_description or title)
    xml.text("language", "vi")
    if articles:
        xml.text("lastBuildDate", format_datetime(max(_modified(article) for article in articles)))
    xml.empty("atom:link", {"href": _absolute(site, self_url), "rel": "self", "type": RSS_TYPE})
    for article in articles:
        link = _absolute(site, article.url)
        xml.start("item")
        xml.text("title", article.title)
        xml.text("link", link)
        xml.text("guid", link, {"isPermaLink": "true"})
        xml.text("pubDate", format_datetime(article.date))
        xml.text("description", _content(site, article))
        if article.author:
            xml.text("dc:creator", article.author)
        for term in article.provinces + article.themes:
            xml.text("category", term.name)
        xml.end("item")
    xml.end("channel")
    xml.end("rss")
    return xml.bytes()


def _atom(site: Site, title: str, page_url: str, self_url: str, articles: list[Article | Document]) -> bytes:
    xml = XmlDocument()
    xml.start("feed", {"xmlns": _ATOM_NS, "xml:lang": "vi"})
    xml.text("id", _absolute(site, page_url))
    xml.text("title", title)
    newest = max((_modified(article) for article in articles), default=None)
    xml.text("updated", (newest or _source_date()).isoformat())
    xml.empty("link", {"rel": "self", "type": ATOM_TYPE, "href": _absolute(site, self_url)})
    xml.empty("link", {"rel": "alternate", "type": "text/html", "href": _absolute(site, page_url)})
    xml.start("author")
    xml.text("name", site.config.site_name)
    xml.end("author")
    for article in articles:
        link = _absolute(site, article.url)
        xml.start("entry")
        xml.text("id", link)
        xml.text("title", article.title)
        xml.empty("link", {"rel": "alternate", "type": "text/html", "href": link})
        xml.text("published", article.date.isoformat())
        xml.text("updated", _modified(article).isoformat())
        if article.author:
            xml.start("author")
            xml.text("name", article.author)
            xml.end("author")
        for term in article.provinces + article.themes:
            xml.empty("category", {"term": term.name})
        if site.config.feed_full_content:
            xml.text("content", _content(site, article), {"type": "html"})
        else:
            xml.text("summary", article.summary, {"type": "text"})
        xml.end("entry")
    xml.end("feed")
    return xml.bytes()


def _content(site: Site, article: Article | Document) -> str:
    """As HTML: the summary (plain text, escaped), or with `feed_full_content` the body, its links
    made absolute for feed readers."""
    if not site.config.feed_full_content:
        return html.escape(article.summary, quote=False)
    return urls.rebase_links(_absolute(site, site.config.base_path), article.body.html())


def _modified(article: Article | Document) -> datetime:
    return article.updated or article.date


def _absolute(site: Site, url: str) -> str:
    return urls.absolute_url(site.config, url) or url


_ATOM_NS = "http://www.w3.org/2005/Atom"
_DC_NS = "http://purl.org/dc/elements/1.1/"


def _source_date() -> datetime:
    """The date of an empty feed, which has no article to take one from: `SOURCE_DATE_EPOCH`
    (reproducible-builds.org) when set, else the Unix epoch; never the clock."""
    try:
        return datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), UTC)
    except (ValueError, OverflowError, OSError):  # not a number of seconds a date can have
        return datetime.fromtimestamp(0, UTC)
