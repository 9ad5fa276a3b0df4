"""`build`: the whole pipeline, top to bottom. See DESIGN.md for what each stage does."""

from __future__ import annotations

import functools
import itertools
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from .bodies import Bodies
from .changes import Edits, find_edits
from .check import check_plan
from .config import Config, load_config
from .content import Progress, Source
from .edits import edited_build
from .errors import Problems
from .files import FileStats
from .incremental import PageMemo
from .kept_site import KeptSite
from .model import build_site, is_scheduled
from .output import Output
from .records import (
    ArticleRecord,
    Inputs,
    LastBuild,
    last_build,
    record_build,
    scan_inputs,
    unchanged_files,
)
from .render import plan_site, render_site
from .report import BuildReport
from .search import SearchIndex, document_key
from .sources import load_sources
from .store import Store
from .writer import (
    MARKER,
    SiteWriter,
    check_output_dir,
    output_lock,
    output_stats,
    remove_leftovers,
    write_changes,
)


def build(
    source_dir: Path,
    *,
    output_dir: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    future: bool = False,
    now: datetime | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    own_output: bool = False,
    kept: KeptSite | None = None,
    index_search: bool = True,
) -> BuildReport:
    """Build the site in `source_dir` into its output folder; raise NewsgenError on any problem.

    `own_output`: nothing but these builds changes the output folder (`newsgen serve`'s), so its
    files are as the last build recorded them, and need not be walked again. `kept`: this
    process's last model of the site (`newsgen serve`'s), brought up to date after edits; a
    full build makes it first. `index_search`: make the search index again now if articles
    changed (else `update_search_index` is left to the caller)."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    config = load_config(source_dir, output_dir=output_dir, base_url=base_url, drafts=drafts, future=future)
    check_output_dir(config.output_dir, config.source_dir)
    inputs = scan_inputs(config)
    with output_lock(config.output_dir):  # one build at a time reads and writes the output
        remove_leftovers(config.output_dir)
        store = Store.open(config.source_dir, config.output_dir)
        try:
            last = last_build(store, config)
            output_now = functools.partial(output_stats, config.output_dir)
            if own_output and last is not None and (config.output_dir / MARKER).is_file():
                output_now = functools.partial(dict, last.outputs)
            report = None
            if kept is None or kept.snapshot is not None:  # else serve's first: the model is made
                edits = find_edits(config, last, inputs, now, output_now)
                if edits is not None and last is not None:
                    report = _reuse(config, store, last, inputs, edits, kept, jobs, index_search)
            if report is None:
                report = _full_build(
                    config, store, inputs, last, now, output_now, jobs, progress, kept, index_search
                )
        finally:
            store.finish()
        if report.changed == report.removed == 0:  # the writer was not needed, or found nothing to do
            write_changes(config.output_dir, (), (), ())
    return replace(report, seconds=time.perf_counter() - started)


def _reuse(
    config: Config,
    store: Store,
    last: LastBuild,
    inputs: Inputs,
    edits: Edits,
    kept: KeptSite | None,
    jobs: int,
    index_search: bool,
) -> BuildReport | None:
    """The report of a build that can use the last one's outputs as they are, or None."""
    if not edits:  # nothing changed, or files were touched without changing their bytes
        if inputs != last.inputs:  # so that their new times are settled next time
            record_build(store, replace(last, inputs=inputs), last)
        return last.unchanged_report()
    if kept is None:
        return edited_build(config, store, last, inputs, edits)
    return kept.edited_build(config, store, last, inputs, edits, jobs, index_search)


