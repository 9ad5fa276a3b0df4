"""`link_blocks:` in newsgen.yaml: blocks of links and banners in the sidebar or the footer, such
as every government portal carries ("Cổng thông tin điện tử tỉnh", "Cổng dịch vụ công quốc gia").

    link_blocks:
      - title: Liên kết
        place: sidebar            # or footer
        links:
          - text: Cổng thông tin điện tử tỉnh Sơn La
            url: https://sonla.gov.vn
          - text: Cổng Dịch vụ công quốc gia
            url: https://dichvucong.gov.vn
            image: /images/banner-dich-vu-cong.png    # a banner under static/; text is its alt
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, Problems
from .yamlfile import show, unknown_key

PLACES = ("sidebar", "footer")
_BLOCK_KEYS = ("title", "place", "links")
_LINK_KEYS = ("text", "url", "image")
_EXAMPLE = "ví dụ:\n  - title: Liên kết\n    links:\n      - text: Cổng Dịch vụ công quốc gia\n        url: https://dichvucong.gov.vn"


@dataclass(frozen=True)
class Link:
    text: str
    url: str  # https://…, or an address of the site (/gioi-thieu/)
    image: str = ""  # a banner under static/, written as its address

    @property
    def outside(self) -> bool:
        """Leads to another site: marked so for screen readers."""
        return self.url.startswith(("http://", "https://"))


@dataclass(frozen=True)
class LinkBlock:
    title: str
    place: str  # one of PLACES
    links: tuple[Link, ...]


def check_link_blocks(items: Any, line: int, problems: Problems) -> tuple[LinkBlock, ...]:
    """The blocks `link_blocks:` describes; each mistake a ConfigError with its line in `problems`."""
    if not isinstance(items, list):
        raise ConfigError(
            f'giá trị của "link_blocks" phải là một danh sách khối liên kết, không phải {show(items)}',
            line=line,
            hint=_EXAMPLE,
        )
    blocks = []
    for item, item_line in zip(items, getattr(items, "lines", [line] * len(items)), strict=True):
        with problems.about("newsgen.yaml"):
            blocks.append(_block(item, item_line, problems))
    return tuple(blocks)


def _block(item: Any, line: int, problems: Problems) -> LinkBlock:
    lines = _table(item, "link_blocks", _BLOCK_KEYS, line)
    title = _text(item, "title", "link_blocks", lines, line, required=True)
    place = _text(item, "place", "link_blocks", lines, line) or "sidebar"
    if place not in PLACES:
        raise ConfigError(
            f'place của khối "{title}" phải là sidebar (cột bên) hoặc footer (chân trang),'
            f" không phải {show(place)}",
            line=lines.get("place", line),
            hint="place: sidebar",
        )
    links = item.get("links")
    if not isinstance(links, list) or not links:
        raise ConfigError(
            f'khối "{title}" cần links: là danh sách các liên kết',
            line=lines.get("links", line),
            hint=_EXAMPLE,
        )
    checked = []
    for link, link_line in zip(links, getattr(links, "lines", [line] * len(links)), strict=True):
        with problems.about("newsgen.yaml"):
            checked.append(_link(link, link_line))
    return LinkBlock(title, place, tuple(checked))


def _link(item: Any, line: int) -> Link:
    lines = _table(item, "links", _LINK_KEYS, line)
    text = _text(item, "text", "links", lines, line, required=True)
    url = _text(item, "url", "links", lines, line, required=True)
    if url.startswith("//") or not url.startswith(("https://", "http://", "/", "mailto:", "tel:")):
        raise ConfigError(
            f'url của "{text}" phải bắt đầu bằng https:// (trang ngoài) hoặc / (trang của mình),'
            f" không phải {show(url)}",
            line=lines.get("url", line),
            hint="ví dụ url: https://dichvucong.gov.vn",
        )
    image = _text(item, "image", "links", lines, line)
    if image and not image.startswith("/"):
        raise ConfigError(
            f'image của "{text}" phải là địa chỉ một ảnh trong static/, bắt đầu bằng /,'
            f" không phải {show(image)}",
            line=lines.get("image", line),
            hint=f"ảnh static/{image.lstrip('./')} được viết là image: /{image.lstrip('./')}",
        )
    return Link(text, url, image)


def _table(item: Any, where: str, keys: tuple[str, ...], line: int) -> dict[str, int]:
    """The lines of `item`'s keys, once it is known to be a table of `keys` only."""
    if not isinstance(item, dict):
        raise ConfigError(f"mỗi mục trong {where} phải là một bảng khoá: giá trị", line=line, hint=_EXAMPLE)
    lines: dict[str, int] = getattr(item, "lines", {})
    for key in item:
        if key not in keys:
            raise unknown_key(key, keys, where, lines.get(key, line))
    return lines


def _text(
    item: dict[str, Any], key: str, where: str, lines: dict[str, int], line: int, required: bool = False
) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(
            f'{where}: "{key}" phải là một chuỗi văn bản{" không để trống" if required else ""},'
            f" không phải {show(value)}",
            line=lines.get(key, line),
            hint=_EXAMPLE,
        )
    return value.strip()
