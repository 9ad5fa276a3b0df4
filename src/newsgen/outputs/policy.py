"""The Content-Security-Policy each page carries in a `<meta>`: exactly what the theme and the
site's settings need (the EMC script's host, the counter's, the YouTube player).

A server's policy header and this one both apply, so the shipped nginx configuration, which
cannot read newsgen.yaml, allows any https: script and connection, and each page narrows that
to the hosts its settings name. Directives a `<meta>` cannot carry (`frame-ancestors`) stay in
the header.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..config.settings import Config
from .video import PLAYER_ORIGIN


def content_security_policy(config: Config) -> str:
    scripts = _with_hosts("'self'", config.emc.script)
    connections = _with_hosts("'self'", config.counter.endpoint if config.counter.mode != "none" else "")
    images = _with_hosts("'self' data: https:", config.emc.badge_image)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",  # aligned table cells in articles carry style=""
            f"img-src {images}",  # articles may show photos of other sites
            "media-src 'self'",
            f"frame-src 'self' {PLAYER_ORIGIN}",  # a PDF in the browser's viewer counts as a frame
            f"connect-src {connections}",
            "font-src 'self'",
            "object-src 'self'",  # a document's PDF, in the browser's own viewer
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def _with_hosts(sources: str, *urls: str) -> str:
    """`sources`, and the origin of each of `urls` that is on another host (not already allowed)."""
    for url in urls:
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:  # not an address: nothing to allow
            continue
        if parts.scheme in ("http", "https") and host:
            origin = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
            if origin not in sources.split() and f"{parts.scheme}:" not in sources.split():
                sources += f" {origin}"
    return sources
