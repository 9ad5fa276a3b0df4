"""markup.py's shortcuts give exactly stock Python-Markdown's output."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsgen.sources import markup

SAMPLE_CONTENT = Path(__file__).parent.parent / "content"

EVERY_KIND_OF_MARKUP = """\
Đoạn văn thường, không có gì đặc biệt: Sơn La, Lai Châu, Điện Biên.

Có *nhấn mạnh*, **đậm**, _gạch dưới_, __đậm__ và ***cả hai***; `mã` và ``mã có ` bên trong``.
Liên kết [Sở TT&TT](/gioi-thieu/ "Tiêu đề") và [tham chiếu][ref], [ref] ngắn, ảnh
![Ảnh](/images/a.jpg) và ![tham chiếu ảnh][ref]. Dòng ngắt cứng ở đây  
dòng sau. Thoát \\*không nhấn\\*, \\[không liên kết\\]. Tự động <https://sotttt.dienbien.gov.vn/>
và <banbientap@dienbien.gov.vn>. HTML <span class="x">trong dòng</span>, thực thể &amp; &copy; &#8212;.
Chú thích[^1] và viết tắt HTML.

[ref]: /tinh/dien-bien/
[^1]: Nội dung chú thích, có *nhấn mạnh*.
*[HTML]: HyperText Markup Language

## Tiêu đề *có* `mã` và <em>HTML</em>

## Tiêu đề trùng

## Tiêu đề trùng

## Tiêu đề   có    nhiều   dấu cách

## Sở TT&TT và Sở KH&amp;ĐT: <b>x</b> \\ y

Tiêu đề gạch dưới
-----------------

## Tiêu đề có id riêng {#rieng}

### Tiêu đề có nhãn {data-toc-label="Nhãn"}

| Chỉ tiêu | *Năm* nay |
|---|---:|
| [liên kết](/a/) | 1.234 |
| thường | 6,5% |

Thuật ngữ
:   Định nghĩa với **đậm**.

- mục *một*
- mục hai

1. thứ nhất
3. thứ ba

> Trích dẫn với [liên kết](/b/).

```python
x = "*không* phải [markdown](/c/) & <b>"
```

<div markdown="1">
Bên trong *khối* HTML.
</div>

<p>HTML khối &amp; thô</p>
"""

TABLE_OF_CONTENTS = """\
[TOC]

## Một

### Một chấm một

## Hai
"""

FRAGMENTS = [
    "Điện Biên",
    "lao động",
    " ",
    "  \n",
    "\n",
    "*",
    "_",
    "**",
    "`",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    "&",
    ";",
    "#",
    "^",
    "https://a.vn",
    "@",
    "amp",
    "\n\n## ",
    "\n\n- ",
    "\n\n| a | b |\n|---|---|\n| ",
    "[TOC]",
    "\n\n[TOC]\n\n",
]


def both(text: str) -> tuple[str, str]:
    stock = markup.stock_renderer()
    return stock.convert(text), markup.render_markdown(text)


def test_the_shortcuts_are_in_place() -> None:
    renderer = markup._renderer()
    assert isinstance(renderer.treeprocessors["inline"], markup._SkipPlainText)
    assert isinstance(renderer.treeprocessors["toc"], markup._HeadingIds)


TABLE_OF_CONTENTS_ELSEWHERE = [  # stock Python-Markdown finds the marker in these too
    "## Một\n\n- [TOC]\n",
    "## Một\n\n*[TOC]*\n",
    "## Một\n\n| a |\n|---|\n| [TOC] |\n",
    "## Một\n\nThuật ngữ\n:   [TOC]\n",
]


@pytest.mark.parametrize("text", TABLE_OF_CONTENTS_ELSEWHERE)
def test_table_of_contents_marker_anywhere_as_stock(text: str) -> None:
    expected, got = both(text)
    assert got == expected
    assert '<div class="toc">' in got


@pytest.mark.parametrize("text", [EVERY_KIND_OF_MARKUP, TABLE_OF_CONTENTS], ids=["every-kind", "toc"])
def test_same_output_as_stock_python_markdown(text: str) -> None:
    expected, got = both(text)
    assert got == expected
    assert 'id="tieu-de-trung_1"' in got or "[TOC]" in text


def test_table_of_contents_still_made_where_asked() -> None:
    _, got = both(TABLE_OF_CONTENTS)
    assert '<div class="toc">' in got and 'href="#mot-cham-mot"' in got


def test_sample_articles_render_as_stock() -> None:
    articles = sorted(SAMPLE_CONTENT.rglob("*.md"))
    assert articles
    for path in articles:
        expected, got = both(path.read_text(encoding="utf-8").split("\n---\n", 1)[1])
        assert got == expected, path


def test_random_markup_renders_as_stock() -> None:
    rng = random.Random(20230220)
    for _ in range(400):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 60)))
        expected, got = both(text)
        assert got == expected, repr(text)
