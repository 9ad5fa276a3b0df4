"""Per-item work spread over forked worker processes, when there is enough of it."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items, starting worker processes costs more than it saves.
THRESHOLD = 64
_work: Callable[[Any], Any] | None = None  # what forked workers run


def give_back_free_memory() -> None:
    """Before workers are forked: hand what the last stage freed back to the system. glibc keeps
    freed blocks for later; forked, every worker would share them and copy those it touches
    (at 10,000 articles, the build's peak went from 398 to 307 MiB)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def map_in_processes(
    work: Callable[[Item], Result], items: Sequence[Item], jobs: int, costly: bool = False
) -> Iterator[Result]:
    """`work(item)` for every item, in order, by `jobs` processes when there are enough items;
    `costly` items (a photo: a good part of a second each) are worth a process from two on, and
    are sent one at a time, so that no worker is left with several while the others wait.

    Workers are forked, so `work` and everything it reads come with them: only the items and the
    results are pickled. Where fork is not available, the work is done here, one item at a time.
    """
    threshold, chunk = (2, 1) if costly else (THRESHOLD, None)
    if _here(items, jobs, threshold):
        yield from map(work, items)
        return
    for results in map_chunks_in_processes(functools.partial(_each, work), items, jobs, chunk, threshold):
        yield from results


def map_chunks_in_processes(
    work: Callable[[Sequence[Item]], Result],
    items: Sequence[Item],
    jobs: int,
    size: int | None = None,
    threshold: int = THRESHOLD,
) -> Iterator[Result]:
    """`work(chunk)` for consecutive chunks of `items` (of `size`, or chosen here), in order, as
    `map_in_processes` does for each item (by processes from `threshold` items on): for work
    that sums up a chunk, to send back less than a result per item."""
    size = size or min(1000, max(16, len(items) // (max(jobs, 1) * 8)))  # not all held in memory at once
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    if _here(items, jobs, threshold):
        yield from map(work, chunks)
        return
    global _work
    _work = work
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_run_chunk, chunks)
    finally:
        _work = None


def _here(items: Sequence[Any], jobs: int, threshold: int = THRESHOLD) -> bool:
    return jobs <= 1 or len(items) < threshold or "fork" not in multiprocessing.get_all_start_methods()


def _each(work: Callable[[Item], Result], chunk: Sequence[Item]) -> list[Result]:
    return [work(item) for item in chunk]


def _run_chunk(chunk: Sequence[Any]) -> Any:
    assert _work is not None
    return _work(chunk)
