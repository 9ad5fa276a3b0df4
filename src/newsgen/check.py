"""Checks of a planned site before anything is written: clashing files and broken links."""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, OutputError, Problems
from .model import Site
from .output import Output
from .render import THEME_DIR, PlannedPage
from .urls import link_targets


def check_plan(site: Site, plan: list[PlannedPage | Output], problems: Problems) -> None:
    """Record two things written to one file, and links in articles that lead nowhere."""
    origins: dict[str, str] = {}
    for item in plan:
        key = item.path.casefold()  # one file on case-insensitive disks
        if key in origins:
            problems.add(
                OutputError(
                    f"{item.origin} và {origins[key]} cùng ghi vào tệp {item.path}",
                    hint="đổi tên tệp trong static/, hoặc đặt slug: khác cho bài viết",
                )
            )
        origins.setdefault(key, item.origin)
        if isinstance(item, Output) and item.source is not None:
            _check_inside(item, (site.config.source_dir, THEME_DIR), problems)
    _check_links(site, set(origins), problems)


def _check_inside(output: Output, roots: tuple[Path, ...], problems: Problems) -> None:
    """A link in static/ to a file elsewhere (/etc/passwd) must not publish that file."""
    target = output.source.resolve() if output.source else None
    if target and not any(target.is_relative_to(root.resolve()) for root in roots):
        problems.add(
            OutputError(
                f"{output.origin} là liên kết tới {target}, ở ngoài thư mục của trang",
                hint="chép tệp đó vào static/ thay cho liên kết, nếu thật sự muốn xuất bản nó",
            )
        )


def _check_links(site: Site, paths: set[str], problems: Problems) -> None:
    """Root-relative links in articles (`/images/x.jpg`, `/tinh/dien-bien/`) must reach a file."""
    for article in site.articles:
        for url, line in article.links:
            if not any(target.casefold() in paths for target in link_targets(url)):
                problems.add(
                    ContentError(
                        f"liên kết {url} không dẫn tới trang hay tệp nào của trang web",
                        path=article.source_path,
                        line=line,
                        hint="kiểm tra đường dẫn; ảnh và tệp tải về đặt trong static/ "
                        "(static/images/a.jpg được viết là /images/a.jpg)",
                    )
                )
