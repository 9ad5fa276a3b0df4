"""A build that reuses the cache produces exactly what a clean build produces."""

from __future__ import annotations

import importlib
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteDir, index_meaning, photo, site_snapshot, snapshot
from newsgen import build
from newsgen.errors import BuildFailed
from newsgen.sources import content
from newsgen.state.store import CACHE_DIR
from newsgen.write.marker import CHANGES, MARKER

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STORE = "state.sqlite"


def contents(folder: Path) -> dict[str, bytes]:
    """The output's files, but the list of what the last build changed, which a clean build cannot
    share, and the search index by what it means (its ids may differ)."""
    return index_meaning({path: data for path, (data, _mtime) in snapshot(folder).items() if path != CHANGES})


def clean_build_of(site: SiteDir, tmp_path: Path, now: datetime = NOW) -> dict[str, bytes]:
    """The same site built from nothing in another folder."""
    copy = tmp_path / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("build", CACHE_DIR))
    build(copy, now=now)
    return contents(copy / "build")


@pytest.fixture
def sample(site: SiteDir) -> SiteDir:
    site.config("per_page: 2\n")
    for number in range(1, 6):
        site.article(
            f"bai-{number}",
            title=f"Bài số {number}",
            date=f"2023-0{number}-10 08:00",
            provinces=["Sơn La", "Điện Biên"][: 1 + number % 2],
            themes=["Chuyển đổi số"] if number % 2 else [],
            body=f"Nội dung bài {number}.\n",
        )
    build(site.root, now=NOW)
    return site


def rewrite_bai_3(site: SiteDir, body: str) -> None:
    site.article(
        "bai-3",
        title="Bài số 3",
        date="2023-03-10 08:00",
        provinces=["Sơn La", "Điện Biên"],
        themes=["Chuyển đổi số"],
        body=body,
    )


def edit_body(site: SiteDir) -> None:
    rewrite_bai_3(site, "Đã sửa.\n")  # its first paragraph, and so its summary


def edit_body_after_summary(site: SiteDir, text: str = "Đoạn thêm vào cuối bài.") -> None:
    rewrite_bai_3(site, f"Nội dung bài 3.\n\n{text}\n")


def bodies_on_listings(site: SiteDir) -> None:
    """Listings that show whole bodies, and a sidebar that shows the newest one."""
    site.write(
        "templates/partials/article_item.html",
        "<li>{{ article.title }}: {{ article.body_html | safe }}</li>",
    )
    site.write("templates/partials/sidebar.html", "<aside>{{ site.articles[0].body }}</aside>")
    build(site.root, now=NOW)


def bodies_on_listings_then_edit_body(site: SiteDir) -> None:
    bodies_on_listings(site)
    edit_body_after_summary(site)


def listing_bodies_then_edit_body(site: SiteDir) -> None:
    """Listings that show whole bodies, the sidebar as it was: the article's page is not the only one."""
    site.write(
        "templates/partials/article_item.html",
        "<li>{{ article.title }}: {{ article.body_html | safe }}</li>",
    )
    build(site.root, now=NOW)
    age_sources(site)
    edit_body_after_summary(site)


def digests_on_listings_then_edit_body(site: SiteDir) -> None:
    """A listing that shows something that changes with each body, if not the body itself."""
    site.write(
        "templates/partials/article_item.html", "<li>{{ article.title }} {{ article.body.digest }}</li>"
    )
    build(site.root, now=NOW)
    edit_body_after_summary(site)


def bodies_on_listings_then_edit_newest(site: SiteDir) -> None:
    bodies_on_listings(site)
    site.article("bai-5", title="Bài số 5", date="2023-05-10 08:00", body="Nội dung bài 5.\n\nThêm.\n")


def add_article(site: SiteDir) -> None:
    site.article("bai-moi", title="Bài mới", date="2023-06-01 08:00", provinces=["Lai Châu"])


def delete_article(site: SiteDir) -> None:
    (site.root / "content/bai-2.md").unlink()


def rename_article(site: SiteDir) -> None:
    (site.root / "content/bai-4.md").rename(site.root / "content/doi-ten.md")


