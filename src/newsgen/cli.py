"""The `newsgen` command: parses options, calls one function, prints the outcome."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import build
from .errors import BuildFailed, NewsgenError, UsageError
from .vietnamese import format_number

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except NewsgenError as error:
        return _report(error)
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="Dựng trang tin tức tĩnh từ các bài viết Markdown."
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="LỆNH")

    build_parser = verbs.add_parser(
        "build", help="dựng trang vào thư mục build/", description="Dựng trang tĩnh từ content/ vào build/."
    )
    build_parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        metavar="THƯ_MỤC",
        help="thư mục của trang (mặc định: thư mục hiện tại)",
    )
    build_parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="nơi ghi trang (mặc định: build/ trong thư mục của trang)",
    )
    build_parser.add_argument(
        "--drafts", action="store_true", help="dựng cả bản nháp và bài hẹn giờ đăng sau"
    )
    build_parser.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="địa chỉ gốc của trang, ví dụ https://stttt.dienbien.gov.vn/",
    )
    build_parser.set_defaults(run=_build)
    return parser


def _build(args: argparse.Namespace) -> int:
    report = build(args.source, output_dir=args.output, base_url=args.base_url, drafts=args.drafts)
    for warning in report.warnings:
        print(f"Lưu ý: {warning}", file=sys.stderr)
    seconds = format_number(report.seconds, 2)
    shown = os.path.relpath(report.output_dir)
    print(
        f"Đã dựng {format_number(report.articles)} bài viết, {format_number(report.pages)} trang "
        f"({format_number(report.files)} tệp) trong {seconds} giây → {shown}"
    )
    return EXIT_OK


def _report(error: NewsgenError) -> int:
    problems = error.problems if isinstance(error, BuildFailed) else [error]
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(
        f"Không dựng được trang: {count} lỗi. Trang đã dựng lần trước (nếu có) vẫn giữ nguyên.",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS
