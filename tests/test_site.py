"""The built site: terms and their pages, order, drafts, escaping, pagination, templates."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

import newsgen
from conftest import SiteDir, photo
from newsgen import build
from newsgen.config.settings import Config
from newsgen.outputs import assets
from newsgen.site.model import TAXONOMY_KINDS


def main_of(page: str) -> str:
    """The <main> element of a page, without the sidebar's latest-news list."""
    return page[page.index("<main") : page.index("</main>")]


SEVEN_SLUGS = ["son-la", "lai-chau", "dien-bien", "lao-cai", "ha-giang", "cao-bang", "lang-son"]


def test_every_province_has_a_page_even_without_articles(site: SiteDir) -> None:
    site.article("a", provinces=["Sơn La"])
    site.build()
    for slug in SEVEN_SLUGS:
        assert (site.build_dir / f"tinh/{slug}/index.html").is_file()
    assert "Chưa có bài viết nào về Cao Bằng." in site.page("tinh/cao-bang/index.html")


def test_province_list_is_in_vietnamese_order_with_counts(site: SiteDir) -> None:
    site.article("a", provinces=["Lào Cai", "Điện Biên"])
    site.article("b", provinces=["Điện Biên"])
    site.build()
    page = site.page("tinh/index.html")
    names = re.findall(
        r'<a href="/tinh/[a-z-]+/">([^<]+)</a>( <span class="former">[^<]+</span>)?'
        r'\s*<span class="count">(\d+) bài',
        page,
    )
    former = ' <span class="former">(tên dùng đến 30/06/2025)</span>'
    assert names == [  # today's provinces, then the former ones (1/7/2025), each list in Vietnamese order
        ("Cao Bằng", "", "0"),
        ("Điện Biên", "", "2"),
        ("Lai Châu", "", "0"),
        ("Lạng Sơn", "", "0"),
        ("Lào Cai", "", "1"),
        ("Sơn La", "", "0"),
        ("Tuyên Quang", "", "0"),
        ("Hà Giang", former, "0"),
        ("Yên Bái", former, "0"),
    ]


def test_nfd_lowercase_and_alias_land_on_one_province_page(site: SiteDir) -> None:
    site.config("provinces:\n  - name: Điện Biên\n    aliases: [Mường Thanh]\n  - name: Sơn La\n")
    site.article("a", title="Bài NFD", provinces=[unicodedata.normalize("NFD", "Điện Biên")])
    site.article("b", title="Bài chữ thường", provinces=["điện biên"])
    site.article("c", title="Bài tên khác", provinces=["Mường Thanh", "Điện Biên"])
    site.article("d", title="Bài chữ eth", provinces=["\u00d0iện Biên"])
    assert site.build().code == 0
    page = site.page("tinh/dien-bien/index.html")
    for title in ("Bài NFD", "Bài chữ thường", "Bài tên khác", "Bài chữ eth"):
        assert title in page
    assert sorted(p.name for p in (site.build_dir / "tinh").iterdir()) == [
        "dien-bien",
        "index.html",
        "son-la",
    ]
    article = site.page("2023/02/bai-ten-khac/index.html")
    assert article.count('class="tag" href="/tinh/dien-bien/"') == 1  # the alias did not add a second tag


def test_pinned_slugs_and_descriptions_from_config(site: SiteDir) -> None:
    site.config(
        "provinces:\n  - name: Hà Giang\n    slug: hagiang\n    note: Từ 1/7/2025 thuộc tỉnh Tuyên Quang.\n"
        "themes:\n  - name: Chuyển đổi số\n    slug: cds\n    description: Đi đầu chuyển đổi số.\n"
    )
    site.article("a", provinces=["Hà Giang"], themes=["chuyển đổi số"])
    site.build()
    assert "Từ 1/7/2025 thuộc tỉnh Tuyên Quang." in site.page("tinh/hagiang/index.html")
    assert "Đi đầu chuyển đổi số." in site.page("chu-de/cds/index.html")
    assert not (site.build_dir / "tinh/son-la").exists()


