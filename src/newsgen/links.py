"""`check_links`: every link an editor wrote to the site's own pages and files must lead somewhere."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problems
from .model import Site


def check_links(site: Site, written: Collection[str]) -> None:
    """Raise for root-relative links in articles (`/images/x.jpg`) whose target was not built."""
    problems = Problems()
    written = set(written)
    for article in site.articles:
        for url, line in article.links:
            if not _resolves(url, written):
                problems.add(
                    ContentError(
                        f"liên kết {url} không dẫn tới trang hay tệp nào của trang web",
                        path=article.source_path,
                        line=line,
                        hint="kiểm tra đường dẫn; ảnh và tệp tải về đặt trong static/ "
                        "(static/images/a.jpg được viết là /images/a.jpg)",
                    )
                )
    problems.raise_if_any()


def _resolves(url: str, written: Collection[str]) -> bool:
    path = unquote(urlsplit(url).path).lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html" in written
    # /tinh/dien-bien without its slash still reaches the page on every static host.
    return path in written or str(PurePosixPath(path) / "index.html") in written
