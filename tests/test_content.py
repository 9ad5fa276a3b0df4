"""Reading articles: fields, encodings, front matter, and every way a file can be wrong."""

import random
import unicodedata

import pytest

from conftest import SiteDir, photo
from newsgen.sources import content


def test_fields_reach_the_article_page(site: SiteDir) -> None:
    site.write("static/images/ky-ket.jpg", photo())
    site.article(
        "ky-ket",
        title="Ký kết giao ước thi đua",
        date="2023-02-20 08:30",
        provinces=["Điện Biên", "Lai Châu"],
        themes=["Chuyển đổi số"],
        author="Minh Anh",
        image="/images/ky-ket.jpg",
        image_alt="Lãnh đạo các sở ký giao ước",
        image_caption="Ảnh: Minh Anh",
        body="Đoạn đầu tiên.\n\n## Nội dung\n\n| Tỉnh | Số xã |\n|---|---|\n| Điện Biên | 129 |\n",
    )
    assert site.build().code == 0
    page = site.page("2023/02/ky-ket-giao-uoc-thi-dua/index.html")
    assert "Thứ Hai, 20/02/2023 08:30" in page
    assert 'datetime="2023-02-20T08:30:00+07:00"' in page
    assert "Tác giả: Minh Anh" in page
    assert 'alt="Lãnh đạo các sở ký giao ước"' in page
    assert "<figcaption>Ảnh: Minh Anh</figcaption>" in page
    assert '<a class="tag" href="/tinh/dien-bien/">Điện Biên</a>' in page
    assert '<a class="tag" href="/chu-de/chuyen-doi-so/">Chuyển đổi số</a>' in page
    assert "<td>Điện Biên</td>" in page and '<h2 id="noi-dung">Nội dung</h2>' in page


def test_summary_defaults_to_first_paragraph_shortened(site: SiteDir) -> None:
    site.config("summary_length: 40\n")
    site.write("static/x.jpg", photo())
    long = "Sáng 20/2, tại thành phố Điện Biên Phủ, bảy sở thông tin và truyền thông đã ký kết."
    site.article("a", title="Bài A", body=f"![ảnh](/x.jpg)\n\n{long}\n\nĐoạn hai.\n")
    site.build()
    page = site.page("2023/02/bai-a/index.html")
    assert '<meta name="description" content="Sáng 20/2, tại thành phố Điện Biên Phủ…">' in page
    assert 'class="sapo"' not in page  # the body already starts with that paragraph


def test_given_summary_is_the_sapo(site: SiteDir) -> None:
    site.article("a", title="Bài A", summary="Tóm tắt của biên tập viên.", body="Đoạn đầu.\n")
    site.build()
    page = site.page("2023/02/bai-a/index.html")
    assert '<p class="sapo">Tóm tắt của biên tập viên.</p>' in page
    assert "Tóm tắt của biên tập viên." in site.page("index.html")


def test_raw_html_in_body_passes_through(site: SiteDir) -> None:
    site.article("a", title="Bài A", body='<div class="khung">Hộp <b>đậm</b></div>\n')
    site.build()
    assert '<div class="khung">Hộp <b>đậm</b></div>' in site.page("2023/02/bai-a/index.html")


def test_other_front_matter_keys_reach_templates(site: SiteDir) -> None:
    site.write("templates/article.html", "nguồn={{ article.extra.nguon }}")
    site.article("a", title="Bài A", nguon="Báo Điện Biên Phủ")
    site.build()
    assert site.page("2023/02/bai-a/index.html") == "nguồn=Báo Điện Biên Phủ"


def test_links_to_the_sites_own_pages_and_files_resolve(site: SiteDir) -> None:
    site.write("static/images/a.jpg", photo())
    site.write("static/tai-lieu/bao-cao.pdf", b"%PDF")
    site.article(
        "a",
        title="Bài A",
        image="/images/a.jpg",
        body="![ảnh](/images/a.jpg)\n\n[Điện Biên](/tinh/dien-bien/) · [Sơn La](/tinh/son-la)\n\n"
        '[báo cáo][bc] · <a href="/2023/02/bai-a/#muc">mục</a>\n\n[bc]: /tai-lieu/bao-cao.pdf\n',
    )
    result = site.build()
    assert result.code == 0, result.err


