"""For a process that builds again and again (`newsgen serve`'s builder): the last build's model
and plan kept in memory, and brought up to date after edits that move no article.

An edit to an article's title, summary, image or text, which leaves its date, address, provinces,
themes and draft mark alone, changes no listing's order, no pagination and no related articles.
So instead of modelling and planning the whole site again, the edited articles take the old
ones' places in the kept model: in the listings, paginations, related articles and page
contexts that held them, each made anew where it holds one. The pages rendered again are those that
can show the edit: the ones whose context holds an edited article, that showed an edited body,
or that read the whole site or a taxonomy; with the feeds. Every other page keeps its file and
its record. Anything else, or any doubt, and the caller runs a full build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Iterator
from typing import Any

from ..config.settings import Config
from ..errors import NewsgenError, Problems
from ..files import FileStats
from ..outputs.check import attachment_links, check_article_links
from ..outputs.feeds import feed_outputs
from ..outputs.output import Output
from ..outputs.plan import Pagination, PlannedPage, SitemapEntry, article_page, sitemap_entries, sitemap_of
from ..outputs.render import CompiledTemplates, make_environment, render_sidebar, render_site
from ..outputs.search import document_key, index_edits
from ..report import BuildReport
from ..site.model import Article, Site, Taxonomy, TermListing
from ..site.urls import link_targets
from ..state.bodies import Bodies
from ..state.store import Store
from ..write.writer import SiteWriter
from .changes import Edits
from .edits import FullBuildNeeded, parse_edits
from .pages import BODY, PageMemo, Records, article_identity
from .records import ArticleRecord, Inputs, LastBuild, record_build

# What places an article in the site: an edit to any of these needs a full build. (Its address
# places it too, but only its own page and the links to it change with it.)
_PLACE = ("source_path", "date", "updated", "draft", "provinces", "themes")


TAXONOMY = "taxonomy:"  # in `_Maps.showing`: the pages whose context holds a taxonomy


@dataclasses.dataclass
class _Maps:
    """What an edit looks up in the kept plan; made when first needed, kept up to date by edits."""

    showing: dict[str, list[int]]  # `_pages_holding`
    own_pages: dict[str, int]  # each article's page, by its source path
    paths: set[str]  # every output path, case-folded, for checking links
    linking: dict[str, set[str]]  # the articles linking to each output path, case-folded
    sitemap: dict[int, SitemapEntry]  # each page's entry, by its plan index
    page_index: dict[str, int]  # each page's plan index, by its output path
    body_digests: dict[str, str]  # each article's and page's body's, by its source path


@dataclasses.dataclass
class _Snapshot:
    config: Config
    site: Site
    plan: list[PlannedPage | Output]
    maps: _Maps | None = None
    identities: dict[int, str] = dataclasses.field(default_factory=dict)  # `PageMemo.known_identities`
    pages: tuple[str, Records] | None = None  # the page records last saved, with their base
    last: LastBuild | None = None  # what the last build recorded in the store


class KeptSite:
    """The model and plan of the last build this process made, while they match its output."""

    def __init__(self) -> None:
        self.snapshot: _Snapshot | None = None

    def remember(
        self,
        config: Config,
        site: Site,
        plan: list[PlannedPage | Output],
        identities: dict[int, str],
        pages: tuple[str, Records],
        last: LastBuild,
    ) -> None:
        """Keep the model and plan of the build just recorded in the store, and the records."""
        self.snapshot = _Snapshot(config, site, plan, identities=identities, pages=pages, last=last)

    def recorded(self) -> LastBuild | None:
        """What the last build here recorded, if the model of it is kept."""
        return self.snapshot.last if self.snapshot is not None else None

    def forget(self) -> None:
        self.snapshot = None

    def prepare(self) -> None:
        """Make now what the next edit needs of the model, rather than when it comes."""
        if self.snapshot is not None:
            _maps(self.snapshot)

    def edited_build(
        self,
        config: Config,
        store: Store,
        last: LastBuild,
        inputs: Inputs,
        edits: Edits,
        jobs: int,
        compiled: CompiledTemplates,
    ) -> BuildReport | None:
        """Render what the `edits` (`changes.find_edits`) change, if they move no article; the
        report, or None when a full build is needed. The caller holds the output lock."""
        started = time.perf_counter()
        snapshot = self.snapshot
        if snapshot is None or config != snapshot.config:
            return None
        try:
            parsed = parse_edits(config, store, last, edits, Bodies(store))
        except FullBuildNeeded:
            return None
        old = {article.source_path: article for article in snapshot.site.articles}
        if any(path not in old or _place(old[path]) != _place(article) for path, article in parsed.items()):
            return None
        self.snapshot = None  # the model changes now: kept again only if all goes well
        try:
            report, articles, outputs = _render_edited(snapshot, store, last, parsed, jobs, compiled)
        except (FullBuildNeeded, NewsgenError):
            return None  # a full build says what is wrong, all of it
        self.snapshot = snapshot
        report = dataclasses.replace(report, seconds=time.perf_counter() - started)
        recorded = dataclasses.replace(last, report=report, outputs=outputs, inputs=inputs, articles=articles)
        record_build(store, recorded, last)
        snapshot.last = recorded
        return report


def _place(article: Article) -> tuple[Any, ...]:
    return tuple(getattr(article, name) for name in _PLACE)


def _made_anew(article: Article) -> tuple[Any, ...]:
    """What a full build must see change: the photo (its thumbnail may not be made yet), and what
    chooses the home page's lead and "Tin nổi bật"."""
    return article.image, article.image_focus, article.featured, article.pinned_until