def change_provinces(site: SiteDir) -> None:
    site.article("bai-1", title="Bài số 1", date="2023-01-10 08:00", provinces=["Cao Bằng", "Hà Giang"])


def change_template(site: SiteDir) -> None:
    site.write(
        "templates/term.html",
        '{% extends "theme/term.html" %}{% block title %}Chủ đề: {{ term.name }}{% endblock %}',
    )


def change_config(site: SiteDir) -> None:
    site.config("per_page: 3\nsite_name: Tin Tây Bắc\nsummary_length: 10\n")


def change_time_zone(site: SiteDir) -> None:
    site.config("per_page: 2\ntimezone: Asia/Tokyo\n")


def far_reaching_templates(site: SiteDir) -> None:
    """Templates that read every article through `site`, and every listing through a taxonomy."""
    site.write("templates/404.html", "{% for a in site.articles %}{{ a.summary }} {% endfor %}")
    site.write(
        "templates/term.html",
        "{% for l in taxonomy.listings %}{{ l.term.name }}: "
        "{{ l.articles | map(attribute='summary') | join }}"
        "{% endfor %}|{{ term.name }}",
    )
    build(site.root, now=NOW)


def far_then_edit_body(site: SiteDir) -> None:
    """A body edit changes no title, date or count: the sidebar stays, yet those pages change."""
    far_reaching_templates(site)
    edit_body(site)


def far_then_change_provinces(site: SiteDir) -> None:
    far_reaching_templates(site)
    change_provinces(site)


@pytest.mark.parametrize(
    "change",
    [
        far_then_edit_body,
        far_then_change_provinces,
        edit_body,
        edit_body_after_summary,
        bodies_on_listings_then_edit_body,
        bodies_on_listings_then_edit_newest,
        listing_bodies_then_edit_body,
        digests_on_listings_then_edit_body,
        add_article,
        delete_article,
        rename_article,
        change_provinces,
        change_template,
        change_config,
        change_time_zone,
    ],
)
def test_incremental_build_equals_clean_build(
    sample: SiteDir, tmp_path: Path, change: Callable[[SiteDir], None]
) -> None:
    change(sample)
    build(sample.root, now=NOW)
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_a_body_edit_renders_only_the_pages_that_show_that_body(sample: SiteDir) -> None:
    edit_body_after_summary(sample)
    assert build(sample.root, now=NOW).pages_rendered == 1
    assert "Đoạn thêm vào cuối bài." in sample.page("2023/03/bai-so-3/index.html")
    bodies_on_listings(sample)
    edit_body_after_summary(sample, "Sửa lần hai.")
    report = build(sample.root, now=NOW)
    news, page_2 = sample.page("tin-tuc/index.html"), sample.page("tin-tuc/trang/2/index.html")
    assert "Sửa lần hai." in page_2 and "Sửa lần hai." not in news  # bài 3 is on the second page
    assert report.pages_rendered < report.pages


def forbid_full_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a full build ran")

    monkeypatch.setattr(importlib.import_module("newsgen.pipeline"), "build_site", fail)


def test_body_edits_are_rendered_without_a_full_build(
    sample: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age_sources(sample)
    build(sample.root, now=NOW)
    before = snapshot(sample.build_dir)
    forbid_full_builds(monkeypatch)
    edit_body_after_summary(sample)
    report = build(sample.root, now=NOW)
    after = snapshot(sample.build_dir)
    changed = {path for path in after if after[path] != before.get(path)}
    site_files = changed - {MARKER, CHANGES}
    pages = {path for path in site_files if not path.startswith("tim-kiem/chi-muc/")}  # and the index
    assert pages == {"2023/03/bai-so-3/index.html"} and len(changed) > 1
    assert (report.pages_rendered, report.changed, report.articles) == (1, len(site_files), 5)
    edit_body_after_summary(sample, "Sửa lần nữa.")  # and again, from what the last one recorded
    (sample.root / "content/bai-1.md").touch()  # the same bytes: nothing to do for it
    assert build(sample.root, now=NOW).pages_rendered == 1
    monkeypatch.undo()
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)
    add_article(sample)  # a full build, which finds bai-3's cached Source stale
    build(sample.root, now=NOW)
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_a_body_edit_built_for_an_earlier_time_is_a_full_build(sample: SiteDir, tmp_path: Path) -> None:
    """A clock set back, or `now` given: articles published since are not published then."""
    age_sources(sample)
    build(sample.root, now=NOW)
    edit_body_after_summary(sample)
    earlier = datetime(2023, 4, 1, tzinfo=UTC)  # before bài 4 and bài 5
    build(sample.root, now=earlier)
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path, earlier)


