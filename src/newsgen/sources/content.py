"""`load_sources`: the only reader of content files. Bytes in, checked `Source`s out.

Each article is read, decoded, split into front matter and body, its fields coerced through one
table (`_FIELDS`) and its body rendered to HTML. The result depends only on the file's bytes and
the config, so a later stage can cache it or run it in parallel.
"""

from __future__ import annotations

import errno
import html
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import markdown
import yaml

from ..config.settings import Config
from ..config.yamlfile import Mapping, check_no_control_characters, has_control_character, load_yaml, show
from ..errors import ContentError, NewsgenError, Problems
from ..state.store import code_digest, digest
from ..text.vietnamese import legacy_encoding, normalize_text, slugify, strip_marks
from . import markup

# Files under content/pages/ are pages that are not news (Giới thiệu, Liên hệ): no date needed,
# at an address of their own, in no list.
PAGES_FOLDER = "content/pages/"
# Files under content/van-ban/ are official documents (văn bản): their number, type, issuer and
# dates in front matter, their files under static/.
DOCUMENTS_FOLDER = "content/van-ban/"


@dataclass(frozen=True)
class Source:
    """One article or page as its file says it, before vocabularies and URLs are applied."""

    path: str  # relative to the site folder, with forward slashes: content/articles/x.md
    title: str
    date: datetime
    summary: str  # the editor's summary, else the first paragraph shortened
    lead: str = ""  # the editor's summary only: the sapo shown above the body
    updated: datetime | None = None
    provinces: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    author: str = ""
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    image_focus: tuple[int, int] = (50, 50)  # per cent across and down: what a cropped photo keeps
    slug: str = ""  # the front matter's, else the title's
    draft: bool = False
    featured: bool = False  # in the home page's "Tin nổi bật"
    pinned_until: datetime | None = None  # the home page's lead until then
    url: str = ""  # a page's own address (`url:`), under the site's base path
    template: str = ""  # a page's own template (`template:`), else page.html
    number: str = ""  # a document's number and symbol (số ký hiệu): 125/QĐ-UBND
    doc_type: str = ""  # a document's type (`type:`, loại) as written: Quyết định
    issuer: str = ""  # the body that issued a document (cơ quan ban hành), as written
    signer: str = ""  # who signed it (người ký)
    in_force: datetime | None = None  # a document in force from then (hiệu lực)
    expires: datetime | None = None  # and no longer from then (hết hiệu lực)
    files: tuple[str, ...] = ()  # a document's files under static/, as their addresses
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key → line in the file
    links: tuple[tuple[str, int], ...] = ()  # root-relative links and images, with their lines
    images_without_alt: tuple[int, ...] = ()  # lines of the body's images that have no alt text
    warnings: tuple[ContentError, ...] = ()
    digest: str = ""  # of the file's bytes, for the cache
    meta: str = ""  # of all the file says, its body aside: the fields from path to links

    @property
    def is_page(self) -> bool:
        return is_page_path(self.path)

    @property
    def is_document(self) -> bool:
        return is_document_path(self.path)


def is_page_path(path: str) -> bool:
    """A file under content/pages/: a page, not an article."""
    return path.startswith(PAGES_FOLDER)


def is_document_path(path: str) -> bool:
    """A file under content/van-ban/: an official document, not an article."""
    return path.startswith(DOCUMENTS_FOLDER)


_META_FIELDS = [
    name
    for name in Source.__dataclass_fields__
    if name not in ("images_without_alt", "warnings", "digest", "meta")  # for `newsgen check` only
]


# No article is this long; a link to /dev/zero or a huge file pasted by mistake would fill memory.
MAX_ARTICLE_BYTES = 20_000_000


