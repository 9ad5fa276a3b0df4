"""When only the text of a few articles changed since the last build, render just their pages.

Fixing a typo or adding a paragraph changes an article's body and nothing listings show of it:
an article counts for listings and navigation by everything its file says but its body
(`pages.article_identity`). After such edits, and nothing else, a full build would find
every page's key unchanged except those of the pages that showed the edited bodies; it would
render those and keep the rest. `edited_build` does the same without modelling the whole site:
once `changes.find_edits` found that nothing else changed, it checks, from what the last build
recorded, that each edited body is shown by its own article's page only, and that this page
reads nothing of the site beyond its article. Whenever any of that is not so, it returns None
and a full build runs.
"""

from __future__ import annotations

import dataclasses
import time

from markupsafe import Markup

from ..config.settings import Config
from ..errors import NewsgenError
from ..files import FileStats
from ..outputs.output import Output
from ..outputs.plan import article_page
from ..outputs.render import make_environment, render_template
from ..outputs.search import document_key, index_edits
from ..report import BuildReport
from ..site.model import Article, article_alone, site_without_articles
from ..sources import content
from ..sources.load import StoredSources
from ..state.bodies import Bodies
from ..state.store import Store, digest
from ..write.writer import SiteWriter
from .changes import Edits
from .pages import BODY, PageMemo, article_identity
from .records import ArticleRecord, Inputs, LastBuild, record_build


class FullBuildNeeded(Exception):
    """What was edited cannot be shown by rendering a few pages: a full build is needed."""


def edited_build(
    config: Config, store: Store, last: LastBuild, inputs: Inputs, edits: Edits
) -> BuildReport | None:
    """Render the pages of the `edits` (`changes.find_edits`) if only their bodies changed; the
    report, or None when a full build is needed. The caller holds the output lock."""
    started = time.perf_counter()
    if config.feed_full_content:  # the feeds show bodies too: they are made by a full build
        return None
    try:
        report, articles, outputs = _render_edited(config, store, last, edits)
    except FullBuildNeeded:
        return None
    report = dataclasses.replace(report, seconds=time.perf_counter() - started)
    recorded = dataclasses.replace(last, report=report, outputs=outputs, inputs=inputs, articles=articles)
    record_build(store, recorded, last)
    return report


def _render_edited(
    config: Config, store: Store, last: LastBuild, edits: Edits
) -> tuple[BuildReport, dict[str, ArticleRecord], FileStats]:
    """Parse the edited articles, render their pages and write those that changed."""
    if any(path in last.sidebar_bodies for path in edits):
        raise FullBuildNeeded  # every page shows it
    bodies = Bodies(store)
    parsed = parse_edits(config, store, last, edits, bodies)
    if any(article_identity(article) != last.articles[path].identity for path, article in parsed.items()):
        raise FullBuildNeeded  # listings would change too
    articles = dict(last.articles.items())
    for path, article in parsed.items():
        articles[path] = last.articles[path]._replace(digest=article.body.digest)
    related_paths = {other for path in edits for other in last.articles[path].related}
    stored = StoredSources(config, store, related_paths)
    related = _Related(config, last, parsed, bodies, stored)
    pages = {
        path: article_page(config, article, related.of(last.articles[path].related))
        for path, article in parsed.items()
    }  # by source path

    memo = PageMemo(store, config, last.outputs, {path: articles[path].digest for path in pages})
    memo.start(last.sidebar, set(last.sidebar_bodies), showing=pages)
    showing = _pages_showing(memo)
    site = site_without_articles(config)  # a page that reads it is not rendered here
    env = make_environment(site)
    env.globals["sidebar"] = Markup(last.sidebar.decode("utf-8"))
    outputs = []
    for path, page in pages.items():
        shown = {BODY + path}
        if showing.get(path) != [page.path] or memo.previous[page.path][1] != shown:
            raise FullBuildNeeded  # another page shows this body too, or the page reads the site
        context = {"site": site, "config": config, **page.context}
        tracked, used = memo.track(context)
        try:
            with memo.reading(used):
                data = render_template(env, page.template, **tracked)
        except NewsgenError:
            raise FullBuildNeeded from None
        if used != shown:
            raise FullBuildNeeded
        memo.remember(page, context, used)
        outputs.append(Output(page.path, data, origin=page.origin))

    identity = {path: last.articles[path].identity or "" for path in parsed}  # as it was
    index = index_edits(
        config,
        store,
        parsed.values(),
        lambda a: document_key(identity[a.source_path], a.body.digest),
        last.outputs,
    )
    if index is None:
        raise FullBuildNeeded  # the store held something of the wrong shape
    search_files, search_gone, index_published = index
    with SiteWriter.open(config.output_dir, config.source_dir, last.outputs) as writer:
        written = writer.update([*outputs, *search_files], removed=search_gone)
    index_published()
    memo.save(written.stats, keep_previous=True)
    still_shown = {record.digest for record in articles.values()}
    bodies.remove({last.articles[path].digest for path in edits} - still_shown)
    report = dataclasses.replace(
        last.report,
        files=len(written.written),
        changed=len(written.changed),
        removed=len(written.removed),
        pages_rendered=len(pages),
    )
    return report, articles, written.stats


