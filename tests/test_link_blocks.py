"""`link_blocks:` in newsgen.yaml: links and banners in the sidebar and the footer."""

from __future__ import annotations

import pytest

from conftest import SiteDir, fails_and_keeps_everything, photo

BLOCKS = """link_blocks:
  - title: Liên kết
    links:
      - text: Cổng thông tin điện tử tỉnh Sơn La
        url: https://sonla.gov.vn
      - text: Cổng Dịch vụ công quốc gia
        url: https://dichvucong.gov.vn
        image: /images/dich-vu-cong.png
  - title: Xem thêm
    place: footer
    links:
      - text: Tất cả tin tức
        url: /tin-tuc/
"""


@pytest.fixture
def built(site: SiteDir) -> SiteDir:
    site.write("static/images/dich-vu-cong.png", photo("PNG", (600, 150)))
    site.config(BLOCKS)
    site.article("a")
    assert site.build().code == 0
    return site


def test_blocks_show_in_the_sidebar_and_the_footer_outside_links_said_so(built: SiteDir) -> None:
    page = built.page("2023/02/a/index.html")
    sidebar = page.split('<aside class="sidebar"')[1].split("</aside>")[0]
    footer = page.split('<footer class="site-footer">')[1]
    assert "<h2>Liên kết</h2>" in sidebar and "Xem thêm" not in sidebar
    assert (
        '<a href="https://sonla.gov.vn" rel="noopener">Cổng thông tin điện tử tỉnh Sơn La'
        '<span class="visually-hidden"> (mở trang web khác)</span></a>'
    ) in sidebar
    assert 'alt="Cổng Dịch vụ công quốc gia"' in sidebar and "/images/dich-vu-cong.360.webp 360w" in sidebar
    assert "<h2>Xem thêm</h2>" in footer and '<a href="/tin-tuc/">Tất cả tin tức</a>' in footer


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("link_blocks: Liên kết\n", 'newsgen.yaml:1: giá trị của "link_blocks" phải là'),
        (
            "link_blocks:\n  - title: A\n    lnks: []\n",
            'newsgen.yaml:3: khóa "lnks" không dùng được trong link_blocks — có phải "links"?',
        ),
        (
            "link_blocks:\n  - title: A\n    place: dau-trang\n    links: [{text: B, url: /}]\n",
            'newsgen.yaml:3: place của khối "A" phải là sidebar',
        ),
        (
            "link_blocks:\n  - title: A\n    links:\n      - text: B\n        url: sonla.gov.vn\n",
            'newsgen.yaml:5: url của "B" phải bắt đầu bằng https://',
        ),
        (  # another host, written as if it were an address of the site
            "link_blocks:\n  - title: A\n    links:\n      - text: B\n        url: //evil.example/\n",
            'newsgen.yaml:5: url của "B" phải bắt đầu bằng https://',
        ),
        (
            "link_blocks:\n  - title: A\n    links:\n      - url: https://sonla.gov.vn\n",
            'newsgen.yaml:4: links: "text" phải là một chuỗi văn bản không để trống',
        ),
        (
            "link_blocks:\n  - title: A\n    links:\n      - text: B\n        url: /khong-co/\n",
            'newsgen.yaml: liên kết "B" /khong-co/ không dẫn tới tệp nào',
        ),
        (
            "link_blocks:\n  - title: A\n    links:\n      - {text: B, url: /, image: /khong-co.png}\n",
            'newsgen.yaml: ảnh của liên kết "B" /khong-co.png không dẫn tới tệp nào',
        ),
    ],
)
def test_a_mistake_in_link_blocks_is_named_with_its_line_and_loses_nothing(
    site: SiteDir, written: str, message: str
) -> None:
    site.article("a")
    assert site.build().code == 0
    site.config(written)
    err = fails_and_keeps_everything(site)
    assert message in err, err
