"""`load_config`: newsgen.yaml and command-line options into one frozen, validated `Config`."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError, ContentError, NewsgenError, Problems, UsageError
from ..text.vietnamese import is_unmarked, normalize_text, slugify, sort_key, strip_marks, term_key
from .links import LinkBlock, check_link_blocks
from .menu import MenuEntry, check_menu
from .yamlfile import Mapping, Sequence, load_yaml, show, unknown_key

CONFIG_FILE = "newsgen.yaml"
DEFAULT_PROVINCES = ("Sơn La", "Lai Châu", "Điện Biên", "Lào Cai", "Hà Giang", "Cao Bằng", "Lạng Sơn")
# Since 1 July 2025 (63 provinces became 34) Hà Giang is part of Tuyên Quang and Yên Bái part of
# Lào Cai: each a province of its own until then, so that older articles keep their names.
REORGANISED_2025 = date(2025, 6, 30)  # the last day of the provinces that were merged
FORMER_PROVINCES = {"Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai"}  # → where each went
# The kinds of official documents (văn bản) a department publishes, with the short forms of
# their numbers (125/QĐ-UBND) as aliases.
DEFAULT_DOCUMENT_TYPES = (
    ("Quyết định", ("QĐ",)),
    ("Kế hoạch", ("KH",)),
    ("Công văn", ("CV",)),
    ("Thông báo", ("TB",)),
    ("Báo cáo", ("BC",)),
    ("Chỉ thị", ("CT",)),
    ("Nghị quyết", ("NQ",)),
    ("Hướng dẫn", ("HD",)),
    ("Tờ trình", ("TTr",)),
    ("Thông tư", ("TT",)),
    ("Nghị định", ("NĐ",)),
    ("Luật", ()),
)
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PERMALINK_FIELDS = {"year", "month", "day", "slug"}
_PERMALINK_LITERAL = re.compile(r"^[a-z0-9/_.-]*$")  # what may stand between the {fields}


@dataclass(frozen=True)
class VocabularyEntry:
    """One province or theme: its display name, URL slug, other names and notes."""

    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    note: str = ""
    since: date | None = None  # the first day the name stands for something (a new province)
    until: date | None = None  # the last day (a province merged into another)
    successor: str = ""  # the entry that took over after `until`


@dataclass(frozen=True)
class Vocabulary:
    """A controlled list of terms; `closed` means names outside it are errors."""

    entries: tuple[VocabularyEntry, ...]
    closed: bool = True
    _by_key: dict[str, VocabularyEntry] = field(default_factory=dict, compare=False, repr=False)
    # the entries by their names and aliases without marks: "Dien Bien" typed on a phone
    _by_bare: dict[str, list[VocabularyEntry]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for name in (entry.name, *entry.aliases):
                self._by_key[term_key(name)] = entry
                alike = self._by_bare.setdefault(strip_marks(term_key(name)), [])
                if entry not in alike:
                    alike.append(entry)

    def lookup(self, name: str) -> VocabularyEntry | None:
        """The entry that `name` (any case, NFC or NFD, either tone placement, or an alias)
        stands for; or, typed without marks, the one entry it is without them."""
        found = self._by_key.get(term_key(name))
        if found is None and is_unmarked(name):
            alike = self._by_bare.get(term_key(name), ())
            return alike[0] if len(alike) == 1 else None
        return found

    def unknown_hint(self, name: str, otherwise: str) -> str:
        """What to say of a `name` that is not in the list: the entries it could mean, or
        `otherwise`."""
        alike = self._by_bare.get(term_key(name), []) if is_unmarked(name) else []
        if len(alike) > 1:
            return "viết có dấu để chọn một: " + " hay ".join(f'"{entry.name}"' for entry in alike)
        suggestion = self.suggest(name)
        return f'có phải "{suggestion}"?' if suggestion else otherwise

    def unknown(self, kind: str, name: str, line: int | None) -> ContentError:
        """The error of an article's province or theme (`kind`) that this closed list lacks."""
        label = "tỉnh" if kind == "provinces" else "chủ đề"
        hint = self.unknown_hint(
            name, f"dùng một tên trong danh sách {kind} của newsgen.yaml, hoặc thêm tên này vào đó"
        )
        return ContentError(f'{label} "{name}" không có trong danh sách', line=line, hint=hint)

    def suggest(self, name: str) -> str | None:
        """The entry name closest to a mistyped `name`, compared with and without diacritics."""
        typed = strip_marks(term_key(name))
        bare = {strip_marks(key): entry.name for key, entry in self._by_key.items()}
        match = difflib.get_close_matches(typed, list(bare), n=1, cutoff=0.6)
        return bare[match[0]] if match else None


