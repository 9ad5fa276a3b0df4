"""The search index (outputs/search.py) and the script that reads it (theme/static/search.js),
which these tests run under Node: what the index holds, how it changes, how results rank."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    SEARCH_INDEX,
    SiteDir,
    disk_full_under,
    fails_and_keeps_everything,
    index_meaning,
    shard_files,
    snapshot,
)
from newsgen import build, parallel
from newsgen.outputs.search import shard_of

SEARCH_JS = Path(__file__).parent.parent / "src/newsgen/theme/static/search.js"
RUN_JS = Path(__file__).parent / "search/run.js"


def node(request: dict[str, Any]) -> dict[str, Any]:
    """search.js's answer to `request` (see tests/search/run.js), run by Node."""
    if shutil.which("node") is None:
        if os.environ.get("NEWSGEN_BROWSER_TESTS") == "required":
            raise RuntimeError("these tests need Node: run .ci/run, or apt-get install nodejs")
        pytest.skip("needs Node (see .ci/run)")
    ran = subprocess.run(
        ["node", str(RUN_JS), str(SEARCH_JS)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)  # type: ignore[no-any-return]


def search(site: SiteDir, *queries: str | tuple[str, dict[str, str]]) -> list[dict[str, Any]]:
    """What the search page finds for each query: the addresses, best first; the words no article
    has; the provinces and themes the query names."""
    asked = [[query, {}] if isinstance(query, str) else list(query) for query in queries]
    return node({"index": str(site.build_dir / SEARCH_INDEX), "queries": asked})["results"]  # type: ignore[no-any-return]


def indexed(output: Path) -> dict[str, dict[str, Any]]:
    """The index's articles by address: what a result shows of each, and its terms."""
    files = {path: data for path, (data, _mtime) in snapshot(output).items()}
    meaning = json.loads(index_meaning(files).get(f"{SEARCH_INDEX}(meaning)", b'{"articles": []}'))
    return {article["doc"]["u"]: article for article in meaning["articles"]}


def shard_entry(output: Path, term: str) -> list[list[int]]:
    """`term`'s entry in its shard file: [gaps between ids, weights], or [gaps] alone."""
    meta = json.loads((output / SEARCH_INDEX / "meta.json").read_text())
    shards = shard_files(meta)
    shard = shards[shard_of(term, len(shards))]
    return json.loads((output / SEARCH_INDEX / shard).read_text())[term]  # type: ignore[no-any-return]


def index_files(output: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _mtime) in snapshot(output).items() if path.startswith(SEARCH_INDEX)}


@pytest.fixture
def news(site: SiteDir) -> SiteDir:
    site.article("ky-ket", "Các tỉnh ký kết giao ước thi đua.\n", title="Ký kết", provinces=["Điện Biên"])
    site.article("nhap", "Bản nháp chưa đăng.\n", title="Nháp", draft=True)
    site.article("hen-gio", "Bài hẹn giờ.\n", title="Hẹn giờ", date="2099-01-01 08:00")
    return site


def test_published_articles_are_indexed_and_held_back_ones_are_not(news: SiteDir) -> None:
    assert news.build().code == 0
    articles = indexed(news.build_dir)
    assert list(articles) == ["/2023/02/ky-ket/"]
    article = articles["/2023/02/ky-ket/"]
    assert article["doc"] == {
        "u": "/2023/02/ky-ket/",
        "t": "Ký kết",
        "d": "20/02/2023",
        "p": "Điện Biên",
        "x": "Các tỉnh ký kết giao ước thi đua.",
    }
    terms = article["terms"]
    assert terms["thi"] > 0 and terms["dua"] > 0 and terms["=đua"] == 0  # folded, and as written
    assert terms["ky ket"] == 0 and "#p:dien-bien" in terms and "#y:2023" in terms
    assert terms["ky"] > terms["tinh"]  # in the title too
    search_page = news.page("tim-kiem/index.html")
    assert 'data-index="/tim-kiem/chi-muc/"' in search_page and "<option>Điện Biên</option>" in search_page
    assert "<option>2023</option>" in search_page
    assert '<link rel="preload" href="/tim-kiem/chi-muc/meta.json" as="fetch" crossorigin>' in search_page
    assert 'action="/tim-kiem/"' in news.page("index.html")  # the header's search box


