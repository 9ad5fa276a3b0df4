"""Time newsgen on a generated corpus: a cold build, a warm one, and one after a single edit.

    python benchmarks/bench.py --articles 10000 --runs 3

Each figure is the median of --runs runs of a new `newsgen build` process, with its wall time and
the peak memory (PSS) of its whole process tree (worker processes included), sampled from /proc.
Side-by-side runs of Hugo and Pelican on the same corpus are still to be written (issue 3).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from corpus import write_corpus

HERE = Path(__file__).resolve().parent


def tree_pss_kb(pid: int) -> int:
    """Proportional memory (PSS) of a process and all its descendants, in KiB: pages that forked
    workers share with their parent count once, not once per process as RSS would."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak tree memory (MiB) of one run of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_pss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err.decode()}")
    return seconds, peak // 1024


def median_run(runs: int, prepare: Callable[[], None], command: list[str], cwd: Path) -> tuple[float, int]:
    results = []
    for _ in range(runs):
        prepare()
        results.append(measure(command, cwd))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def bench_newsgen(corpus: Path, runs: int, jobs: int) -> dict[str, tuple[float, int]]:
    command = [sys.executable, "-m", "newsgen", "build", "--source", str(corpus), "--jobs", str(jobs)]
    edited = corpus / "content/2015/01/bai-000000.md"
    original = edited.read_text(encoding="utf-8")

    def clean() -> None:
        shutil.rmtree(corpus / "build", ignore_errors=True)
        shutil.rmtree(corpus / ".newsgen-cache", ignore_errors=True)

    edits = iter(range(10**6))

    def edit() -> None:
        edited.write_text(original + f"\nMột câu thêm số {next(edits)}.\n", encoding="utf-8")

    results = {
        "cold": median_run(runs, clean, command, corpus),
        "warm, nothing changed": median_run(runs, lambda: None, command, corpus),
        "warm, one article edited": median_run(runs, edit, command, corpus),
    }
    edited.write_text(original, encoding="utf-8")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, default=None, help="where to generate the corpus")
    args = parser.parse_args()
    corpus = args.corpus or Path(f"/tmp/newsgen-bench-{args.articles}")
    stamp = corpus / ".corpus-stamp"
    if not stamp.is_file() or stamp.read_text() != str(args.articles):
        write_corpus(corpus, args.articles)
        stamp.write_text(str(args.articles))
    print(f"newsgen, {args.articles:,} articles, {args.jobs} jobs, median of {args.runs} runs")
    for name, (seconds, peak) in bench_newsgen(corpus, args.runs, args.jobs).items():
        print(f"  {name:<26} {seconds:7.2f} s  {peak:6d} MiB peak")


if __name__ == "__main__":
    main()
