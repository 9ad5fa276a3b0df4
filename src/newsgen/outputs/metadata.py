"""What pages tell search engines and social networks about themselves: absolute addresses, and
schema.org `NewsArticle` data as JSON-LD, safe to put inside a `<script>` element."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..config.settings import Config
from ..site import urls
from ..site.model import Article


def absolute(config: Config, url: str) -> str:
    """`url` (a path under the base path) as a full address, or as it is when `base_url` names
    no host."""
    return urls.absolute_url(config, url) or url


def news_article(config: Config, article: Article, address: Callable[[str], str]) -> dict[str, Any]:
    """schema.org NewsArticle data of `article`, for Google News and the like; `address`: where
    a photo is published (`Pictures.address`)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "vi",
        "mainEntityOfPage": absolute(config, article.url),
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "publisher": {"@type": "Organization", "name": config.site_name},
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if article.image:
        data["image"] = [absolute(config, address(article.image))]
    if article.provinces:
        data["contentLocation"] = [{"@type": "Place", "name": term.name} for term in article.provinces]
    return data


def script_json(data: Any) -> Markup:
    """JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` as \\u escapes,
    so that no text inside (a title holding `</script>`) can end the element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704 - escaped above for the one place it goes
