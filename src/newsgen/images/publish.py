"""The files made from the site's photos (`process`), in the cache folder: `make_photos` makes
those of static/'s JPEG, PNG, WebP and HEIC files that it lacks; `outputs.photos` publishes them in
place of the photos.

For `static/images/anh.jpg` (4,000 px wide, widths 360, 720, 1080, 1600):
- `images/anh.jpg`: the photo at the widest width (1,600 px), in its own format;
- `images/anh.1080.jpg`, `images/anh.720.jpg`, `images/anh.360.jpg`: the narrower widths;
- `images/anh.1600.webp`, … `images/anh.360.webp`: each width as WebP;
- `images/anh.1200.share.jpg`: the copy for shared pages (Open Graph);
- for each article whose photo it is, a thumbnail cropped around its `image_focus`:
  `images/anh.thumb.720.jpg`, … `images/anh.thumb.240.webp` (`anh.thumb-50-0.…` for the top).
A photo narrower than a width is not made wider: a 500 px logo gives `logo.png` (500 px),
`logo.360.png` and their WebP.

What is made is kept in the cache folder (`.newsgen-cache/images/<key>/`), the key a digest of
the photo's bytes and the settings: a photo made once is not made again, and a build that finds
its files there copies them. The digest of each photo is recorded with its size and time, so
that a build reads again only the photos that changed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..config.settings import Config, Images
from ..errors import ContentError, Problems, disk_error
from ..parallel import map_in_processes
from ..state.store import CACHE_DIR, Store, digest
from .pictures import Point, save_index
from .process import UnreadableImage, Variant, make_thumbnail, make_variants, read_width

_VERSION = 3  # of what `process` makes: raise it when that changes
_RECORD = "images"  # in the store: static name → [size, mtime_ns, digest, when recorded (ns)]
_SETTLED_NS = 2_000_000_000  # a file changed since less than this may change again within its mtime
_INFO = "variants.json"  # in each cache folder, written last: the folder is whole
_LARGE_BYTES, _LARGE_WIDTH = 5_000_000, 5_000  # a photo over either gets a note from `check`


def cache_folder(config: Config) -> Path:
    return config.source_dir / CACHE_DIR / "images"


def make_photos(
    config: Config,
    store: Store,
    names: list[str],
    thumbnails: set[tuple[str, Point]],
    jobs: int,
    problems: Problems,
) -> dict[tuple[str, Point | None], tuple[Path, list[Variant]]]:
    """The files made from each of static/'s photos `names` and of the `thumbnails` asked for
    (a photo and a focus point), each a folder of the cache and what it holds (keyed by the
    photo, and by the point for a thumbnail, None otherwise); and the index `Pictures` reads.
    A photo that cannot be read is left out, and named in a warning."""
    wanted: list[tuple[str, Point | None]] = [(name, None) for name in names]
    photos = set(names)
    wanted += sorted((name, point) for name, point in thumbnails if name in photos)
    made = _made(config, store, wanted, jobs, problems)  # with no photos too: the cache is emptied
    try:
        save_index(config, {photo: variants for photo, (_key, variants) in made.items()})
    except OSError as error:
        problems.add(disk_error(error, cache_folder(config)))
    return {photo: (cache_folder(config) / key, variants) for photo, (key, variants) in made.items()}


def photo_notes(config: Config, name: str) -> list[ContentError]:
    """What `newsgen check` says of static/`name`: a photo that cannot be read (found from its
    first bytes: a damaged middle shows only when the build makes it), or over 5 MB or 5,000 px
    (made smaller, it still works; but the site's folder grows, and builds take longer)."""
    source = config.static_dir / name
    try:
        width = read_width(source)
    except UnreadableImage as error:
        return [_unreadable(name, str(error))]
    notes = []
    size = source.stat().st_size
    if size > _LARGE_BYTES or width > _LARGE_WIDTH:
        notes.append(
            ContentError(
                f"ảnh gốc lớn ({size / 1e6:.1f} MB, rộng {width} điểm ảnh): trang web vẫn đăng bản đã"
                " thu nhỏ, nhưng thư mục trang nặng thêm và mỗi lần tạo trang lâu hơn",
                path=f"static/{name}",
                hint="thu nhỏ ảnh còn khoảng 2.000 điểm ảnh chiều rộng trước khi chép vào static/",
                code="large-photo",
            )
        )
    return notes


def heic_copied(name: str) -> ContentError:
    """What a build and `newsgen check` say of a HEIC photo under `images: false`."""
    return ContentError(
        "ảnh HEIC được chép nguyên như cũ (images: false), mà phần lớn trình duyệt không hiện được ảnh HEIC",
        path=f"static/{name}",
        hint="bỏ dòng images: false trong newsgen.yaml để ảnh được tự chuyển sang JPEG và WebP,"
        " hoặc lưu ảnh thành JPEG rồi chép vào static/",
        code="heic-copied",
    )


def _made(
    config: Config, store: Store, wanted: list[tuple[str, Point | None]], jobs: int, problems: Problems
) -> dict[tuple[str, Point | None], tuple[str, list[Variant]]]:
    """The cache key and variants of each photo (point None) and thumbnail `wanted`, made by
    worker processes where the cache lacks them."""
    folder = cache_folder(config)
    recorded = _recorded(store)
    made: dict[tuple[str, Point | None], tuple[str, list[Variant]]] = {}
    for name, point in wanted:
        stat = (config.static_dir / name).stat()
        size, mtime, file_digest, when = recorded.get(name, (-1, -1, "", 0))
        if (size, mtime) == (stat.st_size, stat.st_mtime_ns) and mtime < when - _SETTLED_NS:
            key = _key(file_digest, config.images, point)
            if (folder / key / _INFO).is_file():
                made[name, point] = (key, _read_info(folder / key))
    missing = [photo for photo in wanted if photo not in made]
    now = time.time_ns()
    store.close()  # workers are forked next: each opens its own connection
    outcomes = map_in_processes(functools.partial(_make, config), missing, jobs, costly=True)
    failed: set[str] = set()
    for (name, point), outcome in zip(missing, outcomes, strict=True):
        if isinstance(outcome, _Failed):
            if name in failed:
                continue  # said once, for the photo
            failed.add(name)
            if outcome.errno is None:
                problems.warn(_unreadable(name, outcome.reason))
            else:
                problems.add(disk_error(OSError(outcome.errno, outcome.reason), folder))
            continue
        file_digest, key, variants = outcome
        made[name, point] = (key, variants)
        stat = (config.static_dir / name).stat()
        recorded[name] = (stat.st_size, stat.st_mtime_ns, file_digest, now)
    made = {photo: found for photo, found in made.items() if photo[0] not in failed}
    with store.writing() as connection:
        kept = {name: recorded[name] for name, point in wanted if point is None and name in recorded}
        store.put_record(connection, _RECORD, kept)
    _forget_others(folder, {key for key, _variants in made.values()})
    return made


@dataclass(frozen=True)
class _Failed:
    """What a worker could not do: read the photo (`errno` None), or write the cache folder."""

    reason: str
    errno: int | None = None


def _make(config: Config, photo: tuple[str, Point | None]) -> tuple[str, str, list[Variant]] | _Failed:
    """Run by workers: the photo's digest, the key and the variants of the photo or of its
    thumbnail at a point, made into the cache unless there already; or what went wrong."""
    name, point = photo
    source = config.static_dir / name
    try:  # SHA-256: twice as fast as the store's BLAKE2 where the processor has it (a 6 MB photo)
        file_digest = hashlib.sha256(source.read_bytes()).hexdigest()[:32]
    except OSError as error:
        return _Failed(error.strerror or str(error))
    key = _key(file_digest, config.images, point)
    folder = cache_folder(config) / key
    scratch = folder.with_name(f"{key}.{os.getpid()}.tmp")
    try:
        if not (folder / _INFO).is_file():
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(parents=True)
            images = config.images
            if point is None:
                variants = make_variants(source, scratch, images.widths, images.quality, images.webp)
            else:
                ratio = images.thumbnail_ratio
                variants = make_thumbnail(source, scratch, ratio, point, images.quality, images.webp)
            info = [[variant.width, variant.height, variant.suffix] for variant in variants]
            (scratch / _INFO).write_text(json.dumps(info))
            with contextlib.suppress(OSError):  # another build made it meanwhile: checked below
                scratch.rename(folder)
        return file_digest, key, _read_info(folder)
    except UnreadableImage as error:
        return _Failed(str(error))
    except OSError as error:
        return _Failed(error.strerror or str(error), error.errno or 0)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _read_info(folder: Path) -> list[Variant]:
    return [
        Variant(width, height, suffix) for width, height, suffix in json.loads((folder / _INFO).read_text())
    ]


def _recorded(store: Store) -> dict[str, tuple[int, int, str, int]]:
    record = store.record(_RECORD)
    if type(record) is not dict:
        return {}
    return {
        name: (entry[0], entry[1], entry[2], entry[3])
        for name, entry in record.items()
        if type(entry) is list and [type(item) for item in entry] == [int, int, str, int]
    }


def _forget_others(folder: Path, keys: set[str]) -> None:
    """The cache holds the photos of this build, not those of photos gone or changed."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name not in keys:
            shutil.rmtree(entry, ignore_errors=True)


def _key(file_digest: str, images: Images, point: Point | None) -> str:
    """What is made of a photo: its bytes, the settings, and for a thumbnail its shape and point."""
    made = f"{sorted(images.widths)}" if point is None else f"{images.thumbnail_ratio} {point}"
    return digest(f"{_VERSION} {file_digest} {made} {images.quality} {images.webp}".encode())


def _unreadable(name: str, reason: str) -> ContentError:
    return ContentError(
        f"không đọc được ảnh này: {reason}; ảnh chưa được đăng lên trang web",
        path=f"static/{name}",
        hint="mở ảnh bằng trình xem ảnh để kiểm tra; lưu hay xuất lại thành JPEG, PNG hoặc WebP rồi chép đè",
    )
