"""Photos in pages: `<picture>` markup that lets a phone download the width it shows.

`make_photos` writes, beside the photos it made, an index of every published photo's widths
(`published.json` in the cache folder): templates read it through `Pictures`, and its digest is
part of every page's key, so that a photo made again in other sizes renders its pages again.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path, PurePosixPath

from markupsafe import Markup, escape

from ..config.settings import Config
from ..site import urls
from ..state.store import CACHE_DIR, digest
from .process import FORMATS, SHARED_SUFFIX, Variant

_INDEX = "published.json"
_IMG = re.compile(r"<img\s([^>]*?)\s*/?>")
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
# What the theme's columns show a photo at: the main column (820 px beside the sidebar, from 860 px
# on), or the whole width of a phone.
COLUMN = "(min-width: 860px) 820px, 100vw"


def index_file(config: Config) -> Path:
    return config.source_dir / CACHE_DIR / "images" / _INDEX


def save_index(config: Config, published: dict[str, list[Variant]]) -> None:
    """The widths each photo was published at (static name → variants), for `Pictures`."""
    index = {name: [[v.width, v.height, v.suffix] for v in variants] for name, variants in published.items()}
    text = json.dumps(index, sort_keys=True, separators=(",", ":"))
    path = index_file(config)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return  # unchanged: its time too
    if published or path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def index_digest(config: Config) -> str:
    """Changes when a photo is published at other sizes; empty when photos are copied as they are."""
    path = index_file(config)
    if not config.images.enabled or not path.is_file():
        return ""
    return digest(path.read_bytes())


class Pictures:
    """The published photos, by the address an editor writes (`/images/anh.jpg`)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.by_name: dict[str, list[Variant]] = {}
        path = index_file(config)
        if config.images.enabled and path.is_file():
            try:
                index = json.loads(path.read_text(encoding="utf-8"))
                self.by_name = {
                    name: [Variant(width, height, suffix) for width, height, suffix in variants]
                    for name, variants in index.items()
                }
            except (ValueError, TypeError, AttributeError):
                self.by_name = {}  # damaged: photos are shown by their own address alone

    def markup(self, src: str, alt: str, sizes: str = COLUMN, lead: bool = False) -> Markup:
        """`picture(src, alt, sizes, lead)` in templates: the photo at `src`, each width offered,
        as WebP first; `lead`: the page's first photo, asked for at once rather than lazily."""
        return self._markup(str(escape(src)), str(escape(alt)), {}, str(escape(sizes)), lead)  # as Jinja does

    def shared(self, src: str) -> str:
        """`shared_image(src)` in templates: the address of the photo as a shared page shows it
        (1,200 × 630), or of `src` itself if it is not one of the site's photos."""
        variants = self._variants(src) or []
        for variant in variants:
            if variant.suffix == SHARED_SUFFIX:
                name = html.unescape(src).removeprefix("/")
                return urls.site_url(self.config, "/" + variant_path(name, variant, variants))
        return urls.site_url(self.config, src)

    def in_body(self, body_html: str) -> Markup:
        """The `with_pictures` filter: an article's body with each of its photos offered so."""

        def replace(match: re.Match[str]) -> str:
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            src = attributes.pop("src", "")
            base = self.config.base_path
            root_relative = src[len(base) - 1 :]  # as the editor wrote it: /images/anh.jpg
            if not src.startswith(base) or self._variants(root_relative) is None:
                return match.group(0)
            return self._markup(root_relative, attributes.pop("alt", ""), attributes, COLUMN, lead=False)

        return Markup(_IMG.sub(replace, body_html))

    def _variants(self, src: str) -> list[Variant] | None:
        return self.by_name.get(html.unescape(src).removeprefix("/")) if src.startswith("/") else None

    def _markup(self, src: str, alt: str, others: dict[str, str], sizes: str, lead: bool) -> Markup:
        """`src`, `alt` and `others` already escaped for an attribute."""
        loading = ' fetchpriority="high"' if lead else ' loading="lazy" decoding="async"'
        extra = "".join(f' {name}="{value}"' for name, value in others.items())
        variants = self._variants(src)
        if variants is None:
            return Markup(f'<img src="{urls.site_url(self.config, src)}" alt="{alt}"{extra}{loading}>')
        name = PurePosixPath(html.unescape(src).removeprefix("/"))
        own = FORMATS[name.suffix.lower()][1]
        widest = _widest(variants, own)

        def srcset(suffix: str) -> str:
            return ", ".join(
                f"{self._url(name, variant, variants)} {variant.width}w"
                for variant in sorted(variants, key=lambda variant: variant.width)
                if variant.suffix == suffix
            )

        source = (
            f'<source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">' if own != "webp" else ""
        )
        image = (
            f'<img src="{urls.site_url(self.config, src)}" srcset="{srcset(own)}" sizes="{sizes}"'
            f' width="{widest.width}" height="{widest.height}" alt="{alt}"{extra}{loading}>'
        )
        return Markup(f"<picture>{source}{image}</picture>")

    def _url(self, name: PurePosixPath, variant: Variant, variants: list[Variant]) -> str:
        path = variant_path(str(name), variant, variants)
        return str(escape(urls.site_url(self.config, "/" + path)))


def variant_path(name: str, variant: Variant, variants: list[Variant]) -> str:
    """Where `variant`, one of the `variants` made of static/`name`, is published: the widest in
    the photo's own format at its own address (see `publish`'s docstring)."""
    path = PurePosixPath(name)
    if variant == _widest(variants, FORMATS[path.suffix.lower()][1]):
        return name
    return str(path.with_name(f"{path.stem}.{variant.width}.{variant.suffix}"))


def _widest(variants: list[Variant], suffix: str) -> Variant:
    return max(
        (variant for variant in variants if variant.suffix == suffix), key=lambda variant: variant.width
    )
