"""Self-hosting as `newsgen init` ships it (deploy/): the sample site behind Debian's nginx with
deploy/nginx.conf, and the visit counter started from deploy/newsgen-counter.service's command,
proxied under /thong-ke/."""

from __future__ import annotations

import gzip
import http.client
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen import build
from nginx_server import NginxSite, UnitCounter, free_port, require_nginx

ROOT = Path(__file__).parent.parent


class Served:
    def __init__(self, nginx: NginxSite, counter: UnitCounter, output: Path) -> None:
        self.nginx, self.counter, self.output = nginx, counter, output

    def get(self, path: str, **headers: str) -> http.client.HTTPResponse:
        return self.request("GET", path, None, headers)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.nginx.port, timeout=10)
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_nginx()
    folder = tmp_path_factory.mktemp("deploy")
    source = folder / "site"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("build", ".*", "tests", "src", "benchmarks"))
    config = source / "newsgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\ncounter:\n  mode: newsgen\n  endpoint: /thong-ke\n"
    )
    (source / "static/assets").mkdir()
    (source / "static/assets/rieng.css").write_text("p { margin: 0 }\n")  # a site's own, no hash
    shutil.copy(next((source / "static/images").rglob("*.jpg")), source / "static/images/ANH.JPG")
    build(source)
    (folder / "current").symlink_to(source / "build")  # as `newsgen publish` leaves it
    counter_port = free_port()
    nginx = NginxSite(folder / "current", counter_port, folder)
    counter = UnitCounter(folder / "counter.sqlite", counter_port, nginx.url)
    yield Served(nginx, counter, source / "build")
    counter.stop()
    nginx.stop()


def test_pages_are_served_and_a_missing_one_gets_the_sites_404_page(served: Served) -> None:
    home = served.get("/")
    assert home.status == 200 and home.getheader("Content-Type") == "text/html; charset=utf-8"
    assert home.body == (served.output / "index.html").read_bytes()  # type: ignore[attr-defined]
    missing = served.get("/khong-co-trang-nay/")
    assert missing.status == 404
    assert missing.body == (served.output / "404.html").read_bytes()  # type: ignore[attr-defined]
    slashless = served.get("/tinh/son-la")
    assert slashless.status == 301 and slashless.getheader("Location") == "/tinh/son-la/"


def test_a_page_cached_from_the_last_version_gets_the_current_stylesheet(served: Served) -> None:
    current = _one("assets/style.*.css", served.output)
    gone = served.get(current.replace(current.split(".")[-2], "0123456789"))
    assert gone.status == 200 and gone.body == (served.output / "assets/style.css").read_bytes()  # type: ignore[attr-defined]
    assert gone.getheader("Cache-Control") == "public, max-age=300"  # not a year: it changes
    assert served.get("/assets/khong-co.0123456789.css").status == 404


def test_newsgens_hidden_bookkeeping_is_not_served(served: Served) -> None:
    for hidden in ("/.newsgen-output", "/.newsgen-changes.json"):
        assert (served.output / hidden.lstrip("/")).is_file()
        assert served.get(hidden).status == 404


def _one(pattern: str, output: Path) -> str:
    return "/" + next(output.glob(pattern)).relative_to(output).as_posix()


@pytest.mark.parametrize(
    "pattern", ["index.html", "assets/style.*.css", "assets/site.*.js", "feed.xml", "sitemap.xml"]
)
def test_text_is_sent_gzipped(served: Served, pattern: str) -> None:
    path = _one(pattern, served.output)
    answer = served.get(path, **{"Accept-Encoding": "gzip"})
    assert answer.getheader("Content-Encoding") == "gzip" and answer.getheader("Vary") == "Accept-Encoding"
    assert gzip.decompress(answer.body) == (served.output / path.lstrip("/")).read_bytes()  # type: ignore[attr-defined]
    assert served.get(path).getheader("Content-Encoding") is None  # only to those who ask


@pytest.mark.parametrize(
    ("pattern", "cache"),
    [
        ("index.html", "public, max-age=300"),
        ("tinh/son-la/index.html", "public, max-age=300"),
        ("feed.xml", "public, max-age=300"),
        ("tim-kiem/chi-muc/meta.json", "public, max-age=300"),  # names the index's shards
        ("assets/style.*.css", "public, max-age=31536000, immutable"),
        ("assets/counter.*.js", "public, max-age=31536000, immutable"),
        ("tim-kiem/chi-muc/s/*.json", "public, max-age=31536000, immutable"),
        ("tim-kiem/chi-muc/bai/*.json", "public, max-age=300"),
        ("images/**/*.jpg", "public, max-age=604800"),
        ("images/ANH.JPG", "public, max-age=604800"),
        ("assets/rieng.css", "public, max-age=300"),  # not hashed: may change under its name
    ],
)
def test_hashed_files_are_kept_a_year_and_pages_five_minutes(
    served: Served, pattern: str, cache: str
) -> None:
    answer = served.get(_one(pattern, served.output).removesuffix("index.html"))
    assert answer.status == 200 and answer.getheader("Cache-Control") == cache


@pytest.mark.parametrize("path", ["/", "/khong-co-trang-nay/"])
def test_security_headers_come_with_every_answer(served: Served, path: str) -> None:
    answer = served.get(path)
    policy = answer.getheader("Content-Security-Policy") or ""
    assert "default-src 'self'" in policy and "script-src 'self' https:;" in policy  # no 'wasm-unsafe-eval'
    assert "frame-src 'self' https://www.youtube-nocookie.com;" in policy  # the page's own narrows the rest
    assert "object-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert answer.getheader("X-Content-Type-Options") == "nosniff"
    assert answer.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert answer.getheader("X-Frame-Options") == "SAMEORIGIN"
    assert answer.getheader("Server") == "nginx"  # no version


def test_the_counter_counts_through_the_sites_own_host(served: Served) -> None:
    origin = served.nginx.url.rstrip("/")
    hit = json.dumps({"path": "/", "visitor": "nguoi-doc-nginx"}).encode()
    phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
    headers = {"Origin": origin, "Content-Type": "text/plain", "User-Agent": phone}  # as a browser sends
    counted = served.request("POST", "/thong-ke/hit", hit, headers)
    assert counted.status == 200 and json.loads(counted.body) == {"ok": True}  # type: ignore[attr-defined]
    stats = served.get("/thong-ke/stats", Origin=origin)
    assert json.loads(stats.body)["total"] >= 1  # type: ignore[attr-defined]
    assert stats.getheader("Cache-Control") == "no-store"  # the counter's own, and only that
    assert len(stats.headers.get_all("Cache-Control") or []) == 1
    foreign = served.request("POST", "/thong-ke/hit", hit, {**headers, "Origin": "https://khac.example"})
    assert foreign.status == 403


def test_the_unit_stops_the_counter_gracefully(tmp_path: Path) -> None:
    counter = UnitCounter(tmp_path / "counter.sqlite", free_port(), "https://tin.example.gov.vn")
    assert counter.stop() == "Đã dừng bộ đếm.\n"  # not killed halfway through a write