def _render_edited(
    snapshot: _Snapshot,
    store: Store,
    last: LastBuild,
    parsed: dict[str, Article],
    jobs: int,
    compiled: CompiledTemplates,
) -> tuple[BuildReport, dict[str, ArticleRecord], FileStats]:
    """Update the kept model, render the pages that can show the edits, write what changed."""
    relisted, moved = _update_model(snapshot, parsed)
    config, site, plan = snapshot.config, snapshot.site, snapshot.plan
    sidebar, sidebar_bodies = render_sidebar(site, make_environment(site, compiled))
    if sidebar != last.sidebar:
        raise FullBuildNeeded  # every page shows it
    memo = PageMemo(store, config, last.outputs, _maps(snapshot).body_digests, snapshot.pages)
    memo.start(sidebar, sidebar_bodies)
    if not memo.previous:
        raise FullBuildNeeded
    memo.reuse_identities(snapshot.identities)  # of the articles still in the model
    again = _pages_to_render(snapshot, memo, parsed, relisted)
    generated = list(feed_outputs(site)) if relisted or config.feed_full_content else []
    if moved:
        generated += sitemap_of(site, list(_maps(snapshot).sitemap.values()))
    rendering = [*(plan[index] for index in sorted(again)), *generated]
    index = index_edits(
        config,
        store,
        parsed.values(),
        lambda a: document_key(memo.identity_of(a), a.body.digest),
        last.outputs,
    )
    if index is None:
        raise FullBuildNeeded  # the store held something of the wrong shape
    search_files, search_gone, index_published = index
    store.close()  # render workers may be forked next: each opens its own connection
    with SiteWriter.open(config.output_dir, config.source_dir, last.outputs) as writer:
        rendered = render_site(site, rendering, memo, jobs=jobs, stage=writer.stage, compiled=compiled)
        pages = [output for output in rendered if not output.kept]
        written = writer.update([*pages, *search_files], removed=moved | set(search_gone))
    index_published()
    snapshot.pages = (memo.base, memo.save(written.stats, keep_previous=True))
    snapshot.identities = memo.known_identities(site.articles)

    articles = dict(last.articles)
    for path, article in parsed.items():
        articles[path] = articles[path]._replace(
            digest=article.body.digest, identity=memo.identity_of(article)
        )
    report = dataclasses.replace(
        last.report,
        changed=len(written.changed),
        removed=len(written.removed),
        pages_rendered=len(memo.rendered) - memo.kept,
    )
    return report, articles, written.stats


def _maps(snapshot: _Snapshot) -> _Maps:
    """The snapshot's maps, made the first time they are asked for (`KeptSite.prepare`)."""
    if snapshot.maps is None:
        showing, own_pages = _pages_holding(snapshot.plan)
        linking: dict[str, set[str]] = {}
        for article in snapshot.site.articles:
            _note_links(linking, article, article.source_path)
        pages = [(index, item) for index, item in enumerate(snapshot.plan) if isinstance(item, PlannedPage)]
        snapshot.maps = _Maps(
            showing=showing,
            own_pages=own_pages,
            paths={item.path.casefold() for item in snapshot.plan},
            linking=linking,
            sitemap=sitemap_entries(snapshot.site, pages),
            page_index={item.path: index for index, item in pages},
            body_digests={
                **{article.source_path: article.body.digest for article in snapshot.site.articles},
                **{page.source_path: page.body.digest for page in snapshot.site.pages},
                **{document.source_path: document.body.digest for document in snapshot.site.documents},
            },
        )
    return snapshot.maps