@dataclass(frozen=True)
class Contact:
    """What the footer of a government site must say: who runs it and how to reach them."""

    owner: str = ""  # Cơ quan chủ quản
    editor: str = ""  # Chịu trách nhiệm chính
    address: str = ""
    phone: str = ""
    email: str = ""
    citation: str = ""  # the notice to cite the source when republishing; empty: the theme's own


MESSAGES_FILE = Path(__file__).parent.parent / "theme" / "messages.yaml"


@functools.cache
def _theme_messages() -> dict[str, str]:
    loaded = load_yaml(MESSAGES_FILE.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in loaded.items()}


@dataclass(frozen=True)
class Messages:
    """Every text visitors see, by key: the theme's messages.yaml, with the site's `messages:`
    over it. Texts may hold {placeholders}, filled by `text`."""

    texts: dict[str, str] = field(default_factory=lambda: dict(_theme_messages()))

    def text(self, key: str, **values: object) -> str:
        """The text of `key`, its placeholders filled from `values` (given none, left for a script
        to fill); templates call it as t()."""
        if key not in self.texts:
            close = difflib.get_close_matches(key, list(self.texts), n=1)
            raise KeyError(
                f'không có câu "{key}" trong messages' + (f' (có phải "{close[0]}"?)' if close else "")
            )
        return self.texts[key].format(**values) if values else self.texts[key]  # as it is: for scripts


def _placeholders(text: str) -> set[str]:
    """The {names} in `text`; ValueError for a brace left open or a stray one."""
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


@dataclass(frozen=True)
class Emc:
    """The EMC monitoring script and its badge, which the Ministry asks government sites to carry
    (their addresses come with the site's registration). Left empty, nothing is loaded."""

    script: str = ""  # the monitoring script's address; loaded with `defer`
    badge_image: str = ""  # the badge's image
    badge_link: str = ""  # where the badge leads


@dataclass(frozen=True)
class Counter:
    """The visit-statistics block: which counter it asks (none, newsgen's own, or GoatCounter), and
    where."""

    mode: str = "none"  # none | newsgen | goatcounter
    # newsgen: https://… or /thong-ke behind the same host; goatcounter: https://CODE.goatcounter.com
    endpoint: str = ""
    offset: int = 0  # goatcounter: added to its total, carried over from the old portal


@dataclass(frozen=True)
class Images:
    """How the site's photos are published (`images/`): `enabled: false` copies them as they are."""

    enabled: bool = True
    widths: tuple[int, ...] = (360, 720, 1080, 1600)  # pixels across; the widest is the photo's own address
    quality: int = 75  # JPEG and WebP, 1–95
    webp: bool = True  # a WebP copy of each width, beside the photo's own format
    # Width to height of the theme's list thumbnails: an article's photo is cropped so for them.
    thumbnail_ratio: tuple[int, int] = (16, 9)


