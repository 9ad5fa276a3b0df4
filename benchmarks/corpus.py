"""A deterministic corpus of Vietnamese news articles for benchmarks.

    python benchmarks/corpus.py DIR --articles 10000

Writes DIR/newsgen.yaml, DIR/content/**.md and DIR/static/images/: each article about 450 words of
Vietnamese, with headings, lists, a table and an image, 1–7 provinces and 0–2 themes.
The same --articles and --seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
from pathlib import Path

from PIL import Image

PROVINCES = ["Sơn La", "Lai Châu", "Điện Biên", "Lào Cai", "Hà Giang", "Cao Bằng", "Lạng Sơn"]
THEMES = [
    "Chuyển đổi số",
    "Cải cách hành chính",
    "Xây dựng nông thôn mới",
    "Vì người nghèo",
    "Thông tin cơ sở",
]
WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list of 100 strings
    "hội nghị sở thông tin truyền thông tỉnh huyện xã bản đồng bào dân tộc thiểu số phong trào thi đua "
    "chuyển đổi số chính quyền điện tử dịch vụ công trực tuyến cải cách hành chính nông thôn mới hộ nghèo "
    "hạ tầng viễn thông cáp quang sóng di động đài truyền thanh cơ sở cán bộ công chức tập huấn kỹ năng "
    "người dân doanh nghiệp hợp tác xã sản phẩm nông sản thương mại điện tử báo chí xuất bản phát thanh "
    "truyền hình lãnh đạo chỉ đạo triển khai kế hoạch mục tiêu nhiệm vụ giải pháp kết quả đánh giá năm "
    "vùng cao biên giới miền núi phía bắc đoàn kết sáng tạo đổi mới phát triển bền vững hiệu quả"
).split()
STAMP = "{articles} articles, real photos"  # what .corpus-stamp says: another corpus is made anew


def photo(number: int) -> bytes:
    """A 1,200 × 675 JPEG, as the sample site's photos are: a gradient, turned a little each."""
    image = Image.linear_gradient("L").rotate(number * 18).resize((1200, 675)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 20))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def article(index: int, rng: random.Random) -> tuple[str, str]:
    """(relative path, text) of article number `index`."""
    year = 2015 + index % 10
    month = 1 + (index // 10) % 12
    day = 1 + (index // 120) % 28
    provinces = rng.sample(PROVINCES, rng.randint(1, 7))
    themes = rng.sample(THEMES, rng.randint(0, 2))
    title = f"{provinces[0]}: {sentence(rng)[:-1]} ({index})"
    body = [
        paragraph(rng),
        f"![{sentence(rng)}](/images/anh-{index % 20}.jpg)",
        "## " + sentence(rng)[:-1],
        paragraph(rng),
        "\n".join(f"- {sentence(rng)}" for _ in range(4)),
        "## " + sentence(rng)[:-1],
        "| Chỉ tiêu | Năm trước | Năm nay |\n|---|---:|---:|\n"
        + "\n".join(
            f"| {rng.choice(WORDS)} {rng.choice(WORDS)} | {rng.randint(10, 999)} | {rng.randint(10, 999)} |"
            for _ in range(4)
        ),
        paragraph(rng),
        paragraph(rng),
        paragraph(rng),
    ]
    front = (
        f'---\ntitle: "{title}"\ndate: {year}-{month:02d}-{day:02d} {index % 24:02d}:{index % 60:02d}\n'
        f"provinces: [{', '.join(provinces)}]\nthemes: [{', '.join(themes)}]\n"
        f"author: Phóng viên {index % 37}\n"
        f"image: /images/anh-{index % 20}.jpg\nimage_alt: Ảnh minh hoạ số {index % 20}\n---\n"
    )
    return f"content/{year}/{month:02d}/bai-{index:06d}.md", front + "\n\n".join(body) + "\n"


def ensure_corpus(folder: Path, articles: int) -> None:
    """Write the corpus unless `folder` already holds one of that many articles."""
    stamp = folder / ".corpus-stamp"
    if not stamp.is_file() or stamp.read_text() != STAMP.format(articles=articles):
        write_corpus(folder, articles)
        stamp.write_text(STAMP.format(articles=articles))


def write_corpus(folder: Path, articles: int, seed: int = 2023) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    rng = random.Random(seed)
    (folder / "static/images").mkdir(parents=True)
    for number in range(20):
        (folder / f"static/images/anh-{number}.jpg").write_bytes(photo(number))
    theme_list = "".join(f"  - name: {name}\n" for name in THEMES)
    (folder / "newsgen.yaml").write_text(f"site_name: Tin tức thử\nthemes:\n{theme_list}", encoding="utf-8")
    for index in range(articles):
        path, text = article(index, rng)
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    write_corpus(args.folder, args.articles, args.seed)


if __name__ == "__main__":
    main()
