"""Every bad input: a `path:line: what — how to fix` message, exit code 1, and nothing lost."""

from __future__ import annotations

import errno
import fcntl
import os
import re
from pathlib import Path

import pytest

from conftest import GOOD, SiteDir, fails_and_keeps_everything
from newsgen import parallel


def test_invalid_yaml_names_file_and_line(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Điện Biên: hội nghị\ndate: 2023-02-20\n---\n")
    err = fails_and_keeps_everything(built)
    assert "content/hong.md:2: dấu hai chấm (:) đặt sai chỗ — nếu giá trị có dấu hai chấm" in err


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: Bài\ndate: 2023-02-20\n\tauthor: A\n", "content/hong.md:4: có ký tự Tab — dùng dấu cách"),
        ('title: "Bài\ndate: 2023-02-20\n', "content/hong.md:2: thiếu dấu ngoặc kép đóng"),  # where it opened
        (
            "title: Bài\ndate: 2023-02-20\nprovinces: [Sơn La\n",
            "content/hong.md:4: thụt lề hoặc dấu ngoặc không khớp",
        ),
        (
            'title: "C:\\du-lieu"\ndate: 2023-02-20\n',
            "content/hong.md:2: dấu \\ trong ngoặc kép có nghĩa riêng",
        ),
        # explicit YAML tags, and fields that stay strict under YAML 1.2
        ("title: Bài\ndate: !!timestamp 2023-02-30\n", 'content/hong.md:3: date: "2023-02-30" sai dạng ngày'),
        ("title: Bài\ndate: 2023-02-20\nso: !!int mười\n", 'content/hong.md:4: "mười" không phải số nguyên'),
        (
            "title: Bài\ndate: 2023-02-20\nanh: !!binary aGVsbG8=\n",
            "content/hong.md:4: newsgen không dùng thẻ YAML !!binary",
        ),
        (
            "title: !!python/object:os.system x\ndate: 2023-02-20\n",
            "content/hong.md:2: newsgen không dùng thẻ YAML",
        ),
        (
            "title: Bài\ndate: 2023-02-20\nnguon: &n {a: 1}\nthem:\n  <<: *n\n",
            "content/hong.md:6: newsgen không dùng khóa gộp << của YAML",
        ),
        (
            "title: Bài\ndate: 2023-02-20\nso: " + "1" * 5000 + "\n",
            "content/hong.md:4: số quá dài (5000 chữ số)",
        ),
        (
            "title: Bài\ndate: 2023-02-20\ndraft: yes\n",
            'content/hong.md:4: draft: giá trị phải là true hoặc false, không phải "yes"',
        ),
    ],
)
def test_yaml_mistakes_are_explained_in_vietnamese(built: SiteDir, front: str, message: str) -> None:
    built.write("content/hong.md", f"---\n{front}---\n")
    assert message in fails_and_keeps_everything(built)