@dataclass(frozen=True)
class Config:
    """Everything a build depends on besides the content. Paths are absolute."""

    source_dir: Path
    output_dir: Path
    site_name: str = "Tin tức"
    site_description: str = ""
    base_url: str = "/"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    per_page: int = 10
    permalink: str = "/{year}/{month}/{slug}/"
    summary_length: int = 220
    feed_items: int = 20  # the newest articles each RSS and Atom feed holds
    feed_full_content: bool = False  # feeds carry each article's whole text, not only its summary
    search: bool = True  # a search page, and the index it searches
    images: Images = field(default_factory=Images)
    provinces: Vocabulary = field(default_factory=lambda: _default_provinces())
    themes: Vocabulary = field(default_factory=lambda: Vocabulary((), closed=False))
    document_types: Vocabulary = field(default_factory=lambda: _default_document_types())
    issuers: Vocabulary = field(default_factory=lambda: Vocabulary((), closed=False))
    contact: Contact = field(default_factory=Contact)
    logo: str = ""  # the emblem or logo shown before the site's name: an image under static/
    link_blocks: tuple[LinkBlock, ...] = ()  # links and banners in the sidebar or footer (`links`)
    menu: tuple[MenuEntry, ...] = ()  # the main menu (`menu`); empty: the theme's
    emc: Emc = field(default_factory=Emc)
    counter: Counter = field(default_factory=Counter)
    messages: Messages = field(default_factory=Messages)
    extra: dict[str, Any] = field(default_factory=dict)
    drafts: bool = False  # build drafts too (--drafts)
    future: bool = False  # build articles dated later than now too (--future)

    @property
    def content_dir(self) -> Path:
        return self.source_dir / "content"

    @property
    def templates_dir(self) -> Path:
        return self.source_dir / "templates"

    @property
    def static_dir(self) -> Path:
        return self.source_dir / "static"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: `/`, or `/tin-tuc/` for a sub-path host."""
        return urlsplit(self.base_url).path or "/"


def _default_provinces() -> Vocabulary:
    names = sorted({*DEFAULT_PROVINCES, *FORMER_PROVINCES, *FORMER_PROVINCES.values()}, key=sort_key)
    return Vocabulary(
        tuple(
            VocabularyEntry(
                name,
                slugify(name),
                until=REORGANISED_2025 if name in FORMER_PROVINCES else None,
                successor=FORMER_PROVINCES.get(name, ""),
            )
            for name in names
        )
    )


def _default_document_types() -> Vocabulary:
    return Vocabulary(
        tuple(VocabularyEntry(name, slugify(name), aliases) for name, aliases in DEFAULT_DOCUMENT_TYPES)
    )


# Every key newsgen.yaml may hold, with the type its value must have.
_KEYS: dict[str, type] = {
    "site_name": str,
    "site_description": str,
    "base_url": str,
    "timezone": str,
    "per_page": int,
    "permalink": str,
    "summary_length": int,
    "feed_items": int,
    "feed_full_content": bool,
    "search": bool,
    "images": object,  # false, or a table: `_check_images`
    "provinces": list,
    "themes": list,
    "document_types": list,
    "issuers": list,
    "contact": dict,
    "logo": str,
    "link_blocks": list,
    "menu": list,
    "emc": dict,
    "counter": dict,
    "messages": dict,
    "extra": dict,
}
_TYPE_NAMES = {
    str: "một chuỗi văn bản",
    int: "một số nguyên",
    bool: "true hoặc false",
    list: "một danh sách",
    dict: "một bảng khóa: giá trị",
}
_ENTRY_KEYS: dict[str, type] = {
    "name": str,
    "slug": str,
    "aliases": list,
    "description": str,
    "note": str,
    "since": str,
    "until": str,
    "successor": str,
}


def load_config(
    source_dir: Path,
    *,
    output_dir: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    future: bool = False,
) -> Config:
    """Read `source_dir/newsgen.yaml` (optional) and apply command-line overrides.

    Reports every problem of the file at once, each with its line, as a `BuildFailed`.
    """
    source_dir = source_dir.resolve()
    if not source_dir.is_dir():
        raise UsageError(
            f"không tìm thấy thư mục của trang {source_dir}",
            path="--source",
            hint="kiểm tra đường dẫn, hoặc chạy lệnh trong thư mục có content/ và newsgen.yaml",
        )
    path = source_dir / CONFIG_FILE
    raw = Mapping()
    if os.path.lexists(path) and not path.is_file():  # a folder, a broken link: not "no config"
        raise ConfigError(
            "newsgen.yaml không phải một tệp đọc được (là thư mục, liên kết hỏng hay tệp đặc biệt)",
            path=CONFIG_FILE,
            hint="thay nó bằng một tệp newsgen.yaml thường, hoặc xóa đi để dùng cấu hình mặc định",
        )
    if path.is_file():
        try:
            loaded = load_yaml(normalize_text(path.read_text(encoding="utf-8-sig"))) or Mapping()
        except OSError as error:
            raise ConfigError(f"không đọc được tệp ({error.strerror})", path=CONFIG_FILE) from None
        except UnicodeDecodeError:
            raise ConfigError(
                "tệp không được lưu theo mã UTF-8", path=CONFIG_FILE, hint="lưu lại tệp với mã hóa UTF-8"
            ) from None
        except NewsgenError as error:
            raise ConfigError(error.message, path=CONFIG_FILE, line=error.line, hint=error.hint) from None
        if not isinstance(loaded, Mapping):
            raise ConfigError(
                "tệp cấu hình phải là một bảng khóa: giá trị",
                path=CONFIG_FILE,
                line=1,
                hint="mỗi dòng có dạng khóa: giá trị, ví dụ site_name: Tin tức Điện Biên",
            )
        raw = loaded

    problems = Problems()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        with problems.about(CONFIG_FILE):
            values[str(key)] = _check_key(key, value, raw.lines[key])
    with problems.about(CONFIG_FILE):
        values = _convert(values, raw.lines)
    problems.raise_if_any()

    if base_url is not None:
        values["base_url"] = _check_base_url(base_url, line=None)
    return Config(
        source_dir=source_dir,
        output_dir=(output_dir or source_dir / "build").resolve(),
        drafts=drafts,
        future=future,
        **values,
    )


def _check_key(key: Any, value: Any, line: int) -> Any:
    if key not in _KEYS:
        close = difflib.get_close_matches(str(key), list(_KEYS), n=1)
        hint = f'có phải "{close[0]}"?' if close else "các khóa hợp lệ: " + ", ".join(_KEYS)
        raise ConfigError(f'khóa "{key}" không có trong cấu hình của newsgen', line=line, hint=hint)
    if _KEYS[key] is not object:  # else checked by its own function in `_convert`
        _check_type(key, value, _KEYS[key], line)
    return value


def _check_type(key: str, value: Any, expected: type, line: int) -> None:
    # bool is an int in Python, but `per_page: true` is a mistake.
    if isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool):
        return
    hint = f"sửa dòng {key}: cho đúng kiểu"
    quoted = value.strip() if isinstance(value, str) else ""
    if (expected is int and quoted.isdigit()) or (expected is bool and quoted in ("true", "false")):
        hint = f"bỏ dấu ngoặc kép: {key.rsplit('.', 1)[-1]}: {quoted}"
    raise ConfigError(
        f'giá trị của "{key}" phải là {_TYPE_NAMES[expected]}, không phải {show(value)}', line=line, hint=hint
    )


def _convert(values: dict[str, Any], lines: dict[Any, int]) -> dict[str, Any]:
    """Turn checked raw values into the types Config holds."""
    problems = Problems()
    converted: dict[str, Any] = {}
    for key, value in values.items():
        with problems.about(CONFIG_FILE):
            line = lines[key]
            if key == "timezone":
                converted[key] = _check_timezone(value, line)
            elif key == "base_url":
                converted[key] = _check_base_url(value, line)
            elif key == "permalink":
                converted[key] = _check_permalink(value, line)
            elif key in ("per_page", "summary_length", "feed_items"):
                if value < 1:
                    raise ConfigError(f'"{key}" phải lớn hơn 0', line=line, hint=f"ví dụ {key}: 10")
                converted[key] = value
            elif key in ("provinces", "themes", "document_types", "issuers"):
                converted[key] = _check_vocabulary(key, value, problems)
            elif key == "contact":
                converted[key] = _check_section(key, value, line)
            elif key == "emc":
                converted[key] = _check_emc(_check_section(key, value, line), value, line)
            elif key == "counter":
                converted[key] = _check_counter(_check_section(key, value, line), line)
            elif key == "messages":
                converted[key] = _check_messages(value, line, problems)
            elif key == "images":
                converted[key] = _check_images(value, line)
            elif key == "link_blocks":
                converted[key] = check_link_blocks(value, line, problems)
            elif key == "menu":
                converted[key] = check_menu(value, line, problems)
            else:
                converted[key] = value
    problems.raise_if_any()
    return converted


def _check_timezone(name: str, line: int) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f'múi giờ "{name}" không tồn tại', line=line, hint="dùng tên IANA, ví dụ Asia/Ho_Chi_Minh"
        ) from None


def _check_base_url(url: str, line: int | None) -> str:
    parts = urlsplit(url)
    absolute = parts.scheme in ("http", "https") and parts.netloc
    rooted = not parts.scheme and not parts.netloc and url.startswith("/")
    # A backslash or space would make browsers read the links as another host's or break them.
    if not (absolute or rooted) or any(char in url for char in "\\ ?#"):
        error_type = ConfigError if line else UsageError
        raise error_type(
            f'base_url "{url}" không hợp lệ',
            path=CONFIG_FILE if line else "--base-url",
            line=line,
            hint="dùng địa chỉ đầy đủ như https://stttt.dienbien.gov.vn/ hoặc một đường dẫn như /tin-tuc/",
        )
    return url if url.endswith("/") else url + "/"


def _check_permalink(pattern: str, line: int) -> str:
    fields = re.findall(r"\{([^{}]*)\}", pattern)
    literal = re.sub(r"\{[^{}]*\}", "", pattern)
    if (
        not set(fields) <= _PERMALINK_FIELDS
        or "slug" not in fields
        or not pattern.startswith("/")
        or not pattern.endswith("/")
        or not _PERMALINK_LITERAL.match(literal)
        or ".." in pattern
        or "//" in pattern  # an empty folder name: the page would be written elsewhere than its URL
        or "/./" in pattern
    ):
        raise ConfigError(
            f'permalink "{pattern}" không hợp lệ',
            line=line,
            hint="mẫu phải bắt đầu và kết thúc bằng /, có {slug}, và chỉ dùng {year}, {month}, {day}, {slug}",
        )
    return pattern


_SECTIONS: dict[str, type[Contact] | type[Emc] | type[Counter] | type[Images]] = {
    "contact": Contact,
    "emc": Emc,
    "counter": Counter,
    "images": Images,
}
_COUNTER_MODES = ("none", "newsgen", "goatcounter")


def _check_counter(counter: Contact | Emc | Counter | Images, line: int) -> Counter:
    assert isinstance(counter, Counter)
    if counter.mode not in _COUNTER_MODES:
        raise ConfigError(
            f'counter.mode "{counter.mode}" không có',
            line=line,
            hint="chọn một trong: " + ", ".join(_COUNTER_MODES),
        )
    endpoint = urlsplit(counter.endpoint)
    reachable = (endpoint.scheme in ("http", "https") and endpoint.netloc) or counter.endpoint.startswith("/")
    if counter.mode != "none" and not reachable:
        raise ConfigError(
            "counter cần endpoint: địa chỉ của bộ đếm",
            line=line,
            hint="ví dụ endpoint: https://thongke.dienbien.gov.vn hoặc /thong-ke (cùng địa chỉ với trang)",
        )
    if counter.offset and counter.mode != "goatcounter":
        raise ConfigError(
            "counter.offset chỉ dùng với mode: goatcounter",
            line=line,
            hint="bộ đếm của newsgen nhận số cũ khi chạy: newsgen counter serve --offset N",
        )
    if counter.offset < 0:
        raise ConfigError(
            "counter.offset không được là số âm",
            line=line,
            hint="ghi tổng số lượt truy cập cũ, ví dụ 82744820",
        )
    if counter.mode == "goatcounter":  # the address its own docs give for count.js works too
        return dataclasses.replace(counter, endpoint=counter.endpoint.rstrip("/").removesuffix("/count"))
    return counter


def _check_images(value: Any, line: int) -> Images:
    """`images: false`, or a table of `Images`' keys."""
    if value is False or value is True:
        return Images(enabled=value)
    if not isinstance(value, dict):
        raise ConfigError(
            f'giá trị của "images" phải là false hoặc một bảng khóa: giá trị, không phải {show(value)}',
            line=line,
            hint="images: false để chép ảnh nguyên như cũ; hoặc images: {widths: [360, 720, 1080, 1600]}",
        )
    lines = getattr(value, "lines", {})
    ratio = value.get("thumbnail_ratio", [16, 9])
    if (
        not isinstance(ratio, list)
        or len(ratio) != 2
        or not all(type(n) is int and 1 <= n <= 100 for n in ratio)
        or max(ratio) > 4 * min(ratio)  # a strip, not a photo
    ):
        written = getattr(value, "raw", {}).get("thumbnail_ratio", ratio)  # 16:9 is 969 to YAML
        raise ConfigError(
            "images.thumbnail_ratio phải là hai số từ 1 đến 100 trong ngoặc vuông, số lớn không quá 4"
            " lần số nhỏ: chiều rộng và chiều cao của ảnh nhỏ trong danh sách bài, không phải"
            f" {show(written)}",
            line=lines.get("thumbnail_ratio", line),
            hint="ví dụ thumbnail_ratio: [16, 9], hoặc [4, 3] cho ảnh gần vuông hơn",
        )
    images = _check_section("images", value, line)
    assert isinstance(images, Images)
    widths = images.widths
    if not widths or not all(type(width) is int and 16 <= width <= 8000 for width in widths):
        raise ConfigError(
            "images.widths phải là danh sách các độ rộng ảnh, mỗi số từ 16 đến 8000 (điểm ảnh)",
            line=lines.get("widths", line),
            hint="ví dụ widths: [360, 720, 1080, 1600]",
        )
    quality = images.quality
    if not 1 <= quality <= 95:
        raise ConfigError(
            f"images.quality phải từ 1 đến 95, không phải {quality}",
            line=lines.get("quality", line),
            hint="75 là mức thường dùng: ảnh nhẹ mà mắt khó thấy khác",
        )
    ratio = images.thumbnail_ratio
    if len(ratio) != 2 or not all(type(side) is int and 1 <= side <= 100 for side in ratio):
        raise ConfigError(
            "images.thumbnail_ratio phải là hai số từ 1 đến 100: chiều rộng và chiều cao của ảnh nhỏ",
            line=lines.get("thumbnail_ratio", line),
            hint="ví dụ thumbnail_ratio: [16, 9], hoặc [4, 3] cho ảnh gần vuông hơn",
        )
    return dataclasses.replace(
        images, widths=tuple(sorted(set(widths))), thumbnail_ratio=(ratio[0], ratio[1])
    )