def test_body_edits_leave_one_body_an_article_in_the_store(sample: SiteDir) -> None:
    age_sources(sample)
    build(sample.root, now=NOW)
    for number in range(4):
        edit_body_after_summary(sample, f"Sửa lần {number}.")
        assert build(sample.root, now=NOW).pages_rendered == 1
    with sqlite3.connect(sample.root / CACHE_DIR / STORE) as connection:
        assert connection.execute("SELECT count(*) FROM bodies").fetchone() == (5,)


def change_store(site: SiteDir, *statements: str) -> None:
    with sqlite3.connect(site.root / CACHE_DIR / STORE) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.mark.parametrize(
    "statements",
    [
        ["PRAGMA user_version = 0"],  # another format of the store
        ["UPDATE meta SET value = 'other' WHERE name = 'code'"],  # another version of newsgen's code
        ["PRAGMA application_id = 7"],  # some other program's SQLite file
        ["CREATE TABLE extra (x)"],  # tables of another shape
    ],
)
def test_a_store_written_by_something_else_is_not_read(
    sample: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    change_store(sample, *statements)
    edit_body(sample)
    reads = count_reads(monkeypatch)
    build(sample.root, now=NOW)
    assert sorted(reads) == [f"bai-{number}.md" for number in range(1, 6)]
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE sources SET data = '[1, 2]'",
        "UPDATE sources SET data = replace(data, '\"Bài số', '[\"Bài số')",  # not JSON
        "UPDATE sources SET data = replace(data, '\"Bài số 3\"', '7') ",  # a number for a title
        "UPDATE records SET data = '{\"report\": 1}' WHERE name = 'last'",
        'UPDATE records SET data = replace(data, \'"settled":\', \'"settled":7,"x":\')',
        "UPDATE outputs SET size = 'big'",
        "UPDATE articles SET identity = 12",
        "UPDATE pages SET reads = 5",
        "UPDATE bodies SET html = x'00ff'",  # bytes, not text
        "UPDATE records SET data = '{' WHERE name = 'last'",  # not JSON
        "UPDATE records SET data = '{' WHERE name = 'search index'",
        "UPDATE search SET terms = 9",
        "UPDATE search SET terms = 'chuyen\tmuoi'",
        "UPDATE search SET data = NULL",
        "UPDATE search SET id = 'x'",
        "UPDATE search_shards SET data = '{'",
        'UPDATE search_shards SET data = \'{"so": [[1, "x"]]}\'',
        "DELETE FROM search_shards WHERE path = '3'",
    ],
)
def test_values_of_the_wrong_shape_in_the_store_make_it_anew(
    sample: SiteDir, tmp_path: Path, statement: str
) -> None:
    """A store someone changed by hand, or another program wrote: the build is right, with one
    line saying so, and the next build starts from a new store."""
    change_store(sample, statement)
    edit_body(sample)
    result = sample.build()
    assert result.code == 0, result.err
    assert result.err.count("\n") <= 1
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)
    assert sample.build().err == ""


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE search SET terms = 9",
        "DELETE FROM search",
        "DELETE FROM records WHERE name = 'search index'",
        "UPDATE search_shards SET data = NULL",
        "UPDATE search_shards SET name = '../../x'",
    ],
)
def test_a_damaged_search_index_is_made_anew_when_an_article_is_edited(
    sample: SiteDir, tmp_path: Path, statement: str
) -> None:
    """The edit's short way would otherwise keep an index of the edited article alone."""
    age_sources(sample)
    assert sample.build().code == 0
    change_store(sample, statement)
    edit_body_after_summary(sample)
    result = sample.build()
    assert result.code == 0, result.err
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_a_pickle_in_the_cache_folder_is_never_loaded(sample: SiteDir, tmp_path: Path) -> None:
    """Caches restored in CI come from elsewhere: a file there must not be able to run code."""
    ran = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {ran}",))

    for name in ("sources.pickle", "pages.pickle", "last-build.pickle", STORE):
        (sample.root / CACHE_DIR / name).write_bytes(pickle.dumps(Payload()))
    edit_body(sample)
    assert sample.build().code == 0
    assert not ran.exists()
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def edit_provinces_and_body(site: SiteDir) -> None:
    site.article("bai-3", title="Bài số 3", date="2023-03-10 08:00", provinces=["Lai Châu"], body="Mới.\n")


