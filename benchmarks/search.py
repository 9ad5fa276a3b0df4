"""The search index on a generated corpus: its size, what a query downloads, how long it takes
to make and to update.

    python benchmarks/search.py --articles 10000

Builds the corpus (search on) if it has no build yet, then prints:
- the index: files and bytes, raw and gzipped as the shipped nginx config serves them (level 6);
- for each query, what the search page loads (search.js, meta.json, the shards of its terms and
  the files of the first ten results, found by running search.js under Node), in gzipped bytes;
- the time to make the index from nothing (`SearchIndex.update` with an empty store, in this
  process, with two workers) and to update it after one article's text changed (`index_edits`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from corpus import ensure_corpus

import newsgen
from newsgen.config.settings import load_config
from newsgen.errors import Problems
from newsgen.incremental.pages import article_identity
from newsgen.outputs.search import FOLDER, SearchIndex, document_key, index_edits
from newsgen.site.model import build_site
from newsgen.sources.load import load_sources
from newsgen.state.bodies import Bodies
from newsgen.state.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "src/newsgen/theme/static/search.js"
RUN_JS = ROOT / "tests/search/run.js"
QUERIES = ["dien bien", "chuyen doi so", "Điện Biên", "thi dua nong thon moi", "cap quang"]


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def index_size(index: Path) -> None:
    files = [path for path in index.rglob("*") if path.is_file()]
    raw = sum(path.stat().st_size for path in files)
    packed = sum(gzipped(path.read_bytes()) for path in files)
    shards = [path for path in files if path.parent.name == "s"]
    sizes = sorted(gzipped(path.read_bytes()) for path in shards)
    print(f"index: {len(files):,} files, {raw / 1e6:.1f} MB ({packed / 1e6:.1f} MB gzipped)")
    print(f"  meta.json {gzipped((index / 'meta.json').read_bytes()) / 1e3:.1f} kB gzipped")
    print(
        f"  {len(shards):,} shards: median {statistics.median(sizes) / 1e3:.1f} kB, "
        f"largest {sizes[-1] / 1e3:.1f} kB gzipped"
    )


def bytes_per_query(index: Path) -> None:
    request = {"index": str(index), "queries": [[query, {}] for query in QUERIES], "loads": True}
    ran = subprocess.run(
        ["node", str(RUN_JS), str(SEARCH_JS)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    script = gzipped(SEARCH_JS.read_bytes())
    for query, found in zip(QUERIES, json.loads(ran.stdout)["results"], strict=True):
        files = ["meta.json", *found["loaded"], *(f"bai/{id_}.json" for id_ in found["ids"][:10])]
        total = script + sum(gzipped((index / name).read_bytes()) for name in files)
        print(
            f"  {query!r:26} {len(found['ids']):6,} results, {len(found['loaded'])} shards, "
            f"{total / 1e3:6.1f} kB with the script"
        )


def timings(corpus: Path) -> None:
    config = load_config(corpus)
    with tempfile.TemporaryDirectory() as scratch:
        store = Store.open(Path(scratch), config.output_dir)
        problems, bodies = Problems(), Bodies(store)
        sources = load_sources(config, problems, 2, None, bodies=bodies)
        site = build_site(config, sources, datetime.now(UTC), problems, bodies)

        def key(article: newsgen.Article) -> str:
            return document_key(article_identity(article), article.body.digest)

        started = time.perf_counter()
        index = SearchIndex(config, store, 2)
        index.update(site.articles, key, site)
        index.published()  # as a build does once its files are in the output
        print(f"made from nothing: {time.perf_counter() - started:.2f} s ({len(site.articles):,} articles)")
        middle = site.articles[len(site.articles) // 2]
        edited = replace(middle, title=middle.title + " đã sửa")
        started = time.perf_counter()
        assert index_edits(config, store, [edited], key, {}) is not None, "the index was not updated"
        print(f"one article edited (its title): {time.perf_counter() - started:.3f} s")
        store.finish()


def built_corpus(description: str) -> tuple[Path, int]:
    """The corpus the command line names (--articles, --corpus), built with its search index."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.corpus or Path(f"/tmp/newsgen-bench-{args.articles}")
    ensure_corpus(corpus, args.articles)
    if not (corpus / "build" / FOLDER / "meta.json").is_file():
        newsgen.build(corpus, jobs=2)
    return corpus, args.articles


def main() -> None:
    corpus, articles = built_corpus(__doc__.splitlines()[0])
    index = corpus / "build" / FOLDER
    if shutil.which("node") is None:
        sys.exit("needs Node, to run search.js")
    print(f"newsgen search, {articles:,} articles")
    index_size(index)
    print("what a query loads (gzipped):")
    bytes_per_query(index)
    timings(corpus)


if __name__ == "__main__":
    main()