def read_file(path: Path) -> bytes:
    try:
        found = os.stat(path)
        if stat.S_ISDIR(found.st_mode):  # `list_files` walks real folders: this is a link to one
            raise link_to_a_folder(None)
        if not stat.S_ISREG(found.st_mode):  # a pipe would wait forever, a device never end
            raise ContentError(
                "đây không phải một tệp thường (là thiết bị, ống dẫn hay tệp đặc biệt)",
                hint="xóa nó khỏi content/ và đặt tệp bài viết thật vào chỗ của nó",
            )
        if found.st_size > MAX_ARTICLE_BYTES:
            raise ContentError(
                f"tệp quá lớn ({found.st_size // 1_000_000} MB) cho một bài viết",
                hint="ảnh và tệp tải về đặt trong static/, không dán vào bài",
            )
        return path.read_bytes()
    except OSError as error:
        message, hint = _READ_ERRORS.get(
            error.errno or 0, (f"không đọc được tệp ({error.strerror})", "kiểm tra quyền đọc của tệp")
        )
        raise ContentError(message, hint=hint + " rồi tạo lại trang web") from None


_READ_ERRORS = {
    errno.ELOOP: (
        "tệp này là một liên kết (symlink) vòng về chính nó",
        "xóa liên kết đó và đặt tệp bài viết thật vào chỗ của nó",
    ),
    errno.ENOENT: (
        "tệp này là một liên kết (symlink) tới tệp không còn nữa",
        "xóa liên kết đó, hoặc chép tệp bài viết vào đây",
    ),
    errno.EACCES: ("newsgen không có quyền đọc tệp này", "kiểm tra quyền đọc của tệp"),
}


def link_to_a_folder(path: str | None) -> ContentError:
    return ContentError(
        "đây là liên kết (symlink) tới một thư mục; newsgen không đọc bài trong thư mục liên kết",
        path=path,
        hint="chép các bài vào content/ thay cho liên kết, hoặc xóa liên kết đó",
    )


def parse_source(path: str, data: bytes, config: Config) -> tuple[Source, str]:
    """Turn one file's bytes into a Source and its body's HTML, or raise a ContentError saying
    what to fix."""
    text = normalize_text(_decode(data)).replace("\r\n", "\n")
    check_no_control_characters(text)
    front, body, body_line = _split_front_matter(text)
    meta = load_yaml(front, first_line=2)
    if not isinstance(meta, Mapping):
        raise ContentError(
            "phần thông tin đầu bài phải gồm các dòng khóa: giá trị",
            line=2,
            hint='ví dụ title: "Tiêu đề bài viết"',
        )
    problems = Problems()
    fields: dict[str, Any] = {}
    front_lines = front.split("\n")
    page, document = is_page_path(path), is_document_path(path)
    known_fields = _PAGE_FIELDS if page else _DOCUMENT_FIELDS if document else _FIELDS
    written_as: dict[str, str] = {}  # a document's field → the key it was written with
    for key, value in meta.items():
        name, line = str(key), meta.lines[key]
        if document:
            name = _DOCUMENT_KEYS.get("_".join(strip_marks(name).lower().split()), name)
            if name in written_as:
                problems.add(
                    ContentError(
                        f'"{key}" và "{written_as[name]}" là cùng một thông tin',
                        path=path,
                        line=line,
                        hint="giữ một trong hai dòng",
                    )
                )
                continue
            written_as[name] = str(key)
        coerce = known_fields.get(name)
        written = meta.raw.get(key)  # the scalar as written: `12:30` stays text, not 750
        try:
            _check_not_cut_by_comment(name, front_lines[line - 2])
            if page and name in _NOT_FOR_PAGES:
                raise ContentError(
                    "trang (trong content/pages/) không dùng khóa này", hint=_NOT_FOR_PAGES[name]
                )
            if coerce is None:
                _check_not_a_typo(name, known_fields)
                fields[name] = _as_written(value, written)
            elif name in _TEXT_FIELDS and written is not None:
                fields[name] = coerce(written, config.timezone)
            else:
                fields[name] = coerce(value, config.timezone)
        except ContentError as error:
            error.message = f"{name}: {error.message}"
            problems.add(error.at(path, line))
    required = ("title",) if page else _DOCUMENT_REQUIRED if document else ("title", "date")
    for name in required:
        if name not in (written_as if document else meta):
            message, hint = _MISSING[name]
            problems.add(ContentError(message, path=path, line=1, hint=hint))
    if problems.items:  # the whole file's mistakes at once: its provinces and themes too
        for kind in ("provinces", "themes"):
            vocabulary, item_lines = getattr(config, kind), getattr(meta.get(kind), "lines", [])
            for index, name in enumerate(fields.get(kind, ()) if vocabulary.closed else ()):
                if vocabulary.lookup(name) is None:
                    at = item_lines[index] if index < len(item_lines) else meta.lines.get(kind)
                    problems.add(vocabulary.unknown(kind, name, at).at(path, at))
    problems.raise_if_any()

    try:
        body_html = markup.render_markdown(body)
    except RecursionError:
        raise ContentError(
            "nội dung bài lồng nhau quá sâu (quá nhiều dấu *, _ hay > liền nhau)",
            line=body_line,
            hint="bỏ bớt các dấu định dạng thừa",
        ) from None
    known = {name: fields.pop(name) for name in list(fields) if name in known_fields}
    if document:  # its summary (trích yếu) is its title; it is dated by its issue
        known.update(title=known["summary"], date=known.pop("issued"), doc_type=known.pop("type"))
        known["slug"] = slugify(known["number"])  # 125/QĐ-UBND → 125-qd-ubnd
    if page and "date" not in known:  # never shown; in the site's zone, as the store keeps dates
        known["date"] = datetime(1970, 1, 1, tzinfo=config.timezone)
    lead = known.pop("summary", "")
    # Keys and names repeat across thousands of articles: one string each (sys.intern).
    lines = {sys.intern(str(key)): line for key, line in meta.lines.items()}
    lines.update({name: lines[written] for name, written in written_as.items()})  # a document's, by field
    for kind in ("provinces", "themes"):  # where each listed name is, for "unknown province" errors
        for index, item_line in enumerate(getattr(meta.get(kind), "lines", [])):
            lines[sys.intern(f"{kind}.{index}")] = item_line
    lines["body"] = body_line
    links = tuple(_root_relative_links(body, body_line))
    if known.get("image", "").startswith("/"):
        links = ((known["image"], lines["image"]), *links)
    if not known.get("slug"):
        known["slug"] = slugify(known["title"])  # here, so that the cache keeps it
    source = Source(
        path=path,
        digest=digest(data),
        warnings=(*_legacy_text(path, text), *_blocked_embeds(path, body, body_line)),
        summary=lead or summarize(body_html, config.summary_length),
        lead=lead,
        extra=fields,
        lines=lines,
        links=links,
        images_without_alt=tuple(_images_without_alt(body, body_line)),
        **known,
    )
    meta = digest(repr([getattr(source, name) for name in _META_FIELDS]).encode())
    return replace(source, meta=meta), body_html


