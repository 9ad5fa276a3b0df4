"""One photo made fit to publish (Pillow): upright, in sRGB, without any metadata, in a few widths,
as WebP and in its own format.

A phone's photo is 4,000 × 3,000 pixels, 3–8 MB, with EXIF data that may say where it was taken.
What leaves here has the orientation the EXIF data asked for applied, its colour profile turned
into sRGB, and nothing else of the original's metadata: no EXIF (GPS position, camera serial,
maker notes), no XMP, no colour profile (sRGB is what browsers assume).
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

try:  # iPhones' HEIC photos: pi-heif comes as wheels for the platforms newsgen runs on
    import pi_heif  # type: ignore[import-untyped]  # no type information shipped

    pi_heif.register_heif_opener()
    _HEIF = True
except ImportError:  # installed with newsgen; where it could not be, HEIC photos get a warning
    _HEIF = False

# The formats made smaller, by file suffix: the format Pillow reads and the suffix its copies get
# (HEIC, which most browsers cannot show, as JPEG).
FORMATS = {
    ".jpg": ("JPEG", "jpg"),
    ".jpeg": ("JPEG", "jpg"),
    ".png": ("PNG", "png"),
    ".webp": ("WEBP", "webp"),
    ".heic": ("HEIF", "jpg"),
    ".heif": ("HEIF", "jpg"),
}
_SRGB = ImageCms.createProfile("sRGB")
# Pillow hands each image's memory back to the system when it is freed, and the next photo's is
# taken again page by page; kept for the next (up to 16 blocks of 16 MB), a build of 200 camera
# photos spends 40 % less time in the kernel and 3 % less in all.
Image.core.set_blocks_max(16)  # type: ignore[attr-defined]  # Pillow does not re-export it
SHARED = (1200, 630)  # what Open Graph asks of a page's image (Zalo, Facebook): `_shared`
SHARED_SUFFIX = "share.jpg"
# What list thumbnails are made at: the theme shows them 240 px wide, a third of a phone's width.
THUMBNAIL_WIDTHS = (240, 360, 480, 720)
# A phone's photo held upright, 3,000 px across, is read at half its size in a fifth of the time:
# 1,500 px for a widest width of 1,600 is near enough.
_NEARLY = 0.9
# A tent filter: sharp enough to make smaller, twice as fast as Lanczos.
_SMALLER = Image.Resampling.BILINEAR
# Up to this width, WebP takes its time (method 4) to save a few per cent (4–8 %): these are
# what phones load on slow networks. Wider, method 1 takes a third of the time (on camera photos,
# no larger than method 2's).
_PHONES = 720


@dataclass(frozen=True)
class Variant:
    """One file made from the photo: `width` × `height` pixels, saved as `suffix`."""

    width: int
    height: int
    suffix: str  # "webp", or the photo's own format's ("jpg", "png")

    @property
    def name(self) -> str:
        return f"{self.width}.{self.suffix}"


class UnreadableImage(Exception):
    """The file is not a photo Pillow can read (damaged, another format, too large)."""


def read_width(source: Path) -> int:
    """The photo's width as shown (its EXIF orientation applied), from its first bytes."""
    with _reading(source) as opened:
        return _upright_size(opened)[0]


def _upright_size(opened: Image.Image) -> tuple[int, int]:
    """Width and height as shown: 90° turned either way, they swap."""
    turned = opened.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    return (opened.height, opened.width) if turned else opened.size


@contextlib.contextmanager
def _reading(source: Path) -> Iterator[Image.Image]:
    """The photo, opened, of the format its name says; what Pillow finds wrong, as
    UnreadableImage. (Only reading belongs inside: any OSError there is a damaged photo.)"""
    own = FORMATS[source.suffix.lower()][0]
    if own == "HEIF" and not _HEIF:
        raise UnreadableImage("ảnh HEIC chỉ đọc được khi máy có gói pi-heif (pip install pi-heif)")
    try:
        with Image.open(source) as opened:
            if opened.format != own and not (own == "JPEG" and opened.format == "MPO"):  # MPO: phones'
                raise UnreadableImage(
                    f"tệp là ảnh {opened.format or 'lạ'} mà tên lại có đuôi {source.suffix}"
                )
            yield opened
    except Image.DecompressionBombError:
        raise UnreadableImage("ảnh lớn quá mức xử lý được (trên 178 triệu điểm ảnh)") from None
    except UnidentifiedImageError:
        raise UnreadableImage("tệp không phải ảnh JPEG, PNG, WebP hay HEIC, hoặc đã hỏng") from None
    except (OSError, ValueError, SyntaxError):
        raise UnreadableImage("tệp ảnh bị hỏng hoặc chép chưa hết") from None


def make_variants(
    source: Path, folder: Path, widths: Sequence[int], quality: int, webp: bool
) -> list[Variant]:
    """Write into `folder` the photo at each of `widths` narrower than it and at the widest it
    allows (never wider than itself), as WebP (with `webp`; at 720 px and the widest, in its own
    format too), and its copy for shared pages."""
    with _reading(source) as opened:
        image = _upright_srgb(opened, max(widths), _NEARLY)
    made = [_shared(image, folder, quality)]
    return made + _in_widths(image, folder, widths, FORMATS[source.suffix.lower()][1], quality, webp)