def test_an_edit_rewrites_only_the_files_whose_terms_changed(site: SiteDir) -> None:
    def text(number: int) -> str:  # long: a few words more leave every other word's weight as it was
        return f"Nội dung số {number} về chuyển đổi số ở các xã vùng cao. " * 12

    for number in range(30):
        site.article(f"bai-{number}", text(number) + "\n", title=f"Bài {number}")
    assert site.build().code == 0
    before, terms_before = snapshot(site.build_dir), indexed(site.build_dir)["/2023/02/bai-7/"]["terms"]
    site.article("bai-7", text(7) + "Thêm đoạn mới.\n", title="Bài 7")
    assert site.build().code == 0
    after, terms_after = snapshot(site.build_dir), indexed(site.build_dir)["/2023/02/bai-7/"]["terms"]
    changed = {path for path in after.keys() | before.keys() if after.get(path) != before.get(path)}
    meta = json.loads(after[f"{SEARCH_INDEX}meta.json"][0])
    count = len(shard_files(meta))
    differ = {
        term
        for term in terms_before.keys() | terms_after.keys()
        if terms_before.get(term) != terms_after.get(term)
    }
    assert {"them", "doan", "=thêm"} <= differ and "chuyen" not in differ
    numbers = {shard_of(term, count) for term in differ}
    rewritten = {path for path in changed if path.startswith(f"{SEARCH_INDEX}s/")}
    assert {int(path.split("/")[-1].split("-")[0]) for path in rewritten} == numbers  # old and new names
    assert len(numbers) < count / 2
    id_ = next(path for path in changed if path.startswith(f"{SEARCH_INDEX}bai/"))
    assert changed - rewritten == {
        f"{SEARCH_INDEX}meta.json",
        id_,
        ".newsgen-output",
        ".newsgen-changes.json",
        "2023/02/bai-7/index.html",
    }


def test_ids_stay_and_are_never_given_again(news: SiteDir) -> None:
    def ids() -> dict[str, str]:
        files = (news.build_dir / SEARCH_INDEX / "bai").iterdir()
        return {json.loads(path.read_text())["u"]: path.stem for path in files}

    news.article("khac", "Một bài khác.\n", title="Khác", date="2023-03-01 08:00")
    assert news.build().code == 0
    first = json.loads((news.build_dir / SEARCH_INDEX / "meta.json").read_text())
    assert ids() == {"/2023/02/ky-ket/": "0", "/2023/03/khac/": "1"}  # by date
    (news.root / "content/khac.md").unlink()
    news.article("moi", "Bài mới.\n", title="Mới", date="2023-01-01 08:00")
    assert news.build().code == 0
    again = json.loads((news.build_dir / SEARCH_INDEX / "meta.json").read_text())
    assert ids() == {"/2023/02/ky-ket/": "0", "/2023/01/moi/": "2"}
    assert again["epoch"] == first["epoch"] and again["count"] == 2
    for path in (news.build_dir / SEARCH_INDEX / "bai").iterdir():
        assert json.loads(path.read_text())["e"] == again["epoch"]  # a page with another epoch reloads


