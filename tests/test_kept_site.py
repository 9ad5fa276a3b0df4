"""`newsgen serve`'s builder keeps the site's model in memory; after edits that move no article it
renders only what shows them. Whatever path a build takes, it makes what a clean build makes."""

from __future__ import annotations

import importlib
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteDir, photo, site_snapshot, snapshot
from newsgen import build
from newsgen.errors import BuildFailed
from newsgen.incremental.memory import Memory
from test_incremental import NOW, clean_build_of, contents, far_reaching_templates, sample  # noqa: F401


def write_bai_3(site: SiteDir, body: str = "Nội dung bài 3.\n", **fields: Any) -> None:
    fields = {
        "title": "Bài số 3",
        "date": "2023-03-10 08:00",
        "provinces": ["Sơn La", "Điện Biên"],
        "themes": ["Chuyển đổi số"],
        **fields,
    }
    site.article("bai-3", body=body, **fields)


@pytest.fixture
def news(sample: SiteDir) -> SiteDir:  # noqa: F811 - the fixture imported above
    """test_incremental's sample, with feeds and a sitemap, and five newer articles, which the
    sidebar lists on every page."""
    sample.config("per_page: 2\nbase_url: https://tin.example.vn/\n")
    for day in range(1, 6):
        sample.article(f"tin-{day}", title=f"Tin {day}", date=f"2023-07-0{day} 08:00", provinces=["Lai Châu"])
    return sample


def settle(folder: Path) -> None:
    """Date the files a minute back: a file changed within a timestamp's resolution of a build
    may change again unseen, so the kept model is not trusted with it."""
    past = time.time() - 60
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def no_full_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a full build ran")

    monkeypatch.setattr(importlib.import_module("newsgen.pipeline"), "build_site", refuse)


def retitle(site: SiteDir) -> None:
    write_bai_3(site, title="Bài số 3 đã đổi tên")  # no slug: its address changes too


def retitle_keeping_the_address(site: SiteDir) -> None:
    write_bai_3(site, title="Bài số 3 đã đổi tên", slug="bai-so-3")


def edit_body(site: SiteDir) -> None:
    write_bai_3(site, body="Đã sửa.\n")  # its first paragraph, and so its summary


def edit_body_after_summary(site: SiteDir) -> None:
    write_bai_3(site, body="Nội dung bài 3.\n\nĐoạn thêm vào cuối bài.\n")


def add_summary_and_image(site: SiteDir) -> None:
    write_bai_3(site, summary="Tóm tắt mới.", image="/anh.jpg", image_alt="Ảnh")
    site.write("static/anh.jpg", photo())


@pytest.mark.parametrize("edit", [retitle, retitle_keeping_the_address, edit_body, edit_body_after_summary])
@pytest.mark.parametrize("far", [False, True])
def test_edits_that_move_no_article_render_only_what_shows_them(
    news: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Any, far: bool
) -> None:
    if far:
        far_reaching_templates(news)  # pages that read every article and every listing
        settle(news.root / "templates")
    kept = Memory()
    build(news.root, now=NOW, memory=kept)  # the first build models the site
    edit(news)
    with monkeypatch.context() as patched:
        no_full_build(patched)
        report = build(news.root, now=NOW, memory=kept)
    assert 0 < report.pages_rendered < report.pages
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)
    again = build(news.root, now=NOW)  # the records say what the folder holds
    assert (again.changed, again.removed) == (0, 0)


def test_a_moved_page_shows_a_later_edit_of_its_text(news: SiteDir, tmp_path: Path) -> None:
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    retitle(news)
    build(news.root, now=NOW, memory=kept)
    write_bai_3(news, title="Bài số 3 đã đổi tên", body="Nội dung bài 3.\n\nĐoạn thêm vào cuối bài.\n")
    build(news.root, now=NOW, memory=kept)  # shows in its page alone, at its new address
    assert "Đoạn thêm vào cuối bài." in news.page("2023/03/bai-so-3-da-doi-ten/index.html")
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)


