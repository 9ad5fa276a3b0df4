"""Related articles: the ones sharing the most provinces and themes, the newest among equals."""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import UTC, datetime, timedelta

from conftest import SiteDir
from newsgen.site.model import Article, Term, related_articles


def test_an_article_page_lists_the_closest_articles_first(site: SiteDir) -> None:
    site.article(
        "a",
        title="Bài chính",
        date="2023-05-01",
        provinces=["Điện Biên", "Lai Châu"],
        themes=["Chuyển đổi số"],
    )
    site.article(
        "ba-chung",
        title="Chung ba",
        date="2020-01-01",
        provinces=["Lai Châu", "Điện Biên"],
        themes=["Chuyển đổi số"],
    )
    site.article(
        "hai-chung",
        title="Chung hai",
        date="2023-04-01",
        provinces=["Điện Biên", "Sơn La"],
        themes=["Chuyển đổi số"],
    )
    site.article("mot-chung-moi", title="Chung một, mới", date="2023-06-01", provinces=["Lai Châu"])
    site.article("mot-chung-cu", title="Chung một, cũ", date="2021-06-01", provinces=["Điện Biên"])
    site.article("khong-chung", title="Không chung", date="2023-07-01", provinces=["Sơn La"])
    assert site.build().code == 0
    page = site.page("2023/05/bai-chinh/index.html")
    section = page[page.index('<section class="related"') : page.index("</section>")]
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', section)
    assert [title for _url, title in listed] == ["Chung ba", "Chung hai", "Chung một, mới", "Chung một, cũ"]
    assert listed[0][0] == "/2020/01/chung-ba/"
    assert 'id="tin-lien-quan"' in section and "Tin liên quan" in section


def test_an_article_sharing_nothing_has_no_related_section(site: SiteDir) -> None:
    site.article("a", title="Bài A", provinces=["Sơn La"])
    site.article("b", title="Bài B", provinces=["Lai Châu"])
    assert site.build().code == 0
    assert 'class="related"' not in site.page("2023/02/bai-a/index.html")


def test_the_ranking_is_the_same_as_comparing_every_pair() -> None:
    """The grouped computation against the definition, on articles with random terms and dates."""
    rng = random.Random(7)
    articles = random_articles(rng, 400, provinces=3, themes=2, theme_names=3)
    assert_ranked_as_defined(articles)
    # Again, with other dates: what the last call found must not be handed back.
    redated = newest_first(
        [dataclasses.replace(a, date=START + timedelta(days=rng.randrange(2000))) for a in articles]
    )
    assert_ranked_as_defined(redated)
    # And with the same articles in the same order as the last call: handed back, as it was.
    assert related_articles(redated, count=5) == related_articles(list(redated), count=5)


def test_articles_with_many_terms_are_ranked_as_defined_and_quickly() -> None:
    """All seven provinces and many themes on one article: too many subsets of its terms to walk
    them all, so the groups' shared terms are counted instead (a walk of every subset of 20 terms
    took 18 s)."""
    assert_ranked_as_defined(random_articles(random.Random(11), 200, provinces=8, themes=14, theme_names=14))


START = datetime(2020, 1, 1, tzinfo=UTC)


def random_articles(
    rng: random.Random, count: int, provinces: int, themes: int, theme_names: int
) -> list[Article]:
    """`count` articles with fewer than `provinces` of the seven provinces and fewer than `themes`
    of `theme_names` themes each, dated at random, newest first as the site orders them."""
    all_provinces = [Term("provinces", name, name, f"/tinh/{name}/") for name in "ABCDEFG"]
    all_themes = [
        Term("themes", f"T{index}", f"t{index}", f"/chu-de/{index}/") for index in range(theme_names)
    ]
    return newest_first(
        [
            _article(
                f"content/{number}.md",
                START + timedelta(hours=rng.randrange(48000)),
                tuple(rng.sample(all_provinces, rng.randrange(0, provinces))),
                tuple(rng.sample(all_themes, rng.randrange(0, themes))),
            )
            for number in range(count)
        ]
    )


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.source_path))


def test_an_article_moved_in_time_moves_in_the_others_lists() -> None:
    """Only one article's date changes, and no group's own order: the lists must follow."""
    son_la, lai_chau = (
        Term("provinces", "Sơn La", "son-la", "/"),
        Term("provinces", "Lai Châu", "lai-chau", "/"),
    )
    day = datetime(2023, 1, 1, tzinfo=UTC)
    z = _article("z.md", day + timedelta(days=100), (son_la, lai_chau), ())
    xs = [_article(f"x{n}.md", day + timedelta(days=50 - n), (son_la,), ()) for n in range(1, 6)]
    y_old = _article("y.md", day, (lai_chau,), ())
    y_new = dataclasses.replace(y_old, date=day + timedelta(days=48, hours=12))  # between x1 and x2
    before = related_articles([z, *xs, y_old])
    assert [a.source_path for a in before["z.md"]] == ["x1.md", "x2.md", "x3.md", "x4.md", "x5.md"]
    after = related_articles([z, xs[0], y_new, *xs[1:]])
    assert [a.source_path for a in after["z.md"]] == ["x1.md", "y.md", "x2.md", "x3.md", "x4.md"]


def assert_ranked_as_defined(articles: list[Article]) -> None:
    found = related_articles(articles, count=5)
    for article in articles:
        terms = set(article.provinces + article.themes)
        scored = [
            (len(terms & set(other.provinces + other.themes)), index, other)
            for index, other in enumerate(articles)
            if other is not article
        ]
        expected = [other for shared, _index, other in sorted(scored, key=lambda s: (-s[0], s[1])) if shared][
            :5
        ]
        assert found.get(article.source_path, ()) == tuple(expected), article.source_path


def _article(path: str, date: datetime, provinces: tuple[Term, ...], themes: tuple[Term, ...]) -> Article:
    return Article(
        source_path=path,
        meta=path,
        title=path,
        date=date,
        url=f"/{path}/",
        slug=path,
        body=None,  # type: ignore[arg-type]
        summary="",
        lead="",
        updated=None,
        provinces=provinces,
        themes=themes,
        author="",
        image="",
        image_alt="",
        image_caption="",
        image_focus=(50, 50),
        draft=False,
        featured=False,
        pinned_until=None,
        extra={},
        lines={},
        links=(),
        base_path="/",
    )
