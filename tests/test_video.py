"""Videos in articles and pages, and the Content-Security-Policy each page carries."""

from __future__ import annotations

import html
import re

import pytest

from conftest import SiteDir, fails_and_keeps_everything, photo
from newsgen.config.settings import Messages
from newsgen.outputs.video import with_videos, youtube_id

ID = "Zr4bqJm3fWk"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://www.youtube.com/watch?v={ID}", (ID, 0)),
        (f"https://youtube.com/watch?v={ID}&amp;t=90", (ID, 90)),  # as Markdown escapes it in a href
        (f"https://m.youtube.com/watch?feature=share&v={ID}&t=1m30s", (ID, 90)),
        (f"https://youtu.be/{ID}?si=abc", (ID, 0)),
        (f"https://youtu.be/{ID}?t=2h", (ID, 7200)),
        (f"https://www.youtube.com/shorts/{ID}", (ID, 0)),
        (f"https://www.youtube.com/embed/{ID}?start=15", (ID, 15)),
        (f"https://www.youtube-nocookie.com/embed/{ID}", (ID, 0)),
        (f"https://www.youtube.com/live/{ID}", (ID, 0)),
        ("https://www.youtube.com/watch?v=short", None),
        ("https://www.youtube.com/@sotttt", None),  # a channel, not a video
        (f"https://notyoutube.com/watch?v={ID}", None),
        (f"https://youtube.com.evil.example/watch?v={ID}", None),
    ],
)
def test_a_youtube_address_gives_its_video_and_start(url: str, expected: tuple[str, int] | None) -> None:
    assert youtube_id(url) == expected


def videos(body: str) -> str:
    return str(with_videos(body, Messages()))


def test_an_address_alone_on_a_line_becomes_a_poster_that_plays_in_place() -> None:
    shown = videos(f"<p>Trước.</p>\n<p>https://youtu.be/{ID}?t=30</p>\n<p>Sau.</p>")
    assert shown.startswith('<p>Trước.</p>\n<figure class="video">') and shown.endswith("<p>Sau.</p>")
    link = re.search(r"<a [^>]*>", shown)
    assert link is not None
    assert f'href="https://www.youtube.com/watch?v={ID}&amp;t=30s"' in link.group(0)  # without JavaScript
    assert f'data-youtube="{ID}"' in link.group(0) and 'data-start="30"' in link.group(0)
    assert '<span class="video-play">Xem video trên YouTube</span>' in shown
    assert "<iframe" not in shown and "youtube-nocookie" not in shown  # nothing loads before a click


def test_a_link_s_title_and_poster_name_the_video() -> None:
    titled = videos(f'<p><a href="https://www.youtube.com/watch?v={ID}">Lễ hội &amp; "hoa ban"</a></p>')
    assert '<span class="video-play">Xem video: Lễ hội &amp; &quot;hoa ban&quot;</span>' in titled
    assert 'data-title="Lễ hội &amp; &quot;hoa ban&quot;"' in titled
    poster = '<picture><img src="/images/hoa-ban.jpg" alt="Lễ hội hoa ban" width="4" height="3"></picture>'
    shown = videos(f'<p><a href="https://youtu.be/{ID}">{poster}</a></p>')
    assert '<img src="/images/hoa-ban.jpg" alt="" width="4" height="3">' in shown  # the label names it
    assert '<span class="video-play">Xem video: Lễ hội hoa ban</span>' in shown


@pytest.mark.parametrize(
    "body",
    [
        f"<p>Xem https://youtu.be/{ID} nhé.</p>",  # in a sentence: a plain address
        f'<p>Xem <a href="https://youtu.be/{ID}">video</a> nhé.</p>',
        '<p><a href="https://www.youtube.com/@sotttt">Kênh của Sở</a></p>',
        "<p>https://dichvucong.gov.vn</p>",
        f"<pre><code>https://youtu.be/{ID}\n</code></pre>",
        "<p>https://[youtube.com/watch</p>",  # not an address
        # A paragraph that starts with a video link, and a later one that ends with a link: each
        # stays itself, nothing in between is taken for the video's title.
        f'<p><a href="https://youtu.be/{ID}">Video lễ hội</a> do Đài tỉnh thực hiện.</p>\n'
        '<p>Ngày 3/2, khai mạc.</p>\n<p>Xem thêm: <a href="/tin-tuc/">tin liên quan</a></p>',
    ],
)
def test_a_video_address_in_running_text_stays_a_link(body: str) -> None:
    assert videos(body) == body


def test_a_video_after_a_paragraph_that_starts_with_a_link_is_still_a_video() -> None:
    body = (
        f'<p><a href="/tin-tuc/">Tin tức</a> hôm nay.</p>\n<p><a href="https://youtu.be/{ID}">Lễ hội</a></p>'
    )
    shown = videos(body)
    assert shown.startswith('<p><a href="/tin-tuc/">Tin tức</a> hôm nay.</p>\n<figure class="video">')
    assert "Xem video: Lễ hội" in shown


