"""Pages that are not news: Markdown files under content/pages/ (Giới thiệu, Liên hệ)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SiteDir, fails_and_keeps_everything


def page(site: SiteDir, name: str, body: str = "Nội dung trang.\n", **fields: str) -> None:
    front = "".join(f"{key}: {value}\n" for key, value in fields.items())
    site.write(f"content/pages/{name}", f"---\n{front}---\n{body}")


@pytest.fixture
def portal(site: SiteDir) -> SiteDir:
    site.config("base_url: https://so.example.gov.vn/\ncontact:\n  phone: 0215 3825 000\n")
    site.article("tin", provinces=["Sơn La"])
    page(site, "gioi-thieu/index.md", title="Giới thiệu")
    page(site, "gioi-thieu/Cơ cấu tổ chức.md", "Lãnh đạo Sở.\n", title="Cơ cấu tổ chức", updated="2026-03-01")
    page(site, "lien-he.md", "Gửi thư cho Ban biên tập.\n", title="Liên hệ", template="contact.html")
    page(site, "so-do.md", title="Sơ đồ cổng", url="/ban-do-trang")
    assert site.build().code == 0
    return site


def test_each_page_is_at_its_own_address_with_its_section_in_the_breadcrumb(portal: SiteDir) -> None:
    html = portal.page("gioi-thieu/co-cau-to-chuc/index.html")
    assert "<h1>Cơ cấu tổ chức</h1>" in html and "<p>Lãnh đạo Sở.</p>" in html
    crumbs = html.split('<nav class="breadcrumb"')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]*)">([^<]*)<', crumbs) == [
        ("/", "Trang chủ"),
        ("/gioi-thieu/", "Giới thiệu"),
    ]
    assert '<time datetime="2026-03-01T00:00:00+07:00">' in html
    assert "<h1>Giới thiệu</h1>" in portal.page("gioi-thieu/index.html")
    assert "<h1>Sơ đồ cổng</h1>" in portal.page("ban-do-trang/index.html")  # its url:, as a folder
    assert not (portal.build_dir / "so-do").exists()


def test_a_page_chooses_its_template(portal: SiteDir) -> None:
    html = portal.page("lien-he/index.html")
    details, after = html.split('<dl class="contact-details">')[1].split("</dl>", 1)
    assert '<a href="tel:02153825000">0215 3825 000</a>' in details
    assert "<p>Gửi thư cho Ban biên tập.</p>" in after


def test_pages_are_in_the_sitemap_and_in_no_list_of_news(portal: SiteDir) -> None:
    sitemap = portal.page("sitemap.xml")
    assert (
        "<loc>https://so.example.gov.vn/gioi-thieu/co-cau-to-chuc/</loc><lastmod>2026-03-01T00:00:00+07:00"
        in sitemap
    )
    assert "<loc>https://so.example.gov.vn/lien-he/</loc>" in sitemap
    for listing in ("index.html", "tin-tuc/index.html", "feed.xml", "atom.xml", "luu-tru/index.html"):
        text = portal.page(listing)
        assert "Tin" in text and "Cơ cấu tổ chức" not in text and "lien-he" not in text.split("<main")[-1], (
            listing
        )
    assert not (portal.build_dir / "luu-tru/1970").exists()  # a page's missing date is not a month
    shards = list((portal.build_dir / "tim-kiem/chi-muc").rglob("*.json"))
    assert shards and all("Cơ cấu tổ chức" not in json.dumps(json.loads(path.read_text())) for path in shards)


def test_a_page_needs_no_date_but_a_title(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    page(site, "lien-he.md", date="2023-02-30")
    err = fails_and_keeps_everything(site)
    assert "content/pages/lien-he.md:1: thiếu tiêu đề (title)" in err
    assert "content/pages/lien-he.md:2: date:" in err  # what it says is still checked


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"title": "A", "url": "lien-he/"},
            'content/pages/a.md:3: url: "lien-he/" phải bắt đầu bằng một dấu /',
        ),
        ({"title": "A", "url": "/a/../b/"}, 'content/pages/a.md:3: url: "/a/../b/" không được chứa'),
        ({"title": "A", "url": "/a//b/"}, 'content/pages/a.md:3: url: "/a//b/" không được chứa'),
        (
            {"title": "A", "url": "/gi%E1%BB%9Bi/"},
            'content/pages/a.md:3: url: "/gi%E1%BB%9Bi/" không được chứa',
        ),
        (
            {"title": "A", "date": "2023-02-20"},
            "content/pages/a.md:3: date: trang (trong content/pages/) không dùng",
        ),
        ({"title": "A", "slug": "b"}, "content/pages/a.md:3: slug: trang (trong content/pages/) không dùng"),
        (
            {"title": "A", "template": "lienhe"},
            'content/pages/a.md:3: template: "lienhe" phải là tên một tệp .html',
        ),
        (
            {"title": "A", "templte": "contact.html"},
            'content/pages/a.md:3: templte: khóa này không có trong newsgen — có phải "template"?',
        ),
        (
            {"title": "A", "template": "lien-he.html"},
            'content/pages/a.md:3: không có template "lien-he.html" trong templates/ hay trong giao diện',
        ),
    ],
)
def test_a_mistake_in_a_page_is_named_with_its_line_and_loses_nothing(
    site: SiteDir, fields: dict[str, str], message: str
) -> None:
    site.article("a")
    assert site.build().code == 0
    page(site, "a.md", **fields)
    err = fails_and_keeps_everything(site)
    assert message in err, err


def test_a_page_and_an_article_at_one_address_are_both_named(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    page(site, "trung.md", title="Trùng", url="/2023/02/a/")
    err = fails_and_keeps_everything(site)
    assert "content/pages/trung.md và content/a.md cùng ghi vào tệp 2023/02/a/index.html" in err, err
    page(site, "trung.md", title="Trùng", url="/tin-tuc/")
    err = fails_and_keeps_everything(site)
    assert "content/pages/trung.md và trang tin tức cùng ghi vào tệp tin-tuc/index.html" in err, err


def test_a_file_name_without_letters_asks_for_an_address(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    page(site, "!!!.md", title="Trang")
    err = fails_and_keeps_everything(site)
    assert "content/pages/!!!.md:1: tên tệp hay thư mục !!!.md không có chữ hoặc số" in err
    assert "url: /dia-chi-trang/" in err


def test_a_broken_link_in_a_page_is_named_with_its_line(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    page(site, "a.md", "Xem\n[trang cũ](/khong-co/).\n", title="A")
    err = fails_and_keeps_everything(site)
    assert "content/pages/a.md:5: liên kết /khong-co/ không dẫn tới" in err, err


def test_a_draft_page_waits_for_drafts(site: SiteDir) -> None:
    site.article("a")
    page(site, "a.md", title="A", draft="true")
    assert site.build().code == 0 and not (site.build_dir / "a").exists()
    assert site.build("--drafts").code == 0 and (site.build_dir / "a/index.html").exists()


def test_an_edited_page_shows_in_its_section_and_a_page_under_a_sub_path(site: SiteDir) -> None:
    site.config("base_url: https://tinh.example.gov.vn/so-tttt/\n")
    site.article("a")
    page(site, "gioi-thieu/index.md", title="Giới thiệu")
    page(site, "gioi-thieu/lanh-dao.md", "Xem [giới thiệu](/gioi-thieu/).\n", title="Lãnh đạo")
    assert site.build().code == 0
    html = site.page("gioi-thieu/lanh-dao/index.html")
    assert '<a href="/so-tttt/gioi-thieu/">Giới thiệu</a>' in html  # breadcrumb and body link
    assert 'Xem <a href="/so-tttt/gioi-thieu/">giới thiệu</a>' in html
    page(site, "gioi-thieu/index.md", title="Giới thiệu chung")
    assert site.build().code == 0
    assert '<a href="/so-tttt/gioi-thieu/">Giới thiệu chung</a>' in site.page(
        "gioi-thieu/lanh-dao/index.html"
    )


def test_a_page_may_take_the_theme_s_own_template(site: SiteDir) -> None:
    site.write("templates/page.html", '{% extends "theme/page.html" %}{% block title %}Riêng{% endblock %}')
    page(site, "a.md", title="A", template="theme/page.html")
    page(site, "b.md", title="B")
    assert site.build().code == 0
    assert "<title>Riêng</title>" in site.page("b/index.html")
    assert "<title>A – Tin tức</title>" in site.page("a/index.html")
