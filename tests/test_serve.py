"""`newsgen serve`, run for real: a process on a free loopback port, fetched over HTTP, with a
LiveReload client on its WebSocket waiting for the signal to reload."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from conftest import SiteDir, snapshot
from newsgen.build import BuildReport
from newsgen.serve import server as serve

WAIT = 30.0  # seconds: a bound for CI machines under load, far above what a change takes


class Preview:
    """`newsgen serve` started on a free loopback port; stopped with Ctrl-C."""

    def __init__(self, root: Path, *options: str) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsgen", "serve", "--source", str(root), "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(stream, kept), daemon=True)
            for stream, kept in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for pump in self.pumps:
            pump.start()
        ready = self.wait_for_line(r"Xem thử tại (http://\S+/)")
        self.url = ready.group(1)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def _pump(self, stream: object, kept: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            kept.append(line)
            self.lines.put(line)

    def wait_for_line(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line {pattern!r}; out: {''.join(self.out)} err: {''.join(self.err)}")

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.request("GET", path)  # sent as given: `..` is not tidied away as browsers do
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        connection.close()
        return response.status, body

    def reload_after(self, change: Callable[[], None]) -> dict[str, object]:
        """Make `change` with a LiveReload client connected; the message the server then sends."""
        return asyncio.run(self._reload_after(change))

    async def _reload_after(self, change: Callable[[], None]) -> dict[str, object]:
        client = await websocket_connect(f"ws://127.0.0.1:{self.port}/livereload")
        await client.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
        hello = json.loads(await client.read_message() or "{}")
        assert hello["command"] == "hello"
        await client.write_message(json.dumps({"command": "info", "url": self.url, "plugins": {}}))
        await asyncio.sleep(0.2)  # the server now counts this client among the tabs to reload
        change()
        message = await asyncio.wait_for(client.read_message(), WAIT)
        client.close()
        while await asyncio.wait_for(client.read_message(), WAIT) is not None:
            pass  # until the server's goodbye: the socket is closed, not left to the garbage collector
        return json.loads(message or "{}")  # type: ignore[no-any-return]

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as in a terminal; the exit code and everything printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=WAIT)
        for pump in self.pumps:
            pump.join(timeout=WAIT)  # the last lines
        return code, "".join(self.out), "".join(self.err)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.stop()
        for stream in (self.process.stdout, self.process.stderr):
            assert stream is not None
            stream.close()


PROTOCOL = "http://livereload.com/protocols/official-7"


@pytest.fixture
def preview(site: SiteDir) -> Iterator[Callable[..., Preview]]:
    started: list[Preview] = []

    def start(*options: str) -> Preview:
        started.append(Preview(site.root, "--jobs", "1", *options))
        return started[-1]

    yield start
    for running in started:
        running.close()


def test_an_edit_is_built_and_the_open_tabs_told_to_reload(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    article = site.article("ky-ket", "Bản đầu tiên của bài.\n", title="Ký kết giao ước thi đua")
    server = preview()
    status, home = server.get("/")
    assert status == 200 and "Ký kết giao ước thi đua" in home
    assert '<script src="/livereload.js" defer></script></head>' in home
    status, page = server.get("/2023/02/ky-ket-giao-uoc-thi-dua/")
    assert status == 200 and "Bản đầu tiên của bài." in page

    message = server.reload_after(
        lambda: site.article("ky-ket", "Bản đã sửa.\n", title="Ký kết giao ước thi đua")
    )
    assert message["command"] == "reload"
    status, page = server.get("/2023/02/ky-ket-giao-uoc-thi-dua/")
    assert status == 200 and "Bản đã sửa." in page and "Bản đầu tiên" not in page
    assert article.read_text(encoding="utf-8").endswith("Bản đã sửa.\n")

    code, out, err = server.stop()
    assert (code, err) == (0, "")
    assert "Đã đổi: content/ky-ket.md" in out and out.rstrip().endswith("Đã dừng xem thử.")


def test_a_broken_article_is_shown_in_the_browser_and_fixing_it_reloads(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.article("ky-ket", "Nội dung.\n", title="Ký kết", provinces=["Điện Biên"])
    server = preview()
    good_page = server.get("/2023/02/ky-ket/")[1]

    broken = "---\ntitle: Ký kết\ndate: 2023-02-20 08:30\nprovinces: [Điện Bien]\n---\nNội dung mới.\n"
    assert server.reload_after(lambda: site.write("content/ky-ket.md", broken))["command"] == "reload"
    status, page = server.get("/2023/02/ky-ket/")
    assert status == 200
    panel = page[page.index('<section id="newsgen-loi"') : page.index("</section>")]
    assert "Chưa tạo được trang web vì có 1 lỗi" in panel
    assert "content/ky-ket.md:4</code>: " in panel and "Điện Biên" in panel  # where, what, the suggestion
    assert page.replace(panel + "</section>", "").replace("Nội dung.", "") == good_page.replace(
        "Nội dung.", ""
    )  # below the problems: the last good page, as it was
    assert "Nội dung mới." not in page
    server.wait_for_line(r"Chưa tạo được trang web vì có 1 lỗi")
    assert any("content/ky-ket.md:4:" in line for line in server.err)

    fixed = broken.replace("Điện Bien", "Điện Biên")
    assert server.reload_after(lambda: site.write("content/ky-ket.md", fixed))["command"] == "reload"
    status, page = server.get("/2023/02/ky-ket/")
    assert status == 200 and "newsgen-loi" not in page and "Nội dung mới." in page
    server.wait_for_line(r"Đã hết lỗi: trang web đã được tạo lại\.")


def test_a_site_that_never_built_shows_its_problems_on_every_address(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.config("site_name: [không đóng ngoặc\n")
    server = preview()
    status, page = server.get("/")
    assert status == 404 and "<code" in page and "newsgen.yaml:" in page and "ngoặc" in page
    assert "Chưa tạo được trang web vì có 1 lỗi" in page and "Trang web chưa tạo được lần nào." in page
    assert server.reload_after(lambda: site.config("site_name: Cổng tin\n"))["command"] == "reload"
    status, page = server.get("/")
    assert status == 200 and "Cổng tin" in page and "newsgen-loi" not in page


def test_a_missing_page_gets_the_sites_404_page(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai")
    server = preview()
    status, page = server.get("/khong-co-trang-nay/")
    assert status == 404
    assert "Không tìm thấy trang" in page and '<link rel="stylesheet"' in page and "livereload.js" in page


def test_only_files_inside_the_output_are_served(
    site: SiteDir, preview: Callable[..., Preview], tmp_path: Path
) -> None:
    site.config("site_name: Cổng tin\n# bí mật: không được lộ\n")
    site.article("bai")
    (tmp_path / "ngoai.txt").write_text("bên ngoài", encoding="utf-8")
    server = preview()
    output = site.root / ".newsgen-cache/serve"
    (output / "loi-tat.txt").symlink_to(tmp_path / "ngoai.txt")
    for path in [
        "/../newsgen.yaml",
        "/%2e%2e/newsgen.yaml",
        "/assets/../../newsgen.yaml",
        "/..%2fnewsgen.yaml",
        "/.newsgen-output",
        "/loi-tat.txt",
        "/" + str(tmp_path / "ngoai.txt"),
    ]:
        status, body = server.get(path)
        assert status == 404, path
        assert "bí mật" not in body and "bên ngoài" not in body and "Không tìm thấy trang" in body, path


def test_it_listens_on_the_loopback_address_only(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai")
    server = preview()
    assert server.url == f"http://127.0.0.1:{server.port}/"
    listening = Path("/proc/net/tcp")
    if listening.exists():
        addresses = [
            fields[1]
            for fields in (line.split() for line in listening.read_text().splitlines()[1:])
            if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == server.port
        ]
        assert addresses == [f"0100007F:{server.port:04X}"]


def test_a_folder_asked_for_without_its_slash_is_redirected(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.article("bai")
    server = preview()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    connection.request("GET", "/tinh?trang=2")
    response = connection.getresponse()
    connection.close()
    assert (response.status, response.getheader("Location")) == (302, "/tinh/?trang=2")


def test_drafts_are_shown_and_marked_but_never_reach_the_build_folder(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.article("nhap", title="Bài đang viết", draft=True)
    site.article("da-dang", title="Bài đã đăng")
    server = preview()
    status, page = server.get("/2023/02/bai-dang-viet/")
    assert status == 200 and '<span class="draft">Bản nháp</span>' in page
    assert "Bản nháp" in server.get("/")[1]
    server.stop()
    assert not site.build_dir.exists()

    hidden = preview("--no-drafts")
    assert hidden.get("/2023/02/bai-dang-viet/")[0] == 404
    assert "Bài đang viết" not in hidden.get("/")[1]


def test_ctrl_c_stops_the_server_and_its_builder(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai")
    server = preview()
    code, out, err = server.stop()
    assert (code, err) == (0, "") and "Traceback" not in out
    ours = str(site.root)
    left = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if ours in command:
            left.append(entry.name)
    assert left == []
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=WAIT).close()


def test_a_port_in_use_gets_a_message_and_nothing_is_written(site: SiteDir) -> None:
    site.article("bai")
    before = snapshot(site.root)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = site.run("serve", "--port", str(port))
    assert result.code == 2 and "Traceback" not in result.err
    assert f"cổng {port} đang được một chương trình khác dùng" in result.err
    assert f"newsgen serve --port {port + 1}" in result.err
    assert snapshot(site.root) == before


def test_outside_a_site_it_says_where_to_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = SiteDir(tmp_path / "trong", capsys)
    (empty.root / "content").rmdir()
    result = empty.run("serve", "--source", str(empty.root), "--port", "0")
    assert (
        result.code == 2 and "không phải thư mục của một trang" in result.err and "newsgen init" in result.err
    )


def test_config_templates_and_static_files_are_watched(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.config("site_name: Cổng tin cũ\n")
    site.article("bai")
    server = preview()
    assert "Cổng tin cũ" in server.get("/")[1]

    assert server.reload_after(lambda: site.config("site_name: Cổng tin mới\n"))["command"] == "reload"
    assert "Cổng tin mới" in server.get("/")[1]

    # templates/ did not exist when the preview started
    override = '{% extends "base.html" %}{% block content %}Trang đã bị đổi chỗ.{% endblock %}'
    assert server.reload_after(lambda: site.write("templates/404.html", override))["command"] == "reload"
    assert "Trang đã bị đổi chỗ." in server.get("/khong-co/")[1]

    assert server.reload_after(lambda: site.write("static/files/mau.txt", "tệp mẫu"))["command"] == "reload"
    assert server.get("/files/mau.txt") == (200, "tệp mẫu")


def test_a_scheduled_article_appears_when_its_time_comes(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.article("bai")
    server = preview()
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)

    def schedule() -> None:
        site.article("hen-gio", title="Bài hẹn giờ", date=due.strftime("%Y-%m-%dT%H:%M:%SZ"))

    # Written now, the article is held back: the tab is told to reload only when it is due.
    assert server.reload_after(schedule)["command"] == "reload"
    assert datetime.now(UTC) >= due
    assert "Bài hẹn giờ" in server.get("/")[1]
    server.wait_for_line(r"Chưa đăng: 1 bài hẹn giờ")


def test_two_previews_of_one_site_are_refused(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai")
    server = preview()
    second = subprocess.run(
        [sys.executable, "-m", "newsgen", "serve", "--source", str(site.root), "--port", "0"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=WAIT,
    )
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert f"đang được xem thử bởi một newsgen serve khác, tại {server.url}" in second.stderr
    assert server.get("/")[0] == 200


def test_sigterm_stops_it_as_ctrl_c_does(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai")
    server = preview()
    server.process.terminate()
    code, out, err = server.stop()
    assert (code, err) == (0, "") and out.rstrip().endswith("Đã dừng xem thử.")


def test_odd_addresses_get_a_404_or_a_redirect_on_this_site(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    site.article("bai")
    server = preview()
    assert server.get("/" + "a" * 300)[0] == 404  # longer than a file name may be
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    connection.request("GET", "//2023")
    response = connection.getresponse()
    connection.close()
    assert (response.status, response.getheader("Location")) == (302, "/2023/")
    code, _out, err = server.stop()
    assert (code, err) == (0, "")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the builder runs in its own process where it can")
def test_the_builder_keeps_its_process_between_builds(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai")
    server = preview()
    children = _children(server.process.pid)
    assert len(children) == 1
    server.reload_after(lambda: site.article("bai", "Sửa.\n"))
    assert _children(server.process.pid) == children


def test_a_new_title_moves_the_page_and_every_listing_follows(
    site: SiteDir, preview: Callable[..., Preview]
) -> None:
    for day in range(1, 8):  # more than the sidebar lists, which would make every page change
        site.article(f"tin-{day}", title=f"Tin {day}", date=f"2023-02-0{day} 08:00", provinces=["Sơn La"])
    server = preview()
    assert server.get("/2023/02/tin-1/")[0] == 200
    server.reload_after(
        lambda: site.article("tin-1", title="Tin đầu", date="2023-02-01 08:00", provinces=["Sơn La"])
    )
    status, page = server.get("/2023/02/tin-dau/")
    assert status == 200 and "<h1>Tin đầu</h1>" in page
    assert server.get("/2023/02/tin-1/")[0] == 404
    status, province = server.get("/tinh/son-la/")
    assert status == 200 and 'href="/2023/02/tin-dau/"' in province and "/2023/02/tin-1/" not in province


def test_search_finds_an_edit_once_the_page_reloads(site: SiteDir, preview: Callable[..., Preview]) -> None:
    site.article("bai", "Bản đầu tiên.\n", title="Bài")
    server = preview()
    server.reload_after(lambda: site.article("bai", "Nội dung về chuyển đổi số.\n", title="Bài"))
    documents = site.root / serve.PREVIEW_DIR / "tim-kiem/chi-muc/bai"
    assert ["chuyển đổi số" in path.read_text() for path in documents.iterdir()] == [True]


def _children(pid: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):  # the parent's pid
            found.append(stat.parent.name)
    return sorted(found)


def test_a_bug_in_newsgen_is_shown_as_one_not_as_the_editors_mistake(tmp_path: Path) -> None:
    def broken_build(**_options: object) -> BuildReport:
        raise ZeroDivisionError("một lỗi lập trình")

    outcome = serve._outcome(broken_build)
    assert outcome.report is None and "ZeroDivisionError: một lỗi lập trình" in outcome.crash
    preview = serve._Preview(tmp_path)
    assert preview.record(outcome)  # what the browser shows has changed
    page = preview.decorate(b"<html><head></head><body><p>trang</p></body></html>").decode()
    assert "newsgen gặp lỗi khi tạo trang web" in page and "không phải của bạn" in page
    assert page.index("ZeroDivisionError") < page.index("<p>trang</p>")
