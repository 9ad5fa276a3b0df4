"""The whole pipeline, for a build that cannot keep the last one's outputs (`build` decides):

content/ ─load_sources─▶ [Source] ─build_site─▶ Site ─plan_site─▶ plan ─check_plan─▶ checked
plan ─render_site─▶ Outputs ─SiteWriter─▶ build/ (one exchange) ─record_build─▶ the store

Pages whose keys did not change are kept, not rendered (`incremental.pages`). Apart from
`build.py` so that a build that keeps everything never loads the stages below.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Callable, Iterator
from datetime import datetime

from .config.settings import Config
from .errors import Problems
from .files import FileStats
from .incremental.pages import PageMemo
from .incremental.records import ArticleRecord, LastBuild, record_build, unchanged_files
from .job import Job
from .outputs.check import check_plan
from .outputs.output import Output
from .outputs.photos import publish_photos
from .outputs.plan import PlannedPage, plan_site
from .outputs.render import render_site
from .outputs.search import Indexed, SearchIndex, document_key
from .parallel import give_back_free_memory
from .report import BuildReport
from .site.model import Site, build_site, is_published, is_scheduled
from .sources.content import Progress, Source
from .sources.load import load_sources
from .state.bodies import Bodies
from .write.writer import SiteWriter, WriteReport


def full_build(job: Job, progress: Progress | None) -> BuildReport:
    """Model, plan, check, render and write the whole site; record it."""
    config, store = job.config, job.store
    if job.memory is not None:
        job.memory.kept.forget()  # the output changes now: kept again once recorded
    problems = Problems()
    bodies = Bodies(store)
    known = unchanged_files(job.last, job.inputs.content)
    sources = load_sources(
        config, problems, job.jobs, progress, files=job.inputs.content.files, unchanged=known, bodies=bodies
    )
    # The output is walked in a thread while the site is modelled and checked: most of the walk
    # is waiting on the disk, with the GIL free. (Not while parsing: no fork with a thread.)
    walking = _InThread(job.output_now)
    try:
        site = build_site(config, sources, job.now, problems, bodies)
        held = _Held(config, sources, job.now)
        file_digests = {source.path: source.digest for source in sources}
        del sources  # the site has what it needs of them: render workers need not copy them
        plan = plan_site(site)
        check_plan(site, plan, problems)
    finally:
        walking.join()  # no thread left running, whatever happened: workers are forked next
    problems.raise_if_any()
    # No thread is left running: workers may be forked.
    plan = publish_photos(config, store, plan, site.articles, job.jobs, problems)
    problems.raise_if_any()
    existing = walking.result()
    body_digests = {article.source_path: article.body.digest for article in site.articles}
    body_digests.update((page.source_path, page.body.digest) for page in site.pages)
    body_digests.update((document.source_path, document.body.digest) for document in site.documents)
    memo = PageMemo(store, config, existing, body_digests)
    written = _render_and_write(job, site, plan, memo, existing, progress)
    records = memo.save(written.stats)
    report = BuildReport(
        articles=len(site.articles),
        pages=sum(1 for path in written.written if path.endswith(".html")),
        pages_rendered=len(memo.rendered) - memo.kept,
        files=len(written.written),
        changed=len(written.changed),
        removed=len(written.removed),
        seconds=0.0,  # `build` times it
        output_dir=config.output_dir,
        warnings=tuple(problems.warnings),
        drafts_held=held.drafts,
        scheduled_held=held.scheduled,
        next_scheduled=held.next_scheduled(config),
        next_unpinned=held.next_unpinned(config),
        next_document_change=_moment(held.next_status, config),
    )
    recorded = _record(job, report, site, memo, written, file_digests, held.next_change)
    if job.memory is not None:
        identities = memo.known_identities(site.articles)
        job.memory.kept.remember(config, site, plan, identities, (memo.base, records), recorded)
    return report


def _render_and_write(
    job: Job,
    site: Site,
    plan: list[PlannedPage | Output],
    memo: PageMemo,
    existing: FileStats,
    progress: Progress | None,
) -> WriteReport:
    """Render the pages whose keys changed, the search index with them, and write the site."""
    config = job.config
    search = SearchIndex(config, job.store, job.jobs) if config.search else None
    compiled = job.memory.templates if job.memory is not None else None
    with SiteWriter.open(config.output_dir, config.source_dir, existing) as writer:
        index: list[Output] = []
        if search is not None:  # staged first, so that their bytes are not kept while pages render
            give_back_free_memory()  # workers are forked to make the index anew
            search.update([*site.articles, *site.documents], _search_key(memo), site, stage=writer.stage)
            recorded = job.last.outputs if job.last is not None else None
            index = [
                output if output.kept or output.staged else writer.stage(output)
                for output in search.files(existing, recorded)
            ]
            search.written.clear()
        job.store.close()  # render workers are forked next: each opens its own connection
        give_back_free_memory()
        outputs = render_site(site, plan, memo, jobs=job.jobs, stage=writer.stage, compiled=compiled)
        if progress is not None:
            outputs = _counted(outputs, len(plan), progress)
        written = writer.write(itertools.chain(outputs, index))
    if search is not None:
        search.published()
    return written


def _search_key(memo: PageMemo) -> Callable[[Indexed], str]:
    return lambda article: document_key(memo.identity_of(article), article.body.digest)


def _record(
    job: Job,
    report: BuildReport,
    site: Site,
    memo: PageMemo,
    written: WriteReport,
    file_digests: dict[str, str],
    next_change: float,
) -> LastBuild:
    """Record the build in the store, for the next one to compare with."""
    articles = {path: ArticleRecord(file_digest, None) for path, file_digest in file_digests.items()}
    for article in site.articles:
        related = tuple(other.source_path for other in site.related.get(article.source_path, ()))
        articles[article.source_path] = ArticleRecord(article.body.digest, memo.identity_of(article), related)
    last = LastBuild(
        report=report,
        built_at=job.now.timestamp(),
        next_change=next_change,
        outputs=written.stats,
        inputs=job.inputs,
        articles=articles,
        sidebar=memo.sidebar,
        sidebar_bodies=memo.sidebar_bodies,
    )
    record_build(job.store, last, job.last)
    return last


class _Held:
    """The articles left out of the site: drafts, and those scheduled for later."""

    def __init__(self, config: Config, sources: list[Source], now: datetime) -> None:
        self.drafts = sum(1 for source in sources if source.draft and not config.drafts)
        later = [source.date.timestamp() for source in sources if is_scheduled(config, source, now)]
        self.scheduled = len(later)
        self.next_due = min(later, default=math.inf)
        unpinned = [  # an article leads the home page until its pin's time
            source.pinned_until.timestamp()
            for source in sources
            if source.pinned_until is not None
            and source.pinned_until > now
            and is_published(config, source, now)
        ]
        self.next_unpin = min(unpinned, default=math.inf)
        statuses = [  # a document comes into force, or out of it
            moment.timestamp()
            for source in sources
            if source.is_document
            for moment in (source.in_force, source.expires)
            if moment is not None and moment > now
        ]
        self.next_status = min(statuses, default=math.inf)
        # when the site changes by itself
        self.next_change = min(self.next_due, self.next_unpin, self.next_status)

    def next_scheduled(self, config: Config) -> datetime | None:
        return _moment(self.next_due, config)

    def next_unpinned(self, config: Config) -> datetime | None:
        return _moment(self.next_unpin, config)


def _moment(timestamp: float, config: Config) -> datetime | None:
    return datetime.fromtimestamp(timestamp, config.timezone) if timestamp < math.inf else None


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


def _counted(outputs: Iterator[Output], total: int, progress: Progress) -> Iterator[Output]:
    for done, output in enumerate(outputs, start=1):
        progress("ghi trang", done, total)
        yield output