def test_title_cut_by_a_hash_is_not_published_short(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Lai Châu đạt giải #1 năm 2023\ndate: 2023-02-20\n---\n")
    err = fails_and_keeps_everything(built)
    assert "content/hong.md:2: title: phần sau dấu # bị YAML coi là ghi chú và bị bỏ mất" in err
    assert 'ví dụ title: "Lai Châu đạt giải #1 năm 2023"' in err


@pytest.mark.parametrize(("key", "meant"), [("tỉnh", "provinces"), ("Chủ đề", "themes"), ("ngay", "date")])
def test_vietnamese_key_names_are_caught(built: SiteDir, key: str, meant: str) -> None:
    built.write("content/hong.md", f"---\ntitle: Bài\ndate: 2023-02-20\n{key}: x\n---\n")
    err = fails_and_keeps_everything(built)
    assert (
        f'content/hong.md:4: {key}: newsgen dùng tên khóa tiếng Anh — viết "{meant}:" thay cho "{key}:"'
        in err
    )


def test_quoted_boolean_says_to_remove_the_quotes(built: SiteDir) -> None:
    built.write("content/hong.md", '---\ntitle: Bài\ndate: 2023-02-20\ndraft: "true"\n---\n')
    assert 'không phải "true" — bỏ dấu ngoặc kép: viết true' in fails_and_keeps_everything(built)


def test_unknown_province_in_a_block_list_names_its_own_line(built: SiteDir) -> None:
    built.write(
        "content/hong.md",
        "---\ntitle: Bài\ndate: 2023-02-20\nprovinces:\n  - Sơn La\n  - Dien Bienn\n---\n",
    )
    assert 'content/hong.md:6: tỉnh "Dien Bienn" không có trong danh sách' in fails_and_keeps_everything(
        built
    )


@pytest.mark.parametrize(
    ("body", "line", "link"),
    [
        ("Xem ảnh:\n\n![ảnh](/images/khong-co.jpg)\n", 8, "/images/khong-co.jpg"),
        ('<img src="/anh/x.png" alt="">\n', 6, "/anh/x.png"),
        ("[Hà Nội](/tinh/ha-noi/)\n", 6, "/tinh/ha-noi/"),
    ],
)
def test_broken_link_to_the_site_names_its_line(built: SiteDir, body: str, line: int, link: str) -> None:
    built.write("content/hong.md", f"---\ntitle: Bài\ndate: 2023-02-20\nprovinces: [Sơn La]\n---\n{body}")
    err = fails_and_keeps_everything(built)
    assert f"content/hong.md:{line}: liên kết {link} không dẫn tới trang hay tệp nào của trang web" in err
    assert "static/images/a.jpg được viết là /images/a.jpg" in err


def test_missing_lead_image(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\nimage: /images/chua-tai.jpg\n---\n")
    assert "content/hong.md:4: liên kết /images/chua-tai.jpg không dẫn tới" in fails_and_keeps_everything(
        built
    )


def test_lead_image_without_leading_slash(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\nimage: images/a.jpg\n---\n")
    err = fails_and_keeps_everything(built)
    assert 'content/hong.md:4: image: "images/a.jpg" phải bắt đầu bằng /' in err
    assert "image: /images/a.jpg" in err


def test_missing_title(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ndate: 2023-02-20\n---\nNội dung.\n")
    err = fails_and_keeps_everything(built)
    assert "content/hong.md:1: thiếu tiêu đề (title) — thêm dòng title:" in err


def test_missing_date(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Không ngày\n---\n")
    assert "content/hong.md:1: thiếu ngày đăng (date)" in fails_and_keeps_everything(built)


@pytest.mark.parametrize("date", ["31/02/2026", "12/31/2026", "20/02/23", "2023-02-30", "hôm qua"])
def test_unparsable_date(built: SiteDir, date: str) -> None:
    built.write("content/hong.md", f"---\ntitle: Sai ngày\ndate: {date}\n---\n")
    err = fails_and_keeps_everything(built)  # 12/31/2026: the month never first
    assert f'content/hong.md:3: date: "{date}" sai dạng ngày hoặc là ngày không có thật' in err
    assert "ví dụ 20/02/2023 08:30" in err


def test_empty_title(built: SiteDir) -> None:
    built.write("content/hong.md", '---\ntitle: ""\ndate: 2023-02-20\n---\n')
    assert "content/hong.md:2: title: tiêu đề đang để trống" in fails_and_keeps_everything(built)


def test_unknown_province_suggests_the_right_one(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Sai tỉnh\ndate: 2023-02-20\nprovinces: [Điện Bien]\n---\n")
    err = fails_and_keeps_everything(built)
    assert 'content/hong.md:4: tỉnh "Điện Bien" không có trong danh sách — có phải "Điện Biên"?' in err


def test_every_unknown_province_of_a_line_is_reported(built: SiteDir) -> None:
    built.write(
        "content/hong.md", "---\ntitle: Sai tỉnh\ndate: 2023-02-20\nprovinces: [Dien Bienn, Hà Nội]\n---\n"
    )
    err = fails_and_keeps_everything(built)
    assert 'content/hong.md:4: tỉnh "Dien Bienn"' in err and 'content/hong.md:4: tỉnh "Hà Nội"' in err


def test_unknown_province_without_diacritics_is_suggested_too(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Sai tỉnh\ndate: 2023-02-20\nprovinces: [lang sonn]\n---\n")
    assert 'có phải "Lạng Sơn"?' in fails_and_keeps_everything(built)


def test_unknown_theme_in_a_closed_vocabulary(built: SiteDir) -> None:
    built.config("themes:\n  - name: Chuyển đổi số\n")
    built.write("content/hong.md", "---\ntitle: Sai chủ đề\ndate: 2023-02-20\nthemes: [Chuyển đổi sô]\n---\n")
    err = fails_and_keeps_everything(built)
    assert (
        'content/hong.md:4: chủ đề "Chuyển đổi sô" không có trong danh sách — có phải "Chuyển đổi số"?' in err
    )


def test_typo_in_a_field_name(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\nprovince: [Điện Biên]\n---\n")
    err = fails_and_keeps_everything(built)
    assert 'content/hong.md:4: province: khóa này không có trong newsgen — có phải "provinces"?' in err


def test_wrong_type_for_draft(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\ndraft: có\n---\n")
    err = fails_and_keeps_everything(built)
    assert 'content/hong.md:4: draft: giá trị phải là true hoặc false, không phải "có"' in err


def test_file_without_front_matter(built: SiteDir) -> None:
    built.write("content/hong.md", "# Chỉ có nội dung\n")
    err = fails_and_keeps_everything(built)
    assert "content/hong.md:1: tệp không bắt đầu bằng phần thông tin đầu bài" in err


def test_front_matter_never_closed(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\nNội dung.\n")
    assert "không có dòng --- để đóng lại" in fails_and_keeps_everything(built)


def test_file_in_windows_1258_is_not_guessed_silently(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\n---\nCông tác".encode("cp1258"))
    err = fails_and_keeps_everything(built)
    assert "content/hong.md:2: tệp không được lưu theo mã UTF-8 (byte 0xe0 ở dòng 2)" in err
    assert "lưu lại với mã hóa UTF-8" in err


def test_file_in_utf16(built: SiteDir) -> None:
    built.write("content/hong.md", GOOD.encode("utf-16"))
    assert "content/hong.md:1: tệp được lưu theo mã UTF-16" in fails_and_keeps_everything(built)


def test_two_articles_with_one_url_name_both_files(built: SiteDir) -> None:
    built.write("content/a.md", "---\ntitle: Tin bão\ndate: 2023-02-20\n---\n")
    built.write("content/b.md", "---\ntitle: Tin báo\ndate: 2023-02-21\n---\n")
    err = fails_and_keeps_everything(built)
    assert "content/b.md:2: bài này và content/a.md có cùng địa chỉ /2023/02/tin-bao/" in err
    assert "ví dụ slug: tin-bao-2" in err


def test_open_themes_that_differ_only_in_tone_marks(built: SiteDir) -> None:
    built.write("content/a.md", "---\ntitle: A\ndate: 2023-02-20\nthemes: [Tin bão]\n---\n")
    built.write("content/b.md", "---\ntitle: B\ndate: 2023-02-20\nthemes: [Tin báo]\n---\n")
    err = fails_and_keeps_everything(built)
    assert (
        'content/b.md:4: chủ đề "Tin báo" và chủ đề "Tin bão" (trong content/a.md) cùng ra một địa chỉ' in err
    )


@pytest.mark.parametrize("slug", ["../../etc", "a/b", "..\\x"])
def test_slug_that_tries_to_leave_the_output_folder(built: SiteDir, slug: str) -> None:
    built.write("content/hong.md", f"---\ntitle: Bài\ndate: 2023-02-20\nslug: '{slug}'\n---\n")
    err = fails_and_keeps_everything(built)
    assert f'content/hong.md:4: slug: "{slug}" không được chứa /, \\ hoặc ..' in err


def test_every_mistake_of_one_front_matter_is_reported_in_one_run(built: SiteDir) -> None:
    built.write(
        "content/hong.md",
        "---\ntitle: ''\ndate: 31/02/2026\nprovinces:\n  - Sơn La\n  - Hà Nội\ndraft: yes\nauthr: x\n---\n",
    )
    err = fails_and_keeps_everything(built)
    lines = [line.split(":")[1] for line in err.splitlines() if line.startswith("content/hong.md:")]
    assert lines == ["2", "3", "6", "7", "8"], err  # the province too, on its own line, once
    assert 'content/hong.md:6: tỉnh "Hà Nội" không có trong danh sách' in err
    assert "Chưa tạo được trang web vì có 5 lỗi" in err


def test_all_problems_are_reported_in_one_run(built: SiteDir) -> None:
    built.write("content/a.md", "---\ntitle: A\ndate: sai\n---\n")
    built.write("content/b.md", "---\ntitle: B\ndate: 2023-02-20\nprovinces: [Hà Nội]\n---\n")
    built.write("content/c.md", "không có front matter")
    err = fails_and_keeps_everything(built)
    assert "content/a.md:3:" in err and "content/b.md:4:" in err and "content/c.md:1:" in err
    assert "Chưa tạo được trang web vì có 3 lỗi" in err


def test_draft_errors_do_not_block_the_published_site(built: SiteDir) -> None:
    built.write(
        "content/nhap.md", "---\ntitle: Nháp\ndate: 2023-02-20\ndraft: true\nprovinces: [Hà Nội]\n---\n"
    )
    assert built.build().code == 0
    assert built.build("--drafts").code == 1


def test_missing_content_folder(tmp_path: Path, site: SiteDir) -> None:
    (site.root / "content").rmdir()
    result = site.build()
    assert result.code == 1
    assert "không tìm thấy thư mục content/" in result.err and "--source" in result.err
    assert not site.build_dir.exists()


# newsgen.yaml


def test_unknown_config_key_suggests_the_right_one(built: SiteDir) -> None:
    built.config("site_name: Tin tức\nper_pgae: 5\n")
    err = fails_and_keeps_everything(built)
    assert 'newsgen.yaml:2: khóa "per_pgae" không có trong cấu hình của newsgen — có phải "per_page"?' in err


def test_wrong_config_types_are_all_reported(built: SiteDir) -> None:
    built.config("per_page: mười\nsite_name: [a, b]\nprovinces: Điện Biên\n")
    err = fails_and_keeps_everything(built)
    assert 'newsgen.yaml:1: giá trị của "per_page" phải là một số nguyên' in err
    assert 'newsgen.yaml:2: giá trị của "site_name" phải là một chuỗi văn bản' in err
    assert 'newsgen.yaml:3: giá trị của "provinces" phải là một danh sách' in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('per_page: "10"\n', 'không phải "10" — bỏ dấu ngoặc kép: per_page: 10'),
        ('site_name: "Cổng tin\nper_page: 3\n', "newsgen.yaml:1: thiếu dấu ngoặc kép đóng"),
        ("site_name: [Cổng tin\n", "newsgen.yaml:1: thụt lề hoặc dấu ngoặc không khớp"),
        ('feed_full_content: "true"\n', 'không phải "true" — bỏ dấu ngoặc kép: feed_full_content: true'),
        (
            "site_name:\n",
            'newsgen.yaml:1: giá trị của "site_name" phải là một chuỗi văn bản, không phải (để trống)',
        ),
        ("timezone: Asia/Hanoi_City\n", 'newsgen.yaml:1: múi giờ "Asia/Hanoi_City" không tồn tại'),
        ("per_page: 0\n", 'newsgen.yaml:1: "per_page" phải lớn hơn 0'),
        ("permalink: /{nam}/{slug}/\n", 'newsgen.yaml:1: permalink "/{nam}/{slug}/" không hợp lệ'),
        ("base_url: example.gov.vn\n", 'newsgen.yaml:1: base_url "example.gov.vn" không hợp lệ'),
        ("site_name: a: b\n", "newsgen.yaml:1: dấu hai chấm (:) đặt sai chỗ"),
        (
            "provinces:\n  - name: Sơn La\n    slug: Sơn La\n",
            'newsgen.yaml:3: slug "Sơn La" của "Sơn La" không hợp lệ',
        ),
        (
            "provinces:\n  - name: Sơn La\n    alias: [SL]\n",
            'newsgen.yaml:3: khóa "alias" không dùng được trong provinces',
        ),
        ("provinces:\n  - Sơn La\n  - sơn la\n", 'newsgen.yaml:3: "sơn la" trùng tên'),
        (
            "contact:\n  owner: Sở TT&TT\n  emial: a@b.vn\n",
            'newsgen.yaml:3: khóa "emial" không dùng được trong contact — có phải "email"?',
        ),
        (
            "contact:\n  owner: [Sở A, Sở B]\n",
            'newsgen.yaml:2: giá trị của "contact.owner" phải là một chuỗi',
        ),
        (
            "emc:\n  script: https://emc.example.vn/emc.js\n  badge: x.png\n",
            'newsgen.yaml:3: khóa "badge" không dùng được trong emc — có phải "badge_link"?',
        ),
        ("logo: [a.png]\n", 'newsgen.yaml:1: giá trị của "logo" phải là một chuỗi'),
        ("logo: /images/khong-co.png\n", "newsgen.yaml: logo /images/khong-co.png không dẫn tới tệp nào"),
        (
            "messages:\n  lastest: Tin mới\n",
            'newsgen.yaml:2: khóa "lastest" không có trong messages — có phải "latest"?',
        ),
        (
            "messages:\n  page_of: 'Trang {so}/{count}'\n",
            'newsgen.yaml:2: câu "page_of" có chỗ trống hay dấu { } mà câu gốc không có — '
            "câu này chỉ dùng được: {count}, {number}",
        ),
        ("messages:\n  home: 'Trang {chủ'\n", 'newsgen.yaml:2: câu "home" có chỗ trống hay dấu { }'),
        ("counter:\n  mode: googleanalytics\n", 'newsgen.yaml:1: counter.mode "googleanalytics" không có'),
        ("counter:\n  mode: newsgen\n", "newsgen.yaml:1: counter cần endpoint: địa chỉ của bộ đếm"),
        (
            "counter:\n  mode: newsgen\n  endpoint: /thong-ke\n  offset: 5\n",
            "newsgen.yaml:1: counter.offset chỉ dùng với mode: goatcounter — "
            "bộ đếm của newsgen nhận số cũ khi chạy: newsgen counter serve --offset N",
        ),
        (
            "counter:\n  mode: goatcounter\n  endpoint: https://x.goatcounter.com\n  offset: '82.744.820'\n",
            'newsgen.yaml:4: giá trị của "counter.offset" phải là một số nguyên',
        ),
        (
            "counter:\n  mode: goatcounter\n  endpoint: https://x.goatcounter.com\n  offset: -1\n",
            "newsgen.yaml:1: counter.offset không được là số âm",
        ),
        ("- a\n- b\n", "newsgen.yaml:1: tệp cấu hình phải là một bảng khóa: giá trị"),
    ],
)
def test_bad_config(built: SiteDir, text: str, message: str) -> None:
    built.config(text)
    assert message in fails_and_keeps_everything(built)


# The output folder


def test_refuses_to_build_into_the_site_folder(built: SiteDir) -> None:
    err = fails_and_keeps_everything(built, "--output", str(built.root), code=2)
    assert "chứa chính thư mục của trang" in err


def test_refuses_a_relative_dot_output(built: SiteDir) -> None:
    assert "chứa chính thư mục của trang" in fails_and_keeps_everything(built, "--output", ".", code=2)


def test_refuses_an_output_that_is_a_file(built: SiteDir) -> None:
    (built.root / "ghi-chu.txt").write_text("x")
    err = fails_and_keeps_everything(built, "--output", "ghi-chu.txt", code=2)
    assert "ghi-chu.txt là một tệp, không phải thư mục" in err
    assert (built.root / "ghi-chu.txt").read_text() == "x"


def test_refuses_to_build_into_content(built: SiteDir) -> None:
    err = fails_and_keeps_everything(built, "--output", str(built.root / "content"), code=2)
    assert "nằm trong content/ của trang" in err


def test_refuses_a_folder_newsgen_did_not_create(built: SiteDir) -> None:
    other = built.root / "tai-lieu"
    other.mkdir()
    (other / "bao-cao.docx").write_bytes(b"quan trong")
    err = fails_and_keeps_everything(built, "--output", str(other), code=2)
    assert "đã có tệp (bao-cao.docx) nhưng không do newsgen tạo ra" in err
    assert (other / "bao-cao.docx").read_bytes() == b"quan trong"


def test_refuses_a_folder_with_only_hidden_files(built: SiteDir) -> None:
    other = built.root / "ra"
    other.mkdir()
    (other / ".gitkeep").write_bytes(b"")
    err = fails_and_keeps_everything(built, "--output", str(other), code=2)
    assert "đã có tệp (.gitkeep)" in err


def test_missing_source_folder_is_a_usage_error(site: SiteDir) -> None:
    result = site.run("build", "--source", str(site.root / "khong-co"))
    assert result.code == 2
    assert "--source: không tìm thấy thư mục của trang" in result.err


def test_bad_base_url_option_is_a_usage_error(built: SiteDir) -> None:
    err = fails_and_keeps_everything(built, "--base-url", "example.gov.vn", code=2)
    assert '--base-url: base_url "example.gov.vn" không hợp lệ' in err


@pytest.mark.parametrize("text", ["", "\n\n", "# chỉ có ghi chú\n"])
def test_empty_config_means_defaults(built: SiteDir, text: str) -> None:
    built.config(text)
    assert built.build().code == 0
    assert (built.build_dir / "tinh/son-la/index.html").is_file()


def test_files_added_to_the_output_are_not_deleted_silently(built: SiteDir) -> None:
    (built.build_dir / "CNAME").write_text("tintuc.dienbien.gov.vn\n")
    err = fails_and_keeps_everything(built, code=2)
    assert "có tệp mà newsgen không ghi ra (CNAME); tạo lại trang web sẽ xóa chúng" in err
    assert "đặt trong static/" in err


def test_a_second_build_at_the_same_time_is_refused(built: SiteDir) -> None:
    fd = os.open(built.root, os.O_RDONLY)  # what a running build holds
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        err = fails_and_keeps_everything(built, code=2)
    finally:
        os.close(fd)
    assert "một lệnh newsgen build khác đang ghi vào" in err
    assert built.build().code == 0  # and once it is done, building works again


def test_leftovers_of_a_killed_build_are_cleaned_up(built: SiteDir) -> None:
    leftover = built.root / ".build.newsgen-staging-abc123"
    (leftover / "2023").mkdir(parents=True)
    assert built.build().code == 0
    assert not leftover.exists()
    assert ".build.newsgen-staging-abc123" not in [p.name for p in built.root.iterdir()]


def test_an_empty_folder_is_fine(built: SiteDir) -> None:
    (built.root / "out").mkdir()
    assert built.build("--output", str(built.root / "out")).code == 0
    assert (built.root / "out/index.html").is_file()


def test_full_disk_keeps_the_previous_build(built: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    built.write("content/moi.md", "---\ntitle: Bài mới\ndate: 2023-02-21\nprovinces: [Sơn La]\n---\n")
    real_write = Path.write_bytes
    calls = {"n": 0}

    def write_until_full(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_until_full)
    err = fails_and_keeps_everything(built)
    assert calls["n"] > 3, "the build wrote too little to run out of space"
    assert re.search(f"{built.build_dir}/[^:]*: ổ đĩa đã đầy, không ghi được vào thư mục này", err)
    assert "giải phóng dung lượng trên ổ đĩa đó rồi tạo lại trang web" in err


def test_full_disk_in_parallel_writing(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(parallel.THRESHOLD + 10):  # enough pages to be rendered by workers
        site.write(f"content/bai-{number}.md", f"---\ntitle: Bài {number}\ndate: 2023-02-20\n---\nChữ.\n")
    assert site.build("--jobs", "2").code == 0
    site.config('site_name: "Tin tức mới"\n')  # every page changes, so workers render them
    real_write = Path.write_bytes

    def full_for_articles(self: Path, data: bytes) -> int:  # article pages are made by the workers
        if self.parent.name.startswith("bai-"):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_for_articles)
    err = fails_and_keeps_everything(site, "--jobs", "2")
    assert re.search(
        f"{site.build_dir}/2023/02/bai-[0-9]+: ổ đĩa đã đầy, không ghi được vào thư mục này", err
    )


def test_static_file_clashing_with_a_page(built: SiteDir) -> None:
    built.write("static/index.html", "<p>trang tĩnh</p>")
    err = fails_and_keeps_everything(built)
    assert "static/index.html và trang chủ cùng ghi vào tệp index.html — đổi tên tệp trong static/" in err


def test_article_clashing_with_a_listing_page(built: SiteDir) -> None:
    built.config('permalink: "/{slug}/"\n')
    built.write("content/tinh.md", "---\ntitle: Tỉnh\ndate: 2023-02-20\n---\n")
    err = fails_and_keeps_everything(built)
    assert "Các tỉnh và content/tinh.md cùng ghi vào tệp tinh/index.html" in err


def test_all_template_errors_are_reported_once_each(built: SiteDir) -> None:
    built.write("templates/article.html", "{{ article.titel }}")
    built.write("templates/term.html", "{{ term.nam }}")
    err = fails_and_keeps_everything(built)
    assert err.count("templates/article.html:1:") == 1 and err.count("templates/term.html:1:") == 1
    assert "Chưa tạo được trang web vì có 2 lỗi" in err


def test_template_error_names_template_file_and_line(built: SiteDir) -> None:
    built.write(
        "templates/article.html",
        '{% extends "base.html" %}\n{% block content %}\n{{ article.titel }}\n{% endblock %}\n',
    )
    err = fails_and_keeps_everything(built)
    assert "templates/article.html:3: template gặp lỗi khi tạo trang" in err
    assert "titel" in err


def test_template_error_inside_an_included_partial(built: SiteDir) -> None:
    built.write("templates/partials/article_item.html", "<p>\n{{ article.tieu_de }}</p>\n")
    err = fails_and_keeps_everything(built)
    assert "templates/partials/article_item.html:2: template gặp lỗi khi tạo trang" in err


def test_a_listing_item_using_page_variables_is_told_what_it_gets(built: SiteDir) -> None:
    built.write("templates/partials/article_item.html", "<p>{{ article.title }}</p>\n{{ term.name }}\n")
    err = fails_and_keeps_everything(built)
    assert (
        "templates/partials/article_item.html:2: template gặp lỗi khi tạo trang: 'term' is undefined" in err
    )
    assert "partials/article_item.html chỉ nhận article và config" in err


def test_a_misspelt_article_item_argument_is_blamed_on_the_calling_template(built: SiteDir) -> None:
    loop = "{% for a in pagination.items %}{{ article_item(artcle) }}{% endfor %}"
    built.write(
        "templates/term.html",
        f'{{% extends "theme/term.html" %}}\n{{% block content %}}\n{loop}\n{{% endblock %}}\n',
    )
    err = fails_and_keeps_everything(built)
    assert "templates/term.html:3: template gặp lỗi khi tạo trang: 'artcle' is undefined" in err


def test_template_syntax_error(built: SiteDir) -> None:
    built.write("templates/index.html", "<h1>\n{% if %}\n")
    assert "templates/index.html:2: lỗi cú pháp template" in fails_and_keeps_everything(built)


def test_missing_template(built: SiteDir) -> None:
    built.write("templates/index.html", '{% extends "khung.html" %}\n')
    err = fails_and_keeps_everything(built)
    assert 'không tìm thấy template "khung.html"' in err and "templates/index.html" in err


def test_symlink_in_static_to_a_file_outside_the_site(built: SiteDir, tmp_path: Path) -> None:
    secret = tmp_path / "mat-khau.txt"
    secret.write_text("bí mật")
    (built.root / "static").mkdir()
    (built.root / "static/passwd.txt").symlink_to(secret)
    err = fails_and_keeps_everything(built)
    assert f"static/passwd.txt là liên kết tới {secret}, ở ngoài thư mục của trang" in err


@pytest.mark.parametrize(
    "pattern",
    [
        "/{slug}/{}/",
        "/{slug.__class__}/{slug}/",
        "/{year:>9}/{slug}/",
        "/{slug}?a/",
        "/{slug}/../../x/",
        "/{year}//{slug}/",
        "/./{slug}/",
    ],
)
def test_permalink_that_is_not_a_plain_pattern(built: SiteDir, pattern: str) -> None:
    built.config(f'permalink: "{pattern}"\n')
    assert f'newsgen.yaml:1: permalink "{pattern}" không hợp lệ' in fails_and_keeps_everything(built)


@pytest.mark.parametrize("url", ["/\\\\evil.example/", "https://x.gov.vn/tin tuc/"])
def test_base_url_that_browsers_would_misread(built: SiteDir, url: str) -> None:
    built.config(f"base_url: '{url}'\n")
    assert "base_url" in fails_and_keeps_everything(built)


@pytest.mark.parametrize(
    "date", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00+08:00", "20230220", "2023-W08-1", "2023-02-20T08"]
)
def test_dates_out_of_range_or_in_unusual_iso_forms(built: SiteDir, date: str) -> None:
    built.write("content/hong.md", f"---\ntitle: Bài\ndate: '{date}'\n---\n")
    assert f'content/hong.md:3: date: "{date}" sai dạng ngày' in fails_and_keeps_everything(built)


def test_bad_timezone_that_names_a_folder(built: SiteDir) -> None:
    built.config("timezone: Asia\n")
    assert 'newsgen.yaml:1: múi giờ "Asia" không tồn tại' in fails_and_keeps_everything(built)


def test_deeply_nested_front_matter(built: SiteDir) -> None:
    built.write(
        "content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\nx: " + "[" * 3000 + "]" * 3000 + "\n---\n"
    )
    err = fails_and_keeps_everything(built)
    # libyaml 0.2.6+ stops at its own depth limit (line 4); older ones recurse until Python stops them.
    assert re.search(r"content/hong.md:[24]: các dấu ngoặc \[ \] \{ \} lồng nhau quá sâu", err), err


def test_deeply_nested_markdown(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\n---\n" + "*" * 5000 + "x" + "*" * 5000)
    assert "content/hong.md:5: nội dung bài lồng nhau quá sâu" in fails_and_keeps_everything(built)


def test_unreadable_article(built: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    built.write("content/hong.md", GOOD)
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "hong.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    err = fails_and_keeps_everything(built)
    assert "content/hong.md: newsgen không có quyền đọc tệp này — kiểm tra quyền đọc" in err


def test_open_theme_without_letters(built: SiteDir) -> None:
    built.write("content/hong.md", "---\ntitle: Bài\ndate: 2023-02-20\nthemes: ['!!!']\n---\n")
    err = fails_and_keeps_everything(built)
    assert 'content/hong.md:4: chủ đề "!!!" không có chữ hoặc số để làm đường dẫn' in err
