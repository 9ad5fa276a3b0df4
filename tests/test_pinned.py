"""Pinned and featured news: `pinned_until` keeps an article the home page's lead until then,
`featured: true` lists it in "Tin nổi bật"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SiteDir, fails_and_keeps_everything
from newsgen import build
from test_incremental import clean_build_of, contents

BEFORE = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # 23:00 on 31 December in Vietnam
AFTER = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 January


def lead_title(site: SiteDir) -> str:
    home = site.page("index.html")
    return home.split('<h2 class="lead-title"><a href="')[1].split(">", 1)[1].split("</a>")[0]


@pytest.fixture
def news(site: SiteDir) -> SiteDir:
    site.article("cu", title="Tin cũ được ghim", date="2026-10-01 08:00", pinned_until="2026-12-31")
    site.article("ghim-khac", title="Tin ghim khác", date="2026-09-01 08:00", pinned_until="2027-06-30")
    site.article("noi-bat", title="Tin nổi bật", date="2026-11-01 08:00", featured=True)
    site.article("moi", title="Tin mới nhất", date="2026-12-01 08:00")
    return site


def test_the_newest_pinned_article_leads_the_home_page_until_its_day_ends(
    news: SiteDir, tmp_path: Path
) -> None:
    report = build(news.root, now=BEFORE)
    assert lead_title(news) == "Tin cũ được ghim"  # pinned to the end of 31/12, in the site's zone
    assert report.next_unpinned == datetime(2027, 1, 1, tzinfo=report.next_unpinned.tzinfo)
    home = news.page("index.html").split('id="tin-moi"')[1].split("</section>")[0]
    assert "Tin mới nhất" in home and "Tin cũ được ghim" not in home  # not twice
    build(news.root, now=AFTER)  # nothing changed but the time: the pin has ended
    assert lead_title(news) == "Tin ghim khác"  # the other pin, still running
    assert contents(news.build_dir) == clean_build_of(news, tmp_path, now=AFTER)


@pytest.mark.parametrize(("day", "ends"), [("31/12/2026", 1), ("2026-12-31", 1), ("1/1/2027", 2)])
def test_a_pin_to_a_day_however_it_is_written_lasts_until_that_day_ends(
    news: SiteDir, day: str, ends: int
) -> None:
    news.article("cu", title="Tin cũ được ghim", date="2026-10-01 08:00", pinned_until=day)
    report = build(news.root, now=BEFORE)
    assert report.next_unpinned == datetime(2027, 1, ends, tzinfo=report.next_unpinned.tzinfo)


def test_featured_articles_are_listed_but_not_the_lead(news: SiteDir) -> None:
    news.article("moi", title="Tin mới nhất", date="2026-12-01 08:00", featured=True)
    build(news.root, now=AFTER)
    block = news.page("index.html").split('id="tin-noi-bat"')[1].split("</section>")[0]
    assert "Tin nổi bật" in block and "Tin mới nhất" in block and "Tin ghim khác" not in block


def test_the_build_says_when_the_pin_ends(news: SiteDir) -> None:
    run = news.build()  # now: the pins of 2027 are still running
    assert "Tin ghim đầu trang chủ đến hết ngày 31/12/2026: tạo lại trang web sau giờ đó" in run.out, run.out


def test_an_empty_pin_is_no_pin(site: SiteDir) -> None:
    site.article("a", pinned_until="")
    assert site.build().code == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("featured", "có", "content/sai.md:2: featured: giá trị phải là true hoặc false"),
        ("pinned_until", "12/31/2026", 'content/sai.md:2: pinned_until: "12/31/2026" sai dạng ngày'),
    ],
)
def test_a_wrong_value_is_named_with_its_line_and_loses_nothing(
    news: SiteDir, field: str, value: str, message: str
) -> None:
    assert news.build().code == 0
    news.article("sai", **{field: value})
    err = fails_and_keeps_everything(news)
    assert message in err, err
