"""`menu:` in newsgen.yaml: the main menu, two levels, the current page's entry and its section's marked."""

from __future__ import annotations

import re

import pytest

from conftest import SiteDir, fails_and_keeps_everything

MENU = """base_url: https://so.example.gov.vn/so-tttt/
menu:
  - title: Trang chủ
    url: /
  - title: Giới thiệu
    url: /gioi-thieu/
    items:
      - title: Cơ cấu tổ chức
        url: /gioi-thieu/co-cau      # the page's folder: its own entry all the same
  - title: Tin tức
    url: /tin-tuc/
  - title: Các tỉnh
    items:
      - title: Sơn La
        url: /tinh/son-la/
  - title: Cổng Dịch vụ công
    url: https://dichvucong.gov.vn
"""


def menu_of(html: str) -> str:
    return html.split('<ul id="menu-items">')[1].split("</nav>")[0]


def marked(html: str) -> list[tuple[str, str]]:
    """The menu's links with an aria-current, and its value."""
    return re.findall(r'<a href="([^"]*)" aria-current="(\w+)"', menu_of(html))


@pytest.fixture
def portal(site: SiteDir) -> SiteDir:
    site.config(MENU)
    site.article("a", provinces=["Sơn La"])
    site.write("content/pages/gioi-thieu/index.md", "---\ntitle: Giới thiệu\n---\nA.\n")
    site.write("content/pages/gioi-thieu/co-cau.md", "---\ntitle: Cơ cấu tổ chức\n---\nB.\n")
    assert site.build().code == 0
    return site


def test_the_menu_has_its_two_levels_under_the_base_path(portal: SiteDir) -> None:
    menu = menu_of(portal.page("index.html"))
    assert re.findall(r'<a href="([^"]*)"', menu) == [
        "/so-tttt/",
        "/so-tttt/gioi-thieu/",  # the entry's own page, first of its items
        "/so-tttt/gioi-thieu/co-cau/",
        "/so-tttt/tin-tuc/",
        "/so-tttt/tinh/son-la/",
        "https://dichvucong.gov.vn",
    ]
    assert re.findall(r"<summary>([^<]*)</summary>", menu) == ["Giới thiệu", "Các tỉnh"]
    assert (
        '<a href="https://dichvucong.gov.vn" rel="noopener">Cổng Dịch vụ công'
        '<span class="visually-hidden"> (mở trang web khác)</span></a>'
    ) in menu


@pytest.mark.parametrize(
    ("page", "expected", "open_section"),
    [
        ("index.html", [("/so-tttt/", "page")], None),
        ("gioi-thieu/index.html", [("/so-tttt/gioi-thieu/", "page")], "Giới thiệu"),
        ("gioi-thieu/co-cau/index.html", [("/so-tttt/gioi-thieu/co-cau/", "page")], "Giới thiệu"),
        ("2023/02/a/index.html", [("/so-tttt/tin-tuc/", "true")], None),  # an article: Tin tức
        ("tin-tuc/index.html", [("/so-tttt/tin-tuc/", "page")], None),
        ("tinh/son-la/index.html", [("/so-tttt/tinh/son-la/", "page")], "Các tỉnh"),
        ("luu-tru/index.html", [], None),
    ],
)
def test_the_entry_of_the_page_and_of_its_section_is_marked(
    portal: SiteDir, page: str, expected: list[tuple[str, str]], open_section: str | None
) -> None:
    html = portal.page(page)
    assert marked(html) == expected
    current = re.findall(r'<details class="current">\s*<summary aria-current="true">([^<]*)<', menu_of(html))
    assert current == ([open_section] if open_section else [])


def test_without_a_menu_the_theme_s_own(site: SiteDir) -> None:
    site.article("a", provinces=["Sơn La"])
    assert site.build().code == 0
    menu = menu_of(site.page("tinh/son-la/index.html"))
    assert re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)<', menu) == [
        ("/", "Trang chủ"),
        ("/tin-tuc/", "Tin tức"),
        ("/tinh/", "Các tỉnh"),
        ("/chu-de/", "Chủ đề thi đua"),
        ("/luu-tru/", "Lưu trữ"),
        ("/tim-kiem/", "Tìm kiếm"),
    ]
    assert marked(site.page("tinh/son-la/index.html")) == [("/tinh/", "true")]
    assert marked(site.page("index.html")) == [("/", "page")]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("menu: Trang chủ\n", 'newsgen.yaml:1: giá trị của "menu" phải là một danh sách'),
        (
            "menu:\n  - title: A\n    ulr: /\n",
            'newsgen.yaml:3: khóa "ulr" không dùng được trong menu — có phải "url"?',
        ),
        (
            "menu:\n  - title: A\n",
            'newsgen.yaml:2: mục "A" cần url: (địa chỉ trang) hoặc items: (các mục con)',
        ),
        ("menu:\n  - url: /\n", 'newsgen.yaml:2: menu: "title" phải là một chuỗi văn bản không để trống'),
        ("menu:\n  - title: A\n    url: tin-tuc\n", 'newsgen.yaml:3: url của "A" phải bắt đầu bằng https://'),
        (
            "menu:\n  - title: A\n    items:\n      - title: B\n        items: [{title: C, url: /}]\n",
            'newsgen.yaml:5: mục "B" đã ở tầng thứ hai: menu chỉ có hai tầng',
        ),
        (
            "menu:\n  - title: A\n    items:\n      - title: B\n        url: /khong-co/\n",
            'newsgen.yaml:5: mục "B" của menu /khong-co/ không dẫn tới tệp nào của trang web',
        ),
    ],
)
def test_a_mistake_in_the_menu_is_named_with_its_line_and_loses_nothing(
    site: SiteDir, written: str, message: str
) -> None:
    site.article("a")
    assert site.build().code == 0
    site.config(written)
    err = fails_and_keeps_everything(site)
    assert message in err, err
