"""RSS and Atom feeds, sitemap.xml and robots.txt: what readers and search engines get."""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import SiteDir, photo, snapshot
from newsgen import build
from newsgen.outputs import sitemap

SITE = "site_name: Cổng tin\nbase_url: https://stttt.example.gov.vn/\n"
HOSTILE = 'Tin "nóng" <b>đậm</b> & </script><script>alert(1)</script>'
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def write_articles(site: SiteDir) -> None:
    site.article(
        "mot", "Bài một.\n", title="Điện Biên mở hội", date="2023-02-20 08:30", provinces=["Điện Biên"]
    )
    site.article(
        "hai",
        "Bài hai, có ảnh: ![Hội nghị](/images/hoi-nghi.jpg)\n",
        title=HOSTILE,
        date="2023-03-01 09:00",
        provinces=["Lai Châu", "Điện Biên"],
        themes=["Chuyển đổi số"],
        author="Minh Anh",
    )
    site.article(
        "ba", "Bài ba.\n", title="Lai Châu", date="2023-03-05", provinces=["Lai Châu"], updated="2023-04-01"
    )
    site.write("static/images/hoi-nghi.jpg", photo())


def parsed(site: SiteDir, path: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site.build_dir / path).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_the_site_feeds_parse_with_every_entry_titled_linked_and_dated(site: SiteDir, name: str) -> None:
    site.config(SITE)
    write_articles(site)
    assert site.build().code == 0
    feed = parsed(site, name)
    assert feed.feed.title == "Cổng tin"
    assert [entry.title for entry in feed.entries] == [
        "Lai Châu",
        HOSTILE,
        "Điện Biên mở hội",
    ]  # newest first
    for entry in feed.entries:
        assert entry.link.startswith("https://stttt.example.gov.vn/2023/")
        assert entry.published_parsed is not None
        assert (site.build_dir / urlsplit(entry.link).path.lstrip("/") / "index.html").is_file()
    hai = feed.entries[1]
    assert hai.author == "Minh Anh" and {tag.term for tag in hai.tags} == {
        "Lai Châu",
        "Điện Biên",
        "Chuyển đổi số",
    }
    assert hai.published == (
        "Wed, 01 Mar 2023 09:00:00 +0700" if name == "feed.xml" else "2023-03-01T09:00:00+07:00"
    )


def test_each_province_and_theme_has_its_feeds_linked_from_its_page(site: SiteDir) -> None:
    site.config(SITE)
    write_articles(site)
    assert site.build().code == 0
    lai_chau = parsed(site, "tinh/lai-chau/atom.xml")
    assert [entry.title for entry in lai_chau.entries] == ["Lai Châu", HOSTILE]
    assert parsed(site, "chu-de/chuyen-doi-so/feed.xml").entries[0].title == HOSTILE
    assert parsed(site, "tinh/son-la/feed.xml").entries == []  # a province without news has an empty feed
    page = site.page("tinh/lai-chau/index.html")
    assert '<link rel="alternate" type="application/rss+xml" title="Cổng tin – Tỉnh Lai Châu (RSS)"' in page
    assert 'href="/tinh/lai-chau/feed.xml"' in page and 'href="/tinh/lai-chau/atom.xml"' in page
    assert 'href="/feed.xml"' in site.page("2023/03/lai-chau/index.html")


def test_feeds_hold_the_newest_articles_up_to_feed_items(site: SiteDir) -> None:
    site.config(SITE + "feed_items: 2\n")
    write_articles(site)
    assert site.build().code == 0
    assert [entry.title for entry in parsed(site, "feed.xml").entries] == ["Lai Châu", HOSTILE]


def test_full_content_feeds_carry_the_body_with_full_addresses_and_follow_its_edits(site: SiteDir) -> None:
    site.config(SITE.replace("gov.vn/", "gov.vn/tin-tuc/") + "feed_full_content: true\n")
    write_articles(site)
    for path in site.root.rglob("*"):  # files not edited lately: a body edit may take the short way
        if path.is_file():
            os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    assert site.build().code == 0
    content = parsed(site, "atom.xml").entries[1].content[0].value
    assert '<img alt="Hội nghị" src="https://stttt.example.gov.vn/tin-tuc/images/hoi-nghi.jpg"' in content
    article = site.root / "content/ba.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nĐoạn thêm, sau phần tóm tắt.\n", encoding="utf-8"
    )
    assert site.build().code == 0
    assert "Đoạn thêm, sau phần tóm tắt." in parsed(site, "atom.xml").entries[0].content[0].value


