"""`Job`: one build, as `build` sets it up and both ways of doing it read it: keeping the last
build's outputs (`build._reuse`) or running the whole pipeline (`pipeline.full_build`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .config.settings import Config
from .files import FileStats
from .incremental.records import Inputs, LastBuild
from .state.store import Store
from .write.marker import MARKER, output_stats
from .write.writer import remove_leftovers

if TYPE_CHECKING:
    from .incremental.memory import Memory


@dataclass(frozen=True)
class Job:
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


@contextlib.contextmanager
def opened_store(config: Config) -> Iterator[Store]:
    """The store of builds into `config.output_dir`; the caller holds the output lock."""
    remove_leftovers(config.output_dir)  # under the lock: a folder a killed build left aside
    store = Store.open(config.source_dir, config.output_dir)
    try:
        yield store
    finally:
        store.finish()
