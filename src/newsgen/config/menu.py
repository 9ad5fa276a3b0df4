"""`menu:` in newsgen.yaml: the site's main menu, two levels at most. Each entry leads to a page
of the site (written as its address after the domain: a page, an article, a province's or a
theme's page, Tin tức, Lưu trữ, Tìm kiếm) or to another site.

    menu:
      - title: Trang chủ
        url: /
      - title: Giới thiệu
        url: /gioi-thieu/                # optional for an entry with items
        items:
          - title: Cơ cấu tổ chức
            url: /gioi-thieu/co-cau-to-chuc/
      - title: Cổng Dịch vụ công
        url: https://dichvucong.gov.vn

Without `menu:`, the theme's menu: Trang chủ, Tin tức, the provinces, the themes, Lưu trữ, Tìm kiếm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, Problems
from .links import check_url
from .yamlfile import show, table_lines, text_value, with_lines

_KEYS = ("title", "url", "items")
_EXAMPLE = (
    "ví dụ:\n  - title: Giới thiệu\n    url: /gioi-thieu/\n    items:\n"
    "      - title: Cơ cấu tổ chức\n        url: /gioi-thieu/co-cau-to-chuc/"
)


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str = ""  # https://…, or an address of the site as written (/gioi-thieu/); "" for a heading
    items: tuple[MenuEntry, ...] = ()  # the second level
    line: int = field(default=0, compare=False, repr=False)  # in newsgen.yaml, for messages

    @property
    def outside(self) -> bool:
        """Leads to another site: marked so for screen readers."""
        return self.url.startswith(("http://", "https://"))


def check_menu(items: Any, line: int, problems: Problems) -> tuple[MenuEntry, ...]:
    """The entries `menu:` describes; each mistake a ConfigError with its line in `problems`."""
    return _entries(items, line, problems, top=True)


def _entries(items: Any, line: int, problems: Problems, top: bool) -> tuple[MenuEntry, ...]:
    if not isinstance(items, list) or not items:
        raise ConfigError(
            f'giá trị của "{"menu" if top else "items"}" phải là danh sách các mục, không phải {show(items)}',
            line=line,
            hint=_EXAMPLE,
        )
    entries = []
    for item, item_line in with_lines(items, line):
        with problems.about("newsgen.yaml"):
            entries.append(_entry(item, item_line, problems, top))
    return tuple(entries)


def _entry(item: Any, line: int, problems: Problems, top: bool) -> MenuEntry:
    lines = table_lines(item, "menu", _KEYS, line, _EXAMPLE)
    title = text_value(item, "title", "menu", lines, line, _EXAMPLE, required=True)
    url = text_value(item, "url", "menu", lines, line, _EXAMPLE)
    items: tuple[MenuEntry, ...] = ()
    if "items" in item:
        if not top:
            raise ConfigError(
                f'mục "{title}" đã ở tầng thứ hai: menu chỉ có hai tầng',
                line=lines.get("items", line),
                hint="chuyển các mục này lên tầng thứ hai, ngay dưới một mục của tầng đầu",
            )
        items = _entries(item["items"], lines.get("items", line), problems, top=False)
    elif not url:
        raise ConfigError(
            f'mục "{title}" cần url: (địa chỉ trang) hoặc items: (các mục con)', line=line, hint=_EXAMPLE
        )
    if url:
        url = _as_folder(check_url(title, url, lines.get("url", line)))
    return MenuEntry(title, url, items, lines.get("url", line))


def _as_folder(url: str) -> str:
    """`/gioi-thieu` as the page's own address, `/gioi-thieu/` (as static hosts answer it), so
    that the entry is marked on it; a file's address (`/so-do.pdf`) as it is."""
    if url.startswith("/") and not url.endswith("/") and "." not in url.rsplit("/", 1)[-1]:
        return url + "/"
    return url
