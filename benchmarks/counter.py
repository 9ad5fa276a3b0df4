"""Load the visit counter on loopback: concurrent clients posting hits, as browsers would.

    python benchmarks/counter.py --clients 20 --hits 20000 [--server granian|uvicorn|hypercorn]

Starts `newsgen counter serve` (or, to compare servers, another ASGI server's own command on
`newsgen.counter:app_from_environment`; granian comes with newsgen, `pip install uvicorn httptools
hypercorn` brings the others) on a free port with a fresh database. Each client, in a
process of its own so that the clients' Python does not slow the service's, posts its share of
the hits one after another with a phone's User-Agent, each on a new connection (as nginx passes
them on), and times every request from connecting to the end of the answer. Prints hits per
second, the median and 99th-percentile latency, the errors, and checks that the counter's total
is exactly the number of hits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ORIGIN = "https://tin.example.vn"
PHONE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
FACTORY = "newsgen.counter:app_from_environment"


def service_command(server: str, port: int, database: Path) -> list[str]:
    if server == "newsgen":
        return [sys.executable, "-m", "newsgen", "counter", "serve", "--port", str(port), "--origin", ORIGIN,
                "--db", str(database)]  # fmt: skip
    if server == "granian":
        return ["granian", "--interface", "asgi", "--factory", "--port", str(port), "--no-ws", FACTORY]
    if server == "uvicorn":
        return [
            "uvicorn",
            "--factory",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            FACTORY,
        ]
    return ["hypercorn", "--bind", f"127.0.0.1:{port}", f"{FACTORY}()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"User-Agent": PHONE})
    answer = connection.getresponse()
    return answer.status, answer.read()


def wait_until_answering(port: int, service: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if service.poll() is not None:
            raise SystemExit("the counter did not start")
        try:
            if get(port, "/stats")[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the counter did not answer")


def client(number: int, hits: int, port: int) -> tuple[list[float], list[str]]:
    """Raw HTTP/1.0 over a socket: the clients share the machine with the service, so they
    should cost it as little as a browser elsewhere would."""
    latencies, errors = [], []
    for hit in range(hits):
        body = json.dumps({"path": f"/bai-{hit % 100}/", "visitor": f"khach-{number:03d}-{hit // 50:04d}"})
        request = (
            f"POST /hit HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nOrigin: {ORIGIN}\r\nUser-Agent: {PHONE}\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}"
        ).encode()
        started = time.perf_counter()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
                connection.sendall(request)
                answer = b""
                while chunk := connection.recv(4096):
                    answer += chunk
            status = answer.split(b" ", 2)[1]
            if status != b"200":
                errors.append(status.decode())
        except (OSError, IndexError) as error:
            errors.append(type(error).__name__)
        latencies.append(time.perf_counter() - started)
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--server", choices=("newsgen", "granian", "uvicorn", "hypercorn"), default="newsgen")
    args = parser.parse_args()
    database = Path(tempfile.mkdtemp(prefix="newsgen-counter-bench-")) / "counter.sqlite"
    port = free_port()
    environment = {**os.environ, "NEWSGEN_COUNTER_DB": str(database), "NEWSGEN_COUNTER_ORIGINS": ORIGIN}
    service = subprocess.Popen(
        service_command(args.server, port, database),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_answering(port, service)
    each = args.hits // args.clients
    started = time.perf_counter()
    with multiprocessing.Pool(args.clients) as pool:
        results = pool.starmap(client, [(number, each, port) for number in range(args.clients)])
    seconds = time.perf_counter() - started
    total = json.loads(get(port, "/stats")[1])["total"]
    service.send_signal(signal.SIGINT)
    service.wait()
    latencies = sorted(latency for mine, _ in results for latency in mine)
    errors = [error for _, theirs in results for error in theirs]
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"{args.server}: counter, {args.clients} clients, {len(latencies):,} hits")
    rate, p50 = len(latencies) / seconds, statistics.median(latencies) * 1000
    print(f"  {rate:,.0f} hits/s; latency p50 {p50:.1f} ms, p99 {p99 * 1000:.1f} ms", end="")
    print(f"; {len(errors)} errors {sorted(set(errors))}; total counted {total:,}")


if __name__ == "__main__":
    main()