def _check_section(name: str, values: dict[str, Any], line: int) -> Contact | Emc | Counter | Images:
    """A table (`contact:`, `emc:`, `counter:`), every key one its dataclass has, every value of the
    type of that key's default."""
    section = _SECTIONS[name]
    known = tuple(item.name for item in dataclasses.fields(section))
    lines = getattr(values, "lines", {})
    for key, value in values.items():
        key_line = lines.get(key, line)
        if key not in known:
            raise unknown_key(key, known, name, key_line)
        default = getattr(section(), key)
        _check_type(f"{name}.{key}", value, list if type(default) is tuple else type(default), key_line)
    checked: dict[str, Any] = {
        key: value.strip() if isinstance(value, str) else value for key, value in values.items()
    }
    return section(**checked)


def _check_emc(emc: Any, values: dict[str, Any], line: int) -> Emc:
    """The EMC script is loaded from the site or over HTTPS: the pages' security policy names its
    host, and the shipped nginx allows no script over plain http."""
    lines = getattr(values, "lines", {})
    address = emc.script
    if address and not (address.startswith("/") and not address.startswith("//")):
        try:
            parts = urlsplit(address)
            valid = (
                parts.scheme == "https" and bool(parts.hostname) and not parts.username and parts.port != 0
            )
        except ValueError:  # https://[x/a.js, or a port that is not a number
            valid = False
        if not valid:
            raise ConfigError(
                f'emc.script phải là địa chỉ https://… đầy đủ của tệp mã theo dõi, không phải "{address}"',
                line=lines.get("script", line),
                hint="chép đúng địa chỉ được cấp khi đăng ký, ví dụ script: https://ten-mien-duoc-cap/emc.js",
            )
    return emc  # type: ignore[no-any-return]


