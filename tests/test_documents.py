"""Official documents (văn bản) under content/van-ban/: first part — their pages and list."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest

from conftest import SiteDir, fails_and_keeps_everything
from newsgen import build
from test_search import indexed, search

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + bytes(1500)

DECISION = """---
so_ky_hieu: 125/QĐ-UBND
loai: qđ
co_quan_ban_hanh: UBND tỉnh Điện Biên
ngay_ban_hanh: 2026-03-15
nguoi_ky: Nguyễn Văn A
trich_yeu: Về việc ban hành Kế hoạch chuyển đổi số năm 2026
hieu_luc: 2026-04-01
het_hieu_luc: 2026-12-31
files: [/van-ban/125-qd-ubnd.pdf]
---
Nội dung tóm tắt.
"""


@pytest.fixture
def documented(site: SiteDir) -> SiteDir:
    site.config("base_url: https://so.example.gov.vn/\n")
    site.article("tin", date="2026-01-05 08:00")
    site.write("static/van-ban/125-qd-ubnd.pdf", PDF)
    site.write("content/van-ban/125-qd-ubnd.md", DECISION)
    site.write(
        "content/van-ban/kh-12.md",
        "---\nnumber: 12/KH-STTTT\ntype: Kế hoạch\nissued: 2026-05-02\nsummary: Kế hoạch tuyên truyền\n---\n",
    )
    return site


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def test_a_document_has_its_page_with_its_fields_files_and_status(documented: SiteDir) -> None:
    build(documented.root, now=at("2026-06-01T00:00"))
    html = documented.page("van-ban/125-qd-ubnd/index.html")
    assert "<h1>Quyết định 125/QĐ-UBND</h1>" in html  # `qđ`: the type's short form
    assert '<tr><th scope="row">Người ký</th><td>Nguyễn Văn A</td></tr>' in html
    assert (
        '<a href="/van-ban/125-qd-ubnd.pdf" download="125-qd-ubnd.pdf">125-qd-ubnd.pdf</a>'
        ' <span class="meta">(PDF, 2 kB)</span>' in html
    )
    assert '<object class="document-viewer" data="/van-ban/125-qd-ubnd.pdf" type="application/pdf"' in html
    assert '<td class="document-status-in_force">Còn hiệu lực</td>' in html
    listing = documented.page("van-ban/index.html")
    assert listing.index("12/KH-STTTT") < listing.index("125/QĐ-UBND")  # newest issued first
    assert "125-qd-ubnd" not in documented.page("tin-tuc/index.html") + documented.page("feed.xml")
    assert "<loc>https://so.example.gov.vn/van-ban/125-qd-ubnd/</loc>" in documented.page("sitemap.xml")


def test_a_document_s_status_follows_the_build_s_time(documented: SiteDir) -> None:
    day_ago = time.time() - 86_400  # files settled: a build may keep the last one's outputs
    for path in documented.root.rglob("*"):
        os.utime(path, (day_ago, day_ago))
    first = build(documented.root, now=at("2026-03-20T00:00"))
    assert first.scheduled_held == 0  # 12/KH-STTTT is issued later: its date holds nothing back
    assert first.next_document_change == datetime.fromisoformat("2026-04-01T00:00+07:00")  # said by the CLI
    status = '<td class="document-status-not_yet">Có hiệu lực từ 01/04/2026</td>'
    assert status in documented.page("van-ban/125-qd-ubnd/index.html")
    report = build(documented.root, now=at("2027-01-02T00:00"))  # the same files: it expired meanwhile
    assert report.pages_rendered > 0
    html = documented.page("van-ban/125-qd-ubnd/index.html")
    assert '<td class="document-status-expired">Hết hiệu lực từ 31/12/2026</td>' in html


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            ("loai: qđ", "loai: Quyết đinh"),
            'content/van-ban/125-qd-ubnd.md:3: loại văn bản "Quyết đinh" không có trong danh sách'
            ' — có phải "Quyết định"?',
        ),
        (
            ("so_ky_hieu: 125/QĐ-UBND\n", ""),
            "content/van-ban/125-qd-ubnd.md:1: thiếu số ký hiệu của văn bản (number)",
        ),
        (
            ("nguoi_ky:", "signer: B\nnguoi_ky:"),
            'content/van-ban/125-qd-ubnd.md:7: "nguoi_ky" và "signer" là cùng một thông tin',
        ),
        (
            ("het_hieu_luc: 2026-12-31", "het_hieu_luc: 2026-03-01"),
            "content/van-ban/125-qd-ubnd.md:9: ngày hết hiệu lực phải sau ngày có hiệu lực",
        ),
        (
            ("125-qd-ubnd.pdf]", "khong-co.pdf]"),
            "content/van-ban/125-qd-ubnd.md:10: không có tệp static/van-ban/khong-co.pdf",
        ),
        (("files: [/van-ban/", "files: [van-ban/"), "content/van-ban/125-qd-ubnd.md:10: files:"),
    ],
)
def test_a_mistake_in_a_document_is_named_with_its_line_and_loses_nothing(
    documented: SiteDir, replace: tuple[str, str], message: str
) -> None:
    assert documented.build().code == 0
    documented.write("content/van-ban/125-qd-ubnd.md", DECISION.replace(*replace))
    err = fails_and_keeps_everything(documented)
    assert message in err, err


def test_one_number_twice_from_one_issuer_names_both_files(documented: SiteDir) -> None:
    assert documented.build().code == 0
    documented.write("content/van-ban/ban-sao.md", DECISION)
    err = fails_and_keeps_everything(documented)
    assert "content/van-ban/ban-sao.md" in err and "đã có ở content/van-ban/125-qd-ubnd.md" in err, err


def test_the_build_says_when_a_document_s_status_changes_next(documented: SiteDir) -> None:
    documented.write("content/van-ban/125-qd-ubnd.md", DECISION.replace("2026-12-31", "2099-12-31"))
    result = documented.build()
    assert result.code == 0
    assert (
        "Một văn bản đổi tình trạng hiệu lực vào Thứ Năm, 31/12/2099: tạo lại trang web từ lúc đó."
        in result.out
    )


def test_documents_have_feeds_of_their_own(documented: SiteDir) -> None:
    build(documented.root, now=at("2026-06-01T00:00"))
    rss = feedparser.parse(documented.page("van-ban/feed.xml"))
    assert not rss.bozo and rss.feed.title == "Tin tức – Văn bản"
    assert [entry.link for entry in rss.entries] == [
        "https://so.example.gov.vn/van-ban/12-kh-stttt/",
        "https://so.example.gov.vn/van-ban/125-qd-ubnd/",
    ]
    assert rss.entries[1].title == "Quyết định 125/QĐ-UBND: Về việc ban hành Kế hoạch chuyển đổi số năm 2026"
    assert rss.entries[1].author == "UBND tỉnh Điện Biên"
    atom = feedparser.parse(documented.page("van-ban/atom.xml"))
    assert not atom.bozo and len(atom.entries) == 2 and atom.entries[0].published.startswith("2026-05-02")
    listing = documented.page("van-ban/index.html")
    assert 'type="application/rss+xml" title="Tin tức – Văn bản (RSS)" href="/van-ban/feed.xml"' in listing
    assert "van-ban" not in documented.page("feed.xml")  # the site's feed has the news


def test_a_province_s_page_lists_its_documents(documented: SiteDir) -> None:
    documented.write(
        "content/van-ban/125-qd-ubnd.md", DECISION.replace("files:", "provinces: [Điện Biên]\nfiles:")
    )
    documented.article("tin", date="2026-01-05 08:00", provinces=["Điện Biên"])
    build(documented.root, now=at("2026-06-01T00:00"))
    block = documented.page("tinh/dien-bien/index.html").split('<section class="term-documents"')[1]
    assert '<a href="/van-ban/125-qd-ubnd/">Quyết định 125/QĐ-UBND</a>: Về việc ban hành' in block
    assert "12/KH-STTTT" not in block  # about no province
    assert 'class="term-documents"' not in documented.page("tinh/son-la/index.html")


def test_search_finds_a_document_by_its_number_summary_signer_and_files(documented: SiteDir) -> None:
    documented.write(
        "content/van-ban/kh-12.md",
        "---\nnumber: 12/KH-STTTT\ntype: Kế hoạch\nissued: 2026-05-02\n"
        "summary: Kế hoạch tuyên truyền\nfiles: [/van-ban/Phụ lục kèm theo.pdf]\n---\n",
    )
    documented.write("static/van-ban/Phụ lục kèm theo.pdf", PDF)
    build(documented.root, now=at("2026-06-01T00:00"))
    found = [
        result["urls"]
        for result in search(
            documented,
            "125/QĐ-UBND",
            "125 qd ubnd",
            "chuyển đổi số",
            "Nguyễn Văn A",
            "phu luc",
            "12/KH-STTTT",
        )
    ]
    decision, plan = "/van-ban/125-qd-ubnd/", "/van-ban/12-kh-stttt/"
    assert found == [[decision], [decision], [decision], [decision], [plan], [plan]]
    shown = indexed(documented.build_dir)[decision]["doc"]
    assert shown["t"] == "Quyết định 125/QĐ-UBND: Về việc ban hành Kế hoạch chuyển đổi số năm 2026"
    assert shown["d"] == "15/03/2026" and shown["x"].startswith("UBND tỉnh Điện Biên · Nguyễn Văn A")


def test_the_list_has_a_page_for_each_type_issuer_and_year_to_filter_by(documented: SiteDir) -> None:
    documented.config("base_url: https://so.example.gov.vn/\nper_page: 1\n")
    documented.write(
        "content/van-ban/cv-7.md",
        "---\nnumber: 7/UBND-VX\ntype: CV\nissuer: ubnd TỈNH điện biên\nissued: 2025-12-30\n"
        "summary: Công văn\n---\n",
    )
    build(documented.root, now=at("2026-06-01T00:00"))
    decision = documented.page("van-ban/loai/quyet-dinh/index.html")
    assert "<title>Văn bản: Quyết định" in decision and "12/KH-STTTT" not in decision
    assert (
        '<a href="/van-ban/loai/quyet-dinh/" aria-current="page">Quyết định <span class="count">(1)</span>'
        in decision
    )
    year = documented.page("van-ban/nam/2026/index.html")
    assert "12/KH-STTTT" in year and "125/QĐ-UBND" not in year  # one a page: per_page 1
    assert "125/QĐ-UBND" in documented.page("van-ban/nam/2026/trang/2/index.html")
    listing = documented.page("van-ban/index.html")
    types = listing.split('id="loc-type"')[1].split("</ul>")[0]
    assert types.index("Quyết định") < types.index("Kế hoạch") < types.index("Công văn")  # as listed
    # one issuer however its case is written: nothing to choose, no page
    assert (
        'href="/van-ban/co-quan/' not in listing and not (documented.build_dir / "van-ban/co-quan").exists()
    )
    years = listing.split('id="loc-year"')[1].split("</ul>")[0]
    assert years.index("2026 <span") < years.index("2025 <span")
    assert "<title>Văn bản: năm 2025" in documented.page("van-ban/nam/2025/index.html")
    assert "<loc>https://so.example.gov.vn/van-ban/nam/2025/</loc>" in documented.page("sitemap.xml")


def test_a_file_is_published_once_under_its_name_folded_to_ascii_and_saved_under_its_own(
    documented: SiteDir,
) -> None:
    documented.write("static/van-ban/Quyết định 125.PDF", PDF)
    documented.write(
        "content/van-ban/125-qd-ubnd.md", DECISION.replace("125-qd-ubnd.pdf]", "Quyết định 125.PDF]")
    )
    build(documented.root, now=at("2026-06-01T00:00"))
    published = sorted(path.name for path in (documented.build_dir / "van-ban").glob("*.[Pp][Dd][Ff]"))
    assert published == ["125-qd-ubnd.pdf", "quyet-dinh-125.pdf"]  # the other, not a document's, as it is
    assert (documented.build_dir / "van-ban/quyet-dinh-125.pdf").read_bytes() == PDF
    html = documented.page("van-ban/125-qd-ubnd/index.html")
    assert (
        '<a href="/van-ban/quyet-dinh-125.pdf" download="Quyết định 125.PDF">Quyết định 125.PDF</a>' in html
    )
    assert 'data="/van-ban/quyet-dinh-125.pdf" type="application/pdf"' in html
    changes = json.loads((documented.build_dir / ".newsgen-changes.json").read_text())
    assert "van-ban/quyet-dinh-125.pdf" in changes["added"]  # what a deploy uploads, as any file
    (documented.root / "static/van-ban/Quyết định 125.PDF").write_bytes(PDF + b"%")
    build(documented.root, now=at("2026-06-01T00:00"))
    changes = json.loads((documented.build_dir / ".newsgen-changes.json").read_text())
    assert "van-ban/quyet-dinh-125.pdf" in changes["changed"]


def test_a_link_to_a_file_s_own_name_says_where_it_is_published(documented: SiteDir) -> None:
    documented.write("static/van-ban/Quyết định 125.pdf", PDF)
    documented.write(
        "content/van-ban/125-qd-ubnd.md", DECISION.replace("125-qd-ubnd.pdf]", "Quyết định 125.pdf]")
    )
    assert documented.build().code == 0
    documented.article("tin", "Xem [quyết định](/van-ban/Quyết%20định%20125.pdf).\n", date="2026-01-05 08:00")
    err = fails_and_keeps_everything(documented)
    assert (
        "liên kết /van-ban/Quyết%20định%20125.pdf dẫn tới tệp của một văn bản, được đăng ở"
        " /van-ban/quyet-dinh-125.pdf — viết liên kết là /van-ban/quyet-dinh-125.pdf" in err
    ), err
    documented.article("tin", "Xem [quyết định](/van-ban/Quyet-Dinh-125.pdf).\n", date="2026-01-05 08:00")
    err = fails_and_keeps_everything(documented)  # a server tells capitals apart
    assert "liên kết /van-ban/Quyet-Dinh-125.pdf dẫn tới tệp của một văn bản" in err, err


@pytest.mark.parametrize(
    ("written", "on_disk", "message"),
    [
        # missing, though a file has the name it would be published at
        (
            "Quyết định 125.pdf",
            "quyet-dinh-125.pdf",
            "không có tệp static/van-ban/Quyết định 125.pdf — đặt tệp",
        ),
        (
            "qd-125.pdf",
            "QD-125.PDF",
            "không có tệp static/van-ban/qd-125.pdf — có tệp static/van-ban/QD-125.PDF",
        ),
        ("Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf", "", "không có tệp static/van-ban/Quyết định.pdf"),
    ],
)
def test_a_document_s_file_must_be_in_static_as_written(
    documented: SiteDir, written: str, on_disk: str, message: str
) -> None:
    assert documented.build().code == 0
    if on_disk:
        documented.write(f"static/van-ban/{on_disk}", PDF)
    documented.write("content/van-ban/125-qd-ubnd.md", DECISION.replace("125-qd-ubnd.pdf]", f"{written}]"))
    err = fails_and_keeps_everything(documented)
    assert f"content/van-ban/125-qd-ubnd.md:10: {message}" in err, err


def test_two_files_published_under_one_name_are_both_named(documented: SiteDir) -> None:
    assert documented.build().code == 0
    documented.write("static/van-ban/Quyết định 125.pdf", PDF)
    documented.write("static/van-ban/quyet-dinh-125.pdf", PDF)  # not a document's: its own name
    documented.write(
        "content/van-ban/125-qd-ubnd.md", DECISION.replace("125-qd-ubnd.pdf]", "Quyết định 125.pdf]")
    )
    err = fails_and_keeps_everything(documented)
    assert (
        "static/van-ban/quyet-dinh-125.pdf và static/van-ban/Quyết định 125.pdf cùng ghi vào tệp" in err
        or ("static/van-ban/Quyết định 125.pdf và static/van-ban/quyet-dinh-125.pdf cùng ghi vào tệp" in err)
    ), err
    assert "tệp của văn bản được đăng dưới tên viết không dấu, chữ thường" in err


def test_a_percent_encoded_file_is_the_file_it_names(documented: SiteDir) -> None:
    documented.write("static/van-ban/Quyết định.pdf", PDF)
    documented.write(
        "content/van-ban/125-qd-ubnd.md",
        DECISION.replace("125-qd-ubnd.pdf]", "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf]"),
    )
    build(documented.root, now=at("2026-06-01T00:00"))
    assert 'href="/van-ban/quyet-dinh.pdf" download="Quyết định.pdf"' in documented.page(
        "van-ban/125-qd-ubnd/index.html"
    )


def test_new_starts_a_document_that_builds_once_its_lines_are_filled_in(site: SiteDir) -> None:
    result = site.run(
        "new",
        "--van-ban",
        "Về việc ban hành Kế hoạch",
        "--so",
        "125/QĐ-UBND",
        "--loai",
        "qđ",
        "--province",
        "Điện Biên",
    )
    assert result.code == 0, result.err
    assert result.out == "Đã tạo văn bản nháp content/van-ban/125-qd-ubnd.md\n"
    path = site.root / "content/van-ban/125-qd-ubnd.md"
    text = path.read_text(encoding="utf-8")
    assert 'number: "125/QĐ-UBND"\ntype: "Quyết định"\n' in text and 'provinces: ["Điện Biên"]' in text
    assert "draft: true" in text
    assert site.build().code == 0 and not (site.build_dir / "van-ban").exists()  # a draft
    site.write("static/van-ban/125-qd-ubnd.pdf", PDF)
    filled = text.replace("# signer:", "signer:").replace("# files:", "files:").replace("draft: true\n", "")
    path.write_text(filled, encoding="utf-8")
    built = site.build()
    assert built.code == 0, built.err
    html = site.page("van-ban/125-qd-ubnd/index.html")
    assert '<tr><th scope="row">Người ký</th><td>Họ và tên</td></tr>' in html  # the comment after it left out
    assert 'href="/van-ban/125-qd-ubnd.pdf"' in html
    again = site.run("new", "--van-ban", "Khác", "--so", "125/qđ-ubnd", "--loai", "Quyết định")
    assert again.code == 2 and "đã có tệp content/van-ban/125-qd-ubnd.md" in again.err
    assert path.read_text(encoding="utf-8") == filled


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--van-ban", "Trích yếu", "--loai", "QĐ"],
            '--so: một văn bản cần trích yếu, số ký hiệu và loại văn bản — ví dụ --so "125/QĐ-UBND"',
        ),
        (
            ["--van-ban", "Trích yếu", "--so", "1/QĐ", "--loai", "Quyết đinh"],
            '--loai: loại văn bản "Quyết đinh" không có trong danh sách — có phải "Quyết định"?',
        ),
        (
            ["--van-ban", "Trích yếu", "--so", "—", "--loai", "QĐ"],
            '--so: số ký hiệu "—" không có chữ hoặc số',
        ),
        (["--van-ban", "Trích yếu", "--so", "1/QĐ", "--loai", ","], '--loai: loại văn bản "," không có'),
        (["Tiêu đề", "--so", "1/QĐ"], "--so chỉ dùng khi tạo văn bản"),
        (["Tiêu đề", "--van-ban", "Trích yếu"], 'vừa có tiêu đề "Tiêu đề" vừa có --van-ban'),
        ([], "thiếu tiêu đề bài viết"),
    ],
)
def test_new_refuses_a_document_it_cannot_start_and_writes_nothing(
    site: SiteDir, arguments: list[str], message: str
) -> None:
    result = site.run("new", *arguments)
    assert result.code == 2 and message in result.err, result.err
    assert not list((site.root / "content").rglob("*.md"))


def linked_data(html: str) -> dict[str, Any]:
    """The page's JSON-LD."""
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_a_legal_act_is_legislation_and_a_plan_a_digital_document_in_json_ld(documented: SiteDir) -> None:
    documented.write("static/van-ban/Phụ lục.docx", b"PK")
    documented.write(
        "content/van-ban/125-qd-ubnd.md",
        DECISION.replace("125-qd-ubnd.pdf]", "125-qd-ubnd.pdf, /van-ban/Phụ lục.docx]"),
    )
    build(documented.root, now=at("2027-01-02T00:00"))  # after it expired
    decision = linked_data(documented.page("van-ban/125-qd-ubnd/index.html"))
    assert decision["@type"] == "Legislation"
    assert decision["legislationIdentifier"] == decision["identifier"] == "125/QĐ-UBND"
    assert decision["legislationType"] == "Quyết định" and decision["legislationDate"] == "2026-03-15"
    assert decision["legislationLegalForce"] == "https://schema.org/NotInForce"
    assert decision["legislationDateOfApplicability"] == "2026-04-01" and decision["expires"] == "2026-12-31"
    assert decision["legislationPassedBy"] == {
        "@type": "GovernmentOrganization",
        "name": "UBND tỉnh Điện Biên",
    }
    assert decision["encoding"][1] == {
        "@type": "MediaObject",
        "name": "Phụ lục.docx",
        "contentUrl": "https://so.example.gov.vn/van-ban/phu-luc.docx",
        "encodingFormat": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    plan = linked_data(documented.page("van-ban/12-kh-stttt/index.html"))
    assert plan["@type"] == "DigitalDocument" and plan["identifier"] == "12/KH-STTTT"
    assert (
        plan["headline"] == "Kế hoạch tuyên truyền"
        and plan["url"] == "https://so.example.gov.vn/van-ban/12-kh-stttt/"
    )
    assert not [key for key in plan if key.startswith("legislation")]


def test_a_theme_only_documents_name_has_its_page_and_the_document_links_to_it(documented: SiteDir) -> None:
    documented.write(
        "content/van-ban/125-qd-ubnd.md", DECISION.replace("files:", "themes: [Cải cách hành chính]\nfiles:")
    )
    build(documented.root, now=at("2026-06-01T00:00"))
    html = documented.page("van-ban/125-qd-ubnd/index.html")
    assert '<a class="tag" href="/chu-de/cai-cach-hanh-chinh/">Cải cách hành chính</a>' in html
    theme = documented.page("chu-de/cai-cach-hanh-chinh/index.html")
    assert '<a href="/van-ban/125-qd-ubnd/">Quyết định 125/QĐ-UBND</a>' in theme
    assert 'href="/chu-de/cai-cach-hanh-chinh/"' in documented.page("chu-de/index.html")
    assert "<option>Cải cách hành chính</option>" in documented.page("tim-kiem/index.html")  # to filter by
    found = search(documented, ("", {"chu_de": "Cải cách hành chính"}), "cai cach hanh chinh")
    assert found[0]["urls"] == ["/van-ban/125-qd-ubnd/"] and found[1]["named"], found


def test_new_keeps_an_issuer_s_whole_name_and_a_new_site_takes_any_issuer(site: SiteDir) -> None:
    assert site.run("init", ".").code == 0  # its newsgen.yaml: issuers: [] (any)
    result = site.run(
        "new",
        "--van-ban",
        "Trích yếu",
        "--so",
        "3/KH-SVHTTDL",
        "--loai",
        "KH",
        "--co-quan",
        "Sở Văn hóa, Thể thao và Du lịch",
    )
    assert result.code == 0, result.err
    text = (site.root / "content/van-ban/3-kh-svhttdl.md").read_text(encoding="utf-8")
    assert 'issuer: "Sở Văn hóa, Thể thao và Du lịch"\n' in text
    (site.root / "content/van-ban/3-kh-svhttdl.md").write_text(
        text.replace("draft: true\n", ""), encoding="utf-8"
    )
    built = site.build()
    assert built.code == 0, built.err
    assert "Sở Văn hóa, Thể thao và Du lịch" in site.page("van-ban/3-kh-svhttdl/index.html")


def test_an_issuer_of_no_letter_is_listed_but_not_a_filter(documented: SiteDir) -> None:
    documented.write(
        "content/van-ban/kh-12.md",
        "---\nnumber: 12/KH\ntype: KH\nissuer: '—'\nissued: 2026-05-02\nsummary: Kế hoạch\n---\n",
    )
    build(documented.root, now=at("2026-06-01T00:00"))
    assert "12/KH" in documented.page("van-ban/index.html")
    assert 'href="/van-ban/co-quan/' not in documented.page("van-ban/index.html")  # one issuer left