def _note_links(linking: dict[str, set[str]], article: Article, path: str, gone: bool = False) -> None:
    """Note (or with `gone`, forget) that the article at `path` links to where `article` links."""
    for url, _line in article.links:
        for target in link_targets(url):
            if gone:
                linking.get(target.casefold(), set()).discard(path)
            else:
                linking.setdefault(target.casefold(), set()).add(path)


def _update_model(snapshot: _Snapshot, parsed: dict[str, Article]) -> tuple[bool, set[str]]:
    """Put the edited articles in the kept model in place of the old ones: in the site's
    listings and related articles, and in the planned pages that hold them. Whether any changed
    as listings show them, and the old pages of those with a new address."""
    maps = _maps(snapshot)
    config, site, plan = snapshot.config, snapshot.site, snapshot.plan
    paths, showing, linking = maps.paths, maps.showing, maps.linking
    by_path = {article.source_path: article for article in site.articles}
    old = {path: by_path[path] for path in parsed}
    if any(_made_anew(parsed[path]) != _made_anew(old[path]) for path in parsed):
        raise FullBuildNeeded
    old_taxonomies = site.taxonomies  # alive until replaced in the plan: ids stay theirs
    relisted = any(
        article_identity(parsed[path]) != snapshot.identities.get(id(old[path])) for path in parsed
    )
    for path, article in parsed.items():  # its place is the same: the site's own terms, shared
        parsed[path] = dataclasses.replace(article, **{name: getattr(old[path], name) for name in _PLACE})
        snapshot.identities.pop(id(old[path]), None)  # while it lives: its id may be another's later
    new_for: dict[int, Any] = {id(old[path]): article for path, article in parsed.items()}
    holding = {index for path in parsed for index in showing.get(path, ())}
    listing = {  # the articles whose pages list an edited one as related
        item.context["article"].source_path
        for item in (plan[index] for index in holding)
        if isinstance(item, PlannedPage) and item.template == "article.html"
    }
    related = dict(site.related)
    related.update({path: _substituted(related[path], new_for) for path in listing if path in related})
    site = snapshot.site = dataclasses.replace(
        site,
        articles=_substituted(site.articles, new_for),
        provinces=_substituted(site.provinces, new_for),
        themes=_substituted(site.themes, new_for),
        pinned=_substituted(site.pinned, new_for),
        related=related,
    )
    taxonomies = {id(before): after for before, after in zip(old_taxonomies, site.taxonomies, strict=True)}
    for index in {index for t in site.taxonomies for index in showing.get(TAXONOMY + t.kind, ())}:
        item = plan[index]  # a taxonomy's page, or a term's: the new taxonomy, nothing more
        assert isinstance(item, PlannedPage)
        for name, value in item.context.items():  # thousands of pages: in place, in the dict
            if id(value) in taxonomies:  # that is this page's alone (`plan_site`)
                item.context[name] = taxonomies[id(value)]
    for index in holding:
        item = plan[index]
        assert isinstance(item, PlannedPage)
        context = {  # its taxonomy was given it above
            name: value if type(value) is Taxonomy else _substituted(value, new_for)
            for name, value in item.context.items()
        }
        plan[index] = dataclasses.replace(item, context=context)
    moved: set[str] = set()
    renewed: list[tuple[int, PlannedPage]] = []
    for path, article in parsed.items():
        index = maps.own_pages[path]
        page = article_page(config, article, site.related.get(path, ()))
        if page.path != plan[index].path:  # a new title, and no slug: a new address
            if page.path.casefold() in paths:
                raise FullBuildNeeded  # another page's: a full build says so
            paths.discard(plan[index].path.casefold())
            paths.add(page.path.casefold())
            moved.add(plan[index].path)
            del maps.page_index[plan[index].path]
            maps.page_index[page.path] = index
        plan[index] = page  # its `page` holds a copy of the title and summary
        renewed.append((index, page))
        maps.body_digests[path] = article.body.digest
        _note_links(linking, old[path], path, gone=True)
        _note_links(linking, article, path)
    moved -= {plan[maps.own_pages[path]].path for path in parsed}  # left by one, taken by another
    maps.sitemap.update(sitemap_entries(site, renewed))
    problems = Problems()
    checked = set(parsed).union(*(linking.get(path.casefold(), ()) for path in moved))
    attachments = attachment_links(site)
    for path in sorted(checked):  # a link to an old address leads nowhere now
        check_article_links(parsed.get(path) or by_path[path], paths, problems, attachments)
    if problems.items:
        raise FullBuildNeeded
    return relisted, moved


