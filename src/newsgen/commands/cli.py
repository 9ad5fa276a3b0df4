"""The `newsgen` command: parses options, calls one function, prints the outcome."""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import gc
import gettext
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..build import build
from ..config.settings import CONFIG_FILE, load_config
from ..errors import BuildFailed, ContentError, NewsgenError, UsageError
from ..publish import publish, rollback
from ..report import BuildReport
from ..text.vietnamese import format_date, format_datetime, format_number
from ..version import __version__
from .crash import report_bug

if TYPE_CHECKING:
    from ..serve.server import Outcome

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def run() -> NoReturn:
    """The `newsgen` command. It exits without freeing, one by one, the hundreds of thousands of
    objects a build leaves: that took a third of a second after a 10,000-article build."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    with _argparse_in_vietnamese():
        parser = _parser()
        args = parser.parse_args(argv)
        if args.verb is None:
            parser.print_help()
            return EXIT_USAGE
    if getattr(args, "source", "") is None:  # init makes a site where it is run; others find it
        args.source = Path(".") if args.verb == "init" else site_root(Path.cwd())
    try:
        return int(args.run(args))
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except NewsgenError as error:
        return _report(error, args)
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a bug: one line and a saved traceback, not a dump
        return report_bug(error, list(sys.argv[1:] if argv is None else argv))


LOCALE_DIR = Path(__file__).parent.parent / "locale"
_DOMAIN = "newsgen"  # locale/vi/LC_MESSAGES/newsgen.po, compiled to newsgen.mo


@contextlib.contextmanager
def _argparse_in_vietnamese() -> Iterator[None]:
    """argparse asks gettext for every message it makes (help headings, usage errors), and gettext is
    set for the whole process: `textdomain` names the catalogue, the environment (LANGUAGE first) the
    language. While the command line is read they name newsgen's Vietnamese catalogue, whatever the
    user's LANG; then both are put back, so that the command runs with the user's own settings."""
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(_DOMAIN, os.fspath(LOCALE_DIR))
    gettext.textdomain(_DOMAIN)
    os.environ["LANGUAGE"] = "vi"
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="Tạo trang web tin tức từ các bài viết Markdown."
    )
    parser.add_argument(
        "--version", action="version", version=f"newsgen {__version__}", help="hiện phiên bản rồi thoát"
    )
    # a title gives the verbs a section of their own, "lệnh:", apart from the "tham số:" of init and new
    verbs = parser.add_subparsers(title="lệnh", dest="verb", metavar="LỆNH")

    build_parser = verbs.add_parser(
        "build",
        help="tạo trang web trong thư mục build/",
        description="Tạo trang web từ content/ vào build/.",
    )
    _add_source(build_parser)
    build_parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="nơi ghi trang (mặc định: build/ trong thư mục của trang)",
    )
    build_parser.add_argument("--drafts", action="store_true", help="tạo cả các bản nháp (draft: true)")
    build_parser.add_argument("--future", action="store_true", help="tạo cả các bài hẹn giờ đăng sau")
    build_parser.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="địa chỉ gốc của trang, ví dụ https://stttt.dienbien.gov.vn/",
    )
    _add_jobs(build_parser)
    build_parser.set_defaults(run=_build)

    init_parser = verbs.add_parser(
        "init",
        help="tạo một trang mới",
        description="Tạo newsgen.yaml, một bài mẫu, templates/, static/ và .gitignore; không ghi đè tệp nào.",
    )
    init_parser.add_argument(
        "folder", nargs="?", type=Path, default=None, metavar="THƯ_MỤC", help="mặc định: --source"
    )
    _add_source(init_parser)
    init_parser.set_defaults(run=_init)

    check_parser = verbs.add_parser(
        "check",
        help="kiểm tra trang mà không ghi gì",
        description="Tìm mọi lỗi mà newsgen build sẽ gặp, và thêm: ảnh thiếu mô tả, bài chưa có tỉnh, "
        "đường dẫn trùng nhau. Không ghi tệp nào.",
    )
    _add_source(check_parser)
    check_parser.add_argument("--strict", action="store_true", help="coi các lưu ý cũng là lỗi")
    check_parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="json: một đối tượng cho mỗi vấn đề, cho CI",
    )
    check_parser.add_argument("--drafts", action="store_true", help="kiểm tra cả các bản nháp")
    check_parser.add_argument("--future", action="store_true", help="kiểm tra cả các bài hẹn giờ")
    _add_jobs(check_parser)
    check_parser.set_defaults(run=_check)

    serve_parser = verbs.add_parser(
        "serve",
        help="xem thử trang web trong trình duyệt, tự tạo lại khi sửa",
        description="Tạo trang web, mở một máy chủ xem thử và tạo lại mỗi khi content/, templates/, static/ "
        'hay newsgen.yaml thay đổi; các tab đang mở tự tải lại. Bản nháp được hiện, có nhãn "Bản nháp". '
        "Trang xem thử nằm riêng trong .newsgen-cache/serve/, không đụng tới build/.",
    )
    _add_source(serve_parser)
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này xem được)"
    )
    serve_parser.add_argument(
        "--port", type=_port, default=8000, help="cổng (mặc định 8000; 0: một cổng còn trống bất kỳ)"
    )
    serve_parser.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="hiện các bản nháp (mặc định có; --no-drafts để xem như trang sẽ đăng)",
    )
    serve_parser.add_argument("--future", action="store_true", help="hiện cả các bài hẹn giờ đăng sau")
    _add_jobs(serve_parser)
    serve_parser.set_defaults(run=_serve)

    counter_parser = verbs.add_parser(
        "counter",
        help="bộ đếm truy cập cho khối Thống kê truy cập",
        description="Dịch vụ đếm lượt truy cập (Đang online · Hôm nay · Trong tuần · Tất cả) cho trang tĩnh.",
    )
    counter_verbs = counter_parser.add_subparsers(
        title="lệnh", dest="counter_verb", metavar="LỆNH", required=True
    )
    counter_serve = counter_verbs.add_parser(
        "serve",
        help="chạy dịch vụ đếm",
        description="Chạy dịch vụ đếm: POST /hit ghi một lượt xem, GET /stats trả các số đếm. "
        "Lượt xem lưu trong một tệp SQLite; không dùng cookie, không lưu địa chỉ IP.",
    )
    counter_serve.add_argument(
        "--db", type=Path, default=Path("counter.sqlite"), help="tệp lưu số đếm (mặc định counter.sqlite)"
    )
    counter_serve.add_argument("--host", default="127.0.0.1", help="địa chỉ nghe (mặc định 127.0.0.1)")
    counter_serve.add_argument(
        "--port", type=_port, default=8001, help="cổng (mặc định 8001; 0: cổng trống bất kỳ)"
    )
    counter_serve.add_argument(
        "--origin",
        action="append",
        default=[],
        help="địa chỉ trang được gửi lượt xem, ví dụ https://stttt.dienbien.gov.vn (lặp lại được); "
        "trang cùng địa chỉ với dịch vụ luôn được phép",
    )
    counter_serve.add_argument(
        "--offset",
        type=_non_negative,
        default=0,
        help="số lượt đã có từ cổng cũ, cộng vào Tất cả (mặc định 0)",
    )
    counter_serve.set_defaults(run=_counter_serve)

    new_parser = verbs.add_parser(
        "new",
        help="tạo một bài viết hay một văn bản mới (bản nháp)",
        description="Tạo content/articles/NĂM/THÁNG/<tên-bài>.md với phần thông tin đầu bài đã điền sẵn; "
        'với --van-ban "Trích yếu" --so "125/QĐ-UBND" --loai "Quyết định": '
        "tạo content/van-ban/125-qd-ubnd.md.",
    )
    new_parser.add_argument(
        "title", nargs="?", metavar="TIÊU_ĐỀ", help='tiêu đề bài, trong ngoặc kép: "Tiêu đề bài viết"'
    )
    new_parser.add_argument(
        "--van-ban", metavar="TRÍCH_YẾU", help="tạo một văn bản với trích yếu này, thay cho bài viết"
    )
    new_parser.add_argument(
        "--so", default="", metavar="SỐ_KÝ_HIỆU", help='số ký hiệu của văn bản, ví dụ "125/QĐ-UBND"'
    )
    new_parser.add_argument(
        "--loai", default="", metavar="LOẠI", help='loại văn bản, ví dụ "Quyết định" hay "QĐ"'
    )
    new_parser.add_argument("--co-quan", default="", metavar="CƠ_QUAN", help="cơ quan ban hành văn bản")
    new_parser.add_argument(
        "--ngay",
        default="",
        metavar="NGÀY",
        help='ngày đăng bài, hoặc ngày ban hành văn bản, ví dụ "20/02/2023 08:30" (mặc định: bây giờ)',
    )
    new_parser.add_argument(
        "--province", action="append", default=[], metavar="TỈNH", help="tỉnh của bài (có thể lặp lại)"
    )
    new_parser.add_argument(
        "--theme", action="append", default=[], metavar="CHỦ_ĐỀ", help="chủ đề thi đua (có thể lặp lại)"
    )
    _add_source(new_parser)
    new_parser.set_defaults(run=_new)

    publish_parser = verbs.add_parser(
        "publish",
        help="xuất bản trang web đã tạo lên máy chủ riêng, đổi bản một cách nguyên vẹn",
        description="Chép trang web đã tạo vào THƯ_MỤC/releases/<thời điểm>/ rồi chuyển liên kết "
        "THƯ_MỤC/current sang bản mới trong một bước; nginx phục vụ root THƯ_MỤC/current;. "
        "Bản trước vẫn giữ để quay lại (newsgen rollback).",
    )
    _add_to(publish_parser)
    _add_source(publish_parser)
    publish_parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="trang web đã tạo cần xuất bản (mặc định: build/ trong thư mục của trang)",
    )
    publish_parser.add_argument(
        "--keep",
        type=_positive,
        default=5,
        metavar="N",
        help="số bản gần nhất được giữ (mặc định 5); bản đang chạy và bản trước nó không bao giờ bị xóa",
    )
    publish_parser.set_defaults(run=_publish)

    rollback_parser = verbs.add_parser(
        "rollback",
        help="quay lại bản đã xuất bản trước đó",
        description="Chuyển THƯ_MỤC/current về bản đã chạy trước bản đang chạy (THƯ_MỤC/previous), "
        "trong một bước; chạy lại lần nữa thì trở về bản vừa rời.",
    )
    _add_to(rollback_parser)
    rollback_parser.set_defaults(run=_rollback, source=Path("."))
    return parser


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="thư mục của trang (mặc định: thư mục hiện tại, hay thư mục trên nó có newsgen.yaml)",
    )


def _check(args: argparse.Namespace) -> int:
    from ..outputs.check import INFORMATION, check_site  # here: a build need not load it

    problems = check_site(args.source, drafts=args.drafts, future=args.future, jobs=args.jobs)
    found = [("error", problem) for problem in problems.items]
    found += [
        ("error" if args.strict and problem.code not in INFORMATION else "warning", problem)
        for problem in problems.warnings
    ]
    if args.format == "json":
        print(
            json.dumps([_as_json(level, problem) for level, problem in found], ensure_ascii=False, indent=1)
        )
    else:
        for level, problem in found:
            print(f"{'Lỗi' if level == 'error' else 'Lưu ý'}: {_located(problem, args.source)}")
        errors = sum(1 for level, _problem in found if level == "error")
        print(f"Kiểm tra xong: {format_number(errors)} lỗi, {format_number(len(found) - errors)} lưu ý.")
    return EXIT_PROBLEMS if any(level == "error" for level, _problem in found) else EXIT_OK


def _as_json(level: str, problem: NewsgenError) -> dict[str, Any]:
    return {
        "file": problem.path,
        "line": problem.line,
        "level": level,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


def _init(args: argparse.Namespace) -> int:
    from .scaffold import CI_FILES, GUIDE, init_site, newsgen_requirement  # here: a build need not load it

    folder = args.folder if args.folder is not None else args.source
    written, left_alone = init_site(folder)
    for name in written:
        print(f"Đã tạo {_shown_path(folder / name)}")
    for name in left_alone:
        print(f"Đã có, để nguyên: {_shown_path(folder / name)}")
    package = newsgen_requirement()
    if any(name in CI_FILES for name in written) and "@" not in package:
        print(
            f"Lưu ý: tệp CI cài newsgen bằng NEWSGEN_PACKAGE: {package}. Nếu kho gói của bạn không có "
            "bản này, sửa dòng đó thành địa chỉ Git của newsgen (newsgen @ git+https://…/newsgen.git@v…)"
        )
    if written:
        print(
            'Tiếp theo: sửa newsgen.yaml, viết bài (newsgen new "Tiêu đề"), xem thử (newsgen serve), '
            "rồi tạo trang web (newsgen build)."
        )
        guide = folder / GUIDE
        if guide.is_file():
            print(f"Hướng dẫn cho biên tập viên, từ cài đặt đến đăng bài: {_shown_path(guide)}")
        if folder.resolve() != Path.cwd().resolve():  # the last line: what to type first
            print(f"Trước hết, vào thư mục của trang: cd {_quoted(_shown_path(folder))}")
    return EXIT_OK


def site_root(here: Path) -> Path:
    """The site `here` is in, as git finds its repository: this folder if it has a content/
    folder, else the nearest folder, this one or one above, with a newsgen.yaml (`newsgen build`
    run in content/articles/ builds the site; not another tool's project above with a content/);
    this folder if none has."""
    if (here / "content").is_dir():
        return Path(".")
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return Path(os.path.relpath(folder, here))
    return Path(".")


def _quoted(path: str) -> str:
    """`path` as a shell takes it: in quotes if it holds a space ("Trang mới")."""
    return f'"{path}"' if any(char.isspace() for char in path) else path


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="số tiến trình song song (mặc định: số nhân CPU)",
    )


def _new(args: argparse.Namespace) -> int:
    from ..sources.content import parse_moment
    from .scaffold import new_article, new_document  # here: a build need not load it

    now = datetime.now(UTC)
    if args.ngay:
        timezone = load_config(args.source).timezone
        try:
            now = parse_moment(args.ngay, timezone)
        except ContentError as error:
            raise UsageError(error.message, path="--ngay", hint=error.hint) from None
    if args.van_ban is not None:
        if args.title is not None:
            raise UsageError(
                f'vừa có tiêu đề "{args.title}" vừa có --van-ban',
                hint='một văn bản chỉ cần trích yếu: newsgen new --van-ban "Trích yếu" --so … --loai …',
            )
        config = load_config(args.source)
        path = new_document(
            config, args.van_ban, args.so, args.loai, args.co_quan, args.province, args.theme, now
        )
        print(f"Đã tạo văn bản nháp {_shown_path(path)}")
        return EXIT_OK
    for option, value in (("--so", args.so), ("--loai", args.loai), ("--co-quan", args.co_quan)):
        if value:
            raise UsageError(
                f"{option} chỉ dùng khi tạo văn bản", hint=f'thêm --van-ban "Trích yếu", hoặc bỏ {option}'
            )
    if args.title is None:
        raise UsageError(
            "thiếu tiêu đề bài viết", hint='ví dụ newsgen new "Điện Biên đẩy mạnh chuyển đổi số"'
        )
    path = new_article(load_config(args.source), args.title, args.province, args.theme, now)
    print(f"Đã tạo bài nháp {_shown_path(path)}")
    return EXIT_OK


def _add_to(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        type=Path,
        required=True,
        metavar="THƯ_MỤC",
        help="thư mục xuất bản trên máy chủ, ví dụ /var/www/tin (nginx: root /var/www/tin/current;)",
    )


def _publish(args: argparse.Namespace) -> int:
    try:
        done = publish(args.source, args.to, output_dir=args.output, keep=args.keep)
    except UsageError:
        raise
    except NewsgenError as error:
        return _report_deploy(error, args.source, "Không xuất bản được")
    target = _shown_path(done.target)
    removed = f", đã xóa {format_number(len(done.removed))} bản cũ" if done.removed else ""
    back = f", quay lại bản trước: newsgen rollback --to {target}" if done.was_live else ""
    print(
        f"Đã xuất bản bản {done.release} vào {target} (current → releases/{done.release}); "
        f"giữ {format_number(args.keep)} bản{removed}{back}"
    )
    return EXIT_OK


def _rollback(args: argparse.Namespace) -> int:
    try:
        left, live = rollback(args.to)
    except UsageError:
        raise
    except NewsgenError as error:
        return _report_deploy(error, args.source, "Không quay lại được")
    print(
        f"Đã quay lại bản {live}: {_shown_path(args.to)}/current → releases/{live} "
        f"(bản {left} vẫn còn trong releases/)"
    )
    return EXIT_OK


def _report_deploy(error: NewsgenError, source: Path, what: str) -> int:
    """A publish or rollback that failed: the problem, then that the live site is as it was."""
    problems = error.problems if isinstance(error, BuildFailed) else [error]
    for problem in problems:
        print(_located(problem, source), file=sys.stderr)
    print(f"{what}: {len(problems)} lỗi. Bản đang chạy (current) vẫn giữ nguyên.", file=sys.stderr)
    return EXIT_PROBLEMS


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"cần một số cổng từ 0 đến 65535, không phải {text!r}")
    return int(text)


def _non_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(
            f"cần một số từ 0 trở lên, viết liền không dấu chấm (ví dụ 82744821), không phải {text!r}"
        )
    if len(text) > 15:  # beyond what a page's script can show exactly (2^53)
        raise argparse.ArgumentTypeError(f"số {text} quá lớn; số lượt của cổng cũ có tối đa 15 chữ số")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, không phải {text!r}")
    return int(text)


def _build(args: argparse.Namespace) -> int:
    progress = _TerminalProgress() if sys.stderr.isatty() else None
    # A build is one short run over tens of thousands of long-lived objects: the cycle collector
    # would walk them again and again (a tenth of a warm build) to free next to nothing.
    gc.disable()
    try:
        report = build(
            args.source,
            output_dir=args.output,
            base_url=args.base_url,
            drafts=args.drafts,
            future=args.future,
            jobs=args.jobs,
            progress=progress,
        )
    finally:
        gc.enable()
        if progress is not None:
            progress.clear()
    for warning in report.warnings:
        print(f"Lưu ý: {_located(warning, args.source)}", file=sys.stderr)
    changed, removed = format_number(report.changed), format_number(report.removed)
    print(
        f"Đã tạo trang web: {format_number(report.articles)} bài viết, {format_number(report.pages)} trang "
        f"({changed} tệp mới hoặc thay đổi, {removed} tệp bị xóa), "
        f"lưu ở thư mục {_shown_path(report.output_dir)}/, trong {format_number(report.seconds, 2)} giây."
    )
    held = _held_back(report)
    if held:
        print(held)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    def ready(url: str) -> None:
        print(f"Xem thử tại {url} — sửa bài rồi lưu, trang tự tải lại. Dừng: Ctrl-C.", flush=True)

    from ..serve.server import serve_site

    with contextlib.suppress(KeyboardInterrupt):  # how a preview is meant to stop
        serve_site(
            args.source,
            host=args.host,
            port=args.port,
            drafts=args.drafts,
            future=args.future,
            jobs=args.jobs,
            on_ready=ready,
            on_build=functools.partial(_print_preview_build, args.source),
        )
    print("Đã dừng xem thử.", flush=True)
    return EXIT_OK


def _counter_serve(args: argparse.Namespace) -> int:
    from ..counter.server import serve_counter

    def ready(url: str) -> None:
        print(f"Bộ đếm truy cập chạy tại {url} (POST /hit, GET /stats). Dừng: Ctrl-C.", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        serve_counter(args.db, args.host, args.port, args.origin, args.offset, ready)
    print("Đã dừng bộ đếm.", flush=True)
    return EXIT_OK


def _print_preview_build(source: Path, outcome: Outcome) -> None:
    """One build of `newsgen serve`: what changed, then what came of it."""
    clock = time.strftime("%H:%M:%S")
    if outcome.changed:
        changed = ", ".join(outcome.changed[:3]) + (" …" if len(outcome.changed) > 3 else "")
        print(f"{clock} Đã đổi: {changed}", flush=True)
    report = outcome.report
    if outcome.crash:
        print(f"{clock} newsgen gặp lỗi khi tạo trang web (hãy báo lại):\n{outcome.crash}", file=sys.stderr)
    elif report is None:
        for problem in outcome.problems:
            print(_located(problem, source), file=sys.stderr)
        print(
            f"{clock} Chưa tạo được trang web vì có {format_number(len(outcome.problems))} lỗi; trình duyệt "
            "cũng hiện các lỗi này. Sửa rồi lưu tệp: trang web sẽ tự tạo lại.",
            file=sys.stderr,
            flush=True,
        )
    else:
        for warning in report.warnings:
            print(f"Lưu ý: {_located(warning, source)}", file=sys.stderr)
        if outcome.recovered:
            print(f"{clock} Đã hết lỗi: trang web đã được tạo lại.", flush=True)
        changed, removed = format_number(report.changed), format_number(report.removed)
        print(
            f"{clock} Đã tạo lại trang web: {format_number(report.articles)} bài viết, "
            f"{changed} tệp mới hoặc thay đổi, {removed} tệp bị xóa, "
            f"trong {format_number(report.seconds, 2)} giây.",
            flush=True,
        )
        held = _held_back(report)
        if held:
            print(held, flush=True)


def _held_back(report: BuildReport) -> str:
    """`Chưa đăng: 2 bản nháp, 1 bài hẹn giờ (bài sớm nhất lên trang lúc …).`, and when a pinned
    article stops leading the home page or a document's status changes; or nothing."""
    parts = []
    if report.drafts_held:
        parts.append(f"{format_number(report.drafts_held)} bản nháp")
    if report.scheduled_held:
        parts.append(f"{format_number(report.scheduled_held)} bài hẹn giờ")
    lines = []
    if parts:
        due = ""
        if report.next_scheduled is not None:
            when = format_datetime(report.next_scheduled)
            due = f" (bài hẹn giờ sớm nhất lên trang lúc {when}: tạo lại trang web sau giờ đó)"
        lines.append(f"Chưa đăng: {', '.join(parts)}{due}.")
    if report.next_unpinned is not None:
        end = report.next_unpinned
        until = (  # `pinned_until: 2026-12-31` ends at midnight after it: said as the day written
            f"hết ngày {format_date(end.date() - timedelta(days=1))}"
            if end.time() == dt_time()
            else format_datetime(end)
        )
        lines.append(f"Tin ghim đầu trang chủ đến {until}: tạo lại trang web sau giờ đó để bỏ ghim.")
    if report.next_document_change is not None:
        when = format_datetime(report.next_document_change)
        lines.append(f"Một văn bản đổi tình trạng hiệu lực vào {when}: tạo lại trang web từ lúc đó.")
    return "\n".join(lines)


class _TerminalProgress:
    """`đọc bài 1.234/10.000` on one line of a terminal, redrawn at most ten times a second."""

    def __init__(self) -> None:
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown_at < 0.1 and done < total:
            return
        self.shown_at = now
        line = f"{stage} {format_number(done)}/{format_number(total)}"
        self.width = max(self.width, len(line))
        print(f"\r{line:<{self.width}}", end="", file=sys.stderr, flush=True)

    def clear(self) -> None:
        if self.width:
            print(f"\r{' ' * self.width}\r", end="", file=sys.stderr, flush=True)


def _report(error: NewsgenError, args: argparse.Namespace) -> int:
    """The problems, and after a build's, that the last site is kept; not after a command that
    makes no site, nor in a folder that is no site (the problem says so)."""
    problems = error.problems if isinstance(error, BuildFailed) else [error]
    for problem in problems:
        print(_located(problem, args.source), file=sys.stderr)
    if args.verb == "build" and (args.source / "content").is_dir():
        print(
            f"Chưa tạo được trang web vì có {format_number(len(problems))} lỗi. "
            "Bản tạo lần trước (nếu có) được giữ nguyên.",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS


def _located(problem: NewsgenError, source: Path) -> NewsgenError:
    """The problem with its site-relative path shown from where the user ran newsgen."""
    path = problem.path
    if not path or path.startswith(("-", "newsgen/")) or Path(path).is_absolute():
        return problem
    shown = copy.copy(problem)
    shown.path = _shown_path(source / path)
    return shown


def _shown_path(path: Path) -> str:
    """A path relative to the current folder when it lies below it, else absolute."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is named as the user sees it
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return os.fspath(absolute)