def break_front_matter(site: SiteDir) -> None:
    site.write("content/bai-3.md", "---\ntitle: Bài số 3\n---\nThiếu ngày.\n")


def article_page_reads_the_site(site: SiteDir) -> None:
    site.write("templates/article.html", "{{ site.articles | length }} {{ article.body }}")
    build(site.root, now=NOW)
    edit_body_after_summary(site)


@pytest.mark.parametrize(
    "change",
    [
        edit_body,
        edit_provinces_and_body,
        break_front_matter,
        article_page_reads_the_site,
        bodies_on_listings_then_edit_body,
        listing_bodies_then_edit_body,
    ],
)
def test_body_edits_need_a_full_build_when_more_may_change(
    sample: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[SiteDir], None]
) -> None:
    age_sources(sample)
    build(sample.root, now=NOW)
    change(sample)
    before = snapshot(sample.build_dir)
    forbid_full_builds(monkeypatch)
    with pytest.raises(AssertionError, match="a full build ran"):
        build(sample.root, now=NOW)
    assert snapshot(sample.build_dir) == before
    monkeypatch.undo()
    try:
        build(sample.root, now=NOW)
    except BuildFailed as error:
        assert [str(problem).split(" — ")[0] for problem in error.problems] == [  # noqa: PT017
            "content/bai-3.md:1: thiếu ngày đăng (date)"
        ]
        assert snapshot(sample.build_dir) == before
    else:
        assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_several_changes_in_a_row(sample: SiteDir, tmp_path: Path) -> None:
    changes = (
        edit_body_after_summary,
        edit_body,
        add_article,
        change_provinces,
        delete_article,
        rename_article,
    )
    for change in changes:
        change(sample)
        build(sample.root, now=NOW)
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


CACHE_FILES = [STORE]


def test_the_cache_files_are_these(sample: SiteDir) -> None:
    found = sorted(path.name for path in (sample.root / CACHE_DIR).iterdir())
    assert found == sorted(CACHE_FILES)  # the search index lives in the store too


@pytest.mark.parametrize("name", CACHE_FILES)
@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage", b"SQLite format 3\x00garbage"])
def test_a_damaged_cache_is_rebuilt(sample: SiteDir, tmp_path: Path, name: str, damage: bytes) -> None:
    (sample.root / CACHE_DIR / name).write_bytes(damage)
    edit_body(sample)
    result = sample.build()
    assert result.code == 0 and result.err == ""
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