def test_open_themes_group_by_vietnamese_key_and_sort(site: SiteDir) -> None:
    site.article("a", title="A", themes=["Xây dựng nông thôn mới"])
    site.article("b", title="B", themes=["xây dựng NÔNG THÔN mới", "Cải cách hành chính"])
    site.article("c", title="C", themes=["Đổi mới sáng tạo"])
    site.build()
    page = site.page("chu-de/index.html")
    names = re.findall(r'<a href="/chu-de/([a-z-]+)/">', page)
    assert names == ["cai-cach-hanh-chinh", "doi-moi-sang-tao", "xay-dung-nong-thon-moi"]
    assert "2 bài viết" in page


def test_both_tone_placements_are_one_theme_open_or_closed(site: SiteDir) -> None:
    site.article("a", title="A", themes=["Văn hoá số"])  # the first spelling names the page
    site.article("b", title="B", themes=["văn hóa số"], date="2023-02-21 08:00")
    assert site.build().code == 0
    page = site.page("chu-de/index.html")
    assert re.findall(r'<a href="/chu-de/([a-z-]+)/">', page) == ["van-hoa-so"] and "2 bài viết" in page
    site.config("themes:\n  - name: Văn hóa số\n    aliases: [Chuyển đổi số văn hoá]\n")
    site.article("c", title="C", themes=["VĂN HOÁ SỐ", "Chuyển đổi số văn hóa"])
    built = site.build()
    assert built.code == 0, built.err
    assert "3 bài viết" in site.page("chu-de/index.html")
    assert ">Văn hóa số</a>" in site.page("2023/02/c/index.html")  # as the vocabulary spells it
    site.config("themes:\n  - name: Văn hóa số\n  - name: Văn hoá số\n")
    assert "trùng tên" in site.build().err  # one theme listed twice


def test_names_typed_without_marks_are_the_one_term_they_fold_to(site: SiteDir) -> None:
    site.article("a", title="A", provinces=["dien bien"], themes=["Chuyen doi so"])  # first by path
    site.article("b", title="B", provinces=["Điện Biên"], themes=["Chuyển đổi số"], date="2023-02-21")
    site.article("c", title="C", provinces=["Lao Cai"], themes=["chuyen doi SO"], date="2023-02-22")
    assert site.build().code == 0
    themes = site.page("chu-de/index.html")
    assert re.findall(r'<a href="/chu-de/([a-z-]+)/">([^<]+)</a>', themes) == [
        ("chuyen-doi-so", "Chuyển đổi số")
    ]
    assert "3 bài viết" in themes and ">Lào Cai</a>" in site.page("2023/02/c/index.html")
    site.article("d", title="D", provinces=["Điên Biên"])  # a wrong mark is not the province
    assert 'tỉnh "Điên Biên" không có trong danh sách — có phải "Điện Biên"?' in site.build().err


def test_articles_newest_first_and_paginated(site: SiteDir) -> None:
    site.config("per_page: 2\n")
    for day in range(1, 6):
        site.article(
            f"bai-{day}", title=f"Bài ngày {day}", date=f"2023-03-0{day} 09:00", provinces=["Sơn La"]
        )
    site.build()
    news = main_of(site.page("tin-tuc/index.html"))
    assert news.index("Bài ngày 5") < news.index("Bài ngày 4")
    assert "Bài ngày 3" not in news
    assert 'href="/tin-tuc/trang/2/">Trang sau →' in news and "Trang 1/3" in news
    page3 = main_of(site.page("tin-tuc/trang/3/index.html"))
    assert (
        "Bài ngày 1" in page3
        and 'href="/tin-tuc/trang/2/">← Trang trước' in page3
        and "Trang sau" not in page3
    )
    assert "Bài ngày 1" in main_of(site.page("tinh/son-la/trang/3/index.html"))
    assert not (site.build_dir / "tin-tuc/trang/1").exists()


