"""`build`: the pipeline, top to bottom (DESIGN.md says what each stage does).

newsgen.yaml ─load_config─▶ Config ─scan_inputs─▶ Inputs ─find_edits─▶ nothing, a few edits, or:
content/ ─load_sources─▶ [Source] ─build_site─▶ Site ─plan_site─▶ plan ─check_plan─▶ checked
plan ─render_site─▶ Outputs ─SiteWriter─▶ build/ (one exchange) ─record_build─▶ the store
"""

from __future__ import annotations

import contextlib
import itertools
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from .config.settings import Config, load_config
from .errors import Problems
from .files import FileStats
from .incremental.changes import find_edits
from .incremental.edits import edited_build
from .incremental.memory import Memory
from .incremental.pages import PageMemo
from .incremental.records import (
    ArticleRecord,
    Inputs,
    LastBuild,
    last_build,
    record_build,
    scan_inputs,
    unchanged_files,
)
from .outputs.check import check_plan
from .outputs.output import Output
from .outputs.plan import PlannedPage, plan_site
from .outputs.render import render_site
from .outputs.search import SearchIndex, document_key
from .report import BuildReport
from .site.model import Site, build_site, is_scheduled
from .sources.content import Progress, Source
from .sources.load import load_sources
from .state.bodies import Bodies
from .state.store import Store
from .write.marker import MARKER, output_stats
from .write.spare import prepare_spare
from .write.writer import (
    SiteWriter,
    WriteReport,
    check_output_dir,
    output_lock,
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
    memory: Memory | None = None,
) -> BuildReport:
    """Build the site in `source_dir` into its output folder; raise NewsgenError on any problem.
    `memory`: what this process kept from its last build of the site (`newsgen serve`'s)."""
    started = time.perf_counter()
    config = load_config(source_dir, output_dir=output_dir, base_url=base_url, drafts=drafts, future=future)
    check_output_dir(config.output_dir, config.source_dir)
    inputs = scan_inputs(config)
    known = memory is not None and memory.own_output and memory.output_known
    if memory is not None:
        memory.output_known = False  # until this build succeeds
    with output_lock(config.output_dir), _opened_store(config) as store:  # one build at a time
        last = memory.kept.recorded() if memory is not None and known else None
        last = last or last_build(store, config)
        job = _Job(config, store, inputs, last, now or datetime.now(UTC), jobs, memory, known)
        report = _reuse(job) or _full_build(job, progress)
        if report.changed == report.removed == 0:  # the writer was not needed, or found nothing to do
            write_changes(config.output_dir, (), (), ())
    if memory is not None:
        memory.output_known = True
    return replace(report, seconds=time.perf_counter() - started)


@contextlib.contextmanager
def _opened_store(config: Config) -> Iterator[Store]:
    remove_leftovers(config.output_dir)  # under the lock: a folder a killed build left aside
    store = Store.open(config.source_dir, config.output_dir)
    try:
        yield store
    finally:
        store.finish()


@dataclass(frozen=True)
class _Job:
    """One build: what it reads, the store it compares with, and the last build's record."""

    config: Config
    store: Store
    inputs: Inputs
    last: LastBuild | None
    now: datetime
    jobs: int
    memory: Memory | None
    output_known: bool  # only this process writes the output, and its last build succeeded

    def output_now(self) -> FileStats:
        """The output folder's files: as recorded, if known to be so; else as found."""
        if self.output_known and self.last is not None and (self.config.output_dir / MARKER).is_file():
            return dict(self.last.outputs)
        return output_stats(self.config.output_dir)


def _reuse(job: _Job) -> BuildReport | None:
    """The report of a build that can keep the last one's outputs but those few edits show in."""
    kept = job.memory.kept if job.memory is not None else None
    if job.last is None or (kept is not None and kept.snapshot is None):  # serve's first: a model
        return None
    edits = find_edits(job.config, job.last, job.inputs, job.now, job.output_now)
    if edits is None:
        return None
    if not edits:  # nothing changed, or files were touched without changing their bytes
        last = job.last  # their new times, or times not settled last time, are settled next time
        if job.inputs.content.files != last.inputs.content.files or not last.inputs.settled:
            record_build(job.store, replace(last, inputs=job.inputs), last)
            if kept is not None and kept.snapshot is not None:
                kept.snapshot.last = replace(last, inputs=job.inputs)
        return job.last.unchanged_report()
    if kept is None or job.memory is None:
        return edited_build(job.config, job.store, job.last, job.inputs, edits)
    memory = job.memory
    return kept.edited_build(
        job.config,
        job.store,
        job.last,
        job.inputs,
        edits,
        job.jobs,
        memory.templates,
        not memory.search_later,
    )


