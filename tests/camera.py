"""Photos as a phone's camera saves them, for tests and benchmarks that need real weight: 4,000 ×
3,000 pixels, with detail at every scale, as leaves, faces and cloth have (4–5 MB as a JPEG; made
720 px wide, about 50 kB as WebP, a real news photo's weight), an EXIF orientation and a GPS
position."""

from __future__ import annotations

import io

from PIL import Image

GPS = {1: "N", 2: (21.0, 23.0, 0.0), 3: "E", 4: (103.0, 1.0, 0.0)}  # Sơn La


def camera_photo(number: int, size: tuple[int, int] = (4000, 3000)) -> bytes:
    """The `number`th photo (each a little different): every third held upright (EXIF
    orientation 6), each with a GPS position."""
    width, height = size
    scene = Image.linear_gradient("L").rotate(number * 7).resize(size)
    texture = Image.effect_noise(size, 40)  # a sensor's noise, then coarser and coarser detail
    for weight, scale in enumerate((2, 4, 8, 16, 32), start=2):
        coarse = Image.effect_noise((width // scale, height // scale), 80).resize(
            size, Image.Resampling.BILINEAR
        )
        texture = Image.blend(texture, coarse, 1 / weight)
    image = Image.merge(
        "RGB",
        (
            Image.blend(scene, texture, 0.8),
            Image.blend(scene.rotate(180), texture, 0.8),
            Image.blend(scene, texture.rotate(180), 0.8),
        ),
    )
    exif = Image.Exif()
    exif[0x0112] = 6 if number % 3 == 0 else 1
    exif[0x8825] = {**GPS, 2: (21.0, 23.0, float(number))}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()