def _check_messages(values: dict[str, Any], line: int, problems: Problems) -> Messages:
    """The theme's texts, with the site's own for the keys it gives; each key one the theme has,
    each text with none but the theme's {placeholders}."""
    texts = dict(_theme_messages())
    lines = getattr(values, "lines", {})
    for key, value in values.items():
        key_line = lines.get(key, line)
        with problems.about(CONFIG_FILE):
            if key not in texts:
                close = difflib.get_close_matches(str(key), list(texts), n=1)
                hint = (
                    f'có phải "{close[0]}"?'
                    if close
                    else f"xem các khóa trong {MESSAGES_FILE.name} của giao diện"
                )
                raise ConfigError(f'khóa "{key}" không có trong messages', line=key_line, hint=hint)
            _check_type(f"messages.{key}", value, str, key_line)
            allowed = _placeholders(texts[key])
            try:
                used = _placeholders(value)
            except ValueError:
                used = {"{"}
            if not used <= allowed:
                shown = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "không có chỗ nào"
                raise ConfigError(
                    f'câu "{key}" có chỗ trống hay dấu {{ }} mà câu gốc không có',
                    line=key_line,
                    hint=f"câu này chỉ dùng được: {shown}; muốn viết dấu {{ thì viết {{{{",
                )
            texts[key] = value
    return Messages(texts)