def test_a_video_file_written_as_an_image_becomes_a_player_that_loads_nothing_first() -> None:
    shown = videos('<p><img alt="Lễ hội &quot;hoa ban&quot;" src="/videos/hoa-ban.MP4" /></p>')
    assert shown == (
        '<figure class="video"><video controls preload="none">'
        '<source src="/videos/hoa-ban.MP4" type="video/mp4">'
        '<a href="/videos/hoa-ban.MP4">Tải video về máy</a>'
        "</video><figcaption>Lễ hội &quot;hoa ban&quot;</figcaption></figure>"
    )
    assert 'type="video/webm"' in videos('<p><img alt="" src="/videos/a.webm" /></p>')
    photo_only = '<p><img alt="Ảnh" src="/images/a.jpg" /></p>'
    assert videos(photo_only) == photo_only


def test_an_article_and_a_page_show_their_videos(site: SiteDir) -> None:
    site.write("static/images/hoa-ban.jpg", photo("JPEG", (800, 450)))
    site.write("static/videos/hoa-ban.mp4", b"\x00\x00\x00\x18ftypmp42")
    poster = f"[![Lễ hội hoa ban](/images/hoa-ban.jpg)](https://youtu.be/{ID})"
    body = f"Mở đầu.\n\n{poster}\n\n![Toàn cảnh](/videos/hoa-ban.mp4)\n"
    site.article("a", body)
    site.write(
        "content/pages/gioi-thieu.md", f"---\ntitle: Giới thiệu\n---\nhttps://www.youtube.com/watch?v={ID}\n"
    )
    assert site.build().code == 0
    article = site.page("2023/02/a/index.html")
    assert f'data-youtube="{ID}"' in article
    assert re.search(r'<a class="video-youtube"[^>]*><picture>.*?alt="".*?</picture>', article)
    assert '<video controls preload="none"><source src="/videos/hoa-ban.mp4"' in article
    assert f'data-youtube="{ID}"' in site.page("gioi-thieu/index.html")


def test_a_missing_video_file_is_a_broken_link(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    site.article("a", "Xem:\n\n![Lễ hội](/videos/khong-co.mp4)\n")
    err = fails_and_keeps_everything(site)
    assert "content/a.md:7: liên kết /videos/khong-co.mp4 không dẫn tới" in err, err


def policy_of(site: SiteDir, page: str = "index.html") -> dict[str, str]:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', site.page(page))
    assert found, "every page carries its policy"
    return dict(item.strip().split(" ", 1) for item in html.unescape(found.group(1)).split(";"))


def test_each_page_s_policy_allows_exactly_what_the_site_needs(site: SiteDir) -> None:
    site.article("a")
    assert site.build().code == 0
    policy = policy_of(site)
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert (
        policy["frame-src"] == "'self' https://www.youtube-nocookie.com" and policy["media-src"] == "'self'"
    )
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'self'"
    site.config(
        "emc:\n  script: https://emc.example.gov.vn/js/emc.js?id=1\n  badge_image: http://tin-nhiem.example.vn/b.png\n"
        "counter:\n  mode: goatcounter\n  endpoint: https://so-tttt.goatcounter.com\n"
    )
    assert site.build().code == 0
    policy = policy_of(site, "2023/02/a/index.html")
    assert policy["script-src"] == "'self' https://emc.example.gov.vn"
    assert policy["connect-src"] == "'self' https://so-tttt.goatcounter.com"
    assert policy["img-src"] == "'self' data: https: http://tin-nhiem.example.vn"


def test_an_embedded_frame_or_script_is_said_to_be_blocked_with_its_line(site: SiteDir) -> None:
    body = 'Bản đồ:\n\n<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>\n\n```\n<script>\n```\n'
    site.article("a", body)
    result = site.build()
    assert result.code == 0
    assert "content/a.md:7: thẻ <iframe> sẽ không hiện" in result.err, result.err
    assert "<script>" not in result.err  # in a code block: shown, not run


@pytest.mark.parametrize(
    "script",
    [
        "//emc.example.gov.vn/emc.js",
        "http://emc.example.gov.vn/emc.js",
        "https://[emc/a.js",
        "https://a:b@emc.vn/x.js",
    ],
)
def test_an_emc_script_the_policy_cannot_name_is_refused_with_its_line(site: SiteDir, script: str) -> None:
    site.article("a")
    assert site.build().code == 0
    site.config(f"emc:\n  badge_image: ''\n  script: {script}\n")
    err = fails_and_keeps_everything(site)
    assert "newsgen.yaml:3: emc.script phải là địa chỉ https://… đầy đủ" in err, err