def _as_written(value: Any, written: str | None) -> Any:
    """An extra key's value for templates: a number only if it prints as written (`010`, `1e3`
    and `1.50` stay text); true, false and empty as YAML reads them; other scalars as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and written is not None:
        return value if str(value) == written else written
    return value


_MISSING = {
    "title": ("thiếu tiêu đề (title)", 'thêm dòng title: "Tiêu đề bài viết" vào đầu bài'),
    "date": ("thiếu ngày đăng (date)", "thêm dòng date: 2023-02-20 08:30 vào đầu bài"),
    "number": ("thiếu số ký hiệu của văn bản (number)", "thêm dòng number: 125/QĐ-UBND"),
    "type": ("thiếu loại văn bản (type)", "thêm dòng type: Quyết định"),
    "issued": ("thiếu ngày ban hành (issued)", "thêm dòng issued: 2026-03-15"),
    "summary": ("thiếu trích yếu của văn bản (summary)", 'thêm dòng summary: "Về việc …"'),
}


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(
            "tệp được lưu theo mã UTF-16, newsgen cần UTF-8",
            line=1,
            hint="mở tệp và lưu lại với mã hóa UTF-8 (Notepad: Lưu thành… → Mã hóa: UTF-8)",
        )
    try:
        return data.decode("utf-8-sig")  # a Notepad BOM is fine
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(
            f"tệp không được lưu theo mã UTF-8 (byte 0x{data[error.start]:02x} ở dòng {line}); "
            "có thể tệp dùng mã cũ như Windows-1258, TCVN3 hoặc VNI",
            line=line,
            hint="mở tệp và lưu lại với mã hóa UTF-8; nếu chữ vẫn lỗi, dùng Công cụ chuyển mã của UniKey "
            "để chuyển sang Unicode",
        ) from None


def _legacy_text(path: str, text: str) -> Iterator[ContentError]:
    """Lines that look pasted from a document in TCVN3 or VNI: they would show as gibberish."""
    if legacy_encoding(text) is None:  # a line with three telltale signs makes a text with three
        return
    for number, line in enumerate(text.split("\n"), start=1):
        encoding = legacy_encoding(line)
        if encoding:
            yield ContentError(
                f"dòng này có vẻ là chữ mã {encoding} dán vào, sẽ hiển thị sai",
                path=path,
                line=number,
                hint="chép lại đoạn đó vào UniKey → Công cụ chuyển mã, chọn nguồn "
                f"{encoding.split()[0]}, đích Unicode, rồi dán lại",
                code="old-encoding",
            )


def links_despite_errors(data: bytes) -> list[tuple[str, int]]:
    """The links to the site's own pages and files in the body of an article whose front matter
    could not be read, so that `newsgen check` reports them in the same run; none if even the
    body cannot be found."""
    try:
        _front, body, first_line = _split_front_matter(normalize_text(_decode(data)).replace("\r\n", "\n"))
    except (UnicodeDecodeError, NewsgenError):
        return []
    return list(_root_relative_links(body, first_line))


def _split_front_matter(text: str) -> tuple[str, str, int]:
    """Front matter text, body text, and the line on which the body starts."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise ContentError(
            "tệp không bắt đầu bằng phần thông tin đầu bài (dòng ---)",
            line=1,
            hint="dòng đầu tiên của bài phải là ---, tiếp theo là title:, date:… rồi một dòng --- nữa",
        )
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), number + 2
    raise ContentError(
        "phần thông tin đầu bài không có dòng --- để đóng lại",
        line=1,
        hint="thêm một dòng chỉ có --- sau dòng thông tin cuối cùng (trước nội dung bài)",
    )


