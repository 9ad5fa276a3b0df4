"""Checks of a planned site before anything is written (clashing files, broken links), and
`newsgen check`: everything a build checks and more, writing nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..config.settings import CONFIG_FILE, Config, load_config
from ..errors import BuildFailed, ConfigError, ContentError, NewsgenError, OutputError, Problems, UsageError
from ..files import list_files
from ..images.publish import heic_copied, photo_notes
from ..site.model import Article, Document, Site, build_site
from ..site.urls import link_targets
from ..sources.content import Source, links_despite_errors
from ..sources.load import load_sources
from ..state.bodies import Bodies
from ..text.vietnamese import format_date, format_number, strip_marks, term_key
from . import assets
from .assets import THEME_DIR
from .output import Output
from .photos import static_photos
from .plan import PlannedPage, plan_site, published_attachments
from .render import render_site

# Notes that say what a check left out, or what is not wrong (a large photo is made smaller):
# --strict does not turn them into errors.
INFORMATION = frozenset({"scheduled", "drafts-skipped", "large-photo"})


def check_site(
    source_dir: Path,
    *,
    drafts: bool = False,
    future: bool = False,
    now: datetime | None = None,
    jobs: int = 1,
) -> Problems:
    """The problems a build would find (every page is rendered, and written nowhere), and the
    warnings `check` adds: images without alt text, articles without a province, articles whose
    slugs are the same though their titles are not."""
    problems = Problems()
    try:
        config = load_config(source_dir, drafts=drafts, future=future)
        bodies = Bodies(None)
        sources = load_sources(config, problems, jobs, bodies=bodies)
        drafts_skipped = sum(1 for source in sources if source.draft and not config.drafts)
        if drafts_skipped:
            problems.warn(
                NewsgenError(
                    f"{format_number(drafts_skipped)} bản nháp chưa được kiểm tra",
                    hint="thêm --drafts để kiểm tra cả bản nháp",
                    code="drafts-skipped",
                )
            )
        site = build_site(config, sources, now or datetime.now(UTC), problems, bodies)
        plan = plan_site(site)
        check_plan(site, plan, problems)
        _check_links_of_unread(config.source_dir, plan, {source.path for source in sources}, problems)
        _check_for_readers(site, sources, problems)
        for name in static_photos(config, plan):
            if config.images.enabled:
                for note in photo_notes(config, name):
                    problems.warn(note)
            elif PurePosixPath(name).suffix.lower() in (".heic", ".heif"):
                problems.warn(heic_copied(name))
        if not problems.items:  # templates, on pages that could be planned
            for _output in render_site(site, plan, jobs=jobs):
                pass
    except BuildFailed as failed:
        problems.items.extend(failed.problems)
    except UsageError:
        raise
    except NewsgenError as error:
        problems.add(error)
    return problems


def _check_for_readers(site: Site, sources: list[Source], problems: Problems) -> None:
    published = {article.source_path for article in site.articles}
    published.update(page.source_path for page in site.pages)
    published.update(document.source_path for document in site.documents)
    for source in sources:
        if source.path not in published:
            continue
        if source.image and not source.image_alt:
            problems.warn(
                ContentError(
                    "ảnh đại diện chưa có mô tả (image_alt)",
                    path=source.path,
                    line=source.lines.get("image"),
                    hint="thêm dòng image_alt: mô tả ngắn nội dung ảnh, cho người đọc bằng máy đọc màn hình",
                    code="missing-alt",
                )
            )
        for line in source.images_without_alt:
            problems.warn(
                ContentError(
                    "ảnh trong bài chưa có mô tả",
                    path=source.path,
                    line=line,
                    hint="viết mô tả trong ngoặc vuông: ![Hội nghị ký kết](/images/a.jpg)",
                    code="missing-alt",
                )
            )
    for article in site.articles:
        if not article.provinces:
            problems.warn(
                ContentError(
                    "bài chưa gắn với tỉnh nào",
                    path=article.source_path,
                    line=article.lines.get("provinces", article.lines.get("title")),
                    hint="thêm dòng provinces: [Điện Biên], để bài hiện ở trang của tỉnh",
                    code="no-province",
                )
            )
    dated: list[Article | Document] = [*site.articles, *site.documents]
    for item in dated:
        _check_terms_in_time(item, problems)
    first_with: dict[str, Source] = {}
    for source in sorted((s for s in sources if not (s.is_page or s.is_document)), key=lambda s: s.path):
        other = first_with.setdefault(source.slug, source)
        if other is not source and term_key(other.title) != term_key(source.title):  # hoá = hóa
            marks = strip_marks(other.title).casefold() == strip_marks(source.title).casefold()
            problems.warn(
                ContentError(
                    f'đường dẫn "{source.slug}" trùng với bài {other.path} ("{other.title}")'
                    + (", hai tiêu đề chỉ khác dấu" if marks else ""),
                    path=source.path,
                    line=source.lines.get("slug", source.lines.get("title")),
                    hint=f"đặt slug: riêng cho một trong hai bài, ví dụ slug: {source.slug}-2",
                    code="similar-slugs",
                )
            )


def check_plan(site: Site, plan: list[PlannedPage | Output], problems: Problems) -> None:
    """Record two things written to one file, and links in articles that lead nowhere."""
    origins: dict[str, str] = {}
    renamed = {
        f"static/{name}" for name, published in published_attachments(site).items() if name != published
    }
    for item in plan:
        key = item.path.casefold()  # one file on case-insensitive disks
        if key in origins:
            hint = "đổi tên tệp trong static/, đặt slug: khác cho bài viết, hoặc url: khác cho trang"
            if renamed & {item.origin, origins[key]}:
                hint = (
                    "tệp của văn bản được đăng dưới tên viết không dấu, chữ thường: đổi tên một trong hai tệp"
                )
            problems.add(
                OutputError(f"{item.origin} và {origins[key]} cùng ghi vào tệp {item.path}", hint=hint)
            )
        origins.setdefault(key, item.origin)
        if isinstance(item, Output) and item.source is not None:
            _check_inside(item, (site.config.source_dir, THEME_DIR, assets.THEME_ASSETS), problems)
    _check_links(site, set(origins), problems)
    _check_addresses(site.config, set(origins), problems)
    _check_page_templates(site, problems)


def _check_terms_in_time(article: Article | Document, problems: Problems) -> None:
    """An article (or a document, by its issue) names the provinces as they were on its day: not
    Hà Giang after 30/06/2025, when it became part of Tuyên Quang; nor a name before its first day."""
    day = article.date.date()
    what = "văn bản ban hành" if isinstance(article, Document) else "bài đăng"
    for term in (*article.provinces, *article.themes):
        label = "tỉnh" if term.kind == "provinces" else "chủ đề"
        if term.until is not None and day > term.until:
            said = f'{label} "{term.name}" chỉ dùng đến ngày {format_date(term.until)}'
            hint = (
                f'từ ngày {format_date(term.until + timedelta(days=1))}, viết "{term.successor[0]}"'
                if term.successor
                else "bỏ tên đó"
            )
        elif term.since is not None and day < term.since:
            said = f'{label} "{term.name}" có từ ngày {format_date(term.since)}'
            before = [name for name, _url, first in term.predecessors if first == term.since]
            hint = f'trước ngày đó, viết "{before[0]}"' if before else "kiểm tra lại ngày đăng"
        else:
            continue
        problems.warn(
            ContentError(
                f"{said}, nhưng {what} ngày {format_date(day)}",
                path=article.source_path,
                line=article.lines.get(term.kind),
                hint=hint,
                code="former-term",
            )
        )


def _check_page_templates(site: Site, problems: Problems) -> None:
    """A page's own template (`template:`) is in templates/ or in the theme."""
    folders = (site.config.templates_dir, THEME_DIR / "templates")
    for page in site.pages:
        own = page.template.removeprefix("theme/")  # the theme's own version of a template
        places = folders[1:] if own != page.template else folders
        if not any((folder / own).is_file() for folder in places):
            have = sorted(path.name for path in site.config.templates_dir.glob("*.html"))
            problems.add(
                ContentError(
                    f'không có template "{page.template}" trong templates/ hay trong giao diện của newsgen',
                    path=page.source_path,
                    line=page.lines.get("template"),
                    hint=f"tạo tệp templates/{page.template}, hoặc bỏ dòng template: để dùng mẫu trang thường"
                    + (f" (templates/ có: {', '.join(have)})" if have else ""),
                )
            )