def test_the_home_page_leads_with_the_newest_and_has_a_block_for_each_province(site: SiteDir) -> None:
    for day in range(1, 8):
        site.article(
            f"bai-{day}", title=f"Bài ngày {day}", date=f"2023-03-0{day} 09:00", provinces=["Sơn La"]
        )
    site.article("lai-chau", title="Tin Lai Châu", date="2023-01-01 09:00", provinces=["Lai Châu"])
    site.article("khong-tinh", title="Tin chung", date="2023-01-02 09:00")
    site.build()
    home = main_of(site.page("index.html"))
    lead, rest = home.split('<h2 id="tin-moi"', 1)
    assert "Bài ngày 7" in lead and "Bài ngày 6" not in lead
    latest, blocks = rest.split('class="province-blocks"', 1)
    assert [f"Bài ngày {day}" in latest for day in range(6, 0, -1)] == [True] * 6
    assert "Tin chung" in latest and 'href="/tin-tuc/">Xem tất cả tin tức' in latest
    lai_chau, son_la = blocks.split('id="tinh-son-la"')
    assert "Tin Lai Châu" in lai_chau and "Bài ngày" not in lai_chau  # Vietnamese order: L before S
    assert [f"Bài ngày {day}" in son_la for day in (7, 6, 5, 4, 3)] == [True, True, True, True, False]
    assert "tinh-dien-bien" not in blocks  # a province with no articles has no block


def test_drafts_and_future_articles_are_left_out_unless_asked(site: SiteDir) -> None:
    site.article("nhap", title="Bản nháp bí mật", draft=True)
    site.article("sau", title="Bài hẹn giờ", date="2999-01-01 08:00")
    site.article("a", title="Bài đã đăng")
    result = site.build()
    assert "Lưu ý: content/sau.md:3: bài hẹn giờ, sẽ lên trang từ Thứ Ba, 01/01/2999 08:00" in result.err
    assert "kiểm tra lại năm trong date:" in result.err
    home = site.page("index.html")
    assert "Bài đã đăng" in home and "Bản nháp bí mật" not in home and "Bài hẹn giờ" not in home
    assert not (site.build_dir / "2023/02/ban-nhap-bi-mat").exists()
    summary = (
        "Chưa đăng: 1 bản nháp, 1 bài hẹn giờ (bài hẹn giờ sớm nhất lên trang lúc Thứ Ba, 01/01/2999 08:00"
    )
    assert summary in result.out
    drafts = site.build("--drafts")
    assert '<span class="draft">Bản nháp</span>' in site.page("2023/02/ban-nhap-bi-mat/index.html")
    assert not (site.build_dir / "2999/01/bai-hen-gio").exists()
    assert "Chưa đăng: 1 bài hẹn giờ (" in drafts.out
    both = site.build("--drafts", "--future")
    assert (site.build_dir / "2999/01/bai-hen-gio/index.html").is_file()
    assert "Chưa đăng" not in both.out and "bài hẹn giờ" not in both.err


def test_future_includes_scheduled_articles_but_not_drafts(site: SiteDir) -> None:
    site.article("nhap", title="Nháp", draft=True)
    site.article("sau", title="Hẹn giờ", date="2999-01-01 08:00")
    result = site.build("--future")
    assert "Chưa đăng: 1 bản nháp." in result.out
    assert (site.build_dir / "2999/01/hen-gio/index.html").is_file()
    assert not (site.build_dir / "2023/02/nhap").exists()


def test_scheduled_article_appears_once_its_time_comes(site: SiteDir) -> None:
    site.article("a", title="Hẹn giờ", date="2030-01-01 08:00")  # 01:00 UTC
    before = datetime(2030, 1, 1, 0, 59, tzinfo=UTC)
    after = datetime(2030, 1, 1, 1, 0, tzinfo=UTC)
    assert build(site.root, now=before).articles == 0
    assert build(site.root, now=after).articles == 1


HOSTILE = "<script>alert(1)</script> \"Điện Biên\" & 'Sơn La'"


def test_hostile_title_is_text_everywhere(site: SiteDir) -> None:
    site.write("static/x.jpg", photo())
    site.article(
        "a",
        title=HOSTILE,
        summary=HOSTILE,
        author=HOSTILE,
        image="/x.jpg",
        image_alt=HOSTILE,
        image_caption=HOSTILE,
        provinces=["Sơn La"],
        themes=[HOSTILE],
    )
    assert site.build().code == 0
    for path in site.build_dir.rglob("*.html"):
        assert "<script>alert(1)</script>" not in path.read_text(encoding="utf-8"), path
    page = site.page("2023/02/script-alert-1-script-dien-bien-son-la/index.html")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &#34;Điện Biên&#34; &amp; &#39;Sơn La&#39;" in page
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt; &#34;Điện Biên&#34; &amp; &#39;Sơn La&#39;"' in page
    assert 'content="&lt;script&gt;alert(1)&lt;/script&gt; &#34;Điện Biên&#34;' in page