def test_two_builds_of_the_same_site_make_the_same_index(news: SiteDir, tmp_path: Path) -> None:
    assert news.build().code == 0
    copy = tmp_path / "copy"
    shutil.copytree(news.root, copy, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    build(copy)
    assert index_files(news.build_dir) == index_files(copy / "build") != {}


def test_worker_processes_make_the_same_index_as_one_process(site: SiteDir, tmp_path: Path) -> None:
    """Workers each put a chunk of the articles in postings, joined in order of ids."""
    for number in range(parallel.THRESHOLD * 2):
        body = f"Lần thứ {number}: tỉnh Điện Biên và chuyển đổi số {'xa ' * (number % 7)}.\n"
        site.article(
            f"bai-{number}", body, title=f"Bài {number} về Sơn La", date=f"2023-02-{number % 28 + 1:02d}"
        )
    copy = tmp_path / "copy"
    shutil.copytree(site.root, copy)
    assert site.build("--jobs", "2").code == 0
    build(copy, jobs=1)

    def index(output: Path) -> dict[str, bytes]:
        return {
            path: data for path, (data, _mtime) in snapshot(output).items() if path.startswith(SEARCH_INDEX)
        }

    assert index(site.build_dir) == index(copy / "build")
    assert len(index(copy / "build")) > parallel.THRESHOLD * 2


def test_search_can_be_turned_off(news: SiteDir) -> None:
    assert news.build().code == 0
    news.config("search: false\n")
    assert news.build().code == 0
    assert not (news.build_dir / "tim-kiem").exists()
    home = news.page("index.html")
    assert "tim-kiem" not in home and "Tìm kiếm" not in home


def test_a_site_without_articles_has_a_search_page_and_no_index(site: SiteDir) -> None:
    assert site.build().code == 0
    assert not (site.build_dir / SEARCH_INDEX).exists()
    assert 'data-index=""' in site.page("tim-kiem/index.html")
    assert "preload" not in site.page("tim-kiem/index.html")


def test_an_address_one_article_leaves_and_another_takes_stays_indexed(site: SiteDir) -> None:
    site.article("moi", "Lịch công tác tuần mới.\n", title="Lịch mới", slug="lich-cong-tac-moi")
    site.article("cu", "Lịch công tác tuần trước.\n", title="Lịch cũ", slug="lich-cong-tac")
    assert site.build().code == 0
    site.article("moi", "Lịch công tác tuần mới.\n", title="Lịch mới", slug="lich-cong-tac")
    site.article("cu", "Lịch công tác tuần trước.\n", title="Lịch cũ", slug="lich-cong-tac-cu")
    assert site.build().code == 0
    titles = {url: article["doc"]["t"] for url, article in indexed(site.build_dir).items()}
    assert titles == {"/2023/02/lich-cong-tac/": "Lịch mới", "/2023/02/lich-cong-tac-cu/": "Lịch cũ"}


def test_a_build_that_fails_leaves_no_index_the_next_one_trusts(
    news: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert news.build().code == 0
    news.article("ky-ket", "Các tỉnh ký kết.\n", title="Ký kết", slug="ky-ket-moi", provinces=["Điện Biên"])
    disk_full_under(monkeypatch, "chi-muc")  # the search index's folder
    assert news.build().code != 0  # after the index was brought up to date in the store
    monkeypatch.undo()
    assert news.build().code == 0
    assert list(indexed(news.build_dir)) == ["/2023/02/ky-ket-moi/"]  # not the old address


def test_a_full_disk_where_workers_write_the_articles_files_keeps_the_last_site(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index made anew has its articles' files written by the worker processes."""
    for number in range(parallel.THRESHOLD + 10):
        site.article(f"bai-{number}", f"Tin số {number}.\n", title=f"Bài {number}")
    assert site.build("--jobs", "2").code == 0
    shutil.rmtree(site.root / ".newsgen-cache")  # the index made anew: new files
    site.article("bai-0", "Tin khác.\n", title="Bài mới")
    disk_full_under(monkeypatch, "bai")  # tim-kiem/chi-muc/bai/
    err = fails_and_keeps_everything(site, "--jobs", "2")
    assert f"{site.build_dir}/{SEARCH_INDEX}bai: ổ đĩa đã đầy" in err
    monkeypatch.undo()
    assert site.build("--jobs", "2").code == 0
    assert indexed(site.build_dir)["/2023/02/bai-moi/"]["doc"]["t"] == "Bài mới"


def test_a_word_that_becomes_common_by_an_edit_loses_its_weights_as_in_a_new_index(
    site: SiteDir, tmp_path: Path
) -> None:
    for number in range(90):  # "xa" in 80 articles: the most a word with weights may be in
        site.article(
            f"bai-{number}", f"Tin số {number}{' ở xã' if number < 80 else ''}.\n", title=f"Bài {number}"
        )
    assert site.build().code == 0
    assert len(shard_entry(site.build_dir, "xa")) == 2
    site.article("bai-85", "Tin ở xã, thêm một bài.\n", title="Bài 85")  # 81: common now
    assert site.build().code == 0
    assert len(shard_entry(site.build_dir, "xa")) == 1
    copy = tmp_path / "copy"
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    build(copy)
    assert shard_entry(site.build_dir, "xa") == shard_entry(copy / "build", "xa")
    assert index_meaning(index_files(site.build_dir)) == index_meaning(index_files(copy / "build"))


def test_a_shard_lost_from_the_output_comes_back_as_it_was(site: SiteDir) -> None:
    """Made again from the store, which keeps every weight: the same bytes, as its name says."""
    for number in range(90):
        site.article(f"bai-{number}", f"Tin và ảnh số {number}.\n", title=f"Bài {number}")
    assert site.build().code == 0
    before = index_files(site.build_dir)
    meta = json.loads(before[f"{SEARCH_INDEX}meta.json"])
    shards = shard_files(meta)
    lost = shards[shard_of("va", len(shards))]
    (site.build_dir / SEARCH_INDEX / lost).unlink()
    assert site.build().code == 0  # the output no longer as recorded: a full build
    assert index_files(site.build_dir) == before


def test_an_index_lost_from_the_cache_is_made_again(news: SiteDir) -> None:
    assert news.build().code == 0
    before = indexed(news.build_dir)
    shutil.rmtree(news.root / ".newsgen-cache")
    news.config("site_name: Tin mới\n")  # a full build, no article changed
    assert news.build().code == 0
    assert indexed(news.build_dir) == before


# -- what readers find ----------------------------------------------------------------------


LIBRARY = [  # slug, title, body, date, and more fields
    ("tag", "Hội nghị", "Bài có chủ đề mà không nói tên.", "2023-01-05", {"themes": ["Chuyển đổi số"]}),
    ("phrase", "Đẩy mạnh", "Tỉnh đẩy mạnh chuyển đổi số ở xã.", "2023-01-04", {}),
    ("scattered", "Chuyển giao, đổi mới, số liệu", "Số liệu về chuyển giao và đổi mới.", "2023-01-06", {}),
    ("title", "Lễ hội hoa ban", "Bài viết về lễ hội.", "2023-01-03", {}),
    ("body", "Tin vùng cao", "Tin về lễ hội hoa ban ở bản.", "2023-01-07", {}),
    ("marks", "Thăm đồi", "Người dân đến thăm đồi chè.", "2023-01-02", {}),
    ("other-marks", "Đổi giống", "Người dân đổi giống chè mới.", "2023-01-08", {}),
    ("old", "Diễn tập", "Diễn tập phòng cháy.", "2022-05-01", {"provinces": ["Điện Biên"]}),
    ("new", "Diễn tập", "Diễn tập phòng cháy.", "2023-05-01", {"provinces": ["Lai Châu"]}),
]


@pytest.fixture
def library(site: SiteDir) -> SiteDir:
    """A few articles, written so that each ranking rule decides one order."""
    site.config("themes:\n  - name: Chuyển đổi số\n    aliases: [CĐS]\n")
    for slug, title, body, date, fields in LIBRARY:
        site.article(slug, body + "\n", slug=slug, title=title, date=f"{date} 08:00", **fields)
    assert site.build().code == 0
    return site


def test_phrase_matches_rank_above_scattered_words_and_the_named_theme_first(library: SiteDir) -> None:
    (found,) = search(library, "chuyen doi so")
    assert found["urls"][:2] == ["/2023/01/tag/", "/2023/01/phrase/"]  # the theme's, then the phrase
    assert "/2023/01/scattered/" in found["urls"] and found["named"] == ["chuyen-doi-so"]


def test_an_alias_finds_the_theme(library: SiteDir) -> None:
    (found,) = search(library, "CĐS")
    assert found["urls"] == ["/2023/01/tag/"] and found["named"] == ["chuyen-doi-so"]


def test_the_title_counts_more_than_the_body(library: SiteDir) -> None:
    (found,) = search(library, "le hoi")
    assert found["urls"] == ["/2023/01/title/", "/2023/01/body/"]


def test_a_query_with_marks_prefers_the_same_marks(library: SiteDir) -> None:
    with_marks, without = search(library, "đồi", "doi")
    assert with_marks["urls"][0] == "/2023/01/marks/"
    assert without["urls"][0] == "/2023/01/other-marks/"  # no preference: the newer first


def test_the_newest_first_among_equals_and_a_filter_alone(library: SiteDir) -> None:
    same, filtered, year = search(library, "dien tap", ("", {"tinh": "Điện Biên"}), ("", {"nam": "2022"}))
    assert same["urls"] == ["/2023/05/new/", "/2022/05/old/"]
    assert filtered["urls"] == ["/2022/05/old/"] and year["urls"] == ["/2022/05/old/"]


def test_the_excerpt_shows_the_query_side_by_side_before_its_words_apart() -> None:
    text = "Lãnh đạo Sở dự họp. " + "Nội dung khác. " * 20 + "Tỉnh đẩy mạnh chuyển đổi số trong xã."
    (phrase, word) = node({"excerpt": [[text, "chuyen doi so"], [text, "lanh dao"]]})["excerpt"]
    assert [piece for piece, marked in phrase if marked] == ["chuyển", "đổi", "số"]
    assert phrase[0] == ["… ", False]  # cut before, where the phrase is
    assert [piece for piece, marked in word if marked] == ["Lãnh", "đạo"]


def test_a_word_no_article_has_finds_nothing_and_is_named(library: SiteDir) -> None:
    nonsense, javascript = search(library, "xyzzy dien tap", "constructor")
    assert nonsense["urls"] == [] and nonsense["unknown"] == ["xyzzy"]
    assert javascript["urls"] == [] and javascript["unknown"] == ["constructor"]  # not Object's


def test_a_word_in_most_articles_has_no_weights_and_rarer_words_still_rank(site: SiteDir) -> None:
    """Its weights would be most of what a query loads, and tell little (BM25's idf < ln 2)."""
    for number in range(90):  # 16 shards: a word in more than 80 articles is common
        rare = "Bản hiếm. " * (number % 3) if number < 6 else ""
        site.article(f"bai-{number}", f"Tin và ảnh số {number}. {rare}\n", title=f"Bài {number}")
    assert site.build().code == 0
    meta = json.loads((site.build_dir / SEARCH_INDEX / "meta.json").read_text())
    assert len(shard_files(meta)) == 16

    va, hiem = shard_entry(site.build_dir, "va"), shard_entry(site.build_dir, "hiem")
    assert len(va) == 1 and len(va[0]) == 90  # there, without weights
    assert len(hiem) == 2 and len(hiem[0]) == 4
    (found,) = search(site, "va hiem")
    assert found["urls"][:2] == ["/2023/02/bai-5/", "/2023/02/bai-2/"]  # "hiếm" twice, newest first
    assert sorted(found["urls"][2:]) == ["/2023/02/bai-1/", "/2023/02/bai-4/"]
