"""The visit counter's database after a simulated year: how big it grows.

    python benchmarks/counter_year.py [--days 365] [--visits 20000]

Counts `--visits` hits a day (a visitor opens 2 to 3 pages) for `--days` days through the
counter's store, hour by hour on a simulated clock, as the service would, then prints the size
of the database (with its WAL) and how many rows each table kept.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsgen.counter.store import CounterStore


class SimulatedClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--visits", type=int, default=20_000)
    args = parser.parse_args()
    database = Path(tempfile.mkdtemp(prefix="newsgen-counter-year-")) / "counter.sqlite"
    clock = SimulatedClock()
    store = CounterStore(database, clock=clock)
    chooser = random.Random(2026)
    written = threading.Semaphore(0)  # released once for each hit written
    started = time.perf_counter()
    for _hour in range(args.days * 24):
        hits = []
        while len(hits) < args.visits // 24:
            visitor = f"khach-{chooser.getrandbits(64):016x}"
            hits += [visitor] * chooser.randint(2, 3)
        for visitor in hits:
            while not store.add(visitor, lambda _counted: written.release()):
                time.sleep(0.001)
        for _ in hits:
            written.acquire()
        clock.now += timedelta(hours=1)
    seconds = time.perf_counter() - started
    running = size_on_disk(database)
    store.close()
    with sqlite3.connect(database) as connection:
        visitors = connection.execute("SELECT COUNT(*) FROM visitors").fetchone()[0]
        days, total = connection.execute("SELECT COUNT(*), SUM(hits) FROM days").fetchone()
    stopped = size_on_disk(database)
    print(f"counter after {args.days} days of {args.visits:,} visits a day ({seconds:.0f} s):")
    print(f"  {total:,} counted; {days} days and {visitors} visitors kept; on disk (database and WAL)")
    print(f"  {running / 1024:,.0f} KiB while it runs, {stopped / 1024:,.0f} KiB once stopped")


def size_on_disk(database: Path) -> int:
    files = [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    return sum(file.stat().st_size for file in files if file.exists())


if __name__ == "__main__":
    main()