def _full_build(job: _Job, progress: Progress | None) -> BuildReport:
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
    existing = walking.result()
    body_digests = {article.source_path: article.body.digest for article in site.articles}
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
    )
    recorded = _record(job, report, site, memo, written, file_digests, held.next_change)
    if job.memory is not None:
        identities = memo.known_identities(site.articles)
        job.memory.kept.remember(config, site, plan, identities, (memo.base, records), recorded)
    return report


def _render_and_write(
    job: _Job,
    site: Site,
    plan: list[PlannedPage | Output],
    memo: PageMemo,
    existing: FileStats,
    progress: Progress | None,
) -> WriteReport:
    """Render the pages whose keys changed, the search index with them, and write the site."""
    config = job.config
    search = SearchIndex(config, job.store) if config.search else None
    if search is not None:
        search.update(site.articles, lambda a: document_key(memo.identity_of(a), a.body.digest), True)
        if job.memory is None or not job.memory.search_later:
            search.start()  # Pagefind indexes while the pages are rendered
    job.store.close()  # render workers are forked next: each opens its own connection
    compiled = job.memory.templates if job.memory is not None else None
    try:
        with SiteWriter.open(config.output_dir, config.source_dir, existing) as writer:
            outputs = render_site(site, plan, memo, jobs=job.jobs, stage=writer.stage, compiled=compiled)
            if progress is not None:
                outputs = _counted(outputs, len(plan), progress)
            if search is not None:
                outputs = itertools.chain(outputs, search.files())
            return writer.write(outputs)
    finally:
        if search is not None:
            search.stop()  # if writing failed first, no Pagefind is left running


def _record(
    job: _Job,
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
        self.next_change = min(later, default=math.inf)  # when the site changes by itself

    def next_scheduled(self, config: Config) -> datetime | None:
        return (
            datetime.fromtimestamp(self.next_change, config.timezone) if self.next_change < math.inf else None
        )


def update_search_index(
    source_dir: Path,
    *,
    output_dir: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    future: bool = False,
    cancelled: Callable[[], bool] | None = None,
    memory: Memory | None = None,
) -> None:
    """Make the search index again if articles changed since it was made, and write its files:
    what `build` leaves for later with `Memory(search_later=True)` (`newsgen serve`, after the reload).
    Given up, the index left as it was, as soon as `cancelled()` comes true. `memory`: the
    builder's, whose record of the last build is brought up to date too."""
    config = load_config(source_dir, output_dir=output_dir, base_url=base_url, drafts=drafts, future=future)
    if not config.search:
        return
    with output_lock(config.output_dir), _opened_store(config) as store:
        index = SearchIndex(config, store)
        if not index.stale():
            return
        last = memory.kept.recorded() if memory is not None and memory.output_known else None
        last = last or last_build(store, config)
        if last is None:  # no record: the next build writes the index's files
            return
        index.start()
        if not index.finish(cancelled):
            return
        changed, gone = index.changes(last.outputs)
        with SiteWriter.open(config.output_dir, config.source_dir, last.outputs) as writer:
            written = writer.update(changed, removed=gone)
        recorded = replace(last, outputs=written.stats)
        record_build(store, recorded, last)
        if memory is not None and memory.kept.snapshot is not None:
            memory.kept.snapshot.last = recorded


def prepare_next_build(memory: Memory, cancelled: Callable[[], bool]) -> None:
    """Do now what the next build would do first: make the spare folder it swaps in (after a
    build that put a new folder in place), and what an edit needs of the kept model. For
    `newsgen serve`, between a reload and the next save; given up as soon as `cancelled()` comes
    true."""
    memory.kept.prepare()
    snapshot = memory.kept.snapshot
    if not memory.output_known or snapshot is None or snapshot.last is None:
        return  # the output folder may not be as the last build here left it
    config = snapshot.config
    with output_lock(config.output_dir):
        prepare_spare(config.output_dir, config.source_dir, dict(snapshot.last.outputs), cancelled)


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