def test_a_changed_setting_reaches_the_addresses_templates_make_of_fixed_text(
    news: SiteDir, tmp_path: Path
) -> None:
    """Jinja works out `'/x' | filter` when it compiles a template; compiled templates are kept
    from build to build, settings are not."""
    news.write("templates/404.html", "<a href=\"{{ '/anh/logo.png' | site_url }}\">logo</a>")
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    news.config("per_page: 2\nbase_url: https://tin.example.vn/tin/\n")
    build(news.root, now=NOW, memory=kept)
    assert 'href="/tin/anh/logo.png"' in news.page("404.html")
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)


def test_a_moved_article_leaves_its_old_page_and_the_sitemap_names_the_new(news: SiteDir) -> None:
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    retitle(news)
    build(news.root, now=NOW, memory=kept)
    assert not (news.build_dir / "2023/03/bai-so-3").exists()
    assert "Bài số 3 đã đổi tên" in news.page("2023/03/bai-so-3-da-doi-ten/index.html")
    sitemap = news.page("sitemap.xml")
    assert "/2023/03/bai-so-3-da-doi-ten/" in sitemap and "/2023/03/bai-so-3/" not in sitemap
    with sqlite3.connect(news.root / ".newsgen-cache/state.sqlite") as store:
        recorded = {path for (path,) in store.execute("SELECT path FROM pages")}
    assert "2023/03/bai-so-3-da-doi-ten/index.html" in recorded
    assert "2023/03/bai-so-3/index.html" not in recorded  # the store holds only pages that are there


def change_date(site: SiteDir) -> None:
    write_bai_3(site, date="2023-06-10 08:00")


def change_provinces(site: SiteDir) -> None:
    write_bai_3(site, provinces=["Cao Bằng"])


def make_draft(site: SiteDir) -> None:
    write_bai_3(site, draft=True)


def add_article(site: SiteDir) -> None:
    site.article("bai-moi", title="Bài mới", date="2023-06-01 08:00", provinces=["Lai Châu"])


def change_template(site: SiteDir) -> None:
    site.write("templates/partials/article_item.html", "<li>{{ article.title }}!</li>")


def feature_and_pin(site: SiteDir) -> None:
    """Which article leads the home page, and which are in "Tin nổi bật": chosen by a full build."""
    write_bai_3(site, featured=True, pinned_until="2026-02-01")


def retitle_the_newest(site: SiteDir) -> None:
    """The sidebar lists the newest articles: every page shows the new title."""
    site.article("tin-5", title="Tin số 5 đổi tên", date="2023-07-05 08:00", provinces=["Lai Châu"])


@pytest.mark.parametrize(
    "edit",
    [
        change_date,
        change_provinces,
        make_draft,
        add_article,
        change_template,
        retitle_the_newest,
        feature_and_pin,
    ],
)
def test_other_changes_are_full_builds(news: SiteDir, tmp_path: Path, edit: Any) -> None:
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    edit(news)
    build(news.root, now=NOW, memory=kept)
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)


def test_edits_in_a_row_each_build_what_a_clean_build_makes(news: SiteDir, tmp_path: Path) -> None:
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    for edit in (edit_body, retitle, add_summary_and_image, change_date, retitle_keeping_the_address):
        edit(news)
        build(news.root, now=NOW, memory=kept)
        assert contents(news.build_dir) == clean_build_of(news, tmp_path), edit.__name__


def test_a_new_address_that_breaks_a_link_is_an_error(news: SiteDir) -> None:
    news.article("lien-ket", "Xem [bài 3](/2023/03/bai-so-3/).\n", title="Liên kết", date="2023-01-01")
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    before = snapshot(news.build_dir)
    retitle(news)
    with pytest.raises(BuildFailed) as failed:
        build(news.root, now=NOW, memory=kept)
    assert [str(problem).split(" — ")[0] for problem in failed.value.problems] == [
        "content/lien-ket.md:5: liên kết /2023/03/bai-so-3/ không dẫn tới trang hay tệp nào của trang web"
    ]
    assert snapshot(news.build_dir) == before


