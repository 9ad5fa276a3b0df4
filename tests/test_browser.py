"""The sample site in a real browser: Debian's Chromium driven by Playwright, axe-core run in the
pages, and the Nu HTML Checker on the files.

These need Chromium (/usr/bin/chromium), Java and `npm ci` in tests/browser/ (`.ci/run` sets them
up and sets NEWSGEN_BROWSER_TESTS=required, so that in CI a missing tool fails instead of
skipping). Screenshots at phone and desktop widths are left in tests/browser/screenshots/.
"""

from __future__ import annotations

import html
import http.server
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from PIL import Image

from camera import camera_photo
from conftest import SiteDir
from newsgen import build
from nginx_server import NginxSite, UnitCounter, free_port, require_nginx

ROOT = Path(__file__).parent.parent
CHECKS = Path(__file__).parent / "browser"
CHROMIUM = Path("/usr/bin/chromium")
AXE = CHECKS / "node_modules/axe-core/axe.min.js"
VNU = CHECKS / "node_modules/vnu-jar/build/dist/vnu.jar"
SCREENSHOTS = CHECKS / "screenshots"
CHROMIUM_FLAGS = [
    # a reader's browser, not "HeadlessChrome", which the visit counter takes for a crawler
    "--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _missing() -> list[str]:
    missing = [str(path) for path in (CHROMIUM, AXE, VNU) if not path.exists()]
    if shutil.which("java") is None:
        missing.append("java")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright (pip)")
    return missing


if _missing():
    if os.environ.get("NEWSGEN_BROWSER_TESTS") == "required":
        raise RuntimeError(f"browser tests need {', '.join(_missing())}: run .ci/run, or see its steps")
    pytest.skip(f"needs {', '.join(_missing())} (see .ci/run)", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect, sync_playwright  # noqa: E402


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static hosting as the site will have it: the site's own 404 page, with status 404."""

    def log_message(self, *_args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        data = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sample") / "site" / "build"


@pytest.fixture(scope="module")
def site_url(output: Path) -> Iterator[str]:
    """The sample site (this repository's content/, newsgen.yaml, static/), built into `output`
    for, and served from, a loopback address."""
    copy_sample(output.parent)
    yield from _built_and_served(output.parent)


def copy_sample(source: Path) -> None:
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("build", ".*", "tests", "src", "benchmarks"))


def _built_and_served(source: Path) -> Iterator[str]:
    """The site at `source`, built into its build/ for, and served from, a loopback address."""
    output = source / "build"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_SiteHandler, directory=str(output)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(source, base_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Watched:
    """A page and what went wrong while it was open: console errors, failed requests, requests
    to other hosts."""

    def __init__(self, page: Page, site_url: str) -> None:
        self.page, self.problems, self.missing = page, [], set()
        self.unreachable = ""  # a counter that is down or refuses, on purpose
        self.counter = ""  # the site's visit counter
        host = urlsplit(site_url).netloc
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("request", lambda request: self._request(request, host))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if self.unreachable and url.startswith(self.unreachable):
            return  # Chromium logs a refused connection; the page's script expects it
        if message.type == "error" and url not in self.missing:
            self.problems.append(f"console: {message.text} ({message.location.get('url')})")

    def expect_missing(self, url: str) -> None:
        """Chromium logs a 404 page as an error: not one for an address that should be missing."""
        self.missing.add(url)

    def _failed(self, request: Request) -> None:
        if self.unreachable and request.url.startswith(self.unreachable):
            return
        if request.failure != "net::ERR_ABORTED":  # a lazy image left behind by a click is no fault
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if self.unreachable and response.url.startswith(self.unreachable):
            return
        if response.status >= 400 and response.url not in self.missing:
            self.problems.append(f"{response.status}: {response.url}")

    def _request(self, request: Request, host: str) -> None:
        if self.counter and request.url.startswith(self.counter):
            return  # the site's visit counter, on a host of its own
        if urlsplit(request.url).scheme in ("chrome-extension", "chrome"):
            return  # the browser's own PDF viewer, showing a document's file
        if urlsplit(request.url).netloc not in ("", host):
            self.problems.append(f"another host: {request.url}")


@pytest.fixture
def watched(browser: Browser, site_url: str) -> Iterator[Any]:
    """`watched(viewport, javascript, missing, bypass_csp)` opens a page; at the end, nothing may have gone
    wrong but the 404 of `missing`."""
    opened: list[Watched] = []

    def open_page(
        viewport: dict[str, int] = DESKTOP,
        javascript: bool = True,
        missing: str = "",
        bypass_csp: bool = False,
    ) -> Page:
        context = browser.new_context(
            viewport=viewport, java_script_enabled=javascript, locale="vi-VN", bypass_csp=bypass_csp
        )
        opened.append(Watched(context.new_page(), site_url))
        if missing:
            opened[-1].expect_missing(site_url + missing)
        return opened[-1].page

    yield open_page
    for one in opened:  # a lazy image still loading would fail as "aborted" when the page closes
        one.page.wait_for_load_state("networkidle")
    problems = [problem for one in opened for problem in one.problems]
    for one in opened:
        one.page.context.close()
    assert problems == []


def _expect_not_found(response: Any) -> None:
    assert response is not None and response.status == 404


def test_home_to_a_province_to_an_article_to_a_theme(watched: Any, site_url: str) -> None:
    page = watched()
    page.goto(site_url)
    assert page.title() == "Thông tin và Truyền thông miền núi phía Bắc"
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    menu.locator("summary", has_text="Các tỉnh").click()  # the sample's menu: a second level
    menu.get_by_role("link", name="Các tỉnh").click()
    assert page.locator("h1").inner_text() == "Các tỉnh"
    page.locator("main").get_by_role("link", name="Điện Biên", exact=True).click()
    assert page.url == site_url + "tinh/dien-bien/"
    assert page.locator("h1").inner_text() == "Điện Biên"
    title = "Điện Biên giúp hộ nghèo đưa nông sản lên sàn thương mại điện tử"
    page.locator("main").get_by_role("link", name=title).click()
    assert page.url.startswith(site_url + "2023/12/") and page.locator("h1").inner_text() == title
    page.locator(".terms").get_by_role("link", name="Chuyển đổi số").click()
    assert page.url == site_url + "chu-de/chuyen-doi-so/"
    assert page.locator("h1").inner_text() == "Chuyển đổi số"


def test_the_news_listing_is_paginated(watched: Any, site_url: str) -> None:
    page = watched()
    page.goto(site_url)
    page.get_by_role("link", name="Xem tất cả tin tức").click()
    assert page.url == site_url + "tin-tuc/" and page.locator("main .item").count() == 10
    page.get_by_role("link", name="Trang sau").click()
    assert page.url == site_url + "tin-tuc/trang/2/"
    assert page.locator("main .item").count() == 5  # 15 articles, 10 a page
    page.get_by_role("link", name="Trang trước").click()
    assert page.url == site_url + "tin-tuc/"
    numbers = page.get_by_role("navigation", name="Phân trang")
    expect(numbers.get_by_role("link", name="Trang 1/2")).to_have_attribute("aria-current", "page")
    numbers.get_by_role("link", name="Trang 2/2").focus()  # by the keyboard: Enter follows it
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "tin-tuc/trang/2/")
    expect(numbers.get_by_role("link", name="Trang 2/2")).to_have_attribute("aria-current", "page")


def test_a_missing_page_gets_the_404_page(watched: Any, site_url: str) -> None:
    page = watched(missing=PAGES["not-found"])
    response = page.goto(site_url + PAGES["not-found"])
    _expect_not_found(response)
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_menu_on_a_phone(watched: Any, site_url: str, javascript: bool) -> None:
    page = watched(PHONE, javascript)
    page.goto(site_url)
    archive = page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Lưu trữ")
    assert not archive.is_visible()
    page.get_by_role("link", name="Danh mục").click()
    assert archive.is_visible()
    archive.click()
    assert page.url == site_url + "luu-tru/"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_menu_s_second_level_by_the_keyboard(watched: Any, site_url: str) -> None:
    page = watched()
    page.goto(site_url)
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    structure = menu.get_by_role("link", name="Cơ cấu tổ chức")
    assert not structure.is_visible()
    menu.locator("summary", has_text="Giới thiệu").focus()
    page.keyboard.press("Enter")
    assert structure.is_visible()
    page.keyboard.press("Tab")  # the group's own page, then its items
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Cơ cấu tổ chức"
    page.keyboard.press("Escape")  # closed, and the focus back on the group's summary
    assert not structure.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Giới thiệu"
    page.keyboard.press("Space")
    assert structure.is_visible()
    for _ in range(4):  # past its last item, to Tin tức: the group closes behind
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Tin tức"
    expect(structure).to_be_hidden()
    page.get_by_role("searchbox").focus()
    page.evaluate("document.querySelector('#menu details').open = true")  # opened by a click
    page.keyboard.press("Escape")  # closes the group, leaves the focus where it is
    expect(structure).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "header-q"
    menu.locator("summary", has_text="Giới thiệu").click()
    menu.locator("summary", has_text="Các tỉnh").click()  # one group open at a time
    expect(structure).to_be_hidden()  # closed when its toggle event comes
    assert menu.get_by_role("link", name="Sơn La").is_visible()
    page.keyboard.press("Escape")
    menu.locator("summary", has_text="Giới thiệu").click()
    structure.click()
    page.wait_for_url(site_url + "gioi-thieu/co-cau-to-chuc/")
    expect(menu.locator('a[href$="/co-cau-to-chuc/"]')).to_have_attribute("aria-current", "page")
    assert page.locator("h1").inner_text() == "Cơ cấu tổ chức"
    crumbs = page.get_by_role("navigation", name="Đường dẫn").get_by_role("link")
    assert crumbs.all_inner_texts() == ["Trang chủ", "Giới thiệu"]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_menu_s_second_level_on_a_phone(watched: Any, site_url: str, javascript: bool) -> None:
    page = watched(PHONE, javascript)
    page.goto(site_url + PAGES["article"])
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    news = menu.locator('a[href$="/tin-tuc/"]')
    expect(news).to_have_attribute("aria-current", "true")  # an article's section
    page.get_by_role("link", name="Danh mục").click()
    menu.locator("summary", has_text="Giới thiệu").click()
    menu.get_by_role("link", name="Chức năng, nhiệm vụ").click()
    page.wait_for_url(site_url + "gioi-thieu/chuc-nang-nhiem-vu/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


PAGES = {
    "home": "",
    "article": "2023/02/so-thong-tin-va-truyen-thong-7-tinh-mien-nui-phia-bac-ky-ket-giao-uoc-thi-dua-nam-2023/",  # noqa: E501
    "province": "tinh/dien-bien/",
    "theme": "chu-de/chuyen-doi-so/",
    "archive": "luu-tru/",
    "month": "luu-tru/2023/02/",
    "search": "tim-kiem/?q=dien+bien",
    "page": "gioi-thieu/co-cau-to-chuc/",
    "contact": "lien-he/",
    "video": "2024/10/ha-giang-lao-cai-phat-ban-tin-tieng-dan-toc-tren-loa-truyen-thanh-vung-bien/",
    "documents": "van-ban/",
    "documents-of-a-type": "van-ban/loai/quyet-dinh/",
    "document": "van-ban/125-qd-ubnd/",
    "not-found": "khong-co-trang-nay/",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(watched: Any, site_url: str, name: str) -> None:
    page = watched(missing=PAGES["not-found"], bypass_csp=True)  # axe goes in as an inline script
    page.goto(site_url + PAGES[name])
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_documents_list_filters_by_type_year_and_issuer_without_a_script(
    watched: Any, site_url: str, viewport: dict[str, int]
) -> None:
    page = watched(viewport, javascript=False)  # a static page for each filter
    page.goto(site_url + PAGES["documents"])
    items = page.locator("main .document-item h3")
    assert items.count() == 4
    filters = page.get_by_role("navigation", name="Lọc văn bản")

    def choose(group: str, name: str, address: str) -> list[str]:
        link = filters.get_by_role("list", name=group).get_by_role("link", name=name)
        link.click()  # on a phone, scrolled into view within its row first, as a finger would
        page.wait_for_url(site_url + address)
        expect(filters.get_by_role("list", name=group).get_by_role("link", name=name)).to_have_attribute(
            "aria-current", "page"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        return items.all_inner_texts()

    assert choose("Loại văn bản", "Quyết định", "van-ban/loai/quyet-dinh/") == ["Quyết định 125/QĐ-UBND"]
    assert choose("Năm ban hành", "2025", "van-ban/nam/2025/") == [
        "Thông báo 42/TB-SKHCN",
        "Công văn 2145/UBND-KGVX",
    ]
    assert choose("Cơ quan ban hành", "UBND tỉnh Sơn La", "van-ban/co-quan/ubnd-tinh-son-la/") == [
        "Công văn 2145/UBND-KGVX"
    ]
    page.get_by_role("link", name="Công văn 2145/UBND-KGVX").click()
    file = page.locator(".document-files").get_by_role("link", name="Công văn 2145.pdf")
    assert file.get_attribute("href") == "/van-ban/cong-van-2145.pdf"
    with page.expect_download() as downloading:
        file.click()
    assert downloading.value.suggested_filename == "Công văn 2145.pdf"  # saved under its own name
    page.go_back()
    page.get_by_role("link", name="Xem tất cả văn bản").click()
    page.wait_for_url(site_url + PAGES["documents"])
    assert items.count() == 4


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_document_s_pdf_shows_in_the_page_on_a_computer_and_costs_a_phone_nothing(
    watched: Any, site_url: str, viewport: dict[str, int]
) -> None:
    page = watched(viewport)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if request.url.endswith(".pdf") else None)
    page.goto(site_url + PAGES["document"])
    page.wait_for_load_state("networkidle")
    on_a_phone = viewport is PHONE  # no viewer there: the file's link above it
    assert page.locator("object.document-viewer").is_visible() is not on_a_phone
    assert bool(asked) is not on_a_phone
    assert page.locator(".document-files").get_by_role("link", name="125-qd-ubnd.pdf").is_visible()


GUIDE = ROOT / "src/newsgen/starter/docs/huong-dan-bien-tap-vien.md"
TERMINAL = """<!doctype html><meta charset="utf-8"><style>
body {{ margin: 0; background: #1e1e1e; }}
pre {{ margin: 0; padding: 16px 20px; width: 860px; color: #e8e8e8;
  font: 15px/1.45 "DejaVu Sans Mono", monospace; white-space: pre-wrap; }}
b {{ color: #8ae234; font-weight: normal; }}
</style><pre>{}</pre>"""


VISIBLE_PHOTOS_DECODED = """Promise.all(Array.from(document.images)
  .filter((image) => image.getBoundingClientRect().top < innerHeight)
  .map((image) => image.decode().catch(() => null)))"""


def _terminal(commands: list[tuple[str, str]]) -> str:
    """A terminal window showing each command after its prompt, and what it printed."""
    shown = "".join(f"<b>&gt;</b> {html.escape(command)}\n{html.escape(out)}" for command, out in commands)
    return TERMINAL.format(shown)


def _save_for_the_guide(png: bytes, name: str) -> None:
    """The guide's picture `name`, as a JPEG small enough to ship with every new site; written only
    when it shows something else, so that a test run leaves the repository as it was."""
    with Image.open(io.BytesIO(png)) as image:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True)
    path = GUIDE.parent / "anh" / name
    path.parent.mkdir(exist_ok=True)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def test_the_editors_guide_shows_the_real_site_and_terminal(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    """docs/huong-dan-bien-tap-vien.md (which `newsgen init` copies into every site) shows the sample
    site and newsgen's own output as they are now: the tests take its pictures again."""
    for name, address, viewport in [
        ("trang-chu-tren-dien-thoai.jpg", PAGES["home"], PHONE),
        ("bai-viet-tren-may-tinh.jpg", PAGES["article"], DESKTOP),
    ]:
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        page = context.new_page()
        page.goto(site_url + address)
        page.wait_for_load_state("networkidle")
        page.evaluate(VISIBLE_PHOTOS_DECODED)  # or a photo may be drawn half in one run, whole in another
        _save_for_the_guide(page.screenshot(), name)
        context.close()
    copy_sample(tmp_path / "trang-so")
    site = tmp_path / "trang-so"

    def run(*args: str) -> tuple[str, str]:
        ran = subprocess.run(
            [sys.executable, "-m", "newsgen", *args], cwd=site, capture_output=True, text=True, check=False
        )
        said = re.sub(r"\d+,\d\d giây", "0,52 giây", ran.stdout + ran.stderr)  # the same picture each run
        return "newsgen " + " ".join(args), said

    built = run("build")
    assert built[1].startswith("Đã tạo trang web: 15 bài viết,"), built
    article = site / "content/articles/2026/02/tin-moi.md"
    article.parent.mkdir(parents=True)
    article.write_text(
        "---\ntitle: Tin mới\ndate: 20/02/2026 08:30\nprovinces: [Dien Bienn]\n---\nNội dung.\n"
    )
    failed = run("build")
    assert failed[1].startswith('content/articles/2026/02/tin-moi.md:4: tỉnh "Dien Bienn" không có'), failed
    context = browser.new_context(viewport={"width": 900, "height": 200}, locale="vi-VN")
    page = context.new_page()
    for name, commands in [("lenh-tao-trang-web.jpg", [built]), ("lenh-bao-loi.jpg", [failed])]:
        page.set_content(_terminal(commands))
        _save_for_the_guide(page.locator("pre").screenshot(), name)
    context.close()
    guide = GUIDE.read_text(encoding="utf-8")
    shown = sorted(re.findall(r"!\[[^\]]*\]\(anh/([^)]+)\)", guide))
    assert shown == sorted(path.name for path in (GUIDE.parent / "anh").iterdir())  # each, and no other
    assert "Dien Bienn" in guide and "content/articles/2026/02/tin-moi.md" in guide  # as the picture says


@pytest.mark.parametrize("name", ["home", "article", "province", "page", "video", "document", "documents"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_screenshots_for_people_to_look_at(
    watched: Any, site_url: str, name: str, viewport: dict[str, int]
) -> None:
    page = watched(viewport)
    page.goto(site_url + PAGES[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scroll
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_pages_are_valid_html(site_url: str, output: Path) -> None:
    files = [output / PAGES[name].split("?")[0] / "index.html" for name in PAGES if name != "not-found"]
    files.append(output / "404.html")
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m['url']).parent.name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []


@pytest.mark.parametrize("name", ["home", "article"])
def test_pages_stay_within_their_budget(watched: Any, site_url: str, name: str) -> None:
    """Under 60 KB of HTML, CSS and JavaScript before compression, no script that blocks rendering."""
    page = watched()
    loaded: dict[str, int] = {}
    page.on(
        "response",
        lambda response: (
            loaded.__setitem__(response.url, len(response.body()))
            if response.request.resource_type in ("document", "stylesheet", "script")
            else None
        ),
    )
    page.goto(site_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert sum(loaded.values()) < 60_000, loaded
    blocking = page.locator("script[src]:not([defer]):not([async]):not([type=module])")
    assert blocking.count() == 0


@pytest.mark.parametrize(
    ("viewport", "scale", "lead", "thumbnail"),
    [(PHONE, 2, ".720.webp", ".thumb.240.webp"), (DESKTOP, 2, ".1200.webp", ".thumb.480.webp")],
)
def test_each_screen_downloads_the_width_it_shows(
    browser: Browser, site_url: str, viewport: dict[str, int], scale: int, lead: str, thumbnail: str
) -> None:
    """At 2 pixels a point: a phone 390 points wide shows the lead photo across but its margins
    (716 px: the 720 px photo), a listing's beside its title at a third of that (239 px: the
    thumbnail of 240); a desktop, in the 820 point column (1,640 px: the widest, 1,200) and at 240 points
    (480)."""
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    page.goto(site_url + PAGES["article"])
    shown = page.locator(".article-image img")
    page.wait_for_function("image => image.complete && image.currentSrc", arg=shown.element_handle())
    assert shown.evaluate("image => image.currentSrc").endswith(lead)
    ratios = shown.evaluate(
        "i => [i.naturalWidth / i.naturalHeight, i.getAttribute('width') / i.getAttribute('height')]"
    )
    assert abs(ratios[0] - ratios[1]) < 0.01  # the size written in the page is the photo's: no shift
    page.goto(site_url + "tinh/dien-bien/")
    first = page.locator(".item-image img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("image => image.complete && image.currentSrc", arg=first.element_handle())
    assert first.evaluate("image => image.currentSrc").endswith(thumbnail)
    context.close()


@pytest.fixture(scope="module")
def camera_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site with each of its photos replaced by one as a phone's camera saves it (4,000
    × 3,000, about 5.7 MB, with an EXIF orientation and a GPS position), built and served."""
    source = tmp_path_factory.mktemp("camera") / "site"
    copy_sample(source)
    for number, path in enumerate(sorted((source / "static").rglob("*.jpg"))):
        path.write_bytes(camera_photo(number))
    yield from _built_and_served(source)


@pytest.mark.parametrize(("name", "budget"), [("home", 250_000), ("article", 300_000)])
def test_a_phone_scrolling_through_a_page_of_camera_photos_stays_within_its_budget(
    browser: Browser, camera_site_url: str, name: str, budget: int
) -> None:
    """Everything a phone (390 × 844 points, 2 pixels a point) downloads for the page, scrolled
    to its end so that every lazy photo loads: HTML, CSS, scripts, photos, as bodies before any
    compression (this server sends none)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    loaded: dict[str, int] = {}
    page.on("response", lambda response: loaded.__setitem__(response.url, len(response.body())))
    page.goto(camera_site_url + PAGES[name])
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + PHONE["height"], PHONE["height"] // 2):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    photos = {url: size for url, size in loaded.items() if "/images/" in url}
    total = sum(loaded.values())
    print(f"{name}: {total:,} bytes, of which {len(photos)} photos {sum(photos.values()):,}")  # for README
    assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    assert len(photos) >= 2 and all(url.endswith(".webp") for url in photos), photos
    assert total <= budget, loaded
    context.close()


def test_on_a_phone_lists_show_a_small_photo_beside_the_title_and_the_home_page_no_second_latest_list(
    watched: Any, site_url: str
) -> None:
    page = watched(PHONE)
    page.goto(site_url)
    photo = page.locator(".item-image").first.bounding_box()
    title = page.locator(".item-title").first.bounding_box()
    assert photo is not None and title is not None
    assert photo["width"] < PHONE["width"] / 2 and photo["x"] + photo["width"] <= title["x"]
    assert photo["y"] < title["y"] + title["height"] and title["y"] < photo["y"] + photo["height"]
    assert page.locator(".item").count() > 0 and page.get_by_role("heading", name="Tin mới nhất").is_hidden()
    page.goto(site_url + PAGES["article"])
    assert page.get_by_role("heading", name="Tin mới nhất").is_visible()


def test_the_share_buttons_copy_the_address(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + PAGES["article"])
    page.get_by_role("button", name="Sao chép liên kết").click()
    expect(page.locator(".share-status")).to_have_text("Đã sao chép liên kết.")
    assert page.evaluate("navigator.clipboard.readText()") == site_url + PAGES["article"]
    context.close()


def _search(page: Page, query: str) -> list[str]:
    """Type `query` into the search box as a reader would; the titles found, once shown."""
    page.get_by_role("search").last.get_by_label("Từ khóa").fill(query)
    page.get_by_role("search").last.get_by_role("button", name="Tìm").click()
    expect(page.locator(".search-status")).to_contain_text("“" + query + "”")
    while page.locator(".search-more").is_visible():  # every result, not only the first ten
        count = page.locator(".search-title").count()
        page.locator(".search-more").click()
        expect(page.locator(".search-title")).not_to_have_count(count)
        expect(page.locator(".search-more")).to_be_enabled()  # the batch all shown: hidden if the last
    return page.locator(".search-title").all_inner_texts()


def test_search_finds_vietnamese_typed_without_tone_marks(watched: Any, site_url: str) -> None:
    page = watched()
    page.goto(site_url)
    titles = _search(page, "dien bien")  # from the header's box
    assert page.url == site_url + "tim-kiem/?q=dien+bien"
    assert titles[0] == "Điện Biên giúp hộ nghèo đưa nông sản lên sàn thương mại điện tử"
    assert "Ba tỉnh Tây Bắc trao đổi kinh nghiệm quản lý báo chí, thông tin điện tử" in titles
    assert page.locator(".search-excerpt mark").count() > 0  # the words found, highlighted
    emulation = _search(page, "thi dua")
    assert (
        emulation[0]
        == "Sở Thông tin và Truyền thông 7 tỉnh miền núi phía Bắc ký kết giao ước thi đua năm 2023"
    )
    assert page.locator(".search-status").inner_text().startswith(f"Tìm thấy {len(emulation)} kết quả")
    assert set(_search(page, "chuyen doi so")) >= _titles_whose_text_says("chuyển đổi số")
    expect(page.get_by_role("link", name="Xem mọi tin về Chuyển đổi số")).to_be_visible()  # the theme's page
    assert _search(page, "Điện Biên")[0] == titles[0]  # typed with marks: the same first
    page.go_back()  # the query is in the address: back is the search before
    expect(page.locator(".search-status")).to_contain_text("“chuyen doi so”")
    assert page.get_by_label("Từ khóa").last.input_value() == "chuyen doi so"


@pytest.fixture
def twelve_news(browser: Browser, site: SiteDir) -> Iterator[tuple[Page, str]]:
    """A site of twelve articles with "tin", served, and its search page opened on "tin"."""
    for number in range(12):
        site.article(
            f"tin-{number}", "Tin vùng cao.\n", title=f"Tin số {number}", date=f"2023-01-{number + 1:02d}"
        )
    handler = partial(_SiteHandler, directory=str(site.build_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    assert site.build("--base-url", url).code == 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(url + "tim-kiem/?q=tin")
    expect(page.locator(".search-status")).to_contain_text("Tìm thấy 12 kết quả")
    yield page, url
    page.context.close()
    server.shutdown()
    server.server_close()


def test_a_search_page_opened_before_a_deploy_starts_again_on_the_new_index(
    twelve_news: tuple[Page, str], site: SiteDir
) -> None:
    """The index made anew under an open page (new ids, new epoch): "Xem thêm" shows the search
    again on the index as it now is, never another article in the old one's place."""
    page, url = twelve_news
    assert page.locator(".search-title").all_inner_texts()[0] == "Tin số 11"
    for number in range(12, 15):  # newer ones, and no store: ids given again from 0
        site.article(f"tin-{number}", "Tin mới.\n", title=f"Tin số {number}", date=f"2023-02-{number:02d}")
    shutil.rmtree(site.root / ".newsgen-cache")
    time.sleep(1.1)  # a deploy some time later: the test server's Last-Modified counts seconds
    assert site.build("--base-url", url).code == 0
    page.locator(".search-more").click()
    expect(page.locator(".search-status")).to_contain_text("Tìm thấy 15 kết quả")
    titles = page.locator(".search-title").all_inner_texts()
    assert titles == [f"Tin số {number}" for number in range(14, 4, -1)]


def test_more_results_that_fail_to_load_keep_the_list_and_can_be_asked_again(
    twelve_news: tuple[Page, str],
) -> None:
    """A lost connection is not a changed index: the results shown stay, the button asks again."""
    page, _url = twelve_news
    page.route("**/chi-muc/bai/1.json", lambda route: route.abort())
    page.locator(".search-more").click()
    expect(page.locator(".search-status")).to_contain_text("Vui lòng thử lại sau")
    expect(page.locator(".search-title")).to_have_count(10)
    page.unroute("**/chi-muc/bai/1.json")
    page.locator(".search-more").click()
    expect(page.locator(".search-title")).to_have_count(12)
    assert page.locator(".search-title").all_inner_texts()[10:] == ["Tin số 1", "Tin số 0"]


def _titles_whose_text_says(words: str) -> set[str]:
    """The titles of the sample articles whose text (not their front matter) holds `words`."""
    found = set()
    for path in (ROOT / "content/articles").rglob("*.md"):  # not the pages: search has articles
        _before, front, text = path.read_text(encoding="utf-8").split("---\n", 2)
        if words in text.lower():
            found.add(yaml.safe_load(front)["title"])
    assert found  # the sample has some
    return found


def test_search_filters_by_province_and_says_when_nothing_is_found(watched: Any, site_url: str) -> None:
    page = watched()
    page.goto(site_url + "tim-kiem/")
    page.get_by_label("Tỉnh").select_option("Lai Châu")
    titles = _search(page, "thi dua")
    assert titles and all(
        "Lai Châu" in meta for meta in page.locator(".search-results .meta").all_inner_texts()
    )
    assert "tinh=Lai+Ch%C3%A2u" in page.url  # the filter is in the address too
    page.goto(site_url + "tim-kiem/?tinh=Lai+Ch%C3%A2u")  # a province alone: its articles, newest first
    expect(page.locator(".search-status")).to_have_text(re.compile("^Tìm thấy [0-9]+ bài.$"))
    dates = [meta.split(" · ")[0] for meta in page.locator(".search-results .meta").all_inner_texts()]
    assert len(dates) > 1 and dates == sorted(dates, key=lambda d: d.split("/")[::-1], reverse=True)
    _search(page, "qqqzzz thi dua")
    assert (
        page.locator(".search-status").inner_text()
        == "Không tìm thấy kết quả nào cho “qqqzzz thi dua”: không bài nào có từ “qqqzzz”. "
        "Vui lòng bỏ từ đó rồi tìm lại."
    )
    assert page.locator(".search-hint").is_visible()
    page.get_by_label("Năm").select_option("2023")
    page.get_by_label("Tỉnh").select_option("")
    assert _search(page, "thi dua") == [
        "Sở Thông tin và Truyền thông 7 tỉnh miền núi phía Bắc ký kết giao ước thi đua năm 2023"
    ]


def test_an_article_prints_without_navigation_sidebar_or_share_buttons(watched: Any, site_url: str) -> None:
    page = watched()
    page.goto(site_url + PAGES["article"])
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".sidebar", ".share", ".header-search", ".related"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("article.article h1").is_visible() and page.locator(".body").is_visible()


@pytest.mark.parametrize("name", ["home", "article", "search", "documents"])
def test_nothing_scrolls_sideways_on_the_narrowest_phones(watched: Any, site_url: str, name: str) -> None:
    page = watched({"width": 360, "height": 740})
    page.goto(site_url + PAGES[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# Adds up the page's layout shifts, as Core Web Vitals' CLS does, into window.layoutShift.
LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (shift) {
    if (!shift.hadRecentInput) window.layoutShift += shift.value;
  });
}).observe({ type: "layout-shift", buffered: true });
"""


class _Counter:
    """`newsgen counter serve` on a free loopback port, for the site at `origin`."""

    def __init__(self, database: Path, origin: str) -> None:
        command = [sys.executable, "-m", "newsgen", "counter", "serve", "--db", str(database), "--port", "0"]
        command += ["--origin", origin.rstrip("/"), "--offset", "82744820"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        found = re.search(r"chạy tại (http://\S+)/", self.process.stdout.readline())
        assert found, "the counter did not start"
        self.url = found.group(1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.communicate(timeout=10)


class _SampleCopy:
    """A copy of the sample site, served on a loopback port once built."""

    def __init__(self, folder: Path) -> None:
        self.source = folder / "site"
        shutil.copytree(
            ROOT, self.source, ignore=shutil.ignore_patterns("build", ".*", "tests", "src", "benchmarks")
        )
        handler = partial(_SiteHandler, directory=str(self.source / "build"))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def build_with(self, counter: str) -> None:
        config = self.source / "newsgen.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "\ncounter:\n" + counter)
        build(self.source, base_url=self.url)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def counted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, _Counter]]:
    """The sample site with its visit statistics from a running counter."""
    site = _SampleCopy(tmp_path_factory.mktemp("counted"))
    counter = _Counter(site.source / "counter.sqlite", site.url)
    site.build_with(f"  mode: newsgen\n  endpoint: {counter.url}\n")
    yield site.url, counter
    counter.stop()
    site.close()


def test_the_visit_statistics_show_the_counters_numbers_then_hide_when_it_stops(
    browser: Browser, counted_site: tuple[str, _Counter]
) -> None:
    url, counter = counted_site
    page = Watched(browser.new_context(viewport=DESKTOP).new_page(), url)
    page.counter = counter.url
    page.page.add_init_script(LAYOUT_SHIFTS)
    page.page.goto(url)
    box = page.page.locator(".visit-stats")
    expect(box).to_be_visible()
    assert page.page.evaluate("window.layoutShift") == 0  # the block appears where nothing moves
    SCREENSHOTS.mkdir(exist_ok=True)
    box.screenshot(path=SCREENSHOTS / "visit-stats-newsgen.png")
    numbers = dict(zip(box.locator("dt").all_inner_texts(), box.locator("dd").all_inner_texts(), strict=True))
    assert numbers == {"Đang online": "1", "Hôm nay": "1", "Trong tuần": "1", "Tất cả": "82.744.821"}
    counter.stop()
    page.unreachable = counter.url
    page.page.reload()
    page.page.wait_for_load_state("networkidle")
    assert not box.is_visible() and page.page.locator(".lead-title").is_visible()
    assert page.problems == []
    page.page.context.close()


class _GoatCounterHandler(http.server.BaseHTTPRequestHandler):
    """GoatCounter's two public endpoints as its documentation and source describe them: `/count`
    records a page view (GET or POST, the page in the query), and `/counter/TOTAL.json` gives the
    site's total since `start` (a UTC date, or "week" for the last 7 days), written in the site's
    number format, or 403 while "Allow adding visitor counts" is off."""

    TOTALS = {"": "1,234,567", "week": "12\u202f345"}  # two of GoatCounter's number formats
    TODAY = "678"

    def do_POST(self) -> None:
        if self.path.startswith("/count?"):
            self.server.hits.append(parse_qs(urlsplit(self.path).query))  # type: ignore[attr-defined]
            return self._answer(200, "image/gif", b"GIF89a")
        self._answer(404, "text/plain", b"not found")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/counter/TOTAL.json":
            return self._answer(404, "text/plain", b"not found")
        if not self.server.allowed:  # type: ignore[attr-defined]
            return self._answer(403, "text/plain", b"Need to enable the visitor counter setting")
        start = parse_qs(url.query).get("start", [""])[0]
        count = self.TODAY if start == self.server.today else self.TOTALS.get(start)  # type: ignore[attr-defined]
        if count is None:
            return self._answer(400, "text/plain", f"unexpected start {start}".encode())
        self._answer(200, "application/json", json.dumps({"count": count, "count_unique": count}).encode())

    def _answer(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_goatcounter_mode_counts_the_visit_and_shows_its_three_numbers(
    browser: Browser, tmp_path: Path
) -> None:
    goatcounter = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GoatCounterHandler)
    goatcounter.hits, goatcounter.allowed = [], True  # type: ignore[attr-defined]
    # 03:00 on 28 November in Vietnam is still the 27th in UTC, GoatCounter's day
    goatcounter.today = "2026-11-27"  # type: ignore[attr-defined]
    threading.Thread(target=goatcounter.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{goatcounter.server_address[1]}"
    site = _SampleCopy(tmp_path)
    # the address GoatCounter's own instructions give, /count included
    site.build_with(f"  mode: goatcounter\n  endpoint: {endpoint}/count\n  offset: 1000000\n")
    try:
        context = browser.new_context(viewport=DESKTOP, timezone_id="Asia/Ho_Chi_Minh")
        page = Watched(context.new_page(), site.url)
        page.page.clock.set_fixed_time("2026-11-27T20:00:00Z")
        page.counter = endpoint
        page.page.goto(site.url)
        box = page.page.locator(".visit-stats")
        expect(box).to_be_visible()
        numbers = dict(
            zip(box.locator("dt").all_inner_texts(), box.locator("dd").all_inner_texts(), strict=True)
        )
        assert numbers == {"Hôm nay": "678", "7 ngày qua": "12.345", "Tất cả": "2.234.567"}
        SCREENSHOTS.mkdir(exist_ok=True)
        box.screenshot(path=SCREENSHOTS / "visit-stats-goatcounter.png")
        for _ in range(50):  # the beacon goes on its own time
            if goatcounter.hits:  # type: ignore[attr-defined]
                break
            time.sleep(0.1)
        hit = goatcounter.hits[0]  # type: ignore[attr-defined]
        assert hit["p"] == ["/"] and hit["t"] == [page.page.title()]
        goatcounter.allowed = False  # type: ignore[attr-defined]
        page.unreachable = endpoint
        page.page.reload()
        page.page.wait_for_load_state("networkidle")
        assert not box.is_visible() and page.page.locator(".lead-title").is_visible()
        assert page.problems == []
        page.page.context.close()
    finally:
        site.close()
        goatcounter.shutdown()
        goatcounter.server_close()


def test_a_counter_that_never_answers_leaves_the_block_hidden(browser: Browser, tmp_path: Path) -> None:
    with socket.socket() as silent:  # takes the connection, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        site = _SampleCopy(tmp_path)
        site.build_with(f"  mode: newsgen\n  endpoint: {endpoint}\n")
        try:
            page = Watched(browser.new_context(viewport=PHONE).new_page(), site.url)
            page.counter = endpoint
            with page.page.expect_event("requestfailed", timeout=8000) as given_up:
                page.page.goto(site.url)
            assert given_up.value.url.startswith(endpoint)  # counter.js stopped waiting, after 4 s
            page.page.wait_for_timeout(200)
            assert not page.page.locator(".visit-stats").is_visible()
            assert page.page.locator(".lead-title").is_visible() and page.problems == []
            page.page.context.close()
        finally:
            site.close()


def test_behind_the_shipped_nginx_search_and_the_counter_work_under_its_security_policy(
    browser: Browser, tmp_path: Path
) -> None:
    """deploy/nginx.conf's Content-Security-Policy must let the theme, search and the counter
    through: any script, style or request it blocked would be a console error."""
    require_nginx()
    site = _SampleCopy(tmp_path)
    site.build_with("  mode: newsgen\n  endpoint: /thong-ke\n")
    site.close()  # nginx serves it instead
    counter_port = free_port()
    nginx = NginxSite(site.source / "build", counter_port, tmp_path)
    counter = UnitCounter(tmp_path / "counter.sqlite", counter_port, nginx.url)
    try:
        page = Watched(browser.new_context(viewport=DESKTOP).new_page(), nginx.url)
        page.page.goto(nginx.url)
        expect(page.page.locator(".visit-stats")).to_be_visible()
        with sqlite3.connect(tmp_path / "counter.sqlite") as database:  # shown after the hit was written
            assert database.execute("SELECT SUM(hits) FROM days").fetchone() == (1,)  # the same origin counts
        titles = _search(page.page, "dien bien")
        assert "Điện Biên giúp hộ nghèo đưa nông sản lên sàn thương mại điện tử" in titles
        assert page.problems == []
        page.page.context.close()
    finally:
        counter.stop()
        nginx.stop()


class _ScriptOnAnotherHost:
    """A script served over HTTPS from another origin (a certificate made here), as the EMC
    script comes from the Ministry's host; it marks the page it runs in."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        key, certificate = folder / "key.pem", folder / "certificate.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
            ]
            + ["-keyout", str(key), "-out", str(certificate)],
            check=True,
            capture_output=True,
        )
        (folder / "emc.js").write_text("window.emcLoaded = true;\n", encoding="utf-8")
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(_SiteHandler, directory=str(folder))
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        # The handshake in each request's thread: a connection Chromium opens ahead and leaves
        # idle would hold up the thread that accepts them all.
        self.server.socket = context.wrap_socket(
            self.server.socket, server_side=True, do_handshake_on_connect=False
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/emc.js"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_behind_the_shipped_nginx_the_emc_script_and_a_clicked_video_load_under_its_policy(
    browser: Browser, tmp_path: Path
) -> None:
    """nginx's policy and the page's own both apply: the EMC script of `emc: script`, the
    YouTube player once clicked and a video file must get through both, with no violation."""
    require_nginx()
    emc = _ScriptOnAnotherHost(tmp_path / "emc")
    site = _SampleCopy(tmp_path)
    (site.source / "newsgen.yaml").write_text(
        (site.source / "newsgen.yaml").read_text(encoding="utf-8") + f"\nemc:\n  script: {emc.url}\n"
    )
    (site.source / "static/videos").mkdir(parents=True)
    (site.source / "static/videos/mau.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    (site.source / "content/pages/video.md").write_text(
        "---\ntitle: Video\n---\n![Toàn cảnh](/videos/mau.mp4)\n"
    )
    site.build_with("  mode: none\n")
    site.close()
    nginx = NginxSite(site.source / "build", free_port(), tmp_path)
    context = browser.new_context(viewport=DESKTOP, ignore_https_errors=True)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.add_init_script(
            "window.violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " (e) => window.violations.push(e.effectiveDirective + ' ' + e.blockedURI));"
        )
        said: list[str] = []
        page.on("console", lambda message: said.append(message.text))
        page.goto(
            nginx.url + "2024/10/ha-giang-lao-cai-phat-ban-tin-tieng-dan-toc-tren-loa-truyen-thanh-vung-bien/"
        )
        page.wait_for_function("window.emcLoaded === true", timeout=5000)
        with page.expect_request(
            lambda request: "youtube-nocookie.com" in request.url, timeout=5000
        ) as asked:
            page.locator("a.video-youtube").click()  # a request made at all: the policy let it through
        assert asked.value.url == "https://www.youtube-nocookie.com/embed/Zr4bqJm3fWk?autoplay=1"
        assert page.evaluate("window.violations") == []
        page.goto(nginx.url + "video/")
        with page.expect_response(lambda response: response.url.endswith("/videos/mau.mp4")) as answered:
            page.evaluate("() => { document.querySelector('video').play().catch(() => {}); }")  # not awaited
        assert answered.value.status in (200, 206)
        assert page.evaluate("window.violations") == []
        assert not [text for text in said if "Content Security Policy" in text]
    finally:
        context.close()
        nginx.stop()
        emc.close()
