"""Photos published made fit for phones: upright, without metadata, in a few widths (`images/`)."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pi_heif
import pillow_heif
import pytest
from PIL import Image, ImageCms
from PIL.JpegImagePlugin import JpegImageFile

from conftest import SiteDir, disk_full_under, fails_and_keeps_everything, photo, site_snapshot, snapshot
from newsgen.build import build
from newsgen.config.settings import load_config
from newsgen.images.process import make_thumbnail
from newsgen.images.publish import cache_folder

GPS = {1: "N", 2: (21.0, 23.0, 10.5), 3: "E", 4: (103.0, 1.0, 2.5)}  # Điện Biên Phủ


def camera_photo(kind: str = "JPEG", size: tuple[int, int] = (2400, 1800), orientation: int = 1) -> bytes:
    """A photo as a phone saves it: red on the left half, blue on the right, as the sensor saw it,
    with an EXIF orientation, a GPS position and a camera serial number, and a colour profile."""
    image = Image.new("RGB", size, (200, 20, 20))
    image.paste((20, 20, 200), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    exif[0x8825] = GPS
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, kind, exif=exif.tobytes(), icc_profile=profile)
    return out.getvalue()


def published(site: SiteDir) -> dict[str, Image.Image]:
    photos = {}
    for path in sorted((site.build_dir / "images").rglob("*")):
        if path.is_file():
            with Image.open(path) as image:
                image.load()
                photos[path.relative_to(site.build_dir).as_posix()] = image
    return photos


def test_no_published_photo_keeps_its_metadata_and_each_is_turned_upright(site: SiteDir) -> None:
    site.write("static/images/doc.jpg", camera_photo(orientation=6))  # held sideways: turn 90° right
    site.write("static/images/ngang.png", camera_photo("PNG", (800, 600)))
    site.write("static/images/web.webp", camera_photo("WEBP", (900, 600)))
    site.article("a", image="/images/doc.jpg", image_alt="Ảnh")
    assert site.build().code == 0
    photos = published(site)
    # As WebP: jpg 1600 … 360, png 800, 720, 360, webp 900, 720, 360, the article's thumbnail 240
    # … 720; in their own format too, the widest and 720; each as a shared page shows it.
    assert len(photos) == (4 + 3 + 3 + 4) + (2 + 2 + 1) + 3
    for name, image in photos.items():
        assert not image.getexif(), name
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & image.info.keys(), name
        raw = (site.build_dir / name).read_bytes()
        assert b"Exif" not in raw and b"SERIAL-12345" not in raw, name
    upright = photos["images/doc.jpg"]
    assert upright.size == (1600, 2133)  # stored 2,400 × 1,800: standing, 1,800 wide, made 1,600
    top = upright.getpixel((upright.width // 2, 10))
    bottom = upright.getpixel((upright.width // 2, upright.height - 10))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # the left (red) half is now on top


def test_each_width_narrower_than_the_photo_and_never_wider(site: SiteDir) -> None:
    site.write("static/images/rong.jpg", camera_photo(size=(2000, 1000)))
    site.write("static/images/logo.png", photo("PNG", (500, 500)))
    site.article("a")
    assert site.build().code == 0
    sizes = {name: image.size for name, image in published(site).items()}
    assert sizes == {
        "images/rong.jpg": (1600, 800),
        "images/rong.1600.webp": (1600, 800),
        "images/rong.1080.webp": (1080, 540),
        "images/rong.720.jpg": (720, 360),
        "images/rong.720.webp": (720, 360),
        "images/rong.360.webp": (360, 180),
        "images/logo.png": (500, 500),
        "images/logo.500.webp": (500, 500),
        "images/logo.360.webp": (360, 360),
        "images/rong.1200.share.jpg": (1200, 630),  # its middle, as Zalo and Facebook show it
        "images/logo.500.share.jpg": (500, 262),
    }
    assert published(site)["images/rong.720.webp"].format == "WEBP"


def test_cmyk_jpegs_and_16_bit_pngs_come_out_in_rgb_and_grey(site: SiteDir) -> None:
    cmyk = io.BytesIO()
    Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(cmyk, "JPEG")  # red, in print colours
    site.write("static/images/in.jpg", cmyk.getvalue())
    deep = io.BytesIO()
    Image.linear_gradient("L").resize((400, 300)).convert("I;16").point(lambda v: v * 256).save(deep, "PNG")
    site.write("static/images/sau.png", deep.getvalue())
    site.article("a")
    assert site.build().code == 0
    photos = published(site)
    assert photos["images/in.jpg"].mode == "RGB"
    red = photos["images/in.jpg"].getpixel((200, 150))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60
    grey = photos["images/sau.png"]
    assert grey.mode == "L" and grey.getpixel((0, 0)) < 10 and grey.getpixel((0, 299)) > 240


def test_a_photo_is_made_once_and_the_cache_keeps_only_the_photos_in_use(site: SiteDir) -> None:
    site.write("static/images/a.jpg", camera_photo(size=(800, 600)))
    site.write("static/images/b.jpg", camera_photo(size=(900, 600)))
    site.article("a")
    assert site.build().code == 0
    cache = cache_folder(load_config(site.root))
    made = {path: path.stat().st_mtime_ns for path in cache.glob("*/*")}  # each photo's files
    site.write("templates/404.html", "<p>Không có trang này</p>")  # a whole build, no photo changed
    assert site.build().code == 0
    assert {path: path.stat().st_mtime_ns for path in cache.glob("*/*")} == made
    site.write("static/images/b.jpg", camera_photo(size=(1000, 600)))
    os.utime(site.root / "static/images/b.jpg", ns=(1, 1))  # changed long ago: its size says so
    assert site.build().code == 0
    assert len([entry for entry in cache.iterdir() if entry.is_dir()]) == 2  # a.jpg's, b.jpg's new one
    assert published(site)["images/b.jpg"].size == (1000, 600)
    assert all(path.stat().st_mtime_ns == made[path] for path in made if path.exists())


def test_images_false_copies_photos_as_they_are(site: SiteDir) -> None:
    original = camera_photo(size=(2000, 1500))
    site.write("static/images/a.jpg", original)
    site.config("images: false\n")
    site.article("a")
    assert site.build().code == 0
    assert sorted(path.name for path in (site.build_dir / "images").iterdir()) == ["a.jpg"]
    assert (site.build_dir / "images/a.jpg").read_bytes() == original


def test_a_photo_that_cannot_be_read_is_named_and_not_published(site: SiteDir) -> None:
    site.write("static/images/hong.jpg", camera_photo()[:3000])  # copied half-way
    site.write("static/images/khong-phai-anh.png", b"<html>not a photo</html>")
    site.write("static/images/tot.jpg", photo())
    site.article("a")
    before = snapshot(site.root / "static")
    run = site.build()
    assert run.code == 0, run.err
    assert "static/images/hong.jpg: không đọc được ảnh này: tệp ảnh bị hỏng hoặc chép chưa hết" in run.err
    assert "static/images/khong-phai-anh.png: không đọc được ảnh này: tệp không phải ảnh" in run.err
    assert "ảnh chưa được đăng lên trang web" in run.err and "Traceback" not in run.err
    names = sorted(path.name for path in (site.build_dir / "images").iterdir())
    assert names == ["tot.64.share.jpg", "tot.64.webp", "tot.jpg"]
    assert snapshot(site.root / "static") == before


def test_a_photo_whose_made_name_is_taken_is_an_error_that_keeps_the_last_build(built: SiteDir) -> None:
    built.write("static/images/a.jpg", camera_photo(size=(800, 600)))
    built.write("static/images/a.720.jpg", photo())
    err = fails_and_keeps_everything(built)
    assert "static/images/a.jpg và static/images/a.720.jpg cùng ghi vào tệp images/a.720.jpg" in err


def test_wrong_image_settings_are_named_with_their_line(site: SiteDir) -> None:
    site.article("a")
    for config, message in (
        ("images:\n  widths: [10, 720]\n", "newsgen.yaml:2: images.widths phải là danh sách"),
        ("images:\n  quality: 100\n", "newsgen.yaml:2: images.quality phải từ 1 đến 95, không phải 100"),
        (
            "images:\n  widht: [720]\n",
            'newsgen.yaml:2: khóa "widht" không dùng được trong images — có phải "widths"?',
        ),
        ("images: no\n", 'newsgen.yaml:1: giá trị của "images" phải là false hoặc một bảng'),
    ):
        site.config(config)
        run = site.build()
        assert run.code != 0 and message in run.err, (config, run.err)


def test_a_jpeg_is_read_at_a_reduced_scale_when_that_still_gives_the_widest_width(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JPEG draft mode: a 4,000 px photo is decoded at 2,000 px for the 1,600 px it is published at."""
    decoded: list[tuple[int, int]] = []
    original = JpegImageFile.draft

    def noted(self: Image.Image, mode: str | None, size: tuple[int, int] | None) -> object:
        result = original(self, mode, size)
        decoded.append(self.size)
        return result

    monkeypatch.setattr(JpegImageFile, "draft", noted)
    site.write("static/images/lon.jpg", camera_photo(size=(4000, 3000)))
    site.article("a")
    assert site.build("--jobs", "1").code == 0
    assert decoded == [(2000, 1500)]
    assert published(site)["images/lon.jpg"].size == (1600, 1200)


