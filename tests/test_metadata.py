"""What pages tell search engines and social networks: canonical address, OpenGraph and Twitter
tags, and NewsArticle JSON-LD, whatever a title holds."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from conftest import SiteDir, photo
from newsgen.outputs.metadata import script_json

HOSTILE = 'Tin "nóng" <b>đậm</b> & </script><script>alert(1)</script>'


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD of a page, as a browser or a crawler reads them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found.get("content", "")
        elif tag == "link" and found.get("rel") == "canonical":
            self.links["canonical"] = found["href"]
        self._in_json = tag == "script" and found.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False


def build_hostile(site: SiteDir, base_url: str = "https://stttt.example.gov.vn/") -> Head:
    site.config(f"site_name: Cổng tin\nbase_url: {base_url}\n")
    site.article(
        "bai",
        "Nội dung.\n",
        title=HOSTILE,
        slug="bai-kho",
        summary='Tóm tắt có "ngoặc" và <thẻ>.',
        date="2023-02-20 08:30",
        updated="2023-02-21 10:00",
        author="Minh Anh",
        provinces=["Điện Biên"],
        image="/images/anh.jpg",
        image_alt="Ảnh hội nghị",
    )
    site.write("static/images/anh.jpg", photo())
    result = site.build()
    assert result.code == 0, result.err
    return Head(site.page("2023/02/bai-kho/index.html"))


def test_a_hostile_title_stays_whole_in_json_ld_and_in_every_attribute(site: SiteDir) -> None:
    head = build_hostile(site)
    assert len(head.json_ld) == 1  # nothing in the title ended the script element early
    data = json.loads(head.json_ld[0])
    assert data["headline"] == HOSTILE
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "vi"
    assert data["datePublished"] == "2023-02-20T08:30:00+07:00"
    assert data["dateModified"] == "2023-02-21T10:00:00+07:00"
    assert data["author"] == {"@type": "Person", "name": "Minh Anh"}
    assert data["publisher"] == {"@type": "Organization", "name": "Cổng tin"}
    assert data["image"] == ["https://stttt.example.gov.vn/images/anh.jpg"]
    assert head.meta["og:title"] == HOSTILE and head.meta["twitter:title"] == HOSTILE
    assert head.meta["og:description"] == 'Tóm tắt có "ngoặc" và <thẻ>.'


def test_an_article_page_has_its_canonical_address_and_sharing_tags(site: SiteDir) -> None:
    head = build_hostile(site, "https://stttt.example.gov.vn/tin-tuc/")
    page = "https://stttt.example.gov.vn/tin-tuc/2023/02/bai-kho/"
    assert head.links["canonical"] == page and head.meta["og:url"] == page
    assert head.meta["og:type"] == "article" and head.meta["og:locale"] == "vi_VN"
    assert (
        head.meta["og:image"] == "https://stttt.example.gov.vn/tin-tuc/images/anh.64.share.jpg"
    )  # the 1.91 : 1 crop
    assert head.meta["og:image:alt"] == "Ảnh hội nghị"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["article:published_time"] == "2023-02-20T08:30:00+07:00"


def test_listing_pages_are_websites_and_the_404_page_claims_no_address(site: SiteDir) -> None:
    build_hostile(site)
    home = Head(site.page("index.html"))
    assert home.meta["og:type"] == "website" and home.meta["twitter:card"] == "summary"
    assert home.links["canonical"] == "https://stttt.example.gov.vn/" and not home.json_ld
    assert "canonical" not in Head(site.page("404.html")).links


def test_json_for_a_script_element_holds_no_character_that_ends_it_or_breaks_old_parsers() -> None:
    value = {"title": "</script><!-- & \u2028 \u2029 >"}
    text = str(script_json(value))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_an_image_on_another_site_keeps_its_own_address(site: SiteDir) -> None:
    site.config("base_url: https://stttt.example.gov.vn/\n")
    site.article("a", title="Bài A", image="https://cdn.example.com/anh.jpg", image_alt="Ảnh")
    assert site.build().code == 0
    head = Head(site.page("2023/02/bai-a/index.html"))
    assert head.meta["og:image"] == head.meta["twitter:image"] == "https://cdn.example.com/anh.jpg"
    assert json.loads(head.json_ld[0])["image"] == ["https://cdn.example.com/anh.jpg"]