def _check_addresses(config: Config, paths: set[str], problems: Problems) -> None:
    """The logo, the banners and the site's own addresses of `link_blocks:`, and those of the
    menu, lead somewhere."""
    photo = "đặt ảnh trong static/ (static/images/logo.png được viết là /images/logo.png)"
    after = "tên miền" if config.base_path == "/" else config.base_url  # the site under /tin/: not /tin/
    page = f"mở trang đó trên trang web rồi chép phần địa chỉ sau {after}, bắt đầu bằng /, ví dụ /tin-tuc/"
    addresses: list[tuple[str, str, str, int | None]] = [("logo", config.logo, photo, None)]
    for block in config.link_blocks:
        for link in block.links:
            addresses.append((f'ảnh của liên kết "{link.text}"', link.image, photo, None))
            if link.url.startswith("/"):
                addresses.append((f'liên kết "{link.text}"', link.url, page, None))
    for entry in config.menu:
        for item in (entry, *entry.items):
            if item.url.startswith("/"):
                addresses.append((f'mục "{item.title}" của menu', item.url, page, item.line))
    for what, address, hint, line in addresses:
        if address and not any(target.casefold() in paths for target in link_targets(address)):
            problems.add(
                ConfigError(
                    f"{what} {address} không dẫn tới tệp nào của trang web",
                    path=CONFIG_FILE,
                    line=line,
                    hint=hint,
                )
            )


