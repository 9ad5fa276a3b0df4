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
_HEIC_HREF = re.compile(r'href="([^"]*\.hei[cf])"', re.IGNORECASE)
# What the theme's columns show a photo at: the main column (820 px beside the sidebar, from 860 px
# on), or a phone's width but its margins (1rem each side): at 390 px and 2 pixels a point, the
# 720 px photo rather than the 1,080, half the bytes.
COLUMN = "(min-width: 860px) 820px, calc(100vw - 2rem)"


def index_file(config: Config) -> Path:
    return config.source_dir / CACHE_DIR / "images" / _INDEX


Point = tuple[int, int]  # per cent across and down: what an article's thumbnail keeps (`image_focus`)


def save_index(config: Config, published: dict[tuple[str, Point | None], list[Variant]]) -> None:
    """The widths each photo and thumbnail was published at, for `Pictures`: [static name, the
    thumbnail's point or null, variants] each."""
    index = [
        [name, point and list(point), [[v.width, v.height, v.suffix] for v in variants]]
        for (name, point), variants in sorted(
            published.items(), key=lambda item: (item[0][0], item[0][1] or ())
        )
    ]
    text = json.dumps(index, separators=(",", ":"))
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
        self.thumbnails: dict[tuple[str, Point], list[Variant]] = {}
        path = index_file(config)
        if config.images.enabled and path.is_file():
            try:
                for name, point, variants in json.loads(path.read_text(encoding="utf-8")):
                    made = [
                        Variant(int(width), int(height), str(suffix)) for width, height, suffix in variants
                    ]
                    if point is None:
                        self.by_name[str(name)] = made
                    else:
                        self.thumbnails[str(name), (int(point[0]), int(point[1]))] = made
            except (ValueError, TypeError, AttributeError, IndexError):
                self.by_name, self.thumbnails = {}, {}  # damaged: photos are shown by their own address

    def markup(
        self,
        src: str,
        alt: str,
        sizes: str = COLUMN,
        lead: bool = False,
        thumbnail: bool = False,
        focus: Point | None = None,
        lazy: bool = True,
    ) -> Markup:
        """`picture(src, alt, sizes, lead, thumbnail, focus, lazy)` in templates: the photo at
        `src`, each width offered, as WebP first. `lead`: the page's first photo, asked for at
        once; `thumbnail`: cropped to the theme's thumbnail shape around `focus` (an article's
        `image_focus`), where the build made it; `focus` also keeps that point in sight where the
        theme crops the photo as it shows it; `lazy=false`: loaded at once (the logo)."""
        point = (int(focus[0]), int(focus[1])) if focus else (50, 50)
        others = {} if point == (50, 50) else {"style": f"object-position:{point[0]}% {point[1]}%"}
        loading = ' fetchpriority="high"' if lead else ' loading="lazy"' if lazy else ""
        return self._markup(  # escaped as Jinja would
            str(escape(src)),
            str(escape(alt)),
            others,
            str(escape(sizes)),
            loading,
            point if thumbnail else None,
        )

    def shared(self, src: str) -> str:
        """`shared_image(src)` in templates: the address of the photo as a shared page shows it
        (1,200 × 630), or of `src` itself if it is not one of the site's photos."""
        variants = self._variants(src) or []
        for variant in variants:
            if variant.suffix == SHARED_SUFFIX:
                name = html.unescape(src).removeprefix("/")
                return urls.site_url(self.config, "/" + variant_path(name, variant, variants))
        return urls.site_url(self.config, src)

    def address(self, src: str) -> str:
        """Where the photo at `src` is published at its widest, in a format browsers show (its
        own address, but for HEIC), or `src` itself if it is not one of the site's photos."""
        variants = self._variants(src)
        if not variants:
            return urls.site_url(self.config, src)
        name = html.unescape(src).removeprefix("/")
        widest = _widest(variants, FORMATS[PurePosixPath(name).suffix.lower()][1])
        return urls.site_url(self.config, "/" + variant_path(name, widest, variants))

    def in_body(self, body_html: str) -> Markup:
        """The `with_pictures` filter: an article's body with each of its photos offered so, and
        its links to a HEIC photo (which is not published as it is) led to the photo's JPEG."""
        base = self.config.base_path

        def replace(match: re.Match[str]) -> str:
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            src = attributes.pop("src", "")
            root_relative = src[len(base) - 1 :]  # as the editor wrote it: /images/anh.jpg
            if not src.startswith(base) or self._variants(root_relative) is None:
                return match.group(0)
            alt = attributes.pop("alt", "")
            return self._markup(root_relative, alt, attributes, COLUMN, ' loading="lazy"', None)

        def heic_link(match: re.Match[str]) -> str:
            href = match.group(1)
            root_relative = href[len(base) - 1 :]
            kind = FORMATS.get(PurePosixPath(href).suffix.lower(), ("",))[0]
            if kind != "HEIF" or not href.startswith(base) or self._variants(root_relative) is None:
                return match.group(0)
            return f'href="{escape(self.address(root_relative))}"'

        return Markup(_HEIC_HREF.sub(heic_link, _IMG.sub(replace, body_html)))

    def _variants(self, src: str, point: Point | None = None) -> list[Variant] | None:
        if not src.startswith("/"):
            return None
        name = html.unescape(src).removeprefix("/")
        if point is not None and (name, point) in self.thumbnails:
            return self.thumbnails[name, point]
        return self.by_name.get(name)

    def _markup(
        self, src: str, alt: str, others: dict[str, str], sizes: str, loading: str, point: Point | None
    ) -> Markup:
        """`src`, `alt` and `others` already escaped for an attribute; `loading` the attributes
        that say when to load it; `point`: its thumbnail around that point."""
        loading += ' decoding="async"' if "fetchpriority" not in loading else ""
        extra = "".join(f' {name}="{value}"' for name, value in others.items())
        variants = self._variants(src, point)
        if variants is None:
            return Markup(f'<img src="{urls.site_url(self.config, src)}" alt="{alt}"{extra}{loading}>')
        name = html.unescape(src).removeprefix("/")
        if point is not None and (name, point) not in self.thumbnails:
            point = None  # not made: the whole photo, which the theme crops as it shows it
        own = FORMATS[PurePosixPath(name).suffix.lower()][1]
        widest = _widest(variants, own)

        def srcset(suffix: str) -> str:
            return ", ".join(
                f"{self._url(name, variant, variants, point)} {variant.width}w"
                for variant in sorted(variants, key=lambda variant: variant.width)
                if variant.suffix == suffix
            )

        source = (
            f'<source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">' if own != "webp" else ""
        )
        image = (
            f'<img src="{self._url(name, widest, variants, point)}" srcset="{srcset(own)}" sizes="{sizes}"'
            f' width="{widest.width}" height="{widest.height}" alt="{alt}"{extra}{loading}>'
        )
        return Markup(f"<picture>{source}{image}</picture>")

    def _url(self, name: str, variant: Variant, variants: list[Variant], point: Point | None) -> str:
        path = variant_path(name, variant, variants, point)
        return str(escape(urls.site_url(self.config, "/" + path)))


def variant_path(name: str, variant: Variant, variants: list[Variant], point: Point | None = None) -> str:
    """Where `variant`, one of the `variants` made of static/`name` (of its thumbnail around
    `point`, if given), is published: the widest of the photo in its own format at its own
    address (see `publish`'s docstring); a thumbnail's as `anh.thumb.360.webp`, or
    `anh.thumb-30-20.360.webp` around another point than the middle."""
    path = PurePosixPath(name)
    if point is not None:
        tag = "thumb" if point == (50, 50) else f"thumb-{point[0]}-{point[1]}"
        return str(path.with_name(f"{path.stem}.{tag}.{variant.width}.{variant.suffix}"))
    kind, own = FORMATS[path.suffix.lower()]
    if variant == _widest(variants, own) and kind != "HEIF":  # at anh.heic, few browsers would show it
        return name
    return str(path.with_name(f"{path.stem}.{variant.width}.{variant.suffix}"))


def _widest(variants: list[Variant], suffix: str) -> Variant:
    return max(
        (variant for variant in variants if variant.suffix == suffix), key=lambda variant: variant.width
    )
