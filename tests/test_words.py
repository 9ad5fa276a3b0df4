"""Words for people: the site's texts for citizens, newsgen's messages for newsroom staff, in
plain Vietnamese without developer jargon, and the site's own words in one spelling."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from conftest import SiteDir
from newsgen.config.settings import Config
from newsgen.text.vietnamese import same_tones

SOURCE = Path(__file__).parent.parent / "src/newsgen"
# "dựng" (to build) and "bỏ đi" (removed) are the developers' words: a newsroom says "tạo trang
# web" and "xóa"; "đối số" is a programmer's "tham số"; "xây dựng" (to build up) is plain Vietnamese.
JARGON = re.compile(r"(?<!xây )(?<!Xây )\bdựng\b|\bDựng\b|\d bỏ đi|đối số", re.IGNORECASE)
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


def visitor_texts() -> dict[str, str]:
    return Config(Path("."), Path("build")).messages.texts


def editor_texts() -> list[tuple[str, str]]:
    """Every string literal of newsgen's code and the command line's catalogue, where it is."""
    found = []
    for path in sorted([*SOURCE.rglob("*.py"), *SOURCE.rglob("*.po")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [(f"{path.relative_to(SOURCE)}:{number}", text) for text in STRING.findall(line)]
    return found


def test_the_site_addresses_visitors_politely_and_without_jargon() -> None:
    texts = visitor_texts()
    assert len(texts) > 100  # every key of the theme's messages.yaml
    rude = {key: text for key, text in texts.items() if re.search(r"\bhãy\b", text, re.IGNORECASE)}
    assert rude == {}, "visitors are asked with “Vui lòng”, not “Hãy”"
    assert {key: text for key, text in texts.items() if JARGON.search(text)} == {}


def test_newsgen_s_messages_speak_a_newsroom_s_words() -> None:
    texts = editor_texts()
    assert len(texts) > 500
    assert [(where, text) for where, text in texts if JARGON.search(text)] == []


@pytest.mark.parametrize("where", ["site", "editors"])
def test_the_site_s_own_words_are_spelt_one_way_hoa_xoa_khoa_tuy(where: str) -> None:
    examples = ("text/vietnamese.py", "text/folding.py")  # say both placements, on purpose
    texts = (
        list(visitor_texts().values())
        if where == "site"
        else [text for place, text in editor_texts() if not place.startswith(examples)]
    )
    for text in texts:
        lower = unicodedata.normalize("NFC", text.lower())
        assert same_tones(lower) == lower, text  # hóa, xóa, khóa, tùy: not hoá, xoá, khoá, tuỳ


def test_only_a_build_says_the_last_site_is_kept_and_no_site_is_said_as_such(site: SiteDir) -> None:
    site.config("site_nam: Tin\n")
    for command in (["new", "Tin"], ["check"], ["build"]):
        result = site.run(*command)
        assert 'khóa "site_nam" không có trong cấu hình' in result.err + result.out, command
        kept = (
            "Chưa tạo được trang web vì có 1 lỗi. Bản tạo lần trước (nếu có) được giữ nguyên." in result.err
        )
        assert kept is (command == ["build"]), command
    (site.root / "newsgen.yaml").unlink()
    (site.root / "content").rmdir()  # a folder that is no site
    result = site.run("build")
    assert result.code == 1 and "không tìm thấy thư mục content/" in result.err
    assert "Bản tạo lần trước" not in result.err