def test_layout_has_lang_vi_and_a_visit_stats_slot(site: SiteDir) -> None:
    site.write(
        "templates/base.html",
        '{% extends "theme/base.html" %}'
        '{% block visit_stats %}<div id="thong-ke">Thống kê truy cập</div>{% endblock %}',
    )
    site.article("a")
    site.build()
    home = site.page("index.html")
    assert '<html lang="vi">' in home
    assert '<div id="thong-ke">Thống kê truy cập</div>' in home
    assert '<div id="thong-ke">' in site.page("404.html")


def test_site_template_overrides_theme_template_by_name(site: SiteDir) -> None:
    site.write("templates/404.html", "<p>Trang riêng của tỉnh</p>")
    site.article("a")
    site.build()
    assert site.page("404.html") == "<p>Trang riêng của tỉnh</p>"
    assert "Trang chủ" in site.page("index.html")  # the others still come from the theme


def test_static_files_but_photos_are_copied_as_they_are(site: SiteDir) -> None:
    site.write("static/van-ban/quyet-dinh.pdf", b"%PDF-1.7 bytes")
    site.write("static/images/bieu-do.gif", b"GIF89a bytes")
    site.write("static/robots.txt", "User-agent: *\n")
    site.write("static/.DS_Store", b"junk")
    site.article("a")
    site.build()
    assert (site.build_dir / "van-ban/quyet-dinh.pdf").read_bytes() == b"%PDF-1.7 bytes"
    assert (site.build_dir / "images/bieu-do.gif").read_bytes() == b"GIF89a bytes"
    assert (site.build_dir / "robots.txt").is_file()
    assert not (site.build_dir / ".DS_Store").exists()


def test_a_web_server_running_as_another_user_can_read_the_whole_output(site: SiteDir) -> None:
    site.article("a")
    old = os.umask(0o022)
    try:
        assert site.build().code == 0  # the first build: the output folder is made by newsgen
    finally:
        os.umask(old)
    for path in [site.build_dir, *site.build_dir.rglob("*")]:
        others = path.stat().st_mode & 0o007
        assert others == (0o005 if path.is_dir() else 0o004), (path, oct(others))


HASHED = r"\.[0-9a-f]{10}\."  # the content hash in an asset's published name