def test_check_notes_large_photos_without_failing_strict_and_unreadable_ones_with(site: SiteDir) -> None:
    site.write("static/images/rong.png", photo("PNG", (5200, 40)))
    site.write(
        "static/images/nang.jpg", camera_photo(size=(300, 200)) + bytes(5_100_000)
    )  # padded after its end
    site.article("a", provinces=["Lai Châu"])
    run = site.run("check", "--strict")
    assert run.code == 0, run.out + run.err
    assert "static/images/rong.png: ảnh gốc lớn (0.0 MB, rộng 5200 điểm ảnh)" in run.out + run.err
    assert "static/images/nang.jpg: ảnh gốc lớn (5.1 MB, rộng 300 điểm ảnh)" in run.out + run.err
    site.write("static/images/doi-ten.jpg", photo("PNG"))
    run = site.run("check", "--strict")
    assert run.code != 0
    assert (
        "static/images/doi-ten.jpg: không đọc được ảnh này: tệp là ảnh PNG mà tên lại có đuôi .jpg"
        in run.out + run.err
    )


def test_pages_offer_each_width_with_the_real_size_and_the_lead_photo_first(site: SiteDir) -> None:
    site.write("static/images/dau.jpg", camera_photo(size=(2000, 1000)))
    site.write("static/images/trong-bai.png", photo("PNG", (800, 600)))
    body = (
        "Đoạn đầu.\n\n![Ảnh trong bài](/images/trong-bai.png)\n\n![Ảnh nơi khác](https://anh.gov.vn/x.jpg)\n"
    )
    site.article("a", body, image="/images/dau.jpg", image_alt="Lễ ký kết", provinces=["Sơn La"])
    assert site.build("--base-url", "https://tin.gov.vn/tin-tuc/").code == 0
    page = site.page("2023/02/a/index.html")
    webp = ", ".join(f"/tin-tuc/images/dau.{width}.webp {width}w" for width in (360, 720, 1080, 1600))
    own = "/tin-tuc/images/dau.720.jpg 720w, /tin-tuc/images/dau.jpg 1600w"  # for browsers without WebP
    column = "(min-width: 860px) 820px, calc(100vw - 2rem)"
    assert (
        f'<picture><source type="image/webp" srcset="{webp}" sizes="{column}">'
        f'<img src="/tin-tuc/images/dau.jpg" srcset="{own}" sizes="{column}"'
        ' width="1600" height="800" alt="Lễ ký kết" fetchpriority="high"></picture>'
    ) in page
    assert (
        '<img src="/tin-tuc/images/trong-bai.png" srcset="/tin-tuc/images/trong-bai.720.png 720w,'
        ' /tin-tuc/images/trong-bai.png 800w"'
        ' sizes="(min-width: 860px) 820px, calc(100vw - 2rem)" width="800" height="600" alt="Ảnh trong bài"'
        ' loading="lazy" decoding="async"></picture>'
    ) in page
    assert '<img alt="Ảnh nơi khác" src="https://anh.gov.vn/x.jpg"' in page  # not one of the site's
    assert '<meta property="og:image" content="https://tin.gov.vn/tin-tuc/images/dau.1200.share.jpg">' in page
    listing = site.page("tinh/son-la/index.html")
    thumbnail = ", ".join(
        f"/tin-tuc/images/dau.thumb.{width}.webp {width}w" for width in (240, 360, 480, 720)
    )
    assert f'<source type="image/webp" srcset="{thumbnail}"' in listing
    assert (
        '<img src="/tin-tuc/images/dau.thumb.720.jpg" srcset="/tin-tuc/images/dau.thumb.720.jpg 720w"'
        ' sizes="(max-width: 540px) calc((100vw - 2rem) / 3), 240px" width="720" height="405" alt=""'
        ' loading="lazy"'
    ) in listing
    for path in re.findall(r'/tin-tuc/(images/[^" ]+)', page + listing):
        assert (site.build_dir / path).is_file(), path