class _Related:
    """The articles an edited article's page lists as related, as the last build made them: from
    the store, or read and parsed again, and only if each is as that build recorded it."""

    def __init__(
        self,
        config: Config,
        last: LastBuild,
        parsed: dict[str, Article],
        bodies: Bodies,
        stored: StoredSources,
    ) -> None:
        self.config, self.last, self.parsed, self.bodies, self.stored = config, last, parsed, bodies, stored

    def of(self, paths: tuple[str, ...]) -> tuple[Article, ...]:
        return tuple(self.parsed.get(path) or self._unchanged(path) for path in paths)

    def _unchanged(self, path: str) -> Article:
        record = self.last.articles.get(path)
        if record is None:
            raise FullBuildNeeded
        source = self.stored.get(path, record.digest)
        try:
            if source is None:
                data = content.read_file(self.config.source_dir / path)
                if digest(data) != record.digest:
                    raise FullBuildNeeded  # changed since, yet not among the edited files: look again
                source, _html = content.parse_source(path, data, self.config)
        except NewsgenError:
            raise FullBuildNeeded from None
        article = article_alone(self.config, source, self.bodies)
        if article_identity(article) != record.identity:
            raise FullBuildNeeded  # its terms are spelt otherwise in the site
        return article


def _pages_showing(memo: PageMemo) -> dict[str, list[str]]:
    """The pages that showed each article's body in the last build, by the article's source path."""
    showing: dict[str, list[str]] = {}
    for page_path, (_key, used, *_stat) in memo.previous.items():
        for read in used:
            if read.startswith(BODY):
                showing.setdefault(read[len(BODY) :], []).append(page_path)
    return showing


def parse_edits(
    config: Config, store: Store, last: LastBuild, edits: Edits, bodies: Bodies
) -> dict[str, Article]:
    """The edited articles, as they are now, by source path; their bodies added to `bodies` and
    their parse results to the store. FullBuildNeeded if any has a mistake or something to warn
    about, or had last time: a full build says it, and all there is to say."""
    parsed, sources = {}, []
    for path, (_digest, data) in edits.items():
        if any(warning.path == path for warning in last.report.warnings):
            raise FullBuildNeeded
        try:
            source, html = content.parse_source(path, data, config)
            article = article_alone(config, source, bodies)
        except NewsgenError:
            raise FullBuildNeeded from None
        if source.warnings:
            raise FullBuildNeeded
        bodies.add({source.digest: html})
        parsed[path] = article
        sources.append(source)
    StoredSources(config, store, edits).save(sources)  # for the next full build
    return parsed
