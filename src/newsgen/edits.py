"""When only the text of a few articles changed since the last build, render just their pages.

Fixing a typo or adding a paragraph changes an article's body and nothing listings show of it:
an article counts for listings and navigation by everything its file says but its body
(`incremental.article_identity`). After such edits, and nothing else, a full build would find
every page's key unchanged except those of the pages that showed the edited bodies; it would
render those and keep the rest. `edited_build` does the same without modelling the whole site:
it checks, from what the last build recorded, that nothing else changed, that each edited body
is shown by its own article's page only, and that this page reads nothing of the site beyond its
article. Whenever any of that is not so, it returns None and a full build runs.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import content
from .bodies import Bodies
from .cache import digest
from .config import Config
from .errors import NewsgenError
from .files import FileStats
from .incremental import BODY, PageMemo, article_identity
from .model import article_alone, site_without_articles
from .output import Output
from .render import PlannedPage, article_page, make_environment, render_template
from .shortcut import Inputs, LastBuild, record_build
from .writer import SiteWriter

if TYPE_CHECKING:
    from .build import BuildReport

# More edited articles than this at once: a full build, whose parsing runs in parallel.
MAX_EDITED = 20


class _FullBuildNeeded(Exception):
    pass


def edited_build(
    config: Config, last: LastBuild | None, inputs: Inputs, now: datetime, output: Callable[[], FileStats]
) -> BuildReport | None:
    """Render the pages of the articles whose bodies alone changed, if nothing else did; the
    report, or None when a full build is needed. The caller holds the output lock."""
    started = time.perf_counter()
    if last is None or not _only_content_changed(last, inputs, now):
        return None
    try:
        edited = _edited_files(config, last, inputs)
        if output() != last.outputs:
            raise _FullBuildNeeded
        if not edited:  # touched, or looked at again, but the same bytes: nothing to do
            report = dataclasses.replace(last.report, changed=0, removed=0, pages_rendered=0)
            articles, outputs = last.articles, last.outputs
        else:
            report, articles, outputs = _render_edited(config, last, edited)
    except _FullBuildNeeded:
        return None
    report = dataclasses.replace(report, seconds=time.perf_counter() - started)
    record = LastBuild(report, last.next_change, outputs, inputs, articles, last.sidebar, last.sidebar_bodies)
    record_build(config, record)
    return report


def _only_content_changed(last: LastBuild, inputs: Inputs, now: datetime) -> bool:
    return (
        last.inputs.others == inputs.others
        and last.inputs.others_settled
        and now.timestamp() < last.next_change
        and inputs.content.files.keys() == last.inputs.content.files.keys()
    )


def _edited_files(config: Config, last: LastBuild, inputs: Inputs) -> dict[str, bytes]:
    """The bytes of the articles whose files changed, by source path."""
    before = last.inputs.content
    looked_at = [
        name
        for name, stat in inputs.content.files.items()
        if stat != before.files[name] or not before.settled(name)
    ]
    if len(looked_at) > MAX_EDITED:
        raise _FullBuildNeeded
    edited: dict[str, bytes] = {}
    for name in looked_at:
        path = f"content/{name}"
        if path not in last.articles:  # not an article, or one with an error
            raise _FullBuildNeeded
        try:
            data = content.read_file(config.content_dir / name)
        except NewsgenError:
            raise _FullBuildNeeded from None
        if digest(data) != last.articles[path][0]:
            edited[path] = data
    return edited


def _render_edited(
    config: Config, last: LastBuild, edited: dict[str, bytes]
) -> tuple[BuildReport, dict[str, tuple[str, str | None]], FileStats]:
    """Parse the edited articles, render their pages and write those that changed."""
    bodies = Bodies.open(config.source_dir, content.fingerprint(config))
    articles = dict(last.articles)
    pages: dict[str, PlannedPage] = {}  # by source path
    for path, data in edited.items():
        if path in last.sidebar_bodies or any(warning.path == path for warning in last.report.warnings):
            raise _FullBuildNeeded
        try:
            source, html = content.parse_source(path, data, config)
            article = article_alone(config, source, bodies)
        except NewsgenError:
            raise _FullBuildNeeded from None
        if source.warnings or article_identity(article) != last.articles[path][1]:
            raise _FullBuildNeeded  # listings would change too, or there is something to say
        bodies.add({source.digest: html})
        articles[path] = (source.digest, last.articles[path][1])
        pages[path] = article_page(config, article)
    bodies.close()

    memo = PageMemo(config, last.outputs, {path: articles[path][0] for path in pages})
    memo.start(last.sidebar, set(last.sidebar_bodies))
    site = site_without_articles(config)  # a page that reads it is not rendered here
    env = make_environment(site)
    env.globals["sidebar"] = Markup(last.sidebar.decode("utf-8"))
    outputs = []
    for path, page in pages.items():
        reads = {BODY + path}
        if [shown for shown, entry in memo.previous.items() if BODY + path in entry[1]] != [page.path]:
            raise _FullBuildNeeded  # another page showed this body too, or its page is new
        if memo.previous[page.path][1] != reads:
            raise _FullBuildNeeded  # its page read the whole site
        context = {"site": site, "config": config, **page.context}
        tracked, used = memo.track(context)
        try:
            with memo.reading(used):
                data = render_template(env, page.template, **tracked)
        except NewsgenError:
            raise _FullBuildNeeded from None
        if used != reads:
            raise _FullBuildNeeded
        memo.remember(page, context, used)
        outputs.append(Output(page.path, data, origin=page.origin))

    with SiteWriter.open(config.output_dir, config.source_dir, last.outputs) as writer:
        written = writer.update(outputs)
    memo.save(written.stats, keep_previous=True)
    report = dataclasses.replace(
        last.report, changed=len(written.changed), removed=0, pages_rendered=len(pages)
    )
    return report, articles, written.stats
