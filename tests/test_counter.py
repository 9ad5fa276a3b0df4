"""The visit counter service: its counting rules, its answers to bad requests, threads, restarts."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsgen.counter.service import RATE_LIMIT, CounterApp, CounterStore

SITE = "https://stttt.dienbien.gov.vn"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def vietnam(text: str) -> datetime:
    """A moment written as Vietnam's wall clock shows it (UTC+7)."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone(timedelta(hours=7)))


PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


@pytest.fixture
def clock() -> Clock:
    return Clock(vietnam("2026-11-25 10:00"))  # a Wednesday


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> CounterStore:
    return CounterStore(tmp_path / "counter.sqlite", offset=82_744_000, clock=clock)


def call(app: CounterApp, method: str, path: str, body: bytes = b"", origin: str = SITE) -> tuple[int, Any]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "text/plain",
        "wsgi.input": io.BytesIO(body),
    }
    if origin:
        environ["HTTP_ORIGIN"] = origin
    answered: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answered["status"], answered["headers"] = status, dict(headers)

    data = b"".join(CounterApp.__call__(app, environ, start_response))
    assert answered["headers"]["Content-Type"] == "application/json"
    return int(answered["status"].split()[0]), json.loads(data)


def hit(app: CounterApp, visitor: str = "nguoi-doc-1") -> int:
    return call(app, "POST", "/hit", json.dumps({"path": "/2023/02/ky-ket/", "visitor": visitor}).encode())[0]


