"""Provinces that change: since 1/7/2025 Hà Giang is part of Tuyên Quang and Yên Bái part of Lào
Cai. An article keeps the names of its day; the vocabulary says until when a name stood."""

from __future__ import annotations

import pytest

from conftest import SiteDir, fails_and_keeps_everything


def test_an_article_after_a_province_s_end_gets_a_note_naming_its_successor(site: SiteDir) -> None:
    site.article("cu", title="Tin cũ", date="2023-05-10 08:00", provinces=["Hà Giang"])
    site.article("moi", title="Tin mới", date="20/11/2026 08:00", provinces=["Hà Giang"])
    check = site.run("check")
    assert check.code == 0
    note = (
        'Lưu ý: content/moi.md:4: tỉnh "Hà Giang" chỉ dùng đến ngày 30/06/2025, nhưng bài đăng ngày'
        ' 20/11/2026 — từ ngày 01/07/2025, viết "Tuyên Quang"'
    )
    assert note in check.out and "content/cu.md" not in check.out, check.out
    strict = site.run("check", "--strict")
    assert strict.code == 1 and 'Lỗi: content/moi.md:4: tỉnh "Hà Giang" chỉ dùng đến ngày' in strict.out
    site.write(
        "content/van-ban/12.md",
        "---\nnumber: 12/KH\ntype: KH\nissued: 01/12/2026\nsummary: Kế hoạch\nprovinces: [Hà Giang]\n---\n",
    )
    assert (
        'content/van-ban/12.md:6: tỉnh "Hà Giang" chỉ dùng đến ngày 30/06/2025,'
        " nhưng văn bản ban hành ngày 01/12/2026" in site.run("check").out
    )


def test_yen_bai_is_its_own_former_province_not_lao_cai(site: SiteDir) -> None:
    site.article("yb", title="Yên Bái phát động thi đua", date="2023-03-01 08:00", provinces=["Yên Bái"])
    assert site.build().code == 0
    assert "Yên Bái phát động thi đua" in site.page("tinh/yen-bai/index.html")
    lao_cai = site.page("tinh/lao-cai/index.html").split("<main")[1].split("</main>")[0]
    assert "Yên Bái phát động thi đua" not in lao_cai  # not anachronistic
    assert site.run("check").out.count("Lưu ý") == 0


def test_a_former_province_s_page_and_its_successor_s_link_to_each_other(site: SiteDir) -> None:
    site.article("a", provinces=["Hà Giang"])
    assert site.build().code == 0
    former = site.page("tinh/ha-giang/index.html")
    assert 'Từ ngày 01/07/2025: xem <a href="/tinh/tuyen-quang/">Tuyên Quang</a>' in former
    successor = site.page("tinh/tuyen-quang/index.html")
    assert 'Trước ngày 01/07/2025: xem <a href="/tinh/ha-giang/">Hà Giang</a>' in successor
    assert "Trước ngày" not in site.page("tinh/son-la/index.html")
    sidebar = site.page("tinh/son-la/index.html").split('class="term-counts"')[1].split("</ul>")[0]
    assert "Hà Giang" in sidebar and "Yên Bái" not in sidebar  # a former province without articles


def test_a_name_before_its_first_day_gets_a_note_naming_the_one_before(site: SiteDir) -> None:
    site.config(
        "themes:\n  - name: Chuyển đổi số\n  - name: Tin học hóa\n    until: 31/12/2019\n"
        "    successor: Chuyển đổi số\n  - name: Kinh tế số\n    since: 2022-01-01\n"
    )
    site.article("a", title="A", date="2021-06-01 08:00", themes=["Kinh tế số"])
    out = site.run("check").out
    assert (
        'chủ đề "Kinh tế số" có từ ngày 01/01/2022, nhưng bài đăng ngày 01/06/2021 — kiểm tra lại ngày đăng'
        in out
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "    until: 30/06/2025\n    successor: Tuyen Quangg\n",
            'successor của "Hà Giang" là "Tuyen Quangg", không có trong provinces',
        ),
        ("    successor: Sơn La\n", '"Hà Giang" có successor mà không có until'),
        (
            "    until: 30/06/2025\n    successor: hà giang\n",
            'successor của "Hà Giang" là "hà giang", là chính nó',
        ),
        ("    until: 31/06/2025\n", 'until: "31/06/2025" sai dạng ngày hoặc là ngày không có thật'),
        ("    since: 2025-07-01\n    until: 2025-06-30\n", '"Hà Giang": until phải sau since'),
    ],
)
def test_a_wrong_date_or_successor_in_the_vocabulary_is_named_with_its_line(
    site: SiteDir, entry: str, message: str
) -> None:
    site.article("a", provinces=["Sơn La"])
    assert site.build().code == 0
    site.config(f"provinces:\n  - name: Sơn La\n  - name: Hà Giang\n{entry}")
    err = fails_and_keeps_everything(site)
    assert "newsgen.yaml:" in err and message in err, err