@pytest.mark.parametrize("name", [*CACHE_FILES, None], ids=[*CACHE_FILES, "all"])
def test_a_deleted_cache_is_rebuilt(sample: SiteDir, tmp_path: Path, name: str | None) -> None:
    if name is None:
        shutil.rmtree(sample.root / CACHE_DIR)
    else:
        (sample.root / CACHE_DIR / name).unlink()
    (sample.build_dir / "2023/03/bai-so-3/index.html").unlink()  # so that the page is made again
    assert sample.build().code == 0
    assert (sample.root / CACHE_DIR / STORE).is_file()
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_without_a_cache_folder_bodies_stay_in_memory(
    sample: SiteDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.rmtree(sample.root / CACHE_DIR)
    (sample.root / CACHE_DIR).write_text("not a folder")  # so no cache can be written
    edit_body(sample)
    result = sample.build()
    assert result.code == 0, result.err
    assert "Lưu ý: không ghi được bộ nhớ đệm" in caplog.text
    assert (sample.root / CACHE_DIR).read_text() == "not a folder"
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_errors_are_not_cached(sample: SiteDir) -> None:
    sample.write("content/hong.md", "---\ntitle: Hỏng\ndate: sai\n---\n")
    assert sample.build().code == 1
    assert sample.build().code == 1  # still reported, not remembered as fine
    sample.write("content/hong.md", "---\ntitle: Hỏng\ndate: 2023-02-20\n---\n")
    assert sample.build().code == 0


def test_parallel_parsing_gives_the_same_site(site: SiteDir, tmp_path: Path) -> None:
    for number in range(80):  # enough to start worker processes
        site.article(
            f"bai-{number:02d}", title=f"Bài {number}", provinces=["Lạng Sơn"], body=f"Số {number}.\n"
        )
    site.write("content/hong.md", "---\ntitle: Hỏng\ndate: sai\n---\n")
    parallel = site.build("--jobs", "2")
    assert parallel.code == 1 and 'content/hong.md:3: date: "sai"' in parallel.err
    (site.root / "content/hong.md").unlink()
    assert site.build("--jobs", "2").code == 0
    assert contents(site.build_dir) == clean_build_of(site, tmp_path)


def mtimes(folder: Path) -> dict[str, int]:
    return {path: mtime for path, (_data, mtime) in site_snapshot(folder).items()}


def test_a_rebuild_with_nothing_changed_writes_nothing(sample: SiteDir) -> None:
    sample.write("static/images/a.jpg", photo())
    build(sample.root, now=NOW)
    before = mtimes(sample.build_dir)
    report = build(sample.root, now=NOW)
    assert report.changed == 0 and report.removed == 0 and report.pages_rendered == 0
    assert mtimes(sample.build_dir) == before


def test_only_files_whose_bytes_change_are_rewritten(sample: SiteDir) -> None:
    sample.config("per_page: 2\nsearch: false\n")  # pages only: the search index has its own tests
    sample.write("static/images/a.jpg", photo())
    build(sample.root, now=NOW)
    before = snapshot(sample.build_dir)
    edit_body(sample)
    report = build(sample.root, now=NOW)
    after = snapshot(sample.build_dir)
    bookkeeping = {MARKER, CHANGES}
    changed = sorted(path for path in after if after[path][0] != before[path][0] and path not in bookkeeping)
    rewritten = sorted(path for path in after if after[path][1] != before[path][1] and path != CHANGES)
    assert "2023/03/bai-so-3/index.html" in changed and "images/a.jpg" not in changed
    assert rewritten == changed  # the marker lists paths only, so it stays too
    assert report.changed == len(changed)
    # The article, and the listings that show its summary: home page, the second page of news,
    # Sơn La, Điện Biên, the theme, its month in the archive; the lists of provinces and themes
    # reach every listing, and the four other articles list it as related, so they render again,
    # to the same bytes.
    assert len(changed) == 7, changed
    assert report.pages_rendered == 13


def test_a_page_whose_file_was_touched_is_rendered_again(sample: SiteDir) -> None:
    page = sample.build_dir / "2023/01/bai-so-1/index.html"
    page.write_text("sửa tay")
    report = build(sample.root, now=NOW)
    assert report.pages_rendered == 1
    assert "Bài số 1" in page.read_text()


def test_vanished_pages_and_their_emptied_folders_are_removed(sample: SiteDir) -> None:
    delete_article(sample)
    report = build(sample.root, now=NOW)
    assert not (sample.build_dir / "2023/02").exists()  # bai-2 was the only article of February
    assert report.removed >= 1
    empty = [path for path in sample.build_dir.rglob("*") if path.is_dir() and not any(path.iterdir())]
    assert empty == []


def test_a_page_where_a_file_was_and_a_file_where_a_folder_was(sample: SiteDir, tmp_path: Path) -> None:
    sample.write("static/tai-lieu", b"a file")
    build(sample.root, now=NOW)
    (sample.root / "static/tai-lieu").unlink()
    sample.write("static/tai-lieu/index.html", b"now a folder")
    build(sample.root, now=NOW)
    assert (sample.build_dir / "tai-lieu/index.html").read_bytes() == b"now a folder"
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_template_errors_from_parallel_rendering_are_reported_once(site: SiteDir) -> None:
    for number in range(80):
        site.article(f"bai-{number:02d}", title=f"Bài {number}", provinces=["Lạng Sơn"])
    site.write("templates/article.html", "{{ article.titel }}")
    result = site.build("--jobs", "2")
    assert result.code == 1
    assert result.err.count("templates/article.html:1: template gặp lỗi") == 1


def age_sources(site: SiteDir) -> None:
    for folder in ("content", "templates", "static"):
        for path in (site.root / folder).rglob("*"):
            if path.is_file():
                age(path)


def test_nothing_changed_reads_no_article_again(sample: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    age_sources(sample)
    before = site_snapshot(sample.build_dir)
    first = build(sample.root, now=NOW)  # records what it read and wrote
    pipeline = importlib.import_module("newsgen.pipeline")
    monkeypatch.setattr(pipeline, "load_sources", lambda *args, **kwargs: pytest.fail("read again"))
    again = build(sample.root, now=NOW)
    assert (again.articles, again.pages, again.files) == (first.articles, first.pages, first.files)
    assert again.changed == again.removed == again.pages_rendered == 0
    assert site_snapshot(sample.build_dir) == before


def test_nothing_changed_loads_no_renderer(sample: SiteDir) -> None:
    """Importing the stages that render is a sixth of such a build: `build` leaves them unloaded."""
    age_sources(sample)
    build(sample.root, now=NOW)
    script = f"""
import sys, datetime, pathlib, newsgen
now = datetime.datetime.fromisoformat({NOW.isoformat()!r})
report = newsgen.build(pathlib.Path({str(sample.root)!r}), now=now)
heavy = ("jinja2", "newsgen.pipeline", "newsgen.outputs.render")
print(report.changed, [name for name in heavy if name in sys.modules])
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["0", "[]"]


@pytest.mark.parametrize(
    "disturb",
    [
        lambda site: (site.build_dir / "2023/01/bai-so-1/index.html").unlink(),
        lambda site: (site.build_dir / "2023/01/bai-so-1/index.html").write_text("sửa tay"),
        lambda site: (site.root / "content/bai-1.md").touch(),
        lambda site: site.write("templates/ghi-chu.txt", "mới"),
    ],
    ids=["output deleted", "output edited", "article touched", "template folder changed"],
)
def test_anything_changed_builds_again(
    sample: SiteDir, tmp_path: Path, disturb: Callable[[SiteDir], None]
) -> None:
    age_sources(sample)  # else no shortcut would be taken anyway
    build(sample.root, now=NOW)
    disturb(sample)
    build(sample.root, now=NOW)
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_files_edited_lately_are_looked_at_again(sample: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file edited twice within a timestamp's resolution keeps its mtime: no shortcut then."""
    build(sample.root, now=NOW)
    reads = count_reads(monkeypatch)
    build(sample.root, now=NOW)
    assert reads, "a file written just now may have changed again: the cache must look"


def test_a_scheduled_article_appears_on_time_although_no_file_changed(sample: SiteDir) -> None:
    sample.article("hen-gio", title="Bài hẹn giờ", date="2026-01-02 08:00")
    age_sources(sample)
    for _ in range(2):  # the second time, nothing changed
        report = build(sample.root, now=NOW)
        assert any("bài hẹn giờ, sẽ lên trang từ" in str(note) for note in report.warnings)
        assert not (sample.build_dir / "2026/01/bai-hen-gio").exists()
    build(sample.root, now=datetime(2026, 1, 2, 1, 0, tzinfo=UTC))  # 08:00 in Vietnam
    assert (sample.build_dir / "2026/01/bai-hen-gio/index.html").is_file()


def test_notes_are_repeated_when_nothing_changed(sample: SiteDir) -> None:
    sample.write("content/ghi-chu.txt", "không phải bài viết")
    age_sources(sample)
    first = sample.build()
    again = sample.build()
    assert "Lưu ý: content/ghi-chu.txt" in first.err and first.err == again.err


def age(path: Path, seconds: float = 3600) -> None:
    """Give a file an mtime `seconds` in the past, as files not edited lately have."""
    mtime = path.stat().st_mtime_ns - int(seconds * 1e9)
    os.utime(path, ns=(mtime, mtime))


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real_read = content.read_file

    def read(path: Path) -> bytes:
        reads.append(path.name)
        return real_read(path)

    monkeypatch.setattr(content, "read_file", read)
    return reads


def test_articles_whose_size_and_old_mtime_are_unchanged_are_not_read(
    sample: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (sample.root / "content").glob("*.md"):
        age(path)
    build(sample.root, now=NOW)  # reads them all once more, and notes their settled mtimes
    edit_body(sample)
    reads = count_reads(monkeypatch)
    build(sample.root, now=NOW)
    assert set(reads) == {"bai-3.md"}  # twice: its summary changed, so edited_build gave way
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_an_edit_keeping_size_and_a_recent_mtime_is_still_seen(
    sample: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a timestamp's resolution of the last edit, an edit may leave size and mtime as they
    were: such a file is read again until its mtime is old enough to tell."""
    article = sample.root / "content/bai-3.md"
    build(sample.root, now=NOW)
    stat = article.stat()
    article.write_text(article.read_text(encoding="utf-8").replace("bài 3", "bài 8"), encoding="utf-8")
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert article.stat().st_size == stat.st_size
    build(sample.root, now=NOW)
    assert "Nội dung bài 8." in (sample.build_dir / "2023/03/bai-so-3/index.html").read_text(encoding="utf-8")
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_a_body_store_that_cannot_be_written_keeps_bodies_in_memory(
    sample: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """As when .newsgen-cache/ was made by another user: the build works, only slower next time."""
    real_connect = sqlite3.connect

    def read_only(database: Path, **kwargs: object) -> sqlite3.Connection:
        return real_connect(f"file:{database}?mode=ro", uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)
    edit_body(sample)
    result = sample.build()
    assert result.code == 0, result.err
    assert "Lưu ý: không ghi được bộ nhớ đệm" in caplog.text and "readonly" in caplog.text
    assert contents(sample.build_dir) == clean_build_of(sample, tmp_path)


def test_bodies_gone_during_a_build_are_reported_not_blamed_on_a_template(
    sample: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when a build of the same site into another --output prunes the store meanwhile."""
    pipeline = importlib.import_module("newsgen.pipeline")
    real_build_site = pipeline.build_site

    def prune_then_build_site(*args: object) -> object:
        with sqlite3.connect(sample.root / CACHE_DIR / STORE) as connection:
            connection.execute("DELETE FROM bodies")
        return real_build_site(*args)

    monkeypatch.setattr(pipeline, "build_site", prune_then_build_site)
    edit_body(sample)
    before = snapshot(sample.build_dir)
    result = sample.build()
    assert result.code == 1
    assert "không đọc được nội dung bài từ .newsgen-cache/state.sqlite" in result.err
    assert "template" not in result.err and "Traceback" not in result.err
    assert snapshot(sample.build_dir) == before


def test_an_article_parsed_for_an_edit_is_not_parsed_again_by_the_next_full_build(
    sample: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    age_sources(sample)
    build(sample.root, now=NOW)
    edit_body_after_summary(sample)
    assert build(sample.root, now=NOW).pages_rendered == 1  # the edit alone
    age_sources(sample)
    sample.write("static/moi.txt", "mới")  # a full build: every article from the store
    parsed: list[str] = []
    real_parse = content.parse_source

    def parse(path: str, *args: Any) -> Any:
        parsed.append(path)
        return real_parse(path, *args)

    monkeypatch.setattr(content, "parse_source", parse)
    build(sample.root, now=NOW)
    assert parsed == []
