"""Every URL and output path of a site, in one place. Nothing else builds a path by hand.

URLs are absolute paths that start with the site's base path (`/` or `/tin-tuc/`); output paths
are relative to the output folder.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from urllib.parse import unquote, urlsplit

from ..config.settings import Config
from ..sources.content import PAGES_FOLDER
from ..text.vietnamese import slugify

# The URL segment of each taxonomy: /tinh/dien-bien/, /chu-de/chuyen-doi-so/.
TAXONOMY_SEGMENTS = {"provinces": "tinh", "themes": "chu-de"}
PAGE_SEGMENT = "trang"  # /tinh/dien-bien/trang/2/
NEWS_SEGMENT = "tin-tuc"  # /tin-tuc/, /tin-tuc/trang/2/
SEARCH_SEGMENT = "tim-kiem"  # /tim-kiem/?q=…
SEARCH_INDEX_SEGMENT = "chi-muc"  # /tim-kiem/chi-muc/: the index the search page reads
ARCHIVE_SEGMENT = "luu-tru"  # /luu-tru/, /luu-tru/2023/, /luu-tru/2023/02/
ASSETS_SEGMENT = "assets"
NOT_FOUND_PATH = "404.html"


def home_url(config: Config) -> str:
    return config.base_path


def search_url(config: Config) -> str:
    return f"{config.base_path}{SEARCH_SEGMENT}/"


def news_url(config: Config, page: int = 1) -> str:
    """Tin tức: every article, newest first."""
    return _paginated(f"{config.base_path}{NEWS_SEGMENT}/", page)


def article_url(config: Config, date: datetime, slug: str) -> str:
    values = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "slug": slug,
    }
    path = re.sub(r"\{(\w+)\}", lambda field: values[field.group(1)], config.permalink)
    return config.base_path + path.lstrip("/")


def page_url(config: Config, source_path: str, url: str = "") -> str:
    """A page's address: its `url:`, else its path under content/pages/, each part made a slug
    (`gioi-thieu/Cơ cấu tổ chức.md` → `/gioi-thieu/co-cau-to-chuc/`; `index.md`: its folder's)."""
    if url:
        return config.base_path + url.lstrip("/")
    parts = source_path.removeprefix(PAGES_FOLDER).removesuffix(".md").split("/")
    if parts[-1].lower() in ("index", "_index"):
        parts.pop()
    return config.base_path + "".join(f"{slugify(part) or part}/" for part in parts)


DOCUMENTS_SEGMENT = "van-ban"  # /van-ban/, /van-ban/125-qd-ubnd/


def documents_url(config: Config, page: int = 1) -> str:
    """Văn bản: every document, newest issued first."""
    return _paginated(f"{config.base_path}{DOCUMENTS_SEGMENT}/", page)


DOCUMENT_FILTER_SEGMENTS = {"type": "loai", "issuer": "co-quan", "year": "nam"}  # /van-ban/loai/quyet-dinh/


def document_filter_url(config: Config, kind: str, slug: str, page: int = 1) -> str:
    """Văn bản of one type, one issuer or one year (`kind`)."""
    return _paginated(f"{config.base_path}{DOCUMENTS_SEGMENT}/{DOCUMENT_FILTER_SEGMENTS[kind]}/{slug}/", page)


def attachment_address(address: str) -> str:
    """Where a document's file is published: its address written under static/, each part
    ASCII-folded (`/van-ban/Quyết định 125.PDF` → `/van-ban/quyet-dinh-125.pdf`), so that the
    address is the same in every browser, mail and chat that passes it on."""
    *folders, name = address.split("/")
    stem, dot, extension = name.rpartition(".")
    if not stem:  # no extension, or a name that is one (.pdf)
        stem, dot, extension = name, "", ""
    folded = [slugify(part) or part for part in folders if part] + [
        (slugify(stem) or stem) + dot + extension.lower()
    ]
    return "/" + "/".join(folded)


def document_url(config: Config, slug: str) -> str:
    return f"{config.base_path}{DOCUMENTS_SEGMENT}/{slug}/"


def taxonomy_url(config: Config, kind: str) -> str:
    return f"{config.base_path}{TAXONOMY_SEGMENTS[kind]}/"


def term_url(config: Config, kind: str, slug: str, page: int = 1) -> str:
    return _paginated(f"{taxonomy_url(config, kind)}{slug}/", page)


def archive_url(config: Config, year: int | None = None, month: int | None = None, page: int = 1) -> str:
    url = f"{config.base_path}{ARCHIVE_SEGMENT}/"
    if year is not None:
        url += f"{year:04d}/"
    if month is not None:
        url += f"{month:02d}/"
    return _paginated(url, page)


def asset_url(config: Config, name: str) -> str:
    """A file of the theme's own assets, such as style.css."""
    return f"{config.base_path}{ASSETS_SEGMENT}/{name}"


def asset_path(name: str) -> str:
    return f"{ASSETS_SEGMENT}/{name}"


def site_url(config: Config, path: str) -> str:
    """A root-relative link written by an editor (`/images/x.jpg`) under the site's base path."""
    if path.startswith("/") and not path.startswith("//"):
        return config.base_path + path.lstrip("/")
    return path


_ROOT_RELATIVE_LINK = re.compile(r"""(\s(?:src|href|srcset)\s*=\s*["'])/(?!/)""")


def rebase_links(base_path: str, html: str) -> str:
    """Root-relative links in an article body (`<img src="/images/x.jpg">`) under the base path."""
    if base_path == "/":
        return html
    return _ROOT_RELATIVE_LINK.sub(lambda match: match.group(1) + base_path, html)


FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml"}


def feed_url(listing_url: str, kind: str) -> str:
    """The RSS or Atom feed of the listing at `listing_url` (the home page, or a term's page)."""
    return listing_url + FEED_FILES[kind]


def absolute_url(config: Config, url: str) -> str | None:
    """`url` (a path under the base path) with the site's scheme and host; None when `base_url`
    names no host, as feeds and the sitemap need one."""
    if url.startswith(("http://", "https://", "//")):  # another site's address: an image on a CDN
        return url
    origin = _origin(config.base_url)
    return None if origin is None else origin + url


@functools.lru_cache(maxsize=8)
def _origin(base_url: str) -> str | None:
    """`https://x.gov.vn` of `https://x.gov.vn/tin-tuc/`; None for a base URL without a host."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


def not_found_url(config: Config) -> str:
    return config.base_path + NOT_FOUND_PATH


def output_path(config: Config, url: str) -> str:
    """Where the page at `url` is written: `/2023/02/x/` → `2023/02/x/index.html`."""
    relative = url[len(config.base_path) :] if url.startswith(config.base_path) else url.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    return relative


def link_targets(url: str) -> tuple[str, ...]:
    """The output files a root-relative link written in an article (`/tinh/dien-bien`) can mean."""
    path = unquote(urlsplit(url).path).lstrip("/")
    if path == "" or path.endswith("/"):
        return (path + "index.html",)
    # Static hosts answer /tinh/dien-bien with the folder's index.html too.
    return (path, path + "/index.html")


def _paginated(url: str, page: int) -> str:
    return url if page == 1 else f"{url}{PAGE_SEGMENT}/{page}/"
