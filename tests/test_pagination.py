"""Numbered pagination: which pages a list links to, and how they show."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import SiteDir
from newsgen.outputs.plan import Pagination


def window(number: int, count: int) -> list[int | None]:
    return Pagination(number, count, (), lambda page: f"/trang/{page}/").window


@given(st.integers(1, 2000).flatmap(lambda count: st.tuples(st.integers(1, count), st.just(count))))
def test_the_window_holds_the_ends_and_the_neighbours_in_order_with_gaps_marked(
    page: tuple[int, int],
) -> None:
    number, count = page
    shown = window(number, count)
    numbers = [item for item in shown if item is not None]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1 and numbers[-1] == count
    assert set(range(max(1, number - 2), min(count, number + 2) + 1)) <= set(numbers)
    for before, item, after in zip(shown, shown[1:], shown[2:], strict=False):
        if item is None:  # an ellipsis stands for two pages or more, never for one
            assert before is not None and after is not None and after - before > 2
    assert None not in (shown[0], shown[-1]) and len(shown) <= 13


@given(st.integers(1, 3000))
def test_any_page_is_a_few_clicks_from_the_first(count: int) -> None:
    clicks = {1: 0}
    frontier = [1]
    while frontier:
        page = frontier.pop(0)
        for linked in window(page, count):
            if linked is not None and linked not in clicks:
                clicks[linked] = clicks[page] + 1
                frontier.append(linked)
    assert len(clicks) == count
    assert max(clicks.values()) <= 2 * math.ceil(math.log2(count + 1)) + 1


def test_page_15_of_30_is_two_clicks_from_the_first() -> None:
    assert 16 in window(1, 30) and 15 in window(16, 30)


def test_a_list_links_to_its_numbered_pages_and_marks_the_current_one(site: SiteDir) -> None:
    site.config("per_page: 1\n")
    for day in range(1, 31):
        site.article(f"bai-{day}", date=f"2023-03-{day:02d} 08:00")
    assert site.build().code == 0
    first = site.page("tin-tuc/index.html").split('<nav class="pagination"')[1].split("</nav>")[0]
    assert '<a href="/tin-tuc/" aria-label="Trang 1/30" aria-current="page">1</a>' in first
    assert '<a href="/tin-tuc/trang/16/" aria-label="Trang 16/30">16</a>' in first
    assert '<a href="/tin-tuc/trang/30/" aria-label="Trang 30/30">30</a>' in first
    assert first.count('<li aria-hidden="true">…</li>') == 2 and 'rel="prev"' not in first
    middle = site.page("tin-tuc/trang/15/index.html").split('<nav class="pagination"')[1].split("</nav>")[0]
    numbers = [int(n) for n in re.findall(r'aria-label="Trang (\d+)/30"', middle)]
    assert numbers == [1, 8, 13, 14, 15, 16, 17, 23, 30]
    assert 'aria-current="page">15</a>' in middle and 'rel="prev" href="/tin-tuc/trang/14/"' in middle