def test_the_themes_assets_are_published_under_names_that_change_with_their_content(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme_assets = tmp_path / "theme-static"
    shutil.copytree(assets.THEME_ASSETS, theme_assets)
    monkeypatch.setattr(assets, "THEME_ASSETS", theme_assets)
    site.article("a")
    assert site.build().code == 0
    published = sorted(path.name for path in (site.build_dir / "assets").iterdir())
    plain = sorted(path.name for path in theme_assets.iterdir())  # kept too, for pages cached before
    assert sorted(re.sub(HASHED, ".", name) for name in published) == sorted(plain * 2)
    style = next(name for name in published if re.fullmatch("style" + HASHED + "css", name))
    assert f'href="/assets/{style}"' in site.page("index.html")
    assert (site.build_dir / "assets" / style).read_bytes() == (theme_assets / "style.css").read_bytes()
    (theme_assets / "style.css").write_text("body { color: red }\n")
    assert site.build().code == 0
    assert not (site.build_dir / "assets" / style).exists()  # last version's file is gone
    newer = next(path.name for path in (site.build_dir / "assets").glob("style.*.css"))
    assert newer != style and f'href="/assets/{newer}"' in site.page("index.html")
    assert (site.build_dir / "assets/style.css").read_text() == "body { color: red }\n"


def test_a_template_asking_for_an_asset_the_theme_lacks_is_told_which_there_are(site: SiteDir) -> None:
    site.article("a")
    site.write("templates/404.html", "<link rel=stylesheet href=\"{{ asset_url('styles.css') }}\">")
    run = site.build()
    assert run.code == 1
    assert 'giao diện không có tệp "styles.css" (asset_url); các tệp có: counter.js' in run.err


def test_base_url_path_prefixes_every_link(site: SiteDir) -> None:
    site.write("static/images/a.jpg", photo())
    site.article("a", title="Bài A", provinces=["Sơn La"], image="/images/a.jpg")
    site.build("--base-url", "https://example.gov.vn/tin-tuc/")
    page = site.page("2023/02/bai-a/index.html")
    links = re.findall(r'(?:href|src|content)="((?:https://example.gov.vn)?/[^"#]*)"', page)
    under = ("/tin-tuc/", "https://example.gov.vn/tin-tuc/")
    assert links and all(link.startswith(under) for link in links), links
    assert (site.build_dir / "2023/02/bai-a/index.html").is_file()


def test_custom_permalink(site: SiteDir) -> None:
    site.config('permalink: "/tin/{year}/{month}/{day}/{slug}/"\n')
    site.article("a", title="Bài A", date="2023-02-05")
    site.build()
    assert (site.build_dir / "tin/2023/02/05/bai-a/index.html").is_file()
    assert 'href="/tin/2023/02/05/bai-a/"' in site.page("index.html")


def test_config_extra_reaches_templates(site: SiteDir) -> None:
    site.config("extra:\n  hotline: 0215 3825 123\n")
    site.write("templates/404.html", "{{ config.extra.hotline }}")
    site.article("a")
    site.build()
    assert site.page("404.html") == "0215 3825 123"


def test_rebuild_replaces_the_old_site_and_drops_removed_pages(site: SiteDir) -> None:
    old = site.article("cu", title="Bài cũ")
    site.build()
    old.unlink()
    site.article("moi", title="Bài mới")
    site.build()
    assert not (site.build_dir / "2023/02/bai-cu").exists()
    assert (site.build_dir / "2023/02/bai-moi/index.html").is_file()
    leftovers = sorted(p.name for p in site.root.iterdir())
    assert leftovers == [".newsgen-cache", "build", "content"]  # the spare is in the cache folder


def test_updated_date_is_shown(site: SiteDir) -> None:
    site.article("a", title="Bài A", date="2023-02-20 08:30", updated="2023-02-21 17:05")
    site.build()
    page = site.page("2023/02/bai-a/index.html")
    assert 'Cập nhật: <time datetime="2023-02-21T17:05:00+07:00">Thứ Ba, 21/02/2023 17:05</time>' in page


def test_site_time_zone_sets_dates_and_urls(site: SiteDir) -> None:
    site.config("timezone: Europe/Paris\n")
    site.article("a", title="Giao thừa", date="2023-01-31T23:30:00Z")  # 1 February in Paris
    site.build()
    page = site.page("2023/02/giao-thua/index.html")
    assert "Thứ Tư, 01/02/2023 00:30" in page


def test_configured_themes_get_pages_even_without_articles(site: SiteDir) -> None:
    site.config("themes:\n  - name: Thông tin cơ sở\n  - name: Cải cách hành chính\n")
    site.article("a")
    site.build()
    assert "Chưa có bài viết nào về Thông tin cơ sở." in site.page("chu-de/thong-tin-co-so/index.html")
    listing = site.page("chu-de/index.html")
    assert listing.index("Cải cách hành chính") < listing.index("Thông tin cơ sở")


def test_navigation_is_in_vietnamese_and_the_one_script_never_blocks(site: SiteDir) -> None:
    site.article("a", provinces=["Sơn La"])
    site.build()
    for path in site.build_dir.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        data_only = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", page)
        # JSON-LD for search engines is data, not a program; site.js only adds to what works without it
        scripts = ['<script src="/assets/site.js" defer>']
        if path.parent.name == "tim-kiem":  # and the search page's own
            scripts.append('<script src="/assets/search.js" defer>')
        assert [re.sub(HASHED, ".", tag) for tag in re.findall(r"<script[^>]*>", data_only)] == scripts, path
    home = site.page("index.html")
    for word in (">Trang chủ<", ">Tin tức<", ">Các tỉnh<", ">Chủ đề thi đua<", ">Lưu trữ<", ">Tìm kiếm<"):
        assert word in home


def test_article_item_renders_anything_a_template_gives_it(site: SiteDir) -> None:
    """Site articles are rendered once each; values a template makes are rendered every time."""
    site.article("a", title="Bài A")
    site.write(
        "templates/404.html",
        '{% for n in range(3) %}{{ article_item(namespace(title="Mục " ~ n, url="/", image="", draft=false,'
        " date=site.articles[0].date, provinces=[], summary='')) }}{% endfor %}",
    )
    assert site.build().code == 0
    page = site.page("404.html")
    assert all(f"Mục {n}" in page for n in range(3))


def test_the_footer_carries_the_contact_duties_of_a_government_site(site: SiteDir) -> None:
    site.config(
        "site_name: Cổng tin\ncontact:\n  owner: Sở Thông tin và Truyền thông\n"
        "  editor: Nguyễn Văn A\n  phone: 0215 3825 123\n  email: stttt@example.gov.vn\n"
    )
    site.article("a")
    assert site.build().code == 0
    footer = site.page("index.html").split('<footer class="site-footer">')[1]
    assert "<dt>Cơ quan chủ quản:</dt> <dd>Sở Thông tin và Truyền thông</dd>" in footer
    assert "<dt>Chịu trách nhiệm chính:</dt> <dd>Nguyễn Văn A</dd>" in footer
    assert '<a href="tel:02153825123">0215 3825 123</a>' in footer
    assert '<a href="mailto:stttt@example.gov.vn">' in footer and "Địa chỉ" not in footer
    assert "Ghi rõ nguồn “Cổng tin” khi phát hành lại thông tin từ trang này." in footer
    site.config("contact:\n  citation: Trích dẫn phải ghi nguồn.\n")
    assert site.build().code == 0
    footer = site.page("index.html").split('<footer class="site-footer">')[1]
    assert "Trích dẫn phải ghi nguồn." in footer and "footer-contact" not in footer


def test_the_header_shows_the_logo_and_the_footer_the_emc_badge_and_script(site: SiteDir) -> None:
    site.write("static/images/quoc-huy.png", photo("PNG", (500, 500)))
    site.config(
        "logo: /images/quoc-huy.png\nemc:\n  script: https://emc.example.vn/emc.js\n"
        "  badge_image: https://emc.example.vn/badge.png\n  badge_link: https://emc.example.vn/\n"
    )
    site.article("a")
    assert site.build().code == 0
    home = site.page("index.html")
    header, footer = home.split("</header>")[0], home.split('<footer class="site-footer">')[1]
    assert (  # made smaller, as every photo; loaded at once
        '<span class="logo"><picture><source type="image/webp" srcset="/images/quoc-huy.360.webp 360w,'
        ' /images/quoc-huy.500.webp 500w" sizes="(max-width: 540px) 44px, 64px">'
        '<img src="/images/quoc-huy.png" srcset="/images/quoc-huy.png 500w"'
        ' sizes="(max-width: 540px) 44px, 64px" width="500" height="500" alt="" decoding="async">'
    ) in header
    assert (
        '<a class="emc-badge" href="https://emc.example.vn/"><img src="https://emc.example.vn/badge.png"'
        in footer
    )
    assert '<script src="https://emc.example.vn/emc.js" defer></script>' in footer
    site.config("")
    assert site.build().code == 0
    assert "logo" not in site.page("index.html").split("</header>")[0] and "emc" not in site.page(
        "index.html"
    )


def test_share_links_load_nothing_until_clicked(site: SiteDir) -> None:
    site.config("base_url: https://tin.example.vn/\n")
    site.article("a", title="Ký kết giao ước")
    assert site.build().code == 0
    share = site.page("2023/02/ky-ket-giao-uoc/index.html").split('<div class="share">')[1].split("</div>")[0]
    address = "https%3A//tin.example.vn/2023/02/ky-ket-giao-uoc/"
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={address}"' in share
    assert share.count("hidden>") == 2  # Zalo and copy: buttons that site.js shows
    assert "<script" not in share and "<iframe" not in share
    site.config("base_url: /\n")  # no host: no address to share
    assert site.build().code == 0
    assert '<div class="share">' not in site.page("2023/02/ky-ket-giao-uoc/index.html")


THEME = Path(newsgen.__file__).parent / "theme"


def test_the_theme_takes_every_text_visitors_see_from_its_messages() -> None:
    """No Vietnamese words in the templates themselves; every key used exists, every key is used."""
    texts = Config(Path("."), Path("build")).messages.texts
    used: set[str] = set()
    for template in sorted((THEME / "templates").rglob("*.html")):
        source = re.sub(r"{#.*?#}", "", template.read_text(encoding="utf-8"), flags=re.S)
        used |= set(re.findall(r"""\bt\(["']([a-z0-9_]+)["']""", source))
        literal = re.sub(r"{{.*?}}|{%.*?%}", "", source, flags=re.S)
        words = [ch for ch in literal if unicodedata.category(ch).startswith("L") and not ch.isascii()]
        assert words == [], template.name
    code = "".join(path.read_text(encoding="utf-8") for path in THEME.parent.rglob("*.py"))
    used |= set(re.findall(r"""messages\.text\(\s*["']([a-z0-9_]+)["']""", code))
    used |= {key for pair in TAXONOMY_KINDS.values() for key in pair}
    assert used - set(texts) == set()
    assert set(texts) - used == set()


def test_a_site_changes_the_wording_in_its_config(site: SiteDir) -> None:
    site.config(
        "per_page: 1\nmessages:\n  news: Tin tức – Sự kiện\n  provinces: Địa phương\n"
        "  page_of: 'Trang {number} trên {count}'\n  latest_news: Mới cập nhật\n"
    )
    site.article("a", provinces=["Sơn La"])
    site.article("b", provinces=["Sơn La"], date="2023-02-21")
    assert site.build().code == 0
    news = site.page("tin-tuc/index.html")
    assert ">Tin tức – Sự kiện</a>" in news and ">Địa phương</a>" in news and "Mới cập nhật" in news
    assert "Trang 1 trên 2" in news and "Trang 1/2" not in news
    assert "<h1>Địa phương</h1>" in site.page("tinh/index.html")


def test_the_visit_statistics_block_waits_hidden_for_its_counter(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    assert "visit-stats" not in site.page("index.html")  # no counter, no block
    site.config("counter:\n  mode: newsgen\n  endpoint: /thong-ke\n")
    assert site.build().code == 0
    sidebar = site.page("index.html").split('<aside class="sidebar"')[1].split("</aside>")[0]
    assert 'data-endpoint="/thong-ke" data-offset="0" hidden>' in sidebar and "Thống kê truy cập" in sidebar
    assert re.sub(HASHED, ".", sidebar.rstrip()).endswith(
        '<script src="/assets/counter.js" defer></script>'
    )  # last: nothing moves
    assert "Đang online" in sidebar and "Trong tuần" in sidebar


def test_goatcounter_mode_shows_only_what_goatcounter_knows(site: SiteDir) -> None:
    site.article("a")
    site.config(
        "counter:\n  mode: goatcounter\n  endpoint: https://sonla.goatcounter.com/count\n  offset: 82744820\n"
    )
    assert site.build().code == 0
    block = site.page("index.html").split('<section class="box visit-stats"')[1].split("</section>")[0]
    assert 'data-mode="goatcounter"' in block and 'data-offset="82744820"' in block
    assert 'data-endpoint="https://sonla.goatcounter.com"' in block  # /count, from its instructions, dropped
    assert "Đang online" not in block and "Trong tuần" not in block  # no online; a rolling week
    assert [label.split("</dt>")[0] for label in block.split("<dt>")[1:]] == [
        "Hôm nay",
        "7 ngày qua",
        "Tất cả",
    ]


def test_an_articles_breadcrumb_is_home_then_news_whatever_its_provinces(site: SiteDir) -> None:
    site.article("a", provinces=["Sơn La", "Điện Biên", "Lai Châu"])  # a seven-province article has no one
    assert site.build().code == 0
    crumb = site.page("2023/02/a/index.html").split('<nav class="breadcrumb"')[1].split("</nav>")[0]
    assert crumb.endswith('<a href="/">Trang chủ</a> › <a href="/tin-tuc/">Tin tức</a>\n')
