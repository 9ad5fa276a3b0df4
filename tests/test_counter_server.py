"""`newsgen counter serve`, the real process (granian and its worker), as the systemd unit runs it:
over HTTP, after kill -9, against malformed, oversized, duplicated and slow requests, and with
another process holding the database's write lock."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from newsgen.counter.server import HEADER_SECONDS

SITE = "https://stttt.dienbien.gov.vn"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
HIT = json.dumps({"path": "/", "visitor": "nguoi-doc-1"}).encode()


class Running:
    """`newsgen counter serve` in a process group of its own, on a free loopback port."""

    def __init__(self, database: Path, *options: str) -> None:
        command = [sys.executable, "-m", "newsgen", "counter", "serve", "--db", str(database), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--origin", SITE, *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # kill -9 reaches the worker too, as systemd's would
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"chạy tại http://(127\.0\.0\.1):(\d+)/", line)
        assert found, line + (self.process.stderr.read() if self.process.stderr else "")
        self.host, self.port = found.group(1), int(found.group(2))

    def request(
        self, method: str, path: str, body: bytes | None = None, user_agent: str = PHONE
    ) -> tuple[int, Any]:
        headers = {"Origin": SITE, "Content-Type": "text/plain", "User-Agent": user_agent}  # not urllib's
        url = f"http://{self.host}:{self.port}{path}"
        request = urllib.request.Request(url, body, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def raw(self, data: bytes, timeout: float = 5) -> bytes:
        """What the service answers to `data` sent as is, up to its closing the connection."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as connection:
            connection.sendall(data)
            answer = b""
            while chunk := connection.recv(4096):
                answer += chunk
            return answer

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, _err = self.process.communicate(timeout=20)
        return self.process.returncode, out

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate(timeout=10)

    def hit_in_background(self, visitor: str, answers: list[tuple[int, Any]]) -> threading.Thread:
        body = json.dumps({"path": "/", "visitor": visitor}).encode()

        def send() -> None:
            with contextlib.suppress(OSError):  # the service stopped before it answered
                answers.append(self.request("POST", "/hit", body))

        thread = threading.Thread(target=send)
        thread.start()
        return thread


@pytest.fixture
def service(tmp_path: Path) -> Any:
    running = Running(tmp_path / "counter.sqlite")
    yield running
    if running.process.poll() is None:
        running.stop()


