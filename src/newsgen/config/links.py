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
from .yamlfile import show, table_lines, text_value, with_lines

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
    for item, item_line in with_lines(items, line):
        with problems.about("newsgen.yaml"):
            blocks.append(_block(item, item_line, problems))
    return tuple(blocks)


def _block(item: Any, line: int, problems: Problems) -> LinkBlock:
    lines = table_lines(item, "link_blocks", _BLOCK_KEYS, line, _EXAMPLE)
    title = text_value(item, "title", "link_blocks", lines, line, _EXAMPLE, required=True)
    place = text_value(item, "place", "link_blocks", lines, line, _EXAMPLE) or "sidebar"
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
    for link, link_line in with_lines(links, line):
        with problems.about("newsgen.yaml"):
            checked.append(_link(link, link_line))
    return LinkBlock(title, place, tuple(checked))


def _link(item: Any, line: int) -> Link:
    lines = table_lines(item, "links", _LINK_KEYS, line, _EXAMPLE)
    text = text_value(item, "text", "links", lines, line, _EXAMPLE, required=True)
    url = check_url(
        text, text_value(item, "url", "links", lines, line, _EXAMPLE, required=True), lines.get("url", line)
    )
    image = text_value(item, "image", "links", lines, line, _EXAMPLE)
    if image and not image.startswith("/"):
        raise ConfigError(
            f'image của "{text}" phải là địa chỉ một ảnh trong static/, bắt đầu bằng /,'
            f" không phải {show(image)}",
            line=lines.get("image", line),
            hint=f"ảnh static/{image.lstrip('./')} được viết là image: /{image.lstrip('./')}",
        )
    return Link(text, url, image)


def check_url(text: str, url: str, line: int) -> str:
    """The `url` of a link or menu entry named `text`: another site's, or an address of this one."""
    if url.startswith("//") or not url.startswith(("https://", "http://", "/", "mailto:", "tel:")):
        raise ConfigError(
            f'url của "{text}" phải bắt đầu bằng https:// (trang ngoài) hoặc / (trang của mình),'
            f" không phải {show(url)}",
            line=line,
            hint="ví dụ url: https://dichvucong.gov.vn",
        )
    return url
