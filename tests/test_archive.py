"""Lưu trữ: a page per year and per month, reachable from the navigation and each article's date."""

from __future__ import annotations

import re

from conftest import SiteDir


def titles_on(page: str) -> list[str]:
    return re.findall(r'<h3 class="item-title"><a href="[^"]+">([^<]+)</a>', page)


def test_years_and_months_each_have_a_page(site: SiteDir) -> None:
    site.config("per_page: 2\n")
    site.article("a", title="Bài tháng Hai", date="2023-02-10")
    site.article("b", title="Bài cuối tháng Hai", date="2023-02-20")
    site.article("c", title="Bài đầu tháng Hai", date="2023-02-01")
    site.article("d", title="Bài năm trước", date="2022-11-05")
    # 20:00 on 28 February in UTC is already 1 March in Vietnam
    site.article("e", title="Bài nửa đêm", date="2023-02-28T20:00:00Z")
    assert site.build().code == 0

    index = site.page("luu-tru/index.html")
    assert "<h1>Lưu trữ</h1>" in index
    assert index.index("Năm 2023") < index.index("Năm 2022")  # newest first
    assert '<a href="/luu-tru/2023/03/">Tháng 3/2023</a> <span class="count">1 bài</span>' in index
    assert '<a href="/luu-tru/2023/02/">Tháng 2/2023</a> <span class="count">3 bài</span>' in index

    year = site.page("luu-tru/2023/index.html")
    assert "<h1>Năm 2023</h1>" in year and "<p>4 bài viết.</p>" in year

    february = site.page("luu-tru/2023/02/index.html")
    assert "<h1>Tháng 2/2023</h1>" in february and '<a href="/luu-tru/2023/">Năm 2023</a>' in february
    assert titles_on(february) == ["Bài cuối tháng Hai", "Bài tháng Hai"]
    assert titles_on(site.page("luu-tru/2023/02/trang/2/index.html")) == ["Bài đầu tháng Hai"]
    assert titles_on(site.page("luu-tru/2023/03/index.html")) == ["Bài nửa đêm"]


def test_the_navigation_and_each_articles_date_lead_to_the_archive(site: SiteDir) -> None:
    site.article("a", title="Bài A", date="2023-02-10 08:30")
    assert site.build().code == 0
    assert '<li><a href="/luu-tru/">Lưu trữ</a></li>' in site.page("index.html")
    assert '<a class="date" href="/luu-tru/2023/02/"' in site.page("2023/02/bai-a/index.html")
    assert 'aria-current="page">Lưu trữ</a>' in site.page("luu-tru/index.html")


def test_an_empty_site_has_an_empty_archive(site: SiteDir) -> None:
    assert site.build().code == 0
    assert "Chưa có bài viết nào." in site.page("luu-tru/index.html")