def _check_vocabulary(key: str, items: Sequence, problems: Problems) -> Vocabulary:
    entries: list[VocabularyEntry] = []
    seen: dict[str, str] = {}  # term key or slug → the entry name that took it
    successor_lines: dict[str, int] = {}  # entry name → its successor's line
    for item, line in zip(items, items.lines, strict=True):
        with problems.about(CONFIG_FILE):
            entry = _check_entry(key, item, line)
            successor_lines[entry.name] = getattr(item, "lines", {}).get("successor", line)
            for taken in [term_key(n) for n in (entry.name, *entry.aliases)] + [entry.slug]:
                if taken in seen and seen[taken] != entry.name:
                    raise ConfigError(
                        f'"{entry.name}" trùng tên, tên gọi khác hoặc slug với "{seen[taken]}" trong {key}',
                        line=line,
                        hint="mỗi tỉnh hoặc chủ đề cần tên và slug riêng",
                    )
                seen[taken] = entry.name
            entries.append(entry)
    # an empty list of themes or issuers, whose default is open, leaves them open
    vocabulary = Vocabulary(tuple(entries), closed=bool(entries) or key not in ("themes", "issuers"))
    for entry in entries:
        successor = vocabulary.lookup(entry.successor) if entry.successor else entry
        if successor is None or (entry.successor and successor is entry):
            said = "là chính nó" if successor is entry else f"không có trong {key}"
            with problems.about(CONFIG_FILE):
                raise ConfigError(
                    f'successor của "{entry.name}" là "{entry.successor}", {said}',
                    line=successor_lines[entry.name],
                    hint=f"successor là tên mục thay cho {entry.name} từ sau ngày until, có trong {key}",
                )
    return vocabulary