def test_today_this_week_and_the_total_from_the_old_portals_offset(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    clock.now = vietnam("2026-11-22 23:59")  # Sunday: last week
    assert hit(app, "nguoi-doc-0") == 200
    clock.now = vietnam("2026-11-24 09:00")  # Tuesday
    assert hit(app, "nguoi-doc-1") == 200
    clock.now = vietnam("2026-11-25 10:00")  # Wednesday
    assert [hit(app, f"nguoi-doc-{n}") for n in (2, 3)] == [200, 200]
    assert call(app, "GET", "/stats") == (200, {"online": 2, "today": 2, "week": 3, "total": 82_744_004})


def test_days_turn_at_midnight_in_vietnam_not_in_utc(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    clock.now = datetime(2026, 11, 25, 16, 59, 59, tzinfo=UTC)  # 23:59:59 in Vietnam
    hit(app)
    assert store.stats()["today"] == 1
    clock.now = datetime(2026, 11, 25, 17, 0, 0, tzinfo=UTC)  # 00:00 on Thursday there
    assert store.stats()["today"] == 0 and store.stats()["week"] == 1
    clock.now = vietnam("2026-11-30 00:00")  # Monday: a new week
    assert store.stats()["week"] == 0 and store.stats()["total"] == 82_744_001


def test_online_is_distinct_visitors_in_the_last_five_minutes(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    for visitor in ("nguoi-doc-1", "nguoi-doc-1", "nguoi-doc-2"):
        hit(app, visitor)
    assert store.stats()["online"] == 2
    clock.now += timedelta(minutes=4, seconds=59)
    hit(app, "nguoi-doc-3")
    assert store.stats()["online"] == 3
    clock.now += timedelta(seconds=2)
    assert store.stats()["online"] == 1


def test_one_visitor_cannot_inflate_the_counts(store: CounterStore, clock: Clock) -> None:
    app = CounterApp(store, [SITE])
    answers = [hit(app) for _ in range(RATE_LIMIT + 5)]
    assert answers.count(200) == RATE_LIMIT and answers[-5:] == [429] * 5
    assert store.stats()["today"] == RATE_LIMIT
    clock.now += timedelta(minutes=10)
    assert hit(app) == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "origin", "status"),
    [
        ("GET", "/hit", b"", SITE, 405),
        ("POST", "/stats", b"{}", SITE, 405),
        ("GET", "/khac", b"", SITE, 404),
        ("POST", "/hit", b"not json", SITE, 400),
        ("POST", "/hit", b'["a"]', SITE, 400),
        ("POST", "/hit", b'{"path": "/", "visitor": "x"}', SITE, 400),
        ("POST", "/hit", b'{"path": "khong-gach", "visitor": "nguoi-doc-1"}', SITE, 400),
        ("POST", "/hit", b"\xff\xfe", SITE, 400),
        ("POST", "/hit", b"x" * 5000, SITE, 413),
        ("POST", "/hit", b'{"path": "/", "visitor": "nguoi-doc-1"}', "https://trang-khac.vn", 403),
        ("GET", "/stats", b"", "https://trang-khac.vn", 403),
    ],
)
def test_bad_requests_get_a_4xx_and_count_nothing(
    store: CounterStore, method: str, path: str, body: bytes, origin: str, status: int
) -> None:
    app = CounterApp(store, [SITE])
    assert call(app, method, path, body, origin)[0] == status
    assert hit(app) == 200 and store.stats()["today"] == 1  # and the service carries on


def test_the_sites_origin_may_read_the_answers(store: CounterStore) -> None:
    app = CounterApp(store, [SITE + "/"])
    environ_headers: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        environ_headers.update(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/stats",
        "HTTP_ORIGIN": SITE,
        "wsgi.input": io.BytesIO(),
    }
    app(environ, start_response)
    assert environ_headers["Access-Control-Allow-Origin"] == SITE and "Set-Cookie" not in environ_headers


def test_hits_from_many_threads_are_all_counted(store: CounterStore) -> None:
    app = CounterApp(store, [SITE])
    failures: list[int] = []

    def visit(number: int) -> None:
        for page in range(50):
            status = hit(app, f"nguoi-doc-{number:03d}-{page // RATE_LIMIT}")
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=visit, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and store.stats()["today"] == 1000


def test_a_restart_loses_nothing(tmp_path: Path, clock: Clock) -> None:
    first = CounterStore(tmp_path / "counter.sqlite", clock=clock)
    for number in range(3):
        hit(CounterApp(first, [SITE]), f"nguoi-doc-{number}")
    again = CounterStore(tmp_path / "counter.sqlite", clock=clock)
    assert again.stats() == {"online": 3, "today": 3, "week": 3, "total": 3}


class Running:
    """`newsgen counter serve` in a process of its own, on a free loopback port."""

    def __init__(self, database: Path, *options: str) -> None:
        command = [sys.executable, "-m", "newsgen", "counter", "serve", "--db", str(database), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--origin", SITE, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"chạy tại (http://\S+/)", line)
        assert found, line + self.process.stderr.read()
        self.url = found.group(1)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        headers = {
            "Origin": SITE,
            "Content-Type": "text/plain",
            "User-Agent": PHONE,
        }  # not urllib's: a crawler
        request = urllib.request.Request(self.url.rstrip("/") + path, body, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, _err = self.process.communicate(timeout=10)
        return self.process.returncode, out


def test_the_service_counts_over_http_and_keeps_its_counts_across_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "counter.sqlite"
    service = Running(database, "--offset", "100")
    try:
        body = json.dumps({"path": "/", "visitor": "nguoi-doc-1"}).encode()
        assert service.request("POST", "/hit", body) == (200, {"ok": True})
        assert service.request("GET", "/hit")[0] == 405
        assert service.request("GET", "/stats")[1] == {"online": 1, "today": 1, "week": 1, "total": 101}
    finally:
        assert service.stop() == (0, "Đã dừng bộ đếm.\n")
    again = Running(database, "--offset", "100")
    try:
        assert again.request("GET", "/stats")[1]["total"] == 101
    finally:
        again.stop()


class UnderWaitress(Running):
    """The command the README gives for production: waitress serving the app from the environment."""

    def __init__(self, database: Path, offset: str) -> None:
        variables = {"NEWSGEN_COUNTER_DB": str(database), "NEWSGEN_COUNTER_ORIGINS": SITE}
        command = ["waitress-serve", "--listen=127.0.0.1:0", "--call", WSGI_APP]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **variables, "NEWSGEN_COUNTER_OFFSET": offset},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        found = re.search(r"Serving on (http://\S+)", line)
        assert found, line + self.process.stderr.read()
        self.url = found.group(1) + "/"


WSGI_APP = "newsgen.counter:app_from_environment"


def test_the_documented_wsgi_server_runs_the_same_counter(tmp_path: Path) -> None:
    assert f"waitress-serve --call {WSGI_APP}" in (Path(__file__).parent.parent / "README.md").read_text()
    service = UnderWaitress(tmp_path / "counter.sqlite", offset="100")
    try:
        body = json.dumps({"path": "/", "visitor": "nguoi-doc-1"}).encode()
        assert service.request("POST", "/hit", body) == (200, {"ok": True})
        assert service.request("POST", "/hit", b"{not json")[0] == 400
        assert service.request("GET", "/stats")[1] == {"online": 1, "today": 1, "week": 1, "total": 101}
    finally:
        service.process.terminate()
        service.process.communicate(timeout=10)


def test_a_port_in_use_gets_a_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        ran = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsgen",
                "counter",
                "serve",
                "--db",
                str(tmp_path / "c.sqlite"),
                "--port",
                port,
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert (
        ran.returncode == 2 and f"không mở được cổng {port}" in ran.stderr and "Traceback" not in ran.stderr
    )


def test_the_service_survives_what_is_not_http(tmp_path: Path) -> None:
    service = Running(tmp_path / "counter.sqlite")
    host, port = service.url.removeprefix("http://").rstrip("/").split(":")
    try:
        for garbage in (
            b"\x00\x01\x02\r\n\r\n",
            b"POST /hit HTTP/1.0\r\nContent-Length: 50\r\n\r\n{",
            b"GET",
        ):
            with socket.create_connection((host, int(port)), timeout=5) as connection:
                connection.sendall(garbage)
                connection.shutdown(socket.SHUT_WR)
                connection.recv(4096)  # whatever it says, if anything
        too_long = b"x" * 5000
        assert service.request("POST", "/hit", too_long)[0] == 413
        body = json.dumps({"path": "/", "visitor": "nguoi-doc-1"}).encode()
        assert service.request("POST", "/hit", body) == (200, {"ok": True})  # and it carries on
    finally:
        service.stop()


@pytest.mark.parametrize(
    ("user_agent", "counted"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
        ("Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)", False),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", False),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36 Zalo",
            True,
        ),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", True),
    ],
)
def test_known_crawlers_are_answered_but_not_counted(
    store: CounterStore, user_agent: str, counted: bool
) -> None:
    app = CounterApp(store, [SITE])
    body = json.dumps({"path": "/2023/02/ky-ket/", "visitor": "nguoi-doc-1"}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/hit",
        "HTTP_USER_AGENT": user_agent,
        "HTTP_ORIGIN": SITE,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    status: list[str] = []
    b"".join(app(environ, lambda answer, _headers: status.append(answer)))
    assert status == ["200 OK"]  # a crawler is not told to come back
    assert store.stats()["today"] == (1 if counted else 0)