def test_without_a_host_in_base_url_there_are_no_feeds_sitemap_or_robots(site: SiteDir) -> None:
    write_articles(site)
    assert site.build().code == 0
    made = set(snapshot(site.build_dir))
    assert not made & {"feed.xml", "atom.xml", "sitemap.xml", "robots.txt", "tinh/lai-chau/feed.xml"}
    assert 'rel="alternate"' not in site.page("index.html")


def test_the_sitemap_lists_every_public_page_once_with_its_last_change(site: SiteDir) -> None:
    site.config(SITE)
    write_articles(site)
    assert site.build().code == 0
    root = ElementTree.parse(site.build_dir / "sitemap.xml").getroot()
    entries = {
        url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod")
        for url in root.iter(f"{SITEMAP_NS}url")
    }
    pages = {path for path in snapshot(site.build_dir) if path.endswith(".html")} - {"404.html"}
    assert {urlsplit(url).path.lstrip("/") + "index.html" for url in entries} == pages
    home = "https://stttt.example.gov.vn/"
    assert entries[home + "2023/03/lai-chau/"] == "2023-04-01T00:00:00+07:00"  # its updated:
    assert entries[home + "tinh/dien-bien/"] == "2023-03-01T09:00:00+07:00"  # its newest article
    assert entries[home + "tinh/son-la/"] is None  # no article: no date to give
    assert entries[home + "luu-tru/2023/"] == "2023-04-01T00:00:00+07:00"  # the newest of the year
    assert entries[home + "tinh/"] == "2023-04-01T00:00:00+07:00"  # counts every article
    robots = (site.build_dir / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith("Sitemap: https://stttt.example.gov.vn/sitemap.xml\n")


def test_a_large_sitemap_becomes_an_index_of_parts(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "LIMIT", 5)
    site.config(SITE)
    write_articles(site)
    assert site.build().code == 0
    index = ElementTree.parse(site.build_dir / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    parts = [entry.findtext(f"{SITEMAP_NS}loc") or "" for entry in index.iter(f"{SITEMAP_NS}sitemap")]
    counted = 0
    for url in parts:
        part = ElementTree.parse(site.build_dir / urlsplit(url).path.lstrip("/")).getroot()
        counted += len(list(part.iter(f"{SITEMAP_NS}url")))
    pages = {path for path in snapshot(site.build_dir) if path.endswith(".html")} - {"404.html"}
    assert len(parts) > 1 and counted == len(pages)


def test_the_editors_own_robots_txt_wins(site: SiteDir) -> None:
    site.config(SITE)
    write_articles(site)
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n")
    assert site.build().code == 0
    assert (site.build_dir / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


def test_under_a_sub_path_every_address_stays_under_it(site: SiteDir) -> None:
    site.config(SITE.replace("gov.vn/", "gov.vn/tin-tuc/"))
    write_articles(site)
    assert site.build().code == 0
    assert not (site.build_dir / "robots.txt").exists()  # robots.txt means something only at the root
    root = ElementTree.parse(site.build_dir / "sitemap.xml").getroot()
    for url in root.iter(f"{SITEMAP_NS}loc"):
        path = urlsplit(url.text or "").path
        assert path.startswith("/tin-tuc/")
        assert (site.build_dir / path.removeprefix("/tin-tuc/") / "index.html").is_file()
    feed = parsed(site, "tinh/lai-chau/feed.xml")
    assert feed.feed.link == "https://stttt.example.gov.vn/tin-tuc/tinh/lai-chau/"
    assert all(entry.link.startswith("https://stttt.example.gov.vn/tin-tuc/2023/") for entry in feed.entries)
    assert 'href="/tin-tuc/tinh/lai-chau/feed.xml"' in site.page("tinh/lai-chau/index.html")


def test_two_builds_at_different_times_are_byte_for_byte_the_same(site: SiteDir, tmp_path: Path) -> None:
    site.config(SITE)
    write_articles(site)
    build(site.root, output_dir=tmp_path / "a", now=datetime(2024, 1, 1, tzinfo=UTC))
    build(site.root, output_dir=tmp_path / "b", now=datetime(2026, 6, 30, 12, tzinfo=UTC))
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {path: data for path, (data, _mtime) in first.items()} == {
        path: data for path, (data, _mtime) in second.items()
    }
    assert "feed.xml" in first and "sitemap.xml" in first


def test_a_sub_path_build_has_no_broken_internal_link(site: SiteDir) -> None:
    site.config(SITE.replace("gov.vn/", "gov.vn/tin-tuc/") + "per_page: 1\n")
    write_articles(site)
    site.article("lien-ket", "Xem [bài một](/2023/02/dien-bien-mo-hoi/) và ![ảnh](/images/hoi-nghi.jpg).\n")
    assert site.build().code == 0
    files = set(snapshot(site.build_dir))
    checked = 0
    for page in (path for path in files if path.endswith(".html")):
        html = (site.build_dir / page).read_text(encoding="utf-8")
        for link in re.findall(r'(?:href|src)="([^"#?]+)', html):
            path = urlsplit(link).path if link.startswith("https://stttt.example.gov.vn/") else link
            if not path.startswith("/"):
                continue  # another site
            assert path.startswith("/tin-tuc/"), (page, link)
            inside = path.removeprefix("/tin-tuc/")
            assert inside in files or f"{inside}index.html" in files, (page, link)
            checked += 1
    assert checked > 100


def test_a_control_character_pasted_into_a_title_does_not_break_the_feeds(site: SiteDir) -> None:
    """Word writes a vertical tab for a line break typed with Shift+Enter; XML cannot hold one."""
    site.config(SITE)
    site.write("content/a.md", '---\ntitle: "Dòng một\\vdòng hai"\ndate: 2023-02-20\n---\nNội dung.\n')
    assert site.build().code == 0
    for name in ("feed.xml", "atom.xml"):
        assert parsed(site, name).entries[0].title == "Dòng một dòng hai"
    ElementTree.parse(site.build_dir / "sitemap.xml")


def test_an_empty_feed_is_dated_by_source_date_epoch_never_by_the_clock(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.config(SITE)
    site.article("a", provinces=["Lai Châu"])
    assert site.build().code == 0
    assert parsed(site, "tinh/son-la/atom.xml").feed.updated == "1970-01-01T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # nothing else changes
    assert site.build().code == 0
    assert parsed(site, "tinh/son-la/atom.xml").feed.updated == "2023-11-14T22:13:20+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999")  # no date has it: ignored
    result = site.build()
    assert result.code == 0 and "Traceback" not in result.err
    assert parsed(site, "tinh/son-la/atom.xml").feed.updated == "1970-01-01T00:00:00+00:00"


def test_a_summary_is_text_in_the_feeds_whatever_it_holds(site: SiteDir) -> None:
    site.config(SITE)
    summary = "Tóm tắt có <script>alert(1)</script> & <b>đậm</b>"
    site.article("a", summary=summary, provinces=["Lai Châu"])
    assert site.build().code == 0
    for name in ("feed.xml", "atom.xml"):
        detail = parsed(site, name).entries[0].summary_detail
        if detail.type == "text/html":  # RSS: HTML whose text is the summary as written
            assert "<" not in detail.value and html.unescape(detail.value) == summary
        else:
            assert (detail.type, detail.value) == ("text/plain", summary)


def test_the_sitemap_follows_each_build_in_one_process(site: SiteDir) -> None:
    """As in newsgen serve, whose builder remembers the last sitemap it made."""
    site.config(SITE)
    write_articles(site)
    assert site.build().code == 0
    site.article("ba", "Bài ba.\n", title="Lai Châu mới", date="2023-03-05", updated="2023-05-01")
    assert site.build().code == 0
    sitemap_text = (site.build_dir / "sitemap.xml").read_text(encoding="utf-8")
    moved = "<loc>https://stttt.example.gov.vn/2023/03/lai-chau-moi/</loc>"
    assert f"{moved}<lastmod>2023-05-01T00:00:00+07:00" in sitemap_text
    assert "/2023/03/lai-chau/<" not in sitemap_text