def _check_entry(key: str, item: Any, line: int) -> VocabularyEntry:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict):
        raise ConfigError(
            f"mỗi mục trong {key} phải là một tên hoặc một bảng có name:",
            line=line,
            hint="ví dụ: - name: Điện Biên",
        )
    lines = getattr(item, "lines", {})
    for entry_key, value in item.items():
        entry_line = lines.get(entry_key, line)
        if entry_key not in _ENTRY_KEYS:
            raise ConfigError(
                f'khóa "{entry_key}" không dùng được trong {key}',
                line=entry_line,
                hint="các khóa hợp lệ: " + ", ".join(_ENTRY_KEYS),
            )
        _check_type(f"{key}.{entry_key}", value, _ENTRY_KEYS[entry_key], entry_line)
    name = str(item.get("name", "")).strip()
    if not name:
        raise ConfigError(f"một mục trong {key} thiếu name:", line=line, hint="thêm name: Tên tỉnh")
    slug = item.get("slug") or slugify(name)
    if not _SLUG.match(slug):
        raise ConfigError(
            f'slug "{slug}" của "{name}" không hợp lệ',
            line=lines.get("slug", line),
            hint="slug chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ dien-bien",
        )
    aliases = item.get("aliases", [])
    if not all(isinstance(alias, str) for alias in aliases):
        raise ConfigError(
            f'aliases của "{name}" phải là danh sách tên', line=line, hint="ví dụ aliases: [Mường Thanh]"
        )
    since, until = (_day(item.get(end, ""), lines.get(end, line), end) for end in ("since", "until"))
    if since and until and until < since:
        raise ConfigError(
            f'"{name}": until phải sau since', line=lines.get("until", line), hint="kiểm tra lại hai ngày"
        )
    successor = item.get("successor", "").strip()
    if successor and not until:
        raise ConfigError(
            f'"{name}" có successor mà không có until',
            line=lines.get("successor", line),
            hint=f"thêm until: ngày cuối cùng của {name}, ví dụ until: 30/06/2025",
        )
    return VocabularyEntry(
        name=name,
        slug=slug,
        aliases=tuple(aliases),
        description=item.get("description", ""),
        note=item.get("note", ""),
        since=since,
        until=until,
        successor=successor,
    )


_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _day(text: str, line: int, key: str) -> date | None:
    """A day as Vietnamese write it (30/06/2025) or in ISO 8601 (2025-06-30); None if empty."""
    text = text.strip()
    if not text:
        return None
    try:
        found = _DAY.fullmatch(text)
        if found:
            day, month, year = map(int, found.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f'{key}: "{text}" sai dạng ngày hoặc là ngày không có thật',
            line=line,
            hint="viết ngày/tháng/năm, ví dụ 30/06/2025",
        ) from None
