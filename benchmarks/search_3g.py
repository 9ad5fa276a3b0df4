"""The search page on a slow mobile connection: Debian's Chromium, the built corpus served by the
shipped nginx config (gzip on), the network throttled to 400 kbit/s with 400 ms of latency.

    python benchmarks/search_3g.py --articles 10000

For each query, from an empty cache: the seconds from opening `/tim-kiem/?q=…` to the first
results on screen, and the bytes transferred (compressed) for the search script and the index;
then the seconds for a second query typed into the page's form (the page, the script and
meta.json are in the browser's cache: what it waits for is the shards and the articles).
Needs nginx and Playwright (tests/browser's setup, see .ci/run).
"""

from __future__ import annotations

import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

from search import built_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from nginx_server import NginxSite, free_port  # noqa: E402

QUERIES = ["dien bien", "chuyen doi so", "cap quang"]
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}


def main() -> None:
    corpus, articles = built_corpus(__doc__.splitlines()[0])
    print(f"search page on slow 3G (400 kbit/s, 400 ms), {articles:,} articles")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        nginx = NginxSite(corpus / "build", free_port(), Path(folder))
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        )
        try:
            for query in QUERIES:
                context = browser.new_context(viewport={"width": 390, "height": 844})  # an empty cache
                page = context.new_page()
                session = context.new_cdp_session(page)
                session.send("Network.enable")
                session.send("Network.emulateNetworkConditions", SLOW_3G)
                sizes: dict[str, int] = {}
                urls: dict[str, str] = {}

                def received(event: dict, urls: dict[str, str] = urls) -> None:
                    urls[event["requestId"]] = event["response"]["url"]

                def finished(event: dict, sizes: dict[str, int] = sizes) -> None:
                    sizes[event["requestId"]] = int(event["encodedDataLength"])

                session.on("Network.responseReceived", received)
                session.on("Network.loadingFinished", finished)
                started = time.perf_counter()
                page.goto(f"{nginx.url}tim-kiem/?q={urllib.parse.quote_plus(query)}")
                page.wait_for_selector(".search-title", timeout=60_000)
                seconds = time.perf_counter() - started
                search = sum(
                    size
                    for request, size in sizes.items()
                    if "/tim-kiem/chi-muc/" in urls.get(request, "")
                    or "/assets/search." in urls.get(request, "")
                )
                total = sum(sizes.values())
                print(
                    f"  {query!r:18} results after {seconds:4.1f} s; search {search / 1e3:5.1f} kB, "
                    f"whole page {total / 1e3:5.1f} kB transferred"
                )
                # Then another query, typed into the search page's form as a reader would next.
                started = time.perf_counter()
                page.locator(".search-form input[name=q]").fill(query + " xa")
                with page.expect_navigation():
                    page.locator(".search-form button[type=submit]").click()
                page.wait_for_selector(".search-title", timeout=60_000)
                again = time.perf_counter() - started
                print(f"  {query + ' xa'!r:18} then after {again:4.1f} s (typed in the page, rest cached)")
                context.close()
        finally:
            browser.close()
            nginx.stop()


if __name__ == "__main__":
    main()