def _full_build(
    config: Config,
    store: Store,
    inputs: Inputs,
    last: LastBuild | None,
    now: datetime,
    output_now: Callable[[], FileStats],
    jobs: int,
    progress: Progress | None,
    kept: KeptSite | None,
    index_search: bool,
) -> BuildReport:
    """Model, plan, check, render and write the whole site; record it. The caller holds the lock."""
    started = time.perf_counter()
    problems = Problems()
    bodies = Bodies(store)
    known = unchanged_files(last, inputs.content)
    sources = load_sources(
        config, problems, jobs, progress, files=inputs.content.files, unchanged=known, bodies=bodies
    )
    # The output is walked in a thread while the site is modelled and checked: most of the walk
    # is waiting on the disk, with the GIL free. (Not while parsing: no fork with a thread.)
    walking = _InThread(output_now)
    try:
        site = build_site(config, sources, now, problems, bodies)
        changes_at = next_change(config, sources, now)
        drafts_held = sum(1 for source in sources if source.draft and not config.drafts)
        scheduled_held = sum(1 for source in sources if is_scheduled(config, source, now))
        file_digests = {source.path: source.digest for source in sources}
        del sources  # the site has what it needs of them: render workers need not copy them
        plan = plan_site(site)
        check_plan(site, plan, problems)
    finally:
        walking.join()  # no thread left running, whatever happened: workers are forked next
    problems.raise_if_any()
    existing = walking.result()
    store.close()  # render workers are forked next: each opens its own connection
    body_digests = {article.source_path: article.body.digest for article in site.articles}
    memo = PageMemo(store, config, existing, body_digests)
    if kept is not None:
        kept.forget()  # the output changes now: kept again once recorded
    search = SearchIndex(config) if config.search else None
    if search is not None:
        search.update(site.articles, lambda a: document_key(memo.identity_of(a), a.body.digest), True)
        if index_search:
            search.start()  # Pagefind indexes while the pages are rendered
    try:
        with SiteWriter.open(config.output_dir, config.source_dir, existing) as writer:
            outputs = render_site(site, plan, memo, jobs=jobs, stage=writer.stage)
            if progress is not None:
                outputs = _counted(outputs, len(plan), progress)
            if search is not None:
                outputs = itertools.chain(outputs, search.files())
            written = writer.write(outputs)
    finally:
        if search is not None:
            search.stop()  # if writing failed first, no Pagefind is left running
    memo.save(written.stats)
    report = BuildReport(
        articles=len(site.articles),
        pages=sum(1 for path in written.written if path.endswith(".html")),
        pages_rendered=len(memo.rendered) - memo.kept,
        files=len(written.written),
        changed=len(written.changed),
        removed=len(written.removed),
        seconds=time.perf_counter() - started,
        output_dir=config.output_dir,
        warnings=tuple(problems.warnings),
        drafts_held=drafts_held,
        scheduled_held=scheduled_held,
        next_scheduled=datetime.fromtimestamp(changes_at, config.timezone) if changes_at < math.inf else None,
    )
    articles = {path: ArticleRecord(file_digest, None) for path, file_digest in file_digests.items()}
    for article in site.articles:
        related = tuple(other.source_path for other in site.related.get(article.source_path, ()))
        articles[article.source_path] = ArticleRecord(article.body.digest, memo.identity_of(article), related)
    before, last = (
        last,
        LastBuild(
            report=report,
            built_at=now.timestamp(),
            next_change=changes_at,
            outputs=written.stats,
            inputs=inputs,
            articles=articles,
            sidebar=memo.sidebar,
            sidebar_bodies=memo.sidebar_bodies,
        ),
    )
    record_build(store, last, before)
    if kept is not None:
        kept.remember(config, site, plan, memo.known_identities(site.articles))
    return report


def update_search_index(
    source_dir: Path,
    *,
    output_dir: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    future: bool = False,
    cancelled: Callable[[], bool] | None = None,
    **_build_options: object,
) -> None:
    """Make the search index again if articles changed since it was made, and write its files:
    what `build(index_search=False)` leaves for later (`newsgen serve`, after the reload).
    Given up, the index left as it was, as soon as `cancelled()` comes true."""
    config = load_config(source_dir, output_dir=output_dir, base_url=base_url, drafts=drafts, future=future)
    if not config.search:
        return
    with output_lock(config.output_dir):
        index = SearchIndex(config)
        if not index.stale():
            return
        store = Store.open(config.source_dir, config.output_dir)
        try:
            last = last_build(store, config)
            if last is None:  # no record: the next build writes the index's files
                return
            index.start()
            if not index.finish(cancelled):
                return
            changed, gone = index.changes(last.outputs)
            with SiteWriter.open(config.output_dir, config.source_dir, last.outputs) as writer:
                written = writer.update(changed, removed=gone)
            record_build(store, replace(last, outputs=written.stats), last)
        finally:
            store.finish()


class _InThread(threading.Thread):
    """`function()` run in a thread; `result()` waits for it to end and returns or raises."""

    def __init__(self, function: Callable[[], FileStats]) -> None:
        super().__init__(daemon=True)
        self.function = function
        self.value: FileStats = {}
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.value = self.function()
        except BaseException as error:  # noqa: BLE001 - raised again by result(), in the caller
            self.error = error

    def result(self) -> FileStats:
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def next_change(config: Config, sources: list[Source], now: datetime) -> float:
    """When the site changes by itself: the earliest article scheduled after `now`."""
    later = [source.date.timestamp() for source in sources if is_scheduled(config, source, now)]
    return min(later, default=math.inf)


def _counted(outputs: Iterator[Output], total: int, progress: Progress) -> Iterator[Output]:
    for done, output in enumerate(outputs, start=1):
        progress("ghi trang", done, total)
        yield output
