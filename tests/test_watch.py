"""`watch_site`: what wakes the preview up, and what does not."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import SiteDir
from newsgen.serve.watch import watch_site


class Watching:
    """`watch_site` running over a site; `after(change)` is all it reports within a second."""

    def __init__(self, root: Path) -> None:
        self.stop = threading.Event()
        self.ticks = watch_site(root, self.stop, tick=0.1)
        next(self.ticks)  # watching now

    def after(self, change: Callable[[], object]) -> set[str]:
        change()
        seen: set[str] = set()
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            seen |= next(self.ticks)
        return seen


@pytest.fixture
def watching(site: SiteDir) -> Iterator[Watching]:
    site.article("bai")
    running = Watching(site.root)
    yield running
    running.stop.set()
    for _tick in running.ticks:
        pass


def test_an_edited_article_is_reported_and_an_editors_passing_file_is_not(
    site: SiteDir, watching: Watching
) -> None:
    article = site.root / "content/bai.md"

    def edit() -> None:
        scratch = site.root / "content/.bai.md.tmp"
        scratch.write_text("nháp của trình soạn thảo", encoding="utf-8")
        scratch.unlink()
        article.write_text(article.read_text(encoding="utf-8") + "Thêm.\n", encoding="utf-8")

    assert watching.after(edit) == {str(article)}


def test_a_save_that_renames_a_new_file_over_the_article_is_reported(
    site: SiteDir, watching: Watching
) -> None:
    """As vim and git do: the old file goes, a new one takes its name."""
    article = site.root / "content/bai.md"

    def save_by_rename() -> None:
        article.unlink()
        fresh = site.root / "content/bai.md.new"
        fresh.write_text("---\ntitle: Bài\ndate: 2023-02-20\n---\nMới.\n", encoding="utf-8")
        os.replace(fresh, article)

    assert str(article) in watching.after(save_by_rename)


def test_newsgen_yaml_and_a_new_templates_folder_are_reported(site: SiteDir, watching: Watching) -> None:
    assert watching.after(lambda: site.config("site_name: Cổng tin\n")) == {str(site.root / "newsgen.yaml")}
    assert watching.after(lambda: site.write("templates/base.html", "x"))  # the folder came
    later = watching.after(lambda: site.write("templates/base.html", "y"))
    assert later == {str(site.root / "templates/base.html")}  # what is in it is watched from then on


def test_a_folder_deleted_and_made_again_is_watched_again(site: SiteDir, watching: Watching) -> None:
    def replace_content() -> None:
        shutil.rmtree(site.root / "content")
        site.article("bai", "Viết lại.\n")

    assert watching.after(replace_content)
    assert watching.after(lambda: site.article("bai", "Sửa nữa.\n")) == {str(site.root / "content/bai.md")}


def test_the_output_and_the_cache_are_not_watched(site: SiteDir, watching: Watching) -> None:
    def build_output() -> None:
        site.write("build/index.html", "x")
        site.write(".newsgen-cache/serve/index.html", "x")

    assert watching.after(build_output) == set()