def stored(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT COALESCE(SUM(hits), 0) FROM days").fetchone()[0])


def test_the_service_counts_over_http_and_keeps_its_counts_across_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "counter.sqlite"
    service = Running(database, "--offset", "100")
    try:
        assert service.request("POST", "/hit", HIT) == (200, {"ok": True})
        assert service.request("GET", "/hit")[0] == 405
        googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        assert service.request("POST", "/hit", HIT, googlebot) == (200, {"ok": True, "counted": False})
        assert service.request("GET", "/stats")[1] == {"online": 1, "today": 1, "week": 1, "total": 101}
    finally:
        assert service.stop() == (0, "Đã dừng bộ đếm.\n")
    again = Running(database, "--offset", "100")
    try:
        assert again.request("GET", "/stats")[1]["total"] == 101
    finally:
        again.stop()


def serve(*options: str) -> subprocess.CompletedProcess[str]:
    """`newsgen counter serve` run to its end, as an operator would mistype it."""
    command = [sys.executable, "-m", "newsgen", "counter", "serve", *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


def test_a_port_in_use_gets_a_message_and_no_database_is_made(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        ran = serve("--db", str(tmp_path / "c.sqlite"), "--port", port)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert (
        f"--port: không mở được cổng {port} trên 127.0.0.1: một chương trình khác đang dùng cổng này"
        in ran.stderr
    )
    assert "có thể bộ đếm đã chạy rồi" in ran.stderr and not (tmp_path / "c.sqlite").exists()


def test_a_second_counter_on_the_same_port_is_refused(service: Running, tmp_path: Path) -> None:
    ran = serve("--db", str(tmp_path / "c.sqlite"), "--port", str(service.port))
    assert ran.returncode == 2 and f"không mở được cổng {service.port}" in ran.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--host", "10.9.9.9"), "--port: không mở được cổng 0 trên 10.9.9.9: máy này không có địa chỉ đó"),
        (("--host", "khong-co.invalid"), "--host: không tìm thấy địa chỉ khong-co.invalid — kiểm tra --host"),
        (("--db", "{tmp}/khong-co/c.sqlite"), "--db: không mở hay ghi được tệp số đếm"),
        (("--db", "{tmp}/bai-viet.md"), "tệp này không phải tệp số đếm"),
        (("--origin", "tin.example.gov.vn"), '--origin: địa chỉ trang "tin.example.gov.vn" chưa đúng dạng'),
        (
            ("--origin", "https://tin.example.gov.vn/tin-tuc/"),
            "chưa đúng dạng — viết đủ giao thức và tên miền",
        ),
        (("--offset", "82.744.821"), "--offset: cần một số từ 0 trở lên, viết liền không dấu chấm"),
        (("--offset", "9" * 16), f"--offset: số {'9' * 16} quá lớn"),
    ],
    ids=[
        "no-such-address",
        "no-such-name",
        "no-folder",
        "not-a-database",
        "no-scheme",
        "a-path",
        "dotted-offset",
        "huge-offset",
    ],
)
def test_an_operators_mistake_gets_a_message(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    (tmp_path / "bai-viet.md").write_text("---\ntitle: Tin\n---\nNội dung.\n", encoding="utf-8")
    ran = serve(
        "--port",
        "0",
        "--db",
        str(tmp_path / "c.sqlite"),
        *(option.format(tmp=tmp_path) for option in options),
    )
    assert ran.returncode == 2 and message in ran.stderr and "Traceback" not in ran.stderr, ran.stderr
    assert (tmp_path / "bai-viet.md").read_text(encoding="utf-8") == "---\ntitle: Tin\n---\nNội dung.\n"


def test_killing_only_the_main_process_leaves_no_worker_holding_the_port(tmp_path: Path) -> None:
    database = tmp_path / "counter.sqlite"
    service = Running(database)
    assert service.request("POST", "/hit", HIT)[0] == 200
    service.process.kill()  # kill -9 of `newsgen counter serve` alone: its worker is orphaned
    service.process.communicate(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((service.host, service.port), timeout=1).close()
        except OSError:
            break
        time.sleep(0.1)
    try:
        again = Running(database, "--port", str(service.port))
    finally:
        with contextlib.suppress(ProcessLookupError):  # a worker left behind, if the test failed
            os.killpg(service.process.pid, signal.SIGKILL)
    try:
        assert again.request("GET", "/stats")[1]["total"] == 1
    finally:
        again.stop()


def request_with(*header_lines: str, body: bytes = HIT) -> bytes:
    head = "\r\n".join(("POST /hit HTTP/1.1", *header_lines, "Connection: close"))
    return f"{head}\r\n\r\n".encode() + body


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(100), b"400"),  # TLS, not HTTP
        (b"GET /stats\r\n\r\n", b"400"),  # HTTP/0.9
        (request_with("Host: a", f"Content-Length: {len(HIT)}", "Content-Length: 5"), b"400"),
        (request_with("Host: a", "Host: b", f"Content-Length: {len(HIT)}"), b"400"),
        (
            request_with("Host: a", f"Origin: {SITE}", f"Origin: {SITE}", f"Content-Length: {len(HIT)}"),
            b"400",
        ),
        (
            request_with("Host: a", "Transfer-Encoding: chunked", "Content-Length: 5", body=b"0\r\n\r\n"),
            b"400",
        ),
        (request_with("Host: a", "Content-Length: -5"), b"400"),
        (request_with("Host: a", "Content-Length: 100000000", body=bytes(1000)), b"413"),
        (
            request_with("Host: a", "Transfer-Encoding: chunked", body=b"1000\r\n" + bytes(4096) + b"\r\n"),
            b"413",
        ),
        (request_with("Host: a", "X-Dai: " + "a" * 100_000), b"431"),
    ],
    ids=[
        "tls",
        "http-0.9",
        "two-lengths",
        "two-hosts",
        "two-origins",
        "smuggling",
        "negative-length",
        "huge-length",
        "huge-chunked-body",
        "huge-header",
    ],
)
def test_malformed_oversized_and_duplicated_requests_get_a_4xx(
    service: Running, tmp_path: Path, data: bytes, status: bytes
) -> None:
    try:
        answer = service.raw(data)
    except ConnectionResetError:  # closed on it before it finished sending: also a refusal
        answer = b"closed"
    assert answer == b"closed" or answer.split(b" ", 2)[1] == status, answer[:200]
    assert service.request("POST", "/hit", HIT) == (200, {"ok": True})  # and it carries on
    assert stored(tmp_path / "counter.sqlite") == 1