def test_a_link_written_since_the_first_build_is_checked_when_its_page_moves(news: SiteDir) -> None:
    news.article("lien-ket", "Chưa có liên kết.\n", title="Liên kết", date="2023-01-01")
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    news.article("lien-ket", "Xem [bài 3](/2023/03/bai-so-3/).\n", title="Liên kết", date="2023-01-01")
    build(news.root, now=NOW, memory=kept)  # an edit the kept model takes in, link and all
    before = snapshot(news.build_dir)
    retitle(news)
    with pytest.raises(BuildFailed) as failed:
        build(news.root, now=NOW, memory=kept)
    assert [problem.code for problem in failed.value.problems] == ["broken-link"]
    assert snapshot(news.build_dir) == before


def test_a_new_address_taken_by_another_article_is_an_error(news: SiteDir) -> None:
    news.article("bai-khac", title="Bài khác", date="2023-03-20 08:00")
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    before = snapshot(news.build_dir)
    write_bai_3(news, title="Bài khác")  # same month: the same address
    with pytest.raises(BuildFailed) as failed:
        build(news.root, now=NOW, memory=kept)
    messages = [str(problem).split(" — ")[0] for problem in failed.value.problems]
    assert "content/bai-khac.md:2: bài này và content/bai-3.md có cùng địa chỉ /2023/03/bai-khac/" in messages
    assert snapshot(news.build_dir) == before


def test_an_article_can_take_the_address_another_just_left(news: SiteDir, tmp_path: Path) -> None:
    news.article("a", title="Alpha", date="2023-03-20 08:00")
    news.article("b", title="Beta", date="2023-03-21 08:00")
    kept = Memory(own_output=True)
    build(news.root, now=NOW, memory=kept)
    news.article("a", title="Gamma", date="2023-03-20 08:00")  # leaves /2023/03/alpha/
    news.article("b", title="Alpha", date="2023-03-21 08:00")  # takes it
    build(news.root, now=NOW, memory=kept)
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)
    write_bai_3(news, body="Đã sửa.\n")  # the output's list of files still says what it holds
    build(news.root, now=NOW, memory=kept)
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)


@pytest.mark.parametrize("kept", [None, Memory()], ids=["build", "serve"])
def test_a_page_folder_deleted_by_hand_before_its_article_moves(
    news: SiteDir, tmp_path: Path, kept: Memory | None
) -> None:
    build(news.root, now=NOW, memory=kept)
    shutil.rmtree(news.build_dir / "2023/03/bai-so-3")
    retitle(news)
    build(news.root, now=NOW, memory=kept)
    assert contents(news.build_dir) == clean_build_of(news, tmp_path)


def test_a_file_saved_again_unchanged_builds_nothing(news: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = Memory(own_output=True)
    build(news.root, now=NOW, memory=kept)
    before = site_snapshot(news.build_dir)
    write_bai_3(news)  # the same bytes, a new mtime
    with monkeypatch.context() as patched:
        no_full_build(patched)
        report = build(news.root, now=NOW, memory=kept)
    assert (report.pages_rendered, report.changed) == (0, 0)
    assert site_snapshot(news.build_dir) == before


def test_a_photo_focus_moved_makes_the_thumbnail_it_asks_for(news: SiteDir, tmp_path: Path) -> None:
    news.write("static/anh.jpg", photo(size=(800, 800)))
    write_bai_3(news, image="/anh.jpg", image_alt="Ảnh")
    settle(news.root / "static")
    kept = Memory()
    build(news.root, now=NOW, memory=kept)
    write_bai_3(news, image="/anh.jpg", image_alt="Ảnh", image_focus="trên")
    build(news.root, now=NOW, memory=kept)
    built = contents(news.build_dir)
    assert any(b'src="/anh.thumb-50-0.720.jpg"' in data for data in built.values())  # in its listings
    assert built == clean_build_of(news, tmp_path)
