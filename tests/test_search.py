"""The search index: what it holds, when it is made, and what happens when it cannot be."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

import newsgen.outputs.search
from conftest import SiteDir, snapshot
from newsgen import build
from newsgen.errors import BuildFailed, OutputError


def indexed(output: Path) -> dict[str, dict[str, object]]:
    """The index's pages by address, as Pagefind's fragments hold them."""
    pages = {}
    for fragment in (output / "pagefind/fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data
    return pages


@pytest.fixture
def news(site: SiteDir) -> SiteDir:
    site.article("ky-ket", "Các tỉnh ký kết giao ước thi đua.\n", title="Ký kết", provinces=["Điện Biên"])
    site.article("nhap", "Bản nháp chưa đăng.\n", title="Nháp", draft=True)
    site.article("hen-gio", "Bài hẹn giờ.\n", title="Hẹn giờ", date="2099-01-01 08:00")
    return site


def test_published_articles_are_indexed_and_held_back_ones_are_not(news: SiteDir) -> None:
    assert news.build().code == 0
    pages = indexed(news.build_dir)
    assert list(pages) == ["/2023/02/ky-ket/"]
    page = pages["/2023/02/ky-ket/"]
    assert "giao ước thi đua" in str(page["content"])
    assert page["meta"] == {"title": "Ký kết", "date": "20/02/2023", "provinces": "Điện Biên"}
    assert page["filters"] == {"tinh": ["Điện Biên"]}
    search_page = news.page("tim-kiem/index.html")
    assert 'data-index="/pagefind/pagefind.js"' in search_page and "<option>Điện Biên</option>" in search_page
    assert 'action="/tim-kiem/"' in news.page("index.html")  # the header's search box


def test_an_edit_is_found_after_the_next_build(news: SiteDir) -> None:
    assert news.build().code == 0
    news.article("ky-ket", "Nội dung mới về chuyển đổi số.\n", title="Ký kết", provinces=["Điện Biên"])
    assert news.build().code == 0
    assert "chuyển đổi số" in str(indexed(news.build_dir)["/2023/02/ky-ket/"]["content"])


def test_search_can_be_turned_off(news: SiteDir) -> None:
    assert news.build().code == 0
    news.config("search: false\n")
    assert news.build().code == 0
    assert not (news.build_dir / "pagefind").exists() and not (news.build_dir / "tim-kiem").exists()
    home = news.page("index.html")
    assert "tim-kiem" not in home and "Tìm kiếm" not in home


def test_a_site_without_articles_has_a_search_page_and_no_index(site: SiteDir) -> None:
    assert site.build().code == 0
    assert not (site.build_dir / "pagefind").exists()
    assert 'data-index=""' in site.page("tim-kiem/index.html")


def test_an_index_that_cannot_be_made_fails_the_build_and_keeps_the_last(
    news: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert news.build().code == 0
    sources, before = snapshot(news.root / "content"), snapshot(news.build_dir)
    news.article("ky-ket", "Sửa.\n", title="Ký kết", provinces=["Điện Biên"])
    edited = snapshot(news.root / "content")
    fail = ["python", "-c", "import sys; sys.exit('ổ đĩa đầy')"]
    monkeypatch.setattr(newsgen.outputs.search, "PAGEFIND", fail)
    for full in (False, True):  # an edit's short way, and a full build
        if full:
            news.write("templates/404.html", '{% extends "theme/404.html" %}')
        with pytest.raises((BuildFailed, OutputError)) as failed:
            build(news.root)
        message = str(failed.value.problems[0] if isinstance(failed.value, BuildFailed) else failed.value)
        assert "không tạo được chỉ mục tìm kiếm (Pagefind: ổ đĩa đầy)" in message
        assert snapshot(news.build_dir) == before
    assert snapshot(news.root / "content") == edited != sources


def test_an_address_one_article_leaves_and_another_takes_stays_indexed(site: SiteDir) -> None:
    site.article("moi", "Lịch công tác tuần mới.\n", title="Lịch mới", slug="lich-cong-tac-moi")
    site.article("cu", "Lịch công tác tuần trước.\n", title="Lịch cũ", slug="lich-cong-tac")
    assert site.build().code == 0
    site.article("moi", "Lịch công tác tuần mới.\n", title="Lịch mới", slug="lich-cong-tac")
    site.article("cu", "Lịch công tác tuần trước.\n", title="Lịch cũ", slug="lich-cong-tac-cu")
    assert site.build().code == 0
    titles = {url: page["meta"]["title"] for url, page in indexed(site.build_dir).items()}  # type: ignore[index]
    assert titles == {"/2023/02/lich-cong-tac/": "Lịch mới", "/2023/02/lich-cong-tac-cu/": "Lịch cũ"}


def test_an_index_lost_from_the_cache_is_made_again(news: SiteDir) -> None:
    assert news.build().code == 0
    shutil.rmtree(news.root / ".newsgen-cache/search.index/bundle")
    news.config("site_name: Tin mới\n")  # a full build, no article changed
    assert news.build().code == 0
    assert list(indexed(news.build_dir)) == ["/2023/02/ky-ket/"]