def _pages_to_render(
    snapshot: _Snapshot, memo: PageMemo, parsed: dict[str, Article], relisted: bool
) -> set[int]:
    """The plan indexes of the pages that can show the edits: those that showed an edited body;
    if the edits show in listings, those whose context holds an edited article, and those that
    read the whole site or a taxonomy."""
    maps = _maps(snapshot)
    again = {index for path in parsed for index in maps.showing[path]} if relisted else set()
    bodies = {BODY + path for path in parsed}
    for page_path, (_key, used, *_stat) in memo.previous.items():
        if not used:
            continue
        shows = not bodies.isdisjoint(used) or (relisted and any(not read.startswith(BODY) for read in used))
        if shows and page_path in maps.page_index:
            again.add(maps.page_index[page_path])
    return again


def _pages_holding(plan: list[PlannedPage | Output]) -> tuple[dict[str, list[int]], dict[str, int]]:
    """The plan indexes of the pages whose context holds each article (by its source path) or a
    taxonomy (`TAXONOMY` + its kind), and of each article's own page, by its source path."""
    holding: dict[str, list[int]] = {}
    own: dict[str, int] = {}
    for index, item in enumerate(plan):
        if not isinstance(item, PlannedPage):
            continue
        if item.template == "article.html":
            own[item.context["article"].source_path] = index
        for value in item.context.values():
            if isinstance(value, Taxonomy):
                holding.setdefault(TAXONOMY + value.kind, []).append(index)
            for article in _articles_in(value):
                holding.setdefault(article.source_path, []).append(index)
    return holding, own


def _articles_in(value: Any) -> Iterator[Article]:
    """The articles a context value holds: itself, or in its pagination or (nested) tuples."""
    if isinstance(value, Pagination):
        value = value.items
    if isinstance(value, Article):
        yield value
    elif isinstance(value, tuple | list):
        for element in value:
            yield from _articles_in(element)


def _substituted(value: Any, new_for: dict[int, Any]) -> Any:
    """`value` with the articles (and taxonomies) whose id() is in `new_for` replaced, wherever a
    model or a page context holds them; what holds none of them is given back as it is."""
    replaced = new_for.get(id(value))
    if replaced is not None:
        return replaced
    kind = type(value)
    if kind is tuple or kind is list:
        flat = _NESTED.isdisjoint(map(type, value))  # the set operations: quick, for long listings
        if flat and new_for.keys().isdisjoint(map(id, value)):
            return value  # the common case: a listing without an edited article
        if flat:
            return kind(_replaced_in(list(value), new_for))
        items = [_substituted(item, new_for) for item in value]
        same = all(new is item for new, item in zip(items, value, strict=True))
        return value if same else kind(items)
    if kind is dict:
        return {key: _substituted(item, new_for) for key, item in value.items()}
    fields = _HOLDING.get(kind)
    if fields is None:
        return value
    changes = {name: _substituted(getattr(value, name), new_for) for name in fields}
    if all(changes[name] is getattr(value, name) for name in fields):
        return value
    return dataclasses.replace(value, **changes)


def _replaced_in(items: list[Any], new_for: dict[int, Any]) -> list[Any]:
    """`items` with those whose id() is in `new_for` replaced: found by `list.index`, for
    listings of thousands of articles and a few edited ones."""
    ids = list(map(id, items))
    for old, new in new_for.items():
        at = -1
        with contextlib.suppress(ValueError):
            while True:
                at = ids.index(old, at + 1)
                items[at] = new
    return items


# The model's and the plan's values that hold articles, and where.
_HOLDING: dict[type, tuple[str, ...]] = {
    Pagination: ("items",),
    TermListing: ("articles",),
    Taxonomy: ("listings",),
}
_NESTED = {tuple, list, dict, *_HOLDING}
