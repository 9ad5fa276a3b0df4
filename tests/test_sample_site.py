"""The sample site in the repository builds cleanly and every internal link in it resolves."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from newsgen import build

REPO = Path(__file__).resolve().parent.parent


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _target(out: Path, base_path: str, url: str) -> Path | None:
    """The built file an internal URL points to, or None for external links."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    assert parts.path.startswith(base_path), f"link {url} is outside {base_path}"
    relative = unquote(parts.path[len(base_path) :])
    return out / (relative + "index.html" if relative == "" or relative.endswith("/") else relative)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("sample") / "site"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns("build", ".git", "src", "tests", "*.egg-info"))
    return copy


@pytest.mark.parametrize("base_url", ["https://example.gov.vn/", "https://example.gov.vn/tin-tuc/"])
def test_sample_site_builds_and_every_internal_link_resolves(sample: Path, base_url: str) -> None:
    out = sample / f"out-{len(base_url)}"
    report = build(sample, output_dir=out, base_url=base_url)
    assert report.articles >= 12
    base_path = urlsplit(base_url).path
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == report.pages
    broken = []
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            target = _target(out, base_path, link)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(out)} → {link}")
            fragment = urlsplit(link).fragment
            if link.startswith("#") and fragment not in parser.ids:
                broken.append(f"{page.relative_to(out)} → {link}")
    assert broken == []


def test_sample_site_covers_all_provinces_and_several_themes(sample: Path) -> None:
    out = sample / "out-cover"
    build(sample, output_dir=out)
    for slug in [
        "son-la",
        "lai-chau",
        "dien-bien",
        "lao-cai",
        "ha-giang",
        "tuyen-quang",
        "cao-bang",
        "lang-son",
    ]:
        page = (out / f"tinh/{slug}/index.html").read_text(encoding="utf-8")
        assert 'class="item"' in page, f"no article for {slug}"
    themes = [p for p in (out / "chu-de").iterdir() if p.is_dir()]
    assert len(themes) >= 4
    # the 2025 reorganisation: Hà Giang's articles are from before 1/7/2025, Tuyên Quang's after
    ha_giang = (out / "tinh/ha-giang/index.html").read_text(encoding="utf-8")
    tuyen_quang = (out / "tinh/tuyen-quang/index.html").read_text(encoding="utf-8")

    def dates(page: str) -> list[str]:  # of the articles listed in its main part
        return re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})', page.split("<main")[1].split("</main>")[0])

    assert dates(ha_giang) and max(dates(ha_giang)) < "2025-07-01" <= min(dates(tuyen_quang))


def test_sample_site_retells_the_seed_event_with_its_images(sample: Path) -> None:
    out = sample / "out-seed"
    build(sample, output_dir=out)
    seed = next((out / "2023/02").glob("*ky-ket*/index.html")).read_text(encoding="utf-8")
    assert "Thứ Hai, 20/02/2023 08:30" in seed
    assert "Điện Biên Phủ" in seed
    assert seed.count("<img") >= 3