def make_thumbnail(
    source: Path, folder: Path, ratio: tuple[int, int], focus: tuple[int, int], quality: int, webp: bool
) -> list[Variant]:
    """Write into `folder` the photo cropped to `ratio` (width to height) around `focus` (per cent
    across and down), at each of `THUMBNAIL_WIDTHS` it allows, as `make_variants` does."""
    with _reading(source) as opened:
        width, height = _upright_size(opened)
        kept = min(1.0, height * ratio[0] / ratio[1] / width)  # of the width, once cropped
        # A pixel or two more: the crop's width is rounded, and must not come out at 719.
        image = _upright_srgb(opened, math.ceil(max(THUMBNAIL_WIDTHS) / kept) + 2)
    image = _cropped(image, ratio, focus)
    return _in_widths(image, folder, THUMBNAIL_WIDTHS, FORMATS[source.suffix.lower()][1], quality, webp)


def _in_widths(
    image: Image.Image, folder: Path, widths: Sequence[int], suffix: str, quality: int, webp: bool
) -> list[Variant]:
    largest = min(image.width, max(widths))
    wanted = sorted({width for width in widths if width < largest} | {largest}, reverse=True)
    # Browsers without WebP (old iPhones, KaiOS 2 phones) get the photo's own format at a phone's
    # width and at the widest only: every browser of the last five years takes the WebP.
    fallbacks = {largest, max((width for width in wanted if width <= _PHONES), default=largest)}
    made = []
    for width in wanted:  # each from the one before: the large ones cost most
        height = max(1, round(image.height * width / image.width))
        if width != image.width:
            image = image.resize((width, height), _SMALLER, reducing_gap=2.0)
        image.info = {}  # nothing of the original's metadata is saved with it
        if not webp or suffix == "webp":
            kinds: tuple[str, ...] = (suffix,)
        else:
            kinds = ("webp", suffix) if width in fallbacks else ("webp",)
        for kind in kinds:
            variant = Variant(width, height, kind)
            (folder / variant.name).write_bytes(_encoded(image, kind, quality))
            made.append(variant)
    return made


def _cropped(image: Image.Image, ratio: tuple[int, int], focus: tuple[int, int]) -> Image.Image:
    """The largest part of `image` at `ratio` whose middle is nearest to `focus`."""
    width, height = image.size
    crop_width = max(1, min(width, round(height * ratio[0] / ratio[1])))
    crop_height = max(1, min(height, round(width * ratio[1] / ratio[0])))
    middle_x, middle_y = width * focus[0] // 100, height * focus[1] // 100
    left = min(max(0, middle_x - crop_width // 2), width - crop_width)
    top = min(max(0, middle_y - crop_height // 2), height - crop_height)
    return image.crop((left, top, left + crop_width, top + crop_height))


def _shared(image: Image.Image, folder: Path, quality: int) -> Variant:
    """The photo as Zalo and Facebook show a shared page: its middle at 1.91 : 1, 1,200 × 630 (or
    smaller, for a smaller photo), a JPEG on white where it was transparent."""
    shared = _cropped(image, SHARED, (50, 50))
    if shared.width > SHARED[0]:
        shared = shared.resize(SHARED, _SMALLER, reducing_gap=2.0)
    if shared.mode == "RGBA":
        shared = Image.alpha_composite(Image.new("RGBA", shared.size, "white"), shared)
    shared.info = {}
    variant = Variant(shared.width, shared.height, SHARED_SUFFIX)
    (folder / variant.name).write_bytes(_encoded(shared, "jpg", quality))
    return variant


def _upright_srgb(opened: Image.Image, widest: int, enough: float = 1.0) -> Image.Image:
    """The photo turned as its EXIF orientation says, in sRGB, 8 bits a channel, at most `widest`
    pixels across: decoded at the smallest scale (JPEG draft mode) that still gives that many, or
    `enough` of them."""
    across = _upright_size(opened)[0]
    if opened.format in ("JPEG", "MPO") and across > widest:
        scale = widest * enough / across
        opened.draft(opened.mode, (round(opened.width * scale), round(opened.height * scale)))
    profile = opened.info.get("icc_profile")
    opened.load()  # here, while the file is open: turning it in place would not load it
    image, decoded = opened, _upright_size(opened)[0]  # draft mode may give more than `widest`
    if decoded > widest:  # made `widest` across before it is turned and converted: less to do
        scale = widest / decoded
        size = (round(opened.width * scale), round(opened.height * scale))
        image = opened.resize(size, _SMALLER, reducing_gap=2.0)
    ImageOps.exif_transpose(image, in_place=True)  # an upright photo is not copied
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit grey PNG
        image = image.point(lambda value: value / 256).convert("L")
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if alpha else "L" if image.mode == "L" else "RGB"  # grey stays grey: a third the size
    if profile:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source_profile, _SRGB, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a profile it cannot read: the colours as they are
    return image.convert(mode) if image.mode != mode else image


def _encoded(image: Image.Image, kind: str, quality: int) -> bytes:
    out = io.BytesIO()
    if kind == "webp":  # slower, smaller files for the widths phones load; for the others, faster
        image.save(out, "WEBP", quality=quality, method=4 if image.width <= _PHONES else 1)
    elif kind == "jpg":
        # Baseline and not optimized: 5 times faster to make than progressive, 6 % larger; WebP is
        # what browsers load.
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        rgb.save(out, "JPEG", quality=quality, optimize=False)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()