def test_links_found_in_one_pass_are_those_found_line_by_line() -> None:
    """Bodies without code are searched whole, at once: the same links on the same lines."""
    pieces = ["![a](/anh/x.jpg)", "[b](/tin/x/)", "[r]: /a/b.pdf", "  [r2]: </c d> ", '<img src="/i.png">',
              "href='/x'", "](\n/y)", "[x\ny]: /z", 'src="/a\nb"', "chữ", "\n", "\n\n", " ", "](//cdn/x)",
              "]( /cách)", "[a]:/b", "href = '/q'", "[z]: /ok\t", "\t[t]: /tab", "](\xa0/nbsp)", "[n]:\xa0/n",
              "src=\f'/ff'", "](\r/cr)", "\v[v]: /v"]  # fmt: skip
    rng = random.Random(3)
    for _ in range(5000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        one_pass = list(content._links_in_text(body, 5))
        assert one_pass == list(content._links_line_by_line(body, 5)), body


def test_nested_folders_and_hidden_files(site: SiteDir) -> None:
    site.article("articles/2023/02/ky-ket", title="Ký kết")
    site.write("content/.bak/nhap.md", "không phải bài viết")
    site.write("content/articles/.~lock.md", "tệp tạm của trình soạn thảo")
    result = site.build()
    assert result.code == 0, result.err
    assert (site.build_dir / "2023/02/ky-ket/index.html").is_file()


def test_utf8_bom_is_accepted(site: SiteDir) -> None:
    site.write("content/a.md", "\ufeff---\ntitle: Có BOM\ndate: 2023-02-20\n---\nNội dung.\n")
    assert site.build().code == 0
    assert "Có BOM" in site.page("2023/02/co-bom/index.html")


def test_windows_line_endings_are_accepted(site: SiteDir) -> None:
    site.write("content/a.md", "---\r\ntitle: Dòng CRLF\r\ndate: 2023-02-20\r\n---\r\nNội dung.\r\n")
    assert site.build().code == 0
    assert "Dòng CRLF" in site.page("2023/02/dong-crlf/index.html")


def test_nfd_text_is_normalised_to_nfc(site: SiteDir) -> None:
    title = unicodedata.normalize("NFD", "Điện Biên đẩy mạnh chuyển đổi số")
    site.write("content/a.md", f"---\ntitle: {title}\ndate: 2023-02-20\n---\n{title}\n")
    site.build()
    page = site.page("2023/02/dien-bien-day-manh-chuyen-doi-so/index.html")
    assert "Điện Biên đẩy mạnh chuyển đổi số" in page
    assert unicodedata.normalize("NFC", page) == page


def test_date_without_zone_is_vietnam_time_and_zones_convert(site: SiteDir) -> None:
    site.article("a", title="Không múi giờ", date="2023-02-20")
    site.article("b", title="Giờ UTC", date="2023-02-20T23:30:00Z")  # already 21/02 in Vietnam
    site.build()
    assert "Thứ Hai, 20/02/2023</time>" in site.page("2023/02/khong-mui-gio/index.html")
    assert "Thứ Ba, 21/02/2023 06:30" in site.page("2023/02/gio-utc/index.html")


@pytest.mark.parametrize(
    ("date", "shown"),
    [("06/12/2026", "Chủ Nhật, 06/12/2026</time>"), ("6/12/2026 8:05", "Chủ Nhật, 06/12/2026 08:05</time>")],
)
def test_a_date_as_vietnamese_write_it_day_first(site: SiteDir, date: str, shown: str) -> None:
    site.write("content/a.md", f"---\ntitle: Bài A\ndate: {date}\n---\n")
    assert site.build("--future").code == 0
    assert shown in site.page("2026/12/bai-a/index.html")


def test_new_takes_a_day_as_vietnamese_write_it(site: SiteDir) -> None:
    assert site.run("new", "Tin", "--ngay", "20/2/2023 8:30").code == 0
    assert "date: 20/02/2023 08:30\n" in (site.root / "content/articles/2023/02/tin.md").read_text(
        encoding="utf-8"
    )
    wrong = site.run("new", "Tin khác", "--ngay", "02/20/2023")
    assert wrong.code == 2 and '--ngay: "02/20/2023" sai dạng ngày hoặc là ngày không có thật' in wrong.err


def test_slug_override(site: SiteDir) -> None:
    site.article("a", title="Một tiêu đề rất dài", slug="Ký kết")
    site.build()
    assert (site.build_dir / "2023/02/ky-ket/index.html").is_file()


@pytest.mark.parametrize("line", ["Sơn La, Lai Châu", "Sơn La; Lai Châu"])
def test_provinces_may_be_one_line_of_names(site: SiteDir, line: str) -> None:
    site.write("content/a.md", f"---\ntitle: Bài A\ndate: 2023-02-20\nprovinces: {line}\n---\n")
    site.build()
    page = site.page("2023/02/bai-a/index.html")
    assert 'class="tag" href="/tinh/son-la/"' in page and 'class="tag" href="/tinh/lai-chau/"' in page


def test_empty_optional_fields_are_fine(site: SiteDir) -> None:
    site.write("content/a.md", "---\ntitle: Bài A\ndate: 2023-02-20\nauthor:\nprovinces:\ndraft:\n---\n")
    assert site.build().code == 0
    assert "Tác giả" not in site.page("2023/02/bai-a/index.html")


@pytest.mark.parametrize("name", ["bai-viet.txt", "bai-viet.md.txt", "anh.jpg"])
def test_files_that_are_not_articles_are_named_not_ignored_silently(site: SiteDir, name: str) -> None:
    site.article("a")
    site.write(f"content/{name}", "---\ntitle: Bài\ndate: 2023-02-20\n---\n")
    result = site.build()
    assert result.code == 0
    assert f"Lưu ý: content/{name}: tệp không có đuôi .md nên không được coi là bài viết" in result.err
    assert "đổi tên thành bai-viet.md" in result.err or "anh.md" in result.err


def test_upper_case_md_extension_is_an_article(site: SiteDir) -> None:
    site.write("content/BAI.MD", "---\ntitle: Bài hoa\ndate: 2023-02-20\n---\n")
    result = site.build()
    assert result.code == 0 and result.err == ""
    assert (site.build_dir / "2023/02/bai-hoa/index.html").is_file()


@pytest.mark.parametrize(
    ("pasted", "encoding"),
    [("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "TCVN3"), ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "VNI")],
)
def test_text_pasted_from_an_old_encoding_is_pointed_out(site: SiteDir, pasted: str, encoding: str) -> None:
    site.article("a", title="Bài A", body=f"Đoạn đầu bình thường.\n\n{pasted}\n")
    result = site.build()
    assert result.code == 0
    assert f"Lưu ý: content/a.md:7: dòng này có vẻ là chữ mã {encoding}" in result.err
    assert "UniKey" in result.err


def test_ordinary_vietnamese_is_not_mistaken_for_an_old_encoding(site: SiteDir) -> None:
    site.article(
        "a", title="Bài A", body="Thi đua đổi mới, sáng tạo, đi đầu chuyển đổi số; tỷ lệ 6,5% · 1.234 hộ.\n"
    )
    assert site.build().err == ""


@pytest.mark.parametrize("key", ["subtitle", "author_bio", "updated_by", "nguon", "chuyen_muc"])
def test_extra_keys_that_are_not_typos_are_kept(site: SiteDir, key: str) -> None:
    site.write("templates/article.html", f"{{{{ article.extra.{key} }}}}")
    site.article("a", title="Bài A", **{key: "giá trị riêng"})
    assert site.build().code == 0
    assert site.page("2023/02/bai-a/index.html") == "giá trị riêng"


def test_a_comment_after_a_value_is_fine(site: SiteDir) -> None:
    site.write(
        "content/a.md", "---\ntitle: Bài A  # tiêu đề tạm\ndate: 2023-02-20 08:30  # giờ Việt Nam\n---\n"
    )
    assert site.build().code == 0
    assert "<h1>Bài A" in site.page("2023/02/bai-a/index.html")


def test_links_inside_code_are_not_checked(site: SiteDir) -> None:
    body = 'Viết `![ảnh](/images/x.jpg)` để chèn ảnh.\n\n```\n<img src="/anh/y.png">\n```\n'
    site.article("a", title="Bài A", body=body)
    result = site.build()
    assert result.code == 0, result.err


def test_long_titles_make_slugs_of_at_most_100_characters(site: SiteDir) -> None:
    site.article("a", title="Hội nghị " * 60)
    assert site.build().code == 0
    (folder,) = (site.build_dir / "2023/02").iterdir()
    assert (
        len(folder.name) <= 100
        and folder.name.startswith("hoi-nghi-hoi-nghi")
        and not folder.name.endswith("-")
    )


def test_nfd_config_is_normalised(site: SiteDir) -> None:
    site.config(unicodedata.normalize("NFD", "site_name: Tin tức Điện Biên\nprovinces: [Điện Biên]\n"))
    site.article("a", provinces=["Điện Biên"])
    assert site.build().code == 0
    assert "<title>Tin tức Điện Biên</title>" in site.page("index.html")
