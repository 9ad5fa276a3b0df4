"""`newsgen init` and `newsgen new`: the files they write, and what they refuse."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SiteDir, snapshot
from newsgen import build
from newsgen.commands.scaffold import STARTER_DIR, new_article
from newsgen.config import settings as config_module
from newsgen.config.settings import DEFAULT_PROVINCES, load_config

SEVEN = list(DEFAULT_PROVINCES)

NOW = datetime(2026, 1, 31, 20, 30, tzinfo=UTC)  # already 1 February in Vietnam


def test_new_writes_a_draft_dated_in_the_sites_time_zone(site: SiteDir) -> None:
    path = new_article(load_config(site.root), "Điện Biên đẩy mạnh chuyển đổi số", ["điện biên"], [], NOW)
    assert path == site.root / "content/articles/2026/02/dien-bien-day-manh-chuyen-doi-so.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Điện Biên đẩy mạnh chuyển đổi số"\ndate: 01/02/2026 03:30\n' in text
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
    result = site.run("new", "Tin mới", "--theme", "Chuyển đổi sô")  # a mark wrong: not the theme
    assert result.code == 2 and 'có phải "Chuyển đổi số"?' in result.err


def test_names_typed_without_marks_are_written_as_the_list_spells_them(site: SiteDir) -> None:
    site.config(
        "themes:\n  - name: Chuyển đổi số\n  - name: Tin bão\n    slug: tin-bao-lu\n  - name: Tin báo\n"
    )
    result = site.run("new", "Tin mới", "--province", "Dien Bien", "--theme", "chuyen doi so")
    assert result.code == 0, result.err
    text = next((site.root / "content/articles").rglob("*.md")).read_text(encoding="utf-8")
    assert 'provinces: ["Điện Biên"]' in text and 'themes: ["Chuyển đổi số"]' in text
    result = site.run("new", "Tin khác", "--theme", "tin bao")  # two themes without their marks
    assert result.code == 2
    assert (
        '--theme: chủ đề "tin bao" không có trong danh sách — viết có dấu để chọn một:'
        ' "Tin bão" hay "Tin báo"' in result.err
    )


def test_a_title_without_letters_is_refused(site: SiteDir) -> None:
    result = site.run("new", "!!! ???")
    assert result.code == 2 and "không có chữ hoặc số để làm đường dẫn" in result.err


def test_init_makes_a_site_that_builds(tmp_path: Path, site: SiteDir) -> None:
    folder = tmp_path / "trang-moi"
    result = site.run("init", str(folder))
    assert result.code == 0, result.err
    for name in ("newsgen.yaml", "content/articles/bai-viet-mau.md", "templates/README.md", ".gitignore"):
        assert f"Đã tạo {folder / name}" in result.out or f"Đã tạo {name}" in result.out
    assert (folder / "static/images").is_dir()
    assert "/build/" in (folder / ".gitignore").read_text(encoding="utf-8")
    config = load_config(folder)
    default = load_config(tmp_path).provinces  # no newsgen.yaml: the default vocabulary
    assert {(e.name, e.until, e.successor) for e in config.provinces.entries} == {
        (e.name, e.until, e.successor) for e in default.entries
    }  # the 2025 arrangement, Hà Giang and Yên Bái until 30/06/2025
    assert {*SEVEN, "Tuyên Quang", "Yên Bái"} == {e.name for e in default.entries} and config.themes.closed
    assert build(folder).articles == 1
    assert "Tuyên Quang" in (folder / "build/tinh/ha-giang/index.html").read_text(encoding="utf-8")


def test_every_key_of_the_starter_config_is_explained() -> None:
    lines = (STARTER_DIR / "newsgen.yaml").read_text(encoding="utf-8").split("\n")
    keys = {match[1]: number for number, line in enumerate(lines) if (match := re.match(r"([a-z_]+):", line))}
    assert set(keys) == set(config_module._KEYS)  # every key newsgen reads
    assert all(lines[number - 1].startswith("#") for number in keys.values())


def test_init_writes_only_what_is_missing(site: SiteDir) -> None:
    site.config("site_name: Trang của tôi\n")
    site.write("templates/README.md", "của tôi")
    before = snapshot(site.root)
    result = site.run("init")
    assert result.code == 0, result.err
    assert "Đã có, để nguyên: newsgen.yaml" in result.out
    assert "Đã có, để nguyên: templates/README.md" in result.out
    assert "Đã tạo content/articles/bai-viet-mau.md" in result.out
    after = snapshot(site.root)
    assert {path: after[path] for path in before} == before  # nothing there before was touched
    assert site.run("init").out.count("Đã tạo") == 0


def test_init_writes_the_starter_pages_only_with_the_starter_menu(site: SiteDir, tmp_path: Path) -> None:
    site.config("site_name: Trang của tôi\n")  # a menu of its own, or none: no page to lead to
    assert site.run("init").code == 0
    assert not (site.root / "content/pages").exists()
    fresh = tmp_path / "moi"
    assert site.run("init", str(fresh)).code == 0
    assert sorted(path.name for path in (fresh / "content/pages").iterdir()) == [
        "gioi-thieu.md",
        "lien-he.md",
    ]
    assert site.run("build", "--source", str(fresh)).code == 0  # the menu leads to them


def test_new_outside_a_site_says_where_to_run_it(tmp_path: Path, site: SiteDir) -> None:
    result = site.run("new", "Tin mới", "--source", str(tmp_path))
    assert result.code == 2
    assert "không tìm thấy thư mục content/" in result.err and "newsgen init" in result.err
    assert list(tmp_path.iterdir()) == [site.root]  # nothing written beside the site


def test_init_adds_no_example_to_a_site_with_articles(site: SiteDir) -> None:
    site.article("tin-that", title="Tin thật")
    result = site.run("init")
    assert result.code == 0 and "bai-viet-mau" not in result.out
    assert not (site.root / "content/articles/bai-viet-mau.md").exists()
    assert (site.root / "newsgen.yaml").is_file()


def test_new_writes_hints_to_uncomment_not_empty_lines(site: SiteDir) -> None:
    assert site.run("new", "Tin mới", "--province", "Sơn La").code == 0
    path = next((site.root / "content/articles").rglob("*.md"))
    text = path.read_text(encoding="utf-8")
    assert '""' not in text and "\n# author: Họ và tên  # tác giả\n" in text
    filled = (
        text.replace("# author:", "author:").replace("# summary:", "summary:").replace("draft: true\n", "")
    )
    path.write_text(filled, encoding="utf-8")
    built = site.build()
    assert built.code == 0, built.err
    page = site.page(f"{path.relative_to(site.root / 'content/articles').parent}/tin-moi/index.html")
    assert "Tác giả: Họ và tên" in page and "Một hai câu tóm tắt" in page


@pytest.mark.parametrize(("folder", "last"), [("trang-moi", "cd trang-moi"), ("Trang mới", 'cd "Trang mới"')])
def test_init_ends_by_saying_how_to_go_into_the_new_site(site: SiteDir, folder: str, last: str) -> None:
    result = site.run("init", folder)
    assert result.code == 0
    assert result.out.splitlines()[-1] == f"Trước hết, vào thư mục của trang: {last}"
    assert "Trước hết" not in site.run("init", ".").out  # already in it