def test_slow_requests_are_cut_off_while_others_are_answered(service: Running) -> None:
    """Slowloris: connections that send headers, or a body, a byte at a time, never finishing."""
    slow_heads = [socket.create_connection((service.host, service.port)) for _ in range(50)]
    slow_body = socket.create_connection((service.host, service.port))
    for connection in slow_heads:
        connection.sendall(b"POST /hit HTTP/1.1\r\nHost: a\r\n")
    slow_body.sendall(request_with("Host: a", f"Content-Length: {len(HIT)}", body=HIT[:1]))
    started = time.monotonic()
    answered = 0
    while time.monotonic() - started < HEADER_SECONDS - 2:
        for connection in slow_heads:
            connection.sendall(b"X")  # a byte now and then keeps no connection alive for ever
        assert service.request("GET", "/stats")[0] == 200
        answered += 1
        time.sleep(0.5)
    ends = []
    for connection in [*slow_heads, slow_body]:
        connection.settimeout(HEADER_SECONDS + 5)
        try:
            ends.append(connection.recv(4096)[:12])
        except ConnectionResetError:
            ends.append(b"")
        connection.close()
    assert answered >= 10
    assert set(ends[:-1]) == {b""}  # headers too slow: closed without a word
    assert ends[-1] == b"HTTP/1.1 408"  # a body too slow: told so
    assert time.monotonic() - started < HEADER_SECONDS + 5


def test_stats_answer_at_once_while_another_process_holds_the_write_lock(
    service: Running, tmp_path: Path
) -> None:
    assert service.request("POST", "/hit", HIT)[0] == 200
    other = sqlite3.connect(tmp_path / "counter.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    pending: list[tuple[int, Any]] = []
    hit = threading.Thread(target=lambda: pending.append(service.request("POST", "/hit", HIT)))
    hit.start()
    time.sleep(0.5)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        figures = service.request("GET", "/stats")[1]
        timings.append(time.perf_counter() - started)
    assert max(timings) < 0.1 and figures["today"] == 1
    assert pending == []  # the hit is not answered before it is on disk
    other.execute("ROLLBACK")
    other.close()
    hit.join(timeout=10)
    assert pending == [(200, {"ok": True})] and service.request("GET", "/stats")[1]["today"] == 2


def test_stopping_writes_the_hits_still_waiting(tmp_path: Path) -> None:
    """SIGINT to every process, as systemd's KillSignal= sends it, while hits wait for a lock:
    some from readers still waiting for the answer, some from pages already closed."""
    database = tmp_path / "counter.sqlite"
    service = Running(database)
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    answers: list[tuple[int, Any]] = []
    waiting = [service.hit_in_background(f"nguoi-doc-{number:02d}", answers) for number in range(10)]
    gone = [socket.create_connection((service.host, service.port)) for _ in range(10)]
    for number, connection in enumerate(gone):
        body = json.dumps({"path": "/", "visitor": f"trang-dong-{number:02d}"}).encode()
        connection.sendall(
            request_with(
                "Host: a",
                f"Origin: {SITE}",
                f"User-Agent: {PHONE}",
                f"Content-Length: {len(body)}",
                body=body,
            )
        )
    time.sleep(2)
    for connection in gone:  # the page closed before the answer came
        connection.close()
    time.sleep(0.5)
    os.killpg(service.process.pid, signal.SIGINT)
    time.sleep(0.5)
    other.execute("ROLLBACK")
    other.close()
    out, _err = service.process.communicate(timeout=40)
    for thread in waiting:
        thread.join(timeout=10)
    assert (service.process.returncode, out) == (0, "Đã dừng bộ đếm.\n")
    assert stored(database) == 20 and answers == [(200, {"ok": True})] * 10


def test_kill_9_under_load_loses_no_acknowledged_hit(tmp_path: Path) -> None:
    """Killed while hits flow and wait for a write lock another process holds: the moment a
    service that answered before writing would lose the most."""
    database = tmp_path / "counter.sqlite"
    service = Running(database)
    acknowledged, sent = [0] * 20, [0] * 20

    def client(number: int) -> None:
        for visit in range(10_000):
            body = json.dumps({"path": "/", "visitor": f"khach-{number:03d}-{visit // 50:04d}"}).encode()
            sent[number] += 1
            try:
                if service.request("POST", "/hit", body)[0] == 200:
                    acknowledged[number] += 1
            except OSError:
                return

    clients = [threading.Thread(target=client, args=(number,)) for number in range(20)]
    for thread in clients:
        thread.start()
    time.sleep(1)
    flowing = sum(acknowledged)
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    time.sleep(1)
    waiting = sum(sent) - sum(acknowledged)
    service.kill()
    other.execute("ROLLBACK")
    other.close()
    for thread in clients:
        thread.join(timeout=30)
    assert flowing > 100 and waiting == 20  # the load was on; every client had a hit waiting
    assert sum(acknowledged) <= stored(database)