def _check_inside(output: Output, roots: tuple[Path, ...], problems: Problems) -> None:
    """A link in static/ to a file elsewhere (/etc/passwd) must not publish that file."""
    try:
        target = output.source.resolve() if output.source else None
    except (OSError, RuntimeError):  # a link that loops (RuntimeError before Python 3.13)
        problems.add(
            OutputError(
                f"{output.origin} là một liên kết (symlink) vòng về chính nó",
                hint="xóa liên kết đó và đặt tệp thật vào chỗ của nó",
            )
        )
        return
    if target and not any(target.is_relative_to(root.resolve()) for root in roots):
        problems.add(
            OutputError(
                f"{output.origin} là liên kết tới {target}, ở ngoài thư mục của trang",
                hint="chép tệp đó vào static/ thay cho liên kết, nếu thật sự muốn xuất bản nó",
            )
        )


def _check_links(site: Site, paths: set[str], problems: Problems) -> None:
    """Root-relative links in articles, pages and documents (`/images/x.jpg`, `/tinh/dien-bien/`)
    must reach a file; documents' own files must be in static/."""
    attachments = attachment_links(site)
    for article in site.articles:
        check_article_links(article, paths, problems, attachments)
    for page in site.pages:
        _check_links_of(page.source_path, page.links, paths, problems, attachments)
    for document in site.documents:
        _check_links_of(document.source_path, document.links, paths, problems, attachments)
    if site.documents:
        _check_document_files(site, problems)


def attachment_links(site: Site) -> dict[str, str]:
    """Where documents' files are published, by the case-folded names a link may give them: the
    name written under static/, or the published one in other letters' case."""
    links: dict[str, str] = {}
    for name, published in published_attachments(site).items():
        links[name.casefold()] = links[published.casefold()] = published
    return links


def check_article_links(
    article: Article, paths: set[str], problems: Problems, attachments: dict[str, str]
) -> None:
    """`paths`: every output file's path, case-folded; `attachments`: `attachment_links`."""
    _check_links_of(article.source_path, article.links, paths, problems, attachments)


def _check_document_files(site: Site, problems: Problems) -> None:
    """Each document's files are in static/, named exactly as written: they are published
    under other names, which a link to a file merely alike would not find."""
    static = site.config.static_dir
    names = set(list_files(static))
    by_case = {name.casefold(): name for name in names}
    for document in site.documents:
        for index, address in enumerate(document.files):
            name = address.lstrip("/")
            if name in names:
                continue
            alike = by_case.get(name.casefold())
            problems.add(
                ContentError(
                    f"không có tệp static/{name}",
                    path=document.source_path,
                    line=document.lines.get(f"files.{index}", document.lines.get("files")),
                    hint=f"có tệp static/{alike}: viết đúng tên đó, cả chữ hoa và chữ thường"
                    if alike
                    else f"đặt tệp vào static/ (static/{name} được viết là /{name})",
                )
            )


def _check_links_of_unread(
    source_dir: Path, plan: list[PlannedPage | Output], read: set[str], problems: Problems
) -> None:
    """The links of the articles that could not be read (`read` are those that could): they are
    not in the site, but the editor should hear of every mistake at once."""
    paths = {item.path.casefold() for item in plan}
    failed = {problem.path for problem in problems.items if problem.path and problem.path.endswith(".md")}
    unread = sorted(path for path in failed - read if path.startswith("content/"))
    for path in unread:
        try:
            data = (source_dir / path).read_bytes()
        except OSError:
            continue
        _check_links_of(path, links_despite_errors(data), paths, problems)


def _check_links_of(
    path: str,
    links: Iterable[tuple[str, int]],
    paths: set[str],
    problems: Problems,
    attachments: dict[str, str] | None = None,
) -> None:
    """`attachments`: `attachment_links`, to say where a document's file went."""
    for url, line in links:
        target = unquote(urlsplit(url).path).lstrip("/") if attachments else ""
        published = attachments.get(target.casefold()) if attachments else None
        if published is not None and target != published:
            problems.add(
                ContentError(
                    f"liên kết {url} dẫn tới tệp của một văn bản, được đăng ở /{published}",
                    path=path,
                    line=line,
                    code="broken-link",
                    hint=f"viết liên kết là /{published} (tên không dấu, chữ thường)",
                )
            )
        elif not any(target.casefold() in paths for target in link_targets(url)):
            problems.add(
                ContentError(
                    f"liên kết {url} không dẫn tới trang hay tệp nào của trang web",
                    path=path,
                    line=line,
                    code="broken-link",
                    hint="kiểm tra đường dẫn; ảnh và tệp tải về đặt trong static/ "
                    "(static/images/a.jpg được viết là /images/a.jpg)",
                )
            )