# `](/x)` in Markdown, `[ref]: /x` definitions, and src="/x" or href="/x" in raw HTML.
_LINK = re.compile(
    r"""\]\(\s*<?(/[^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(/\S*?)>?(?:\s|$)|(?:src|href)\s*=\s*["'](/[^"']*)"""
)


# The same, over a whole body at once: no part of it reaches past the end of a line (`[^\S\n]`
# is any space but a line break, no-break spaces pasted from Word included).
_LINK_IN_TEXT = re.compile(
    r"""\]\([^\S\n]*<?(/[^)\s>]*)|^[^\S\n]*\[[^\]\n]+\]:[^\S\n]*<?(/\S*?)>?(?:[^\S\n]|$)"""
    r"""|(?:src|href)[^\S\n]*=[^\S\n]*["'](/[^"'\n]*)""",
    re.MULTILINE,
)
_CODE_SPAN = re.compile(r"(`+).*?\1")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _root_relative_links(body: str, first_line: int) -> Iterator[tuple[str, int]]:
    """Links to this site's own pages and files written in the body (`/images/x.jpg`), with lines.

    Code (fenced blocks, `spans`) shows links without making them, so it is left out.
    """
    if "`" not in body and "~~~" not in body:  # no code: one pass over the whole body
        return _links_in_text(body, first_line)
    return _links_line_by_line(body, first_line)


