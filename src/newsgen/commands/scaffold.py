"""`newsgen init` and `newsgen new`: a new site's files, a new article's or document's file.
Never overwrite a file."""

from __future__ import annotations

import importlib.metadata
import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from ..config.settings import CONFIG_FILE, Config, Vocabulary
from ..errors import UsageError
from ..files import list_files
from ..text.vietnamese import normalize_text, slugify
from ..version import __version__

ARTICLES_DIR = "content/articles"
DOCUMENTS_DIR = "content/van-ban"
STARTER_DIR = Path(__file__).parent.parent / "starter"
# Kept without their dot inside the package, where packaging tools may leave hidden files out.
_HIDDEN = {
    "gitignore": ".gitignore",
    "gitkeep": ".gitkeep",
    "github": ".github",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}
CI_FILES = (".github/workflows/newsgen.yml", ".gitlab-ci.yml")
GUIDE = "docs/huong-dan-bien-tap-vien.md"  # the editors' guide, in Vietnamese, with its pictures
# The CI files install newsgen: this very one, from where pip found it.
_PACKAGE_PLACEHOLDER = b"@NEWSGEN_PACKAGE@"


def init_site(folder: Path) -> tuple[list[str], list[str]]:
    """Write into `folder` the starter site's files it lacks: the config, an example article (if
    content/ has none), the pages its menu leads to (with that menu), `templates/`, `static/` and
    a `.gitignore`.
    Returns the files written and those left alone."""
    written: list[str] = []
    left_alone: list[str] = []
    has_articles = any(name.lower().endswith(".md") for name in list_files(folder / "content"))
    has_config = (folder / CONFIG_FILE).exists()
    for name in list_files(STARTER_DIR):
        if has_articles and name.startswith("content/articles/"):
            continue  # a site with articles of its own needs no example
        if has_config and name.startswith("content/pages/"):
            continue  # the starter's menu leads to these pages; the site's own menu does not
        relative = "/".join(_HIDDEN.get(part, part) for part in name.split("/"))
        target = folder / relative
        data = (STARTER_DIR / name).read_bytes().replace(_PACKAGE_PLACEHOLDER, newsgen_requirement().encode())
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as file:  # "x": never over a file already there
                file.write(data)
        except FileExistsError:
            left_alone.append(relative)
            continue
        except OSError as error:
            raise UsageError(
                f"không ghi được {target}: {error.strerror}",
                hint="chọn một thư mục mà bạn có quyền ghi",
            ) from None
        written.append(relative)
    return written, left_alone


def newsgen_requirement() -> str:
    """What pip needs to install this newsgen in CI: the Git address and commit it was installed
    from, if pip took it from a Git repository, else its version (from a package index)."""
    try:
        recorded = importlib.metadata.distribution("newsgen").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        recorded = None
    origin = json.loads(recorded) if recorded else {}
    vcs = origin.get("vcs_info")
    if vcs and not origin["url"].startswith("file:"):
        return f"newsgen @ {vcs['vcs']}+{origin['url']}@{vcs['commit_id']}"
    return f"newsgen=={__version__}"


def new_article(config: Config, title: str, provinces: list[str], themes: list[str], now: datetime) -> Path:
    """Write `content/articles/YYYY/MM/<slug>.md` as a draft dated `now` in the site's time zone,
    and return its path. Names are checked against the vocabularies, as a build checks them."""
    _in_a_site(config)
    title = " ".join(normalize_text(title).split())
    slug = slugify(title)
    if not slug:
        raise UsageError(
            f'tiêu đề "{title}" không có chữ hoặc số để làm đường dẫn',
            hint='viết tiêu đề bằng chữ, ví dụ newsgen new "Điện Biên đẩy mạnh chuyển đổi số"',
        )
    when = now.astimezone(config.timezone)
    path = config.source_dir / ARTICLES_DIR / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
    fields = {
        "title": title,
        "date": f"{when:%d/%m/%Y %H:%M}",  # as Vietnamese write it
        "provinces": _names(config.provinces, provinces, "tỉnh", "--province"),
        "themes": _names(config.themes, themes, "chủ đề", "--theme"),
    }
    hints = (
        "author: Họ và tên  # tác giả",
        'summary: "Một hai câu tóm tắt"  # sapo; bỏ trống thì lấy đoạn đầu của bài',
        "image: /images/ten-anh.jpg  # ảnh đại diện, tệp static/images/ten-anh.jpg",
        'image_alt: "Mô tả ngắn nội dung ảnh"  # cho người đọc bằng máy đọc màn hình',
    )
    text = _front_matter(fields, hints)
    text += (
        "Nội dung bài viết. Bỏ dấu # ở đầu những dòng cần dùng ở trên; "
        "bỏ dòng draft: true khi bài đã sẵn sàng đăng.\n"
    )
    _write_new(config, path, text, "bài khác, hãy đặt tiêu đề khác")
    return path


