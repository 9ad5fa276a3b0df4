"""Time `newsgen serve` on a generated corpus: from saving a file to the open tab's signal to reload.

    python benchmarks/serve.py --articles 10000 --edits 10

A LiveReload client stays connected, as a browser tab would. Each edit is written, the time to the
reload message is taken, then the page is fetched to check that it shows the change. Figures are
the median and the slowest of --edits edits of each kind.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml
from corpus import ensure_corpus
from tornado.websocket import WebSocketClientConnection, websocket_connect

from newsgen.config.settings import load_config
from newsgen.site.urls import article_url
from newsgen.text.vietnamese import slugify


async def time_reloads(
    url: str, edits: list[tuple[Callable[[], None], str, str]], restore: Callable[[], None]
) -> list[float]:
    """Seconds from each edit to the reload message; each page checked for its expected text.
    Then `restore()`, and its rebuild waited for."""
    client = await websocket_connect(url.replace("http://", "ws://") + "livereload")
    await client.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    await client.read_message()
    await client.write_message(json.dumps({"command": "info", "url": url, "plugins": {}}))
    await asyncio.sleep(0.5)
    seconds = []
    for make, page, expected in edits:
        started = time.perf_counter()
        make()
        await _reload_message(client)
        seconds.append(time.perf_counter() - started)
        with urllib.request.urlopen(url + page) as response:
            body = response.read().decode()
        assert expected in body, f"{page} does not show {expected!r}"
        await asyncio.sleep(0.3)  # as an editor would: not two saves within a blink
    restore()
    await _reload_message(client)
    client.close()
    return seconds


async def _reload_message(client: WebSocketClientConnection) -> None:
    while True:
        message = json.loads(await asyncio.wait_for(client.read_message(), 120) or "{}")
        if message.get("command") == "reload":
            return


PROTOCOL = "http://livereload.com/protocols/official-7"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=None, help="where to generate the corpus")
    parser.add_argument("--verbose", action="store_true", help="print what the server printed")
    args = parser.parse_args()
    corpus = args.corpus or Path(f"/tmp/newsgen-bench-serve-{args.articles}")
    ensure_corpus(corpus, args.articles)
    articles = sorted((corpus / "content").rglob("*.md"))[: args.edits]
    originals = {path: path.read_text(encoding="utf-8") for path in articles}

    def restore() -> None:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")

    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "serve", "--source", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        url = ""
        assert server.stdout is not None
        for line in server.stdout:
            found = re.search(r"Xem thử tại (http://\S+/)", line)
            if found:
                url = found.group(1)
                break
        print(f"newsgen serve, {args.articles:,} articles: ready in {time.perf_counter() - started:.1f} s")
        printed: list[str] = []
        threading.Thread(target=lambda: printed.extend(server.stdout or ()), daemon=True).start()

        def body_edit(path: Path, number: int) -> tuple[Callable[[], None], str, str]:
            added = f"Đoạn thêm số {number} khi xem thử."
            text = originals[path] + f"\n{added}\n"
            return lambda: path.write_text(text, encoding="utf-8"), page_of(corpus, text), added

        def title_edit(path: Path, number: int) -> tuple[Callable[[], None], str, str]:
            text = re.sub(r'^title: "', f'title: "Sửa {number}: ', originals[path], count=1, flags=re.M)
            return lambda: path.write_text(text, encoding="utf-8"), page_of(corpus, text), f"Sửa {number}: "

        kinds = {
            # The preview's first build rewrote every page if its port changed (the pages name
            # it), and the builder then brings its spare folder up to date, for seconds, unless a
            # save comes first: this save does, and takes its part of that work.
            "first save, 0.5 s after the preview is ready": [body_edit(articles[-1], len(articles))],
            "one article's text edited": [body_edit(path, n) for n, path in enumerate(articles)],
            "one article's title edited (its address too)": [
                title_edit(path, n) for n, path in enumerate(articles)
            ],
        }
        for kind, edits in kinds.items():
            seconds = asyncio.run(time_reloads(url, edits, restore))
            print(
                f"{kind:<46} median {statistics.median(seconds):.2f} s, slowest {max(seconds):.2f} s "
                f"({len(seconds)} edits)"
            )
        if args.verbose:
            print("newsgen serve printed:", *printed, sep="\n  ", end="")
    finally:
        server.terminate()
        server.wait()
        restore()


def page_of(corpus: Path, text: str) -> str:
    """The address of the page of the article that `text` is, below the site's root."""
    front = yaml.safe_load(text.split("---\n")[1])
    date = datetime.fromisoformat(str(front["date"]))
    return article_url(load_config(corpus), date, slugify(front["title"])).lstrip("/")


if __name__ == "__main__":
    main()
