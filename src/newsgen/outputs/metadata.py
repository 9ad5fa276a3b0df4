"""What pages tell search engines and social networks about themselves: absolute addresses, and
schema.org `NewsArticle`, `Legislation` and `DigitalDocument` data as JSON-LD, safe to put inside
a `<script>` element."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..config.settings import Config
from ..site import urls
from ..site.model import Article, Document
from ..text.vietnamese import term_key


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


# Types whose documents are legal acts (a law, a decree, a circular, a resolution, a directive, a
# decision): schema.org `Legislation`, whose legal force and date of applicability say what
# their pages say. Plans, letters, notices, reports are `DigitalDocument`s.
LEGISLATION_TYPES = frozenset(
    map(term_key, ("Luật", "Nghị định", "Thông tư", "Nghị quyết", "Chỉ thị", "Quyết định"))
)
_FORCE = {"in_force": "InForce", "not_yet": "NotInForce", "expired": "NotInForce"}
# The media types of documents' usual files: fixed here, as mimetypes' would vary by machine.
_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
}


def document_data(config: Config, document: Document) -> dict[str, Any]:
    """schema.org data of an official document: `Legislation` for a legal act, else
    `DigitalDocument` (`LEGISLATION_TYPES`)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": f"{document.doc_type} {document.number}",
        "headline": document.summary,
        "identifier": document.number,
        "genre": document.doc_type,
        "inLanguage": "vi",
        "url": absolute(config, document.url),
        "datePublished": document.date.date().isoformat(),
    }
    if document.issuer:
        data["publisher"] = {"@type": "GovernmentOrganization", "name": document.issuer}
    if document.expires is not None:
        data["expires"] = document.expires.date().isoformat()
    if document.provinces:
        data["spatialCoverage"] = [{"@type": "Place", "name": term.name} for term in document.provinces]
    if document.files:
        files = zip(document.published_files, document.file_names, strict=True)
        data["encoding"] = [_media(config, published, name) for published, name in files]
    if term_key(document.doc_type) in LEGISLATION_TYPES:
        data["@type"] = "Legislation"
        data["legislationIdentifier"] = document.number
        data["legislationType"] = document.doc_type
        data["legislationDate"] = data["datePublished"]
        data["legislationLegalForce"] = f"https://schema.org/{_FORCE[document.status]}"
        if document.issuer:
            data["legislationPassedBy"] = data["publisher"]
        if document.in_force is not None:
            data["legislationDateOfApplicability"] = document.in_force.date().isoformat()
    return data


def _media(config: Config, published: str, name: str) -> dict[str, str]:
    media = {
        "@type": "MediaObject",
        "name": name,
        "contentUrl": absolute(config, urls.site_url(config, published)),
    }
    kind = _MEDIA_TYPES.get(published.rsplit(".", 1)[-1])
    if kind:
        media["encodingFormat"] = kind
    return media


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
