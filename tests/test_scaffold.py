"""`newsgen new`: the file it writes, and what it refuses."""

from __future__ import annotations

from datetime import datetime, timezone

from conftest import SiteDir, snapshot
from newsgen.config import load_config
from newsgen.scaffold import new_article

NOW = datetime(2026, 1, 31, 20, 30, tzinfo=timezone.utc)  # already 1 February in Vietnam


def test_new_writes_a_draft_dated_in_the_sites_time_zone(site: SiteDir) -> None:
    path = new_article(load_config(site.root), "Điện Biên đẩy mạnh chuyển đổi số", ["điện biên"], [], NOW)
    assert path == site.root / "content/articles/2026/02/dien-bien-day-manh-chuyen-doi-so.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Điện Biên đẩy mạnh chuyển đổi số"\ndate: 2026-02-01 03:30\n' in text
    assert 'provinces: ["Điện Biên"]' in text and "draft: true" in text


def test_the_command_prints_the_path_and_the_article_builds_as_a_draft(site: SiteDir) -> None:
    title = 'Lai Châu: hội nghị "thi đua" #1 – 50% [xong]'  # quotes, a colon, a #, brackets
    result = site.run("new", title, "--province", "Lai Châu; Sơn La", "--theme", "Chuyển đổi số")
    assert result.code == 0, result.err
    assert result.out.startswith("Đã tạo bài nháp content/articles/") and result.out.rstrip().endswith(".md")
    assert site.build().code == 0
    assert "Lai Châu: hội nghị" not in site.page("index.html")  # a draft: not in a build
    built = site.build("--drafts")
    assert built.code == 0, built.err
    assert "Lai Châu: hội nghị &#34;thi đua&#34; #1 – 50% [xong]" in site.page("tinh/son-la/index.html")
    assert "Bản nháp" in site.page("tinh/son-la/index.html")


def test_new_never_overwrites_a_file(site: SiteDir) -> None:
    assert site.run("new", "Tin mới").code == 0
    before = snapshot(site.root / "content")
    again = site.run("new", "Tin mới")
    assert again.code == 2
    assert "content/articles/" in again.err and "newsgen không ghi đè lên nó" in again.err
    assert snapshot(site.root / "content") == before


def test_an_unknown_province_is_refused_with_a_suggestion(site: SiteDir) -> None:
    result = site.run("new", "Tin mới", "--province", "Dien Bienn")
    assert result.code == 2
    assert '--province: tỉnh "Dien Bienn" không có trong danh sách — có phải "Điện Biên"?' in result.err
    assert not (site.root / "content/articles").exists()


def test_a_closed_theme_list_refuses_other_themes(site: SiteDir) -> None:
    site.config("themes:\n  - name: Chuyển đổi số\n")
    result = site.run("new", "Tin mới", "--theme", "chuyen doi so")
    assert result.code == 2 and 'có phải "Chuyển đổi số"?' in result.err


def test_a_title_without_letters_is_refused(site: SiteDir) -> None:
    result = site.run("new", "!!! ???")
    assert result.code == 2 and "không có chữ hoặc số để làm đường dẫn" in result.err