def _links_in_text(body: str, first_line: int) -> Iterator[tuple[str, int]]:
    line, counted = first_line, 0
    for match in _LINK_IN_TEXT.finditer(body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        url = next(group for group in match.groups() if group is not None)
        if not url.startswith("//"):
            yield url, line


def _links_line_by_line(body: str, first_line: int) -> Iterator[tuple[str, int]]:
    for number, line in _lines_outside_code(body, first_line):
        for match in _LINK.finditer(line):
            url = next(group for group in match.groups() if group is not None)
            if not url.startswith("//"):
                yield url, number


def _lines_outside_code(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """The body's lines with their numbers, fenced blocks left out and `code spans` taken out."""
    in_fence = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield number, _CODE_SPAN.sub("", line)


# Raw HTML that pages' security policy (outputs/policy.py) does not let run or show.
_EMBED = re.compile(r"<(iframe|script|embed|object)\b", re.IGNORECASE)


def _blocked_embeds(path: str, body: str, first_line: int) -> Iterator[ContentError]:
    """Lines that embed another site's frame or a script: the browser will not show them."""
    if not _EMBED.search(body):
        return
    for number, line in _lines_outside_code(body, first_line):
        found = _EMBED.search(line)
        if found:
            yield ContentError(
                f"thẻ <{found.group(1).lower()}> sẽ không hiện: trang không cho nhúng nội dung hay mã"
                " của trang web khác",
                path=path,
                line=number,
                hint="video YouTube: để riêng địa chỉ video trên một dòng; bản đồ hay nội dung khác:"
                " thay bằng một liên kết tới trang đó",
                code="blocked-embed",
            )


# `![](x.jpg)`, and <img> tags without alt=.
_NO_ALT = re.compile(r"!\[\s*\]\(|<img\b(?![^>]*\balt\s*=)[^>]*>", re.IGNORECASE)


def _images_without_alt(body: str, first_line: int) -> Iterator[int]:
    """The lines of the body's images that have no alt text, code left out."""
    if _NO_ALT.search(body):
        yield from (number for number, line in _lines_outside_code(body, first_line) if _NO_ALT.search(line))


_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def summarize(body_html: str, length: int) -> str:
    """The first paragraph with text, as plain text, cut at a word boundary near `length`."""
    for paragraph in _PARAGRAPH.findall(body_html):
        text = " ".join(html.unescape(_TAG.sub("", paragraph)).split())
        if text:
            if len(text) <= length:
                return text
            return text[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return ""


# Told how far a long stage is: (what, done, out of).
Progress = Callable[[str, int, int], None]

# Coercion of the declared front-matter fields. Each takes (value, site time zone).
Coerce = Callable[[Any, ZoneInfo], Any]


def _text(value: Any, _tz: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise ContentError(
            "giá trị phải là một dòng chữ", hint='viết giá trị trên cùng dòng, ví dụ author: "Minh Anh"'
        )
    text = str(value).translate(_BREAKS_TO_SPACES)
    if has_control_character(text):  # written as an escape: "\0", "\x1b"
        raise ContentError(
            "giá trị có ký tự điều khiển không nhìn thấy được (viết bằng dấu \\)",
            hint="bỏ phần \\0, \\x.. hay \\u.. đó khỏi giá trị",
        )
    return text.strip()


# Line breaks written as escapes in a one-line field ("\v", Word's Shift+Enter): a space.
_BREAKS_TO_SPACES = str.maketrans(dict.fromkeys("\v\f\r\x85\u2028\u2029", " "))


def _title(value: Any, tz: ZoneInfo) -> str:
    title = _text(value, tz)
    if not title:
        raise ContentError("tiêu đề đang để trống", hint='viết tiêu đề sau title:, ví dụ title: "Tin mới"')
    return title


# The ISO 8601 forms every supported Python reads alike: 2023-02-20, 2023-02-20 08:30[:00][+07:00].
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$")
# As Vietnamese write a date: day first, always (20/02/2023, 20/2/2023 8:30); never month first.
_VIETNAMESE_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")
DATE_HINT = "viết ngày/tháng/năm giờ:phút, ví dụ 20/02/2023 08:30 hoặc 20/02/2023 (hay 2023-02-20 08:30)"


def _moment(value: Any, tz: ZoneInfo) -> datetime:
    if value is None:
        raise ContentError("ngày đăng đang để trống", hint=DATE_HINT)
    return parse_moment(str(value), tz)


def parse_moment(text: str, tz: ZoneInfo) -> datetime:
    """A date or date-time as Vietnamese write it (20/02/2023 08:30) or in ISO 8601
    (2023-02-20 08:30); without a zone it means the site's zone. ContentError if it is neither,
    or no real day (31/02/2026)."""
    text = text.strip()
    try:
        vietnamese = _VIETNAMESE_DATE.match(text)
        if vietnamese:
            day, month, year, hour, minute = (int(part or 0) for part in vietnamese.groups())
            return datetime(year, month, day, hour, minute, tzinfo=tz)
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=tz)
        return parsed.astimezone(tz)
    except (ValueError, OverflowError):
        raise ContentError(f'"{text}" sai dạng ngày hoặc là ngày không có thật', hint=DATE_HINT) from None


def _names(separators: str) -> Coerce:
    """A list of names, or one line of names split at any of `separators`."""
    split = re.compile(f"[{re.escape(separators)}]") if separators else None

    def coerce(value: Any, _tz: ZoneInfo) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            items = split.split(value) if split else [value]
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            items = value
        else:
            raise ContentError("giá trị phải là danh sách tên", hint="ví dụ provinces: [Điện Biên, Lai Châu]")
        return tuple(sys.intern(name.strip()) for name in items if name.strip())

    return coerce


def _slug(value: Any, tz: ZoneInfo) -> str:
    text = _text(value, tz)
    if "/" in text or "\\" in text or ".." in text:
        raise ContentError(
            f'"{text}" không được chứa /, \\ hoặc ..',
            hint="slug chỉ là tên cuối của đường dẫn, ví dụ slug: ky-ket-thi-dua",
        )
    slug = slugify(text)
    if text and not slug:
        raise ContentError(f'"{text}" không có chữ hoặc số nào', hint="ví dụ slug: ky-ket-thi-dua")
    return slug


def _image(value: Any, tz: ZoneInfo) -> str:
    image = _text(value, tz)
    if image and not image.startswith(("/", "http://", "https://")):
        raise ContentError(
            f'"{image}" phải bắt đầu bằng / (ảnh trong static/) hoặc https://',
            hint=f"ảnh static/{image.lstrip('./')} được viết là image: /{image.lstrip('./')}",
        )
    return image


# Where the subject of the photo stands, in words: per cent across (left 0) and down (top 0).
_FOCUS_WORDS = {
    "trai": (0, None), "left": (0, None), "phai": (100, None), "right": (100, None),
    "tren": (None, 0), "top": (None, 0), "duoi": (None, 100), "bottom": (None, 100),
    "giua": (None, None), "center": (None, None), "centre": (None, None),
}  # fmt: skip
_FOCUS_HINT = (
    "viết phần cần giữ lại khi ảnh được cắt cho vừa khung nhỏ: trên, dưới, trái, phải, giữa"
    " (ví dụ image_focus: trên trái), hoặc hai số phần trăm theo chiều ngang rồi chiều dọc"
    " (ví dụ image_focus: 30% 20%)"
)


def _focus(value: Any, tz: ZoneInfo) -> tuple[int, int]:
    """`image_focus`: the point of the photo a crop keeps (`images`), in per cent."""
    if isinstance(value, list):
        raise ContentError(f"không hiểu {show(value)}", hint=_FOCUS_HINT)
    text = _text(value, tz)
    words = strip_marks(text).lower().replace(",", " ").split()
    if not words:
        return (50, 50)
    if all(re.fullmatch(r"\d{1,3}%", word) for word in words) and len(words) == 2:
        x, y = (int(word[:-1]) for word in words)
        if x <= 100 and y <= 100:
            return (x, y)
        raise ContentError(f'"{text}": mỗi số phần trăm phải từ 0% đến 100%', hint=_FOCUS_HINT)
    if len(words) <= 2 and all(word in _FOCUS_WORDS for word in words):
        across = [side for word in words if (side := _FOCUS_WORDS[word][0]) is not None]
        down = [end for word in words if (end := _FOCUS_WORDS[word][1]) is not None]
        if len(across) < 2 and len(down) < 2:  # not "trái phải"
            return (across[0] if across else 50, down[0] if down else 50)
    raise ContentError(f'không hiểu "{text}"', hint=_FOCUS_HINT)


def _until(value: Any, tz: ZoneInfo) -> datetime | None:
    """`pinned_until`: a date-time, or a date, which means until that day ends; empty: not pinned."""
    if value is None or not str(value).strip():
        return None
    moment = _moment(value, tz)
    if ":" not in str(value):  # a day alone, 2026-12-31 or 5/3/2026: until it ends
        return datetime.combine(moment.date() + timedelta(days=1), time(), tz)
    return moment


def _bool(value: Any, _tz: ZoneInfo) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        hint = "viết true (có) hoặc false (không), ví dụ draft: true"
        if str(value).strip().lower() in ("true", "false"):
            hint = f"bỏ dấu ngoặc kép: viết {str(value).strip().lower()}"
        raise ContentError(f"giá trị phải là true hoặc false, không phải {show(value)}", hint=hint)
    return value


# Fields whose value is text: read from the scalar as written, whatever YAML would make of it.
_TEXT_FIELDS = frozenset({"number", "type", "issuer", "signer"}) | frozenset(
    {
        "title",
        "summary",
        "author",
        "image",
        "image_alt",
        "image_caption",
        "image_focus",
        "slug",
        "url",
        "template",
    }
)

_FIELDS: dict[str, Coerce] = {
    "title": _title,
    "date": _moment,
    "updated": _moment,
    "provinces": _names(",;"),  # province names never hold these; theme names may
    "themes": _names(""),
    "summary": _text,
    "author": _text,
    "image": _image,
    "image_alt": _text,
    "image_caption": _text,
    "image_focus": _focus,
    "slug": _slug,
    "draft": _bool,
    "featured": _bool,
    "pinned_until": _until,
}


def _page_url(value: Any, tz: ZoneInfo) -> str:
    """A page's `url:`: an address of the site, as a folder (`/lien-he/`)."""
    url = _text(value, tz)
    hint = "ví dụ url: /gioi-thieu/lien-he/ (địa chỉ sau tên miền, bắt đầu bằng /)"
    if not url.startswith("/") or url.startswith("//"):
        raise ContentError(f'"{url}" phải bắt đầu bằng một dấu /', hint=hint)
    if any(char in url for char in "?#%\\ ") or "//" in url or "/../" in url + "/" or "/./" in url + "/":
        raise ContentError(f'"{url}" không được chứa dấu cách, ?, #, %, \\, // hoặc ..', hint=hint)
    return url if url.endswith("/") or url.rsplit("/", 1)[-1].count(".") else url + "/"


def _template(value: Any, tz: ZoneInfo) -> str:
    """A page's `template:`: a file name under templates/ (or the theme's)."""
    name = _text(value, tz)
    if not name.endswith(".html") or name.startswith("/") or ".." in name or "\\" in name:
        raise ContentError(
            f'"{name}" phải là tên một tệp .html trong templates/', hint="ví dụ template: contact.html"
        )
    return name


# An article's fields that place it among the news, which a page is not in: what to write instead.
_NOT_FOR_PAGES = {
    "date": "trang không cần ngày đăng: bỏ dòng này, hoặc ghi ngày sửa gần nhất bằng updated:",
    "provinces": "trang không hiện trong danh sách tin của tỉnh: bỏ dòng này",
    "themes": "trang không hiện trong danh sách tin của chủ đề: bỏ dòng này",
    "slug": "địa chỉ của trang theo tên tệp; muốn địa chỉ khác thì dùng url:, ví dụ url: /lien-he/",
    "featured": "chỉ bài viết mới vào mục Tin nổi bật: bỏ dòng này",
    "pinned_until": "chỉ bài viết mới được ghim ở đầu trang chủ: bỏ dòng này",
    "image_focus": "trang không có ảnh nhỏ trong danh sách: bỏ dòng này",
}


def _number(value: Any, tz: ZoneInfo) -> str:
    number = _text(value, tz)
    if not number:
        raise ContentError("số ký hiệu đang để trống", hint="ví dụ number: 125/QĐ-UBND")
    return number


def _files(value: Any, _tz: ZoneInfo) -> tuple[str, ...]:
    """A document's files: addresses of files under static/, one or a list."""
    items = value if isinstance(value, list) else [value]
    files = []
    for item in items:
        if not isinstance(item, str) or not item.strip().startswith("/"):
            raise ContentError(
                f"{show(item)} phải là địa chỉ một tệp trong static/, bắt đầu bằng /",
                hint="tệp static/van-ban/125-qd-ubnd.pdf được viết là files: [/van-ban/125-qd-ubnd.pdf]",
            )
        files.append(unquote(item.strip()))  # /van-ban/Quy%E1%BA%BFt… as the file is named
    return tuple(files)


# A document's fields (canonical names; `_DOCUMENT_KEYS` are the Vietnamese ones).
_DOCUMENT_FIELDS: dict[str, Coerce] = {
    "number": _number,
    "type": _text,
    "issuer": _text,
    "issued": _moment,
    "signer": _text,
    "summary": _text,
    "in_force": _moment,
    "expires": _moment,
    "files": _files,
    "provinces": _FIELDS["provinces"],
    "themes": _FIELDS["themes"],
    "draft": _bool,
}
_DOCUMENT_REQUIRED = ("number", "type", "issued", "summary")
_DOCUMENT_KEYS = {
    "so_ky_hieu": "number",
    "so": "number",
    "loai": "type",
    "loai_van_ban": "type",
    "co_quan_ban_hanh": "issuer",
    "noi_ban_hanh": "issuer",
    "ngay_ban_hanh": "issued",
    "nguoi_ky": "signer",
    "trich_yeu": "summary",
    "hieu_luc": "in_force",
    "ngay_hieu_luc": "in_force",
    "het_hieu_luc": "expires",
    "tep": "files",
    "tep_dinh_kem": "files",
    "tinh": "provinces",
    "chu_de": "themes",
    "ban_nhap": "draft",
}


# A page's fields: an article's but those above; and its address and template.
_PAGE_FIELDS: dict[str, Coerce] = {
    **{name: coerce for name, coerce in _FIELDS.items() if name not in _NOT_FOR_PAGES},
    "url": _page_url,
    "template": _template,
}


# Front-matter keys an editor may write in Vietnamese, with or without marks.
_VIETNAMESE_KEYS = {
    "tieu_de": "title",
    "ngay": "date",
    "ngay_dang": "date",
    "tinh": "provinces",
    "cac_tinh": "provinces",
    "chu_de": "themes",
    "tac_gia": "author",
    "tom_tat": "summary",
    "sapo": "summary",
    "anh": "image",
    "hinh_anh": "image",
    "ban_nhap": "draft",
    "nhap": "draft",
    "cap_nhat": "updated",
    "ngay_cap_nhat": "updated",
}


def _check_not_a_typo(key: str, fields: dict[str, Coerce]) -> None:
    """Other keys are kept for templates, but `province:`, `titel:` or `tỉnh:` is a mistake."""
    meant = _VIETNAMESE_KEYS.get("_".join(strip_marks(key).lower().split()))
    if meant:
        raise ContentError("newsgen dùng tên khóa tiếng Anh", hint=f'viết "{meant}:" thay cho "{key}:"')
    if any(field in key for field in fields):
        return  # subtitle, author_bio, updated_by: fields of their own
    close = [field for field in fields if _edit_distance(key, field) <= (2 if len(field) >= 8 else 1)]
    if close:
        raise ContentError("khóa này không có trong newsgen", hint=f'có phải "{close[0]}"?')


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swap of two neighbours counts as one edit (titel)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _check_not_cut_by_comment(key: str, raw_line: str) -> None:
    """`title: Giải #1 năm 2023` loses everything after `#`, which YAML reads as a comment.

    A comment the editor meant (`date: 2023-02-20  # giờ Việt Nam`) has a space after the `#`.
    """
    written = raw_line.split(":", 1)[-1].strip()
    if written[:1] not in ("'", '"') and re.search(r"\s#\S", written):
        raise ContentError(
            "phần sau dấu # bị YAML coi là ghi chú và bị bỏ mất",
            hint=f'đặt cả giá trị trong ngoặc kép, ví dụ {key}: "{written}"',
        )


def fingerprint(config: Config) -> str:
    """Everything besides a file's bytes that shapes its Source, including newsgen's own code."""
    parts = (
        markdown.__version__,
        yaml.__version__,
        markup.EXTENSIONS,
        code_digest(),
        config.timezone.key,
        config.summary_length,
    )
    return digest(repr(parts).encode())
