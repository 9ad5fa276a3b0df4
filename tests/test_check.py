"""`newsgen check`: what it finds, how it says so, and that it writes nothing."""

from __future__ import annotations

import json

from conftest import SiteDir, photo, snapshot


def untidy_site(site: SiteDir) -> None:
    site.write("static/images/a.jpg", photo())
    site.article(
        "bao",
        title="Tin bão",
        date="2023-01-10 08:00",
        provinces=["Lào Cai"],
        image="/images/a.jpg",
        body="Xem ![](/images/a.jpg) và [bài cũ](/2020/01/khong-co/).\n\n`![](/images/trong-code.jpg)`\n",
    )
    site.article("bao-2", title="Tin báo", date="2023-02-10 08:00", provinces=["Lào Cai"], image_alt="x")
    site.article("khong-tinh", title="Không có tỉnh", date="2023-03-10 08:00")


def test_check_finds_what_a_build_finds_and_more(site: SiteDir) -> None:
    untidy_site(site)
    result = site.run("check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "Lỗi: content/bao.md:8: liên kết /2020/01/khong-co/ không dẫn tới trang hay tệp nào" in result.out
    assert any(
        line.startswith("Lưu ý: content/bao.md:6: ảnh đại diện chưa có mô tả (image_alt)") for line in lines
    )
    assert any(line.startswith("Lưu ý: content/bao.md:8: ảnh trong bài chưa có mô tả") for line in lines)
    assert "content/bao.md:10" not in result.out  # the image in code is no image
    assert (
        'Lưu ý: content/bao.md:2: đường dẫn "tin-bao" trùng với bài content/bao-2.md ("Tin báo"), '
        in result.out
    )
    assert "hai tiêu đề chỉ khác dấu" in result.out
    assert "Lưu ý: content/khong-tinh.md:2: bài chưa gắn với tỉnh nào" in result.out
    assert lines[-1] == "Kiểm tra xong: 1 lỗi, 4 lưu ý."


def test_check_in_json_for_ci(site: SiteDir) -> None:
    untidy_site(site)
    result = site.run("check", "--format", "json")
    assert result.code == 1
    problems = json.loads(result.out)
    found = {(p["file"], p["line"], p["level"], p["code"]) for p in problems}
    assert found == {
        ("content/bao.md", 8, "error", "broken-link"),
        ("content/bao.md", 6, "warning", "missing-alt"),
        ("content/bao.md", 8, "warning", "missing-alt"),
        ("content/bao.md", 2, "warning", "similar-slugs"),
        ("content/khong-tinh.md", 2, "warning", "no-province"),
    }
    assert all(p["message"] and p["hint"] for p in problems)


def test_warnings_fail_only_with_strict(site: SiteDir) -> None:
    site.article("khong-tinh", title="Không có tỉnh")
    assert site.run("check").code == 0
    strict = site.run("check", "--strict")
    assert strict.code == 1 and "Lỗi: content/khong-tinh.md:2: bài chưa gắn với tỉnh nào" in strict.out


def test_check_finds_template_errors(site: SiteDir) -> None:
    site.article("a", provinces=["Sơn La"])
    site.write("templates/article.html", "{{ article.titel }}")
    result = site.run("check")
    assert result.code == 1 and "Lỗi: templates/article.html:1: template gặp lỗi khi tạo trang" in result.out


def test_check_writes_nothing(site: SiteDir) -> None:
    untidy_site(site)
    before = snapshot(site.root)
    site.run("check")
    assert snapshot(site.root) == before  # no build/, no .newsgen-cache/
    site.article("khong-tinh", title="Không có tỉnh", provinces=["Sơn La"])
    site.write("content/bao.md", "---\ntitle: Tin bão\ndate: 2023-01-10\nprovinces: [Lào Cai]\n---\nChữ.\n")
    assert site.build().code == 0
    before = snapshot(site.root)
    assert site.run("check").code == 0
    assert snapshot(site.root) == before  # the build and its caches as they were


def test_strict_does_not_fail_on_a_scheduled_article(site: SiteDir) -> None:
    site.article("sau", title="Hẹn giờ", date="2999-01-01 08:00", provinces=["Sơn La"])
    result = site.run("check", "--strict")
    assert result.code == 0 and "Lưu ý: content/sau.md:3: bài hẹn giờ" in result.out


def test_a_wrong_format_is_named_as_a_value(site: SiteDir) -> None:
    result = site.run("check", "--format", "yaml")
    assert result.code == 2 and "--format: không nhận 'yaml' (chỉ nhận: 'text', 'json')" in result.err


def test_check_says_it_left_drafts_out(site: SiteDir) -> None:
    site.article("nhap", title="Nháp", draft=True, provinces=["Sơn La"])
    result = site.run("check", "--strict")
    assert result.code == 0
    assert "Lưu ý: 1 bản nháp chưa được kiểm tra — thêm --drafts để kiểm tra cả bản nháp" in result.out
    assert "bản nháp chưa được kiểm tra" not in site.run("check", "--drafts").out


def test_an_article_with_a_front_matter_error_has_its_links_checked_too(site: SiteDir) -> None:
    site.article("dung", title="Bài đúng")
    site.write(
        "content/sai.md",
        "---\ntitle: Bài sai\ndate: hôm qua\n---\n"
        "Xem [bài đúng](/2023/02/bai-dung/) và [bài cũ](/2020/01/khong-co/).\n",
    )
    result = site.run("check")
    assert result.code == 1
    assert "Lỗi: content/sai.md:3: " in result.out  # the date
    assert "Lỗi: content/sai.md:5: liên kết /2020/01/khong-co/ không dẫn tới trang" in result.out
    assert "/2023/02/bai-dung/ không dẫn" not in result.out


def test_titles_in_the_two_tone_placements_are_one_title(site: SiteDir) -> None:
    site.article("a", title="Văn hoá số", date="2023-01-10 08:00", provinces=["Lào Cai"])
    site.article("b", title="Văn hóa số", date="2023-02-10 08:00", provinces=["Lào Cai"])
    site.article("c", title="Văn hoa số", date="2023-03-10 08:00", provinces=["Lào Cai"])
    result = site.run("check")
    notes = [line for line in result.out.splitlines() if "trùng với bài" in line]
    assert len(notes) == 1 and "content/c.md" in notes[0] and "hai tiêu đề chỉ khác dấu" in notes[0], notes