def new_document(
    config: Config,
    summary: str,
    number: str,
    doc_type: str,
    issuer: str,
    provinces: list[str],
    themes: list[str],
    now: datetime,
) -> Path:
    """Write `content/van-ban/<number as a slug>.md`, a draft issued `now` (the site's day), with
    the lines still to fill in as comments; return its path. Its type and issuer are checked
    against the vocabularies, as a build checks them."""
    _in_a_site(config)
    summary, number, doc_type, issuer = (
        " ".join(normalize_text(text).split()) for text in (summary, number, doc_type, issuer)
    )
    for value, option, example in (
        (summary, "--van-ban", '--van-ban "Về việc ban hành Kế hoạch chuyển đổi số năm 2026"'),
        (number, "--so", '--so "125/QĐ-UBND"'),
        (doc_type, "--loai", '--loai "Quyết định"'),
    ):
        if not value:
            raise UsageError(
                "một văn bản cần trích yếu, số ký hiệu và loại văn bản", path=option, hint=f"ví dụ {example}"
            )
    slug = slugify(number)
    if not slug:
        raise UsageError(
            f'số ký hiệu "{number}" không có chữ hoặc số để làm đường dẫn',
            path="--so",
            hint='ví dụ --so "125/QĐ-UBND"',
        )
    day = f"{now.astimezone(config.timezone):%d/%m/%Y}"
    fields: dict[str, object] = {
        "number": number,
        "type": _name(config.document_types, doc_type, "loại văn bản", "--loai"),
        "issued": day,
        "summary": summary,
    }
    if issuer:  # one name, commas and all: "Sở Văn hóa, Thể thao và Du lịch"
        fields["issuer"] = _name(config.issuers, issuer, "cơ quan ban hành", "--co-quan")
    if provinces:
        fields["provinces"] = _names(config.provinces, provinces, "tỉnh", "--province")
    if themes:
        fields["themes"] = _names(config.themes, themes, "chủ đề", "--theme")
    hints = (
        *(() if issuer else ("issuer: UBND tỉnh …  # cơ quan ban hành",)),
        "signer: Họ và tên  # người ký",
        f"in_force: {day}  # ngày có hiệu lực, nếu khác ngày ban hành",
        "expires: 31/12/2030  # ngày hết hiệu lực, nếu có",
        f"files: [/van-ban/{slug}.pdf]  # tệp đặt trong static/van-ban/",
    )
    text = _front_matter(fields, hints)
    text += "Bỏ dấu # ở đầu những dòng cần dùng ở trên. Bỏ dòng draft: true khi văn bản đã sẵn sàng đăng.\n"
    path = config.source_dir / DOCUMENTS_DIR / f"{slug}.md"
    _write_new(config, path, text, "văn bản khác, hãy kiểm tra số ký hiệu")
    return path


def _front_matter(fields: Mapping[str, object], hints: tuple[str, ...]) -> str:
    """The fields, the optional ones as comments to uncomment (no empty `author: ""`), a draft."""
    lines = [f"{key}: {_yaml(value)}" for key, value in fields.items()] + [f"# {hint}" for hint in hints]
    return "---\n" + "\n".join(lines) + "\ndraft: true\n---\n\n"


def _in_a_site(config: Config) -> None:
    if not config.content_dir.is_dir():
        raise UsageError(
            f"không tìm thấy thư mục content/ trong {config.source_dir}",
            hint="chạy lệnh trong thư mục của trang, chỉ rõ bằng --source THƯ_MỤC, "
            "hoặc tạo trang mới bằng newsgen init",
        )


def _write_new(config: Config, path: Path, text: str, if_another: str) -> None:
    """Write a new file, never over one already there."""
    shown = path.relative_to(config.source_dir).as_posix()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as file:  # "x": never over a file already there
            file.write(text)
    except FileExistsError:
        raise UsageError(
            f"đã có tệp {shown}; newsgen không ghi đè lên nó",
            hint=f"mở tệp đó để sửa; nếu đó là một {if_another} "
            "(những tên chỉ khác nhau ở dấu cũng cho cùng một tên tệp)",
        ) from None
    except OSError as error:
        raise UsageError(
            f"không ghi được {shown}: {error.strerror}", hint="kiểm tra quyền ghi của thư mục"
        ) from None


def _names(vocabulary: Vocabulary, given: list[str], label: str, option: str) -> list[str]:
    """Each name as the vocabulary spells it; `given` items may hold several, split by , or ;."""
    names: list[str] = []
    for item in given:
        for typed in re.split("[,;]", item):
            typed = " ".join(normalize_text(typed).split())
            if typed and (name := _name(vocabulary, typed, label, option)) not in names:
                names.append(name)
    return names


def _name(vocabulary: Vocabulary, typed: str, label: str, option: str) -> str:
    """`typed` as the vocabulary spells it; an error naming `option` if a closed one lacks it."""
    entry = vocabulary.lookup(typed)
    if entry is None and vocabulary.closed:
        raise UsageError(
            f'{label} "{typed}" không có trong danh sách',
            path=option,
            hint=vocabulary.unknown_hint(typed, "xem danh sách trong newsgen.yaml"),
        )
    return entry.name if entry is not None else typed


def _yaml(value: object) -> str:
    """A front-matter value: JSON's quoted strings and lists are YAML that reads back the same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _PLAIN_DATE.fullmatch(value):
        return value  # as editors write dates
    return json.dumps(value, ensure_ascii=False)


_PLAIN_DATE = re.compile(r"\d{2}/\d{2}/\d{4}( \d{2}:\d{2})?")
