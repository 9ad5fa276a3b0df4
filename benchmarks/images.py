"""Photos straight from a camera, made fit for phones: how long and how much memory.

    python benchmarks/images.py --photos 200

Writes a site (once per --photos) with one article and that many 4,000 × 3,000 JPEGs, as a phone
saves them (`tests/camera.py`: detail at every scale, 4–5 MB each, an EXIF orientation and a GPS
position), then times
`newsgen build` in a new process: cold (no build/, no .newsgen-cache/; timed, then run again for
its peak memory), a whole build again with no photo changed (a template edited), and nothing
changed; with the peak memory of the process tree. The issue's target: 200 photos cold in at
most 30 s on 2 cores, 0 s when unchanged.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from pathlib import Path

from bench import discard, measure, settle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from camera import camera_photo  # noqa: E402

STAMP = "{photos} photos of 4000 x 3000, detail at every scale"


def ensure_site(folder: Path, photos: int) -> None:
    stamp = folder / ".photos-stamp"
    if stamp.is_file() and stamp.read_text() == STAMP.format(photos=photos):
        return
    (folder / "static/images").mkdir(parents=True, exist_ok=True)
    (folder / "content").mkdir(exist_ok=True)
    with multiprocessing.Pool() as pool:  # 2 s a photo
        for number, data in enumerate(pool.imap(camera_photo, range(photos))):
            (folder / f"static/images/anh-{number:03d}.jpg").write_bytes(data)
    (folder / "content/bai.md").write_text(
        "---\ntitle: Ảnh hội nghị\ndate: 2024-05-01\nimage: /images/anh-000.jpg\nimage_alt: Hội nghị\n---\n"
        + "".join(f"![Ảnh {number}](/images/anh-{number:03d}.jpg)\n\n" for number in range(photos)),
        encoding="utf-8",
    )
    (folder / "newsgen.yaml").write_text("search: false\n", encoding="utf-8")
    stamp.write_text(STAMP.format(photos=photos))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    site = Path(f"/tmp/newsgen-bench-photos-{args.photos}")
    ensure_site(site, args.photos)
    command = [sys.executable, "-m", "newsgen", "build", "--source", str(site), "--jobs", str(args.jobs)]

    def cold_run(sample_memory: bool) -> tuple[float, int]:
        discard(site / "build")
        discard(site / ".newsgen-cache")
        settle()
        return measure(command, site, sample_memory)

    # Timed without reading the memory 50 times a second, which slows it (bench.median_run).
    cold = (cold_run(sample_memory=False)[0], cold_run(sample_memory=True)[1])
    template = site / "templates/404.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text(f"<p>Không có trang này ({os.getpid()})</p>\n", encoding="utf-8")
    settle()
    whole = measure(command, site)
    settle()
    nothing = measure(command, site)
    print(f"newsgen, {args.photos} photos of 4,000 × 3,000, {args.jobs} jobs")
    for name, (seconds, peak) in (
        ("cold", cold),
        ("whole build, no photo changed", whole),
        ("nothing changed", nothing),
    ):
        print(f"  {name:32} {seconds:6.2f} s  {peak:5} MiB peak")


if __name__ == "__main__":
    main()
