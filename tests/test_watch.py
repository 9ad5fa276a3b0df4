"""`watch_site`: what wakes the preview up, and what does not."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from conftest import SiteDir
from newsgen.watch import watch_site


def changes_after(root: Path, change: object) -> set[str]:
    """Everything `watch_site` reports within a second of `change()`."""
    stop = threading.Event()
    seen: set[str] = set()
    ticks = watch_site(root, stop, tick=0.1)
    next(ticks)  # watching now
    change()  # type: ignore[operator]
    deadline = time.monotonic() + 1
    for paths in ticks:
        seen |= paths
        if time.monotonic() > deadline:
            stop.set()
    return seen


def test_an_edited_article_is_reported_and_an_editors_passing_file_is_not(site: SiteDir) -> None:
    article = site.article("bai")

    def edit() -> None:
        scratch = site.root / "content/.bai.md.tmp"
        scratch.write_text("nháp của trình soạn thảo", encoding="utf-8")
        scratch.unlink()
        article.write_text(article.read_text(encoding="utf-8") + "Thêm.\n", encoding="utf-8")

    assert changes_after(site.root, edit) == {str(article)}


def test_newsgen_yaml_and_a_new_templates_folder_are_reported(site: SiteDir) -> None:
    site.article("bai")
    reported = changes_after(site.root, lambda: site.config("site_name: Cổng tin\n"))
    assert reported == {str(site.root / "newsgen.yaml")}
    reported = changes_after(site.root, lambda: site.write("templates/base.html", "x"))
    assert reported  # the folder came: what is in it is watched from then on
    later = changes_after(site.root, lambda: site.write("templates/base.html", "y"))
    assert later == {str(site.root / "templates/base.html")}


def test_the_output_and_the_cache_are_not_watched(site: SiteDir) -> None:
    site.article("bai")

    def build_output() -> None:
        site.write("build/index.html", "x")
        site.write(".newsgen-cache/serve/index.html", "x")

    assert changes_after(site.root, build_output) == set()
