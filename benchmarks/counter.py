"""Load the visit counter on loopback: concurrent clients posting hits, as browsers would.

    python benchmarks/counter.py --clients 20 --hits 20000 [--server waitress]

Starts `newsgen counter serve` (or, with --server waitress, the README's waitress command) on a
free port with a fresh database, then each client posts its share of the hits one after another,
each on a new connection (as sendBeacon does), and times
every request, from connecting to the end of the answer. Prints hits per second, the median and
99th-percentile latency, the errors, and checks that the counter's total is exactly the number of
hits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ORIGIN = "https://tin.example.vn"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--server", choices=("newsgen", "waitress"), default="newsgen")
    args = parser.parse_args()
    database = Path(tempfile.mkdtemp(prefix="newsgen-counter-bench-")) / "counter.sqlite"
    if args.server == "waitress":
        service = subprocess.Popen(
            ["waitress-serve", "--listen=127.0.0.1:0", "--call", "newsgen.counter:app_from_environment"],
            env={**os.environ, "NEWSGEN_COUNTER_DB": str(database), "NEWSGEN_COUNTER_ORIGINS": ORIGIN},
            stderr=subprocess.PIPE,
            text=True,
        )
        assert service.stderr is not None
        found = re.search(r"Serving on http://(\S+)", service.stderr.readline())
        # waitress logs its queue depth under load: keep reading, or a full pipe stops it
        threading.Thread(target=service.stderr.read, daemon=True).start()
    else:
        command = [sys.executable, "-m", "newsgen", "counter", "serve", "--port", "0", "--origin", ORIGIN]
        service = subprocess.Popen([*command, "--db", str(database)], stdout=subprocess.PIPE, text=True)
        assert service.stdout is not None
        found = re.search(r"chạy tại http://([^/]+)/", service.stdout.readline())
    assert found, "the counter did not start"
    host, port = found.group(1).split(":")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        """Raw HTTP/1.0 over a socket: the clients share the machine with the service, so they
        should cost it as little as a browser elsewhere would."""
        mine, failed = [], []
        for hit in range(args.hits // args.clients):
            body = json.dumps(
                {"path": f"/bai-{hit % 100}/", "visitor": f"khach-{number:03d}-{hit // 50:04d}"}
            )
            request = (
                f"POST /hit HTTP/1.0\r\nHost: {host}:{port}\r\nOrigin: {ORIGIN}\r\n"
                f"Content-Type: text/plain\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}"
            ).encode()
            started = time.perf_counter()
            try:
                with socket.create_connection((host, int(port)), timeout=10) as connection:
                    connection.sendall(request)
                    answer = b""
                    while chunk := connection.recv(4096):
                        answer += chunk
                status = answer.split(b" ", 2)[1]
                if status != b"200":
                    failed.append(status.decode())
            except (OSError, IndexError) as error:
                failed.append(type(error).__name__)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/stats")
    total = json.loads(connection.getresponse().read())["total"]
    service.send_signal(signal.SIGINT)
    service.wait()
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"{args.server}: counter, {args.clients} clients, {len(latencies):,} hits")
    rate, p50 = len(latencies) / seconds, statistics.median(latencies) * 1000
    print(f"  {rate:,.0f} hits/s; latency p50 {p50:.1f} ms, p99 {p99 * 1000:.1f} ms", end="")
    print(f"; {len(errors)} errors; total counted {total:,}")


if __name__ == "__main__":
    main()
