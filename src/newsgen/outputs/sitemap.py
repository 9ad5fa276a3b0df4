"""sitemap.xml, for search engines: every public page with its last modification; robots.txt
pointing to it. Past 50,000 addresses (the protocol's limit) sitemap.xml becomes an index of
sitemap-1.xml, sitemap-2.xml, …

Each page's last modification comes from the articles it shows, never from the clock, so that
two builds of the same content are byte for byte the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..site import urls
from ..site.model import Site
from .output import Output
from .xmlout import XmlDocument

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
LIMIT = 50_000  # addresses in one sitemap file
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_outputs(site: Site, pages: list[tuple[str, datetime | None]], robots: bool) -> Iterator[Output]:
    """The sitemap (or its index and parts) of `pages`, each a URL with when what it shows last
    changed (None: unknown, left out); with `robots`, a robots.txt naming it. Nothing when
    `base_url` has no host: search engines need full addresses."""
    config = site.config
    if urls.absolute_url(config, "/") is None:
        return
    entries = [(urls.absolute_url(config, url) or url, modified) for url, modified in pages]
    yield from _outputs(site, entries, robots)


def _outputs(site: Site, entries: list[tuple[str, datetime | None]], robots: bool) -> Iterator[Output]:
    parts = [entries[start : start + LIMIT] for start in range(0, len(entries), LIMIT)] or [[]]
    if len(parts) == 1:
        yield Output(SITEMAP, _urlset(parts[0]), origin="sơ đồ trang")
    else:
        names = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
        for name, part in zip(names, parts, strict=True):
            yield Output(name, _urlset(part), origin="sơ đồ trang")
        index = [
            (_site_url(site, name), max((modified for _url, modified in part if modified), default=None))
            for name, part in zip(names, parts, strict=True)
        ]
        yield Output(SITEMAP, _index(index), origin="sơ đồ trang")
    if robots:
        text = f"User-agent: *\nAllow: /\n\nSitemap: {_site_url(site, SITEMAP)}\n"
        yield Output(ROBOTS, text.encode(), origin="robots.txt")


def _site_url(site: Site, name: str) -> str:
    return f"{urls.absolute_url(site.config, site.config.base_path)}{name}"


def _urlset(entries: list[tuple[str, datetime | None]]) -> bytes:
    return _document("urlset", "url", entries)


def _index(parts: list[tuple[str, datetime | None]]) -> bytes:
    return _document("sitemapindex", "sitemap", parts)


def _document(root: str, item: str, entries: list[tuple[str, datetime | None]]) -> bytes:
    xml = XmlDocument()
    xml.start(root, {"xmlns": _NS})
    for url, modified in entries:
        xml.texts(item, [("loc", url), ("lastmod", modified.isoformat())] if modified else [("loc", url)])
    xml.end(root)
    return xml.bytes()
