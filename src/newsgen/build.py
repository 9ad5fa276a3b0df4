"""`build`: one build of the site (DESIGN.md says what each stage does).

newsgen.yaml ─load_config─▶ Config ─scan_inputs─▶ Inputs ─find_edits─▶ then one of:
- nothing changed: the output folder is left as it is;
- only a few articles' text: their pages rendered again (`incremental.edits`, or `kept_site`
  from `newsgen serve`'s model);
- anything else: the whole pipeline (`pipeline.full_build`), rendering the pages whose keys changed.

The last two are imported when needed: a build that finds nothing changed loads none of the
stages that render, which is a sixth of its time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .config.settings import load_config
from .incremental.changes import find_edits
from .incremental.records import last_build, record_build, scan_inputs
from .job import Job, opened_store
from .report import BuildReport
from .write.spare import prepare_spare
from .write.writer import check_output_dir, output_lock, write_changes

if TYPE_CHECKING:
    from .incremental.memory import Memory
    from .sources.content import Progress


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
    with output_lock(config.output_dir), opened_store(config) as store:  # one build at a time
        last = memory.kept.recorded() if memory is not None and known else None
        last = last or last_build(store, config)
        job = Job(config, store, inputs, last, now or datetime.now(UTC), jobs, memory, known)
        report = _reuse(job)
        if report is None:
            from .pipeline import full_build  # here, not above: see this module's docstring

            report = full_build(job, progress)
        if report.changed == report.removed == 0:  # the writer was not needed, or found nothing to do
            write_changes(config.output_dir, (), (), ())
    if memory is not None:
        memory.output_known = True
    return replace(report, seconds=time.perf_counter() - started)


def _reuse(job: Job) -> BuildReport | None:
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
        from .incremental.edits import edited_build  # here, not above: see this module's docstring

        return edited_build(job.config, job.store, job.last, job.inputs, edits)
    return kept.edited_build(
        job.config, job.store, job.last, job.inputs, edits, job.jobs, job.memory.templates
    )


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