def test_a_photo_made_again_in_other_sizes_renders_its_pages_again(site: SiteDir) -> None:
    site.write("static/images/dau.jpg", camera_photo(size=(2000, 1000)))
    site.article("a", image="/images/dau.jpg", image_alt="Ảnh")
    assert site.build().code == 0
    assert 'width="1600" height="800"' in site.page("2023/02/a/index.html")
    site.write("static/images/dau.jpg", camera_photo(size=(1000, 1000)))
    assert site.build().code == 0
    clean = site.root.parent / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    build(clean)
    assert 'width="1000" height="1000"' in site.page("2023/02/a/index.html")
    assert {path: data for path, (data, _) in site_snapshot(site.build_dir).items()} == {
        path: data for path, (data, _) in site_snapshot(clean / "build").items()
    }


def test_a_full_disk_while_photos_are_made_is_named_and_keeps_the_last_build(
    built: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    built.write("static/images/a.jpg", camera_photo(size=(800, 600)))
    built.write("static/images/b.jpg", camera_photo(size=(900, 600)))
    disk_full_under(monkeypatch, "images")  # the cache's folder of photos
    err = fails_and_keeps_everything(built, "--jobs", "2")
    assert "ổ đĩa đã đầy, không ghi được vào thư mục này" in err and ".newsgen-cache/images" in err
    monkeypatch.undo()
    assert built.build().code == 0
    assert (built.build_dir / "images/b.360.webp").is_file()


def halves(size: tuple[int, int]) -> bytes:
    """A photo red in its top half, blue in its bottom half."""
    image = Image.new("RGB", size, (200, 20, 20))
    image.paste((20, 20, 200), (0, size[1] // 2, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def colours(path: Path) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The colours near the top and near the bottom of a photo, in its middle."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return rgb.getpixel((rgb.width // 2, 5)), rgb.getpixel((rgb.width // 2, rgb.height - 5))  # type: ignore[return-value]


def test_a_list_thumbnail_is_cropped_to_the_theme_shape_around_its_focus_point(site: SiteDir) -> None:
    site.write("static/images/dung.jpg", halves((1000, 2000)))  # standing: a 16:9 crop keeps a band
    site.article("giua", image="/images/dung.jpg", image_alt="Ảnh", provinces=["Sơn La"])
    site.article("tren", image="/images/dung.jpg", image_alt="Ảnh", image_focus="trên", provinces=["Sơn La"])
    site.article(
        "duoi", image="/images/dung.jpg", image_alt="Ảnh", image_focus="50% 100%", provinces=["Sơn La"]
    )
    assert site.build().code == 0
    images = site.build_dir / "images"
    red, blue = (200, 20, 20), (20, 20, 200)

    def near(colour: tuple[int, ...], wanted: tuple[int, int, int]) -> bool:
        return all(abs(a - b) < 30 for a, b in zip(colour, wanted, strict=True))

    for tag, (top, bottom) in {
        "thumb": (red, blue),
        "thumb-50-0": (red, red),
        "thumb-50-100": (blue, blue),
    }.items():
        for width in (240, 360, 480, 720):
            for suffix in ("jpg", "webp") if width == 720 else ("webp",):
                path = images / f"dung.{tag}.{width}.{suffix}"
                with Image.open(path) as image:
                    assert image.size == (width, round(width * 9 / 16)), path.name
                found = colours(path)
                assert near(found[0], top) and near(found[1], bottom), (path.name, found)
    listing = site.page("tinh/son-la/index.html")
    for tag in ("thumb", "thumb-50-0", "thumb-50-100"):
        assert f'src="/images/dung.{tag}.720.jpg"' in listing
    assert 'style="object-position:50% 0%"' in listing  # where the theme crops it again
    assert 'src="/images/dung.jpg"' not in listing  # the whole photo: on the article's own page
    assert 'src="/images/dung.jpg"' in site.page("2023/02/tren/index.html")


def test_the_thumbnail_shape_is_a_setting(site: SiteDir) -> None:
    site.config("images:\n  thumbnail_ratio: [4, 3]\n")
    site.write("static/images/anh.jpg", photo(size=(1600, 900)))
    site.article("a", image="/images/anh.jpg", image_alt="Ảnh")
    assert site.build().code == 0
    with Image.open(site.build_dir / "images/anh.thumb.720.webp") as image:
        assert image.size == (720, 540)
    site.config("images:\n  widths: [360, 720]\n  thumbnail_ratio: 16:9\n")  # YAML reads 16:9 as 969
    err = fails_and_keeps_everything(site)
    assert "newsgen.yaml:3: images.thumbnail_ratio phải là hai số từ 1 đến 100" in err, err
    assert 'không phải "16:9"' in err and "ví dụ thumbnail_ratio: [16, 9]" in err
    site.config("images:\n  thumbnail_ratio: [100, 1]\n")  # a strip a pixel high
    err = fails_and_keeps_everything(site)
    assert (
        "newsgen.yaml:2: images.thumbnail_ratio phải là hai số từ 1 đến 100 trong ngoặc vuông, số lớn" in err
    )


@pytest.mark.parametrize(
    ("size", "orientation", "ratio"),
    [((3061, 2280), 1, (4, 3)), ((2900, 3061), 6, (1, 1)), ((2340, 2929), 6, (5, 4))],
)
def test_the_widest_thumbnail_is_720_px_whatever_the_rounding(
    tmp_path: Path, size: tuple[int, int], orientation: int, ratio: tuple[int, int]
) -> None:
    source = tmp_path / "anh.jpg"
    source.write_bytes(camera_photo(size=size, orientation=orientation))
    made = make_thumbnail(source, tmp_path, ratio, (50, 50), 75, True)
    assert max(variant.width for variant in made) == 720
    assert {variant.height for variant in made if variant.width == 720} == {720 * ratio[1] // ratio[0]}


@pytest.mark.parametrize(
    ("written", "point"),
    [
        ("trên trái", (0, 0)),
        ("tren trai", (0, 0)),
        ("top", (50, 0)),
        ("phải", (100, 50)),
        ("30% 70%", (30, 70)),
    ],
)
def test_a_focus_point_in_words_or_per_cent(site: SiteDir, written: str, point: tuple[int, int]) -> None:
    site.write("static/images/anh.jpg", photo(size=(800, 800)))
    site.article("a", image="/images/anh.jpg", image_alt="Ảnh", image_focus=written, provinces=["Sơn La"])
    assert site.build().code == 0
    tag = "thumb" if point == (50, 50) else f"thumb-{point[0]}-{point[1]}"
    assert f'src="/images/anh.{tag}.720.jpg"' in site.page("tinh/son-la/index.html")


@pytest.mark.parametrize("written", ["giữa trên trái", "30%", "120% 20%", "góc", "trái phải", [30, 20]])
def test_a_focus_point_not_understood_names_the_file_and_line_and_loses_nothing(
    built: SiteDir, written: str | list[int]
) -> None:
    built.write("static/images/anh.jpg", photo())
    built.article("a", image="/images/anh.jpg", image_alt="Ảnh", image_focus=written)
    err = fails_and_keeps_everything(built)
    assert "content/a.md:4: image_focus:" in err, err
    assert "ví dụ image_focus: trên trái" in err


def test_an_iphone_heic_photo_is_published_as_jpeg_and_webp_upright_without_metadata(site: SiteDir) -> None:
    pillow_heif.register_heif_opener()  # to write one here (pi-heif, which newsgen reads with, cannot)
    site.write("static/images/iphone.heic", camera_photo("HEIF", (1200, 900), orientation=6))
    pi_heif.register_heif_opener()  # the photo is read as a build reads it
    body = "[![Ảnh to](/images/iphone.heic)](/images/iphone.heic)\n"  # a photo that opens larger
    site.article("a", body, image="/images/iphone.heic", image_alt="Ảnh", provinces=["Sơn La"])
    assert site.build().code == 0
    photos = published(site)
    assert "images/iphone.heic" not in photos  # few browsers show HEIC
    assert {name: image.format for name, image in photos.items() if ".thumb." not in name} == {
        "images/iphone.900.jpg": "JPEG",
        "images/iphone.900.webp": "WEBP",
        "images/iphone.720.jpg": "JPEG",
        "images/iphone.720.webp": "WEBP",
        "images/iphone.360.webp": "WEBP",
        "images/iphone.900.share.jpg": "JPEG",
    }
    for name, image in photos.items():
        assert not image.getexif() and b"SERIAL-12345" not in (site.build_dir / name).read_bytes(), name
    upright = photos["images/iphone.900.jpg"]
    assert upright.size == (900, 1200)
    top, bottom = upright.getpixel((450, 10)), upright.getpixel((450, 1190))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # the left (red) half is now on top
    page = site.page("2023/02/a/index.html")
    assert (
        '<img src="/images/iphone.900.jpg" srcset="/images/iphone.720.jpg 720w, /images/iphone.900.jpg 900w"'
        in page
    )
    assert 'src="/images/iphone.thumb.720.jpg"' in site.page("tinh/son-la/index.html")
    assert '<a href="/images/iphone.900.jpg"><picture>' in page
    assert "iphone.heic" not in page


def test_a_photo_read_at_half_its_size_is_published_at_nearly_the_widest_width(site: SiteDir) -> None:
    """A phone's photo held upright is 3,000 px across: read at half its size (a fifth of the
    work), 1,500 px, near enough to the widest width (1,600); at 1,800 px across, half would be
    too narrow, and it is read whole (the metadata test)."""
    site.write("static/images/dung.jpg", camera_photo(size=(4000, 3000), orientation=6))
    site.article("a")
    assert site.build().code == 0
    sizes = {name: image.size for name, image in published(site).items()}
    assert sizes["images/dung.jpg"] == sizes["images/dung.1500.webp"] == (1500, 2000)


def test_a_heic_photo_copied_as_it_is_gets_a_warning(site: SiteDir) -> None:
    pillow_heif.register_heif_opener()
    site.write("static/images/iphone.heic", camera_photo("HEIF", (120, 90)))
    pi_heif.register_heif_opener()
    site.config("images: false\n")
    site.article("a")
    for run in (site.build(), site.run("check", "--source", str(site.root))):
        assert run.code == 0, run.err
        assert (
            "static/images/iphone.heic: ảnh HEIC được chép nguyên như cũ (images: false), mà phần lớn"
            " trình duyệt không hiện được ảnh HEIC"
        ) in run.out + run.err
