"""sort_key agrees with ICU's `vi` collation, the reference that PyICU would give (it has no wheel).

ICU is read through ctypes from the system's libicu (Debian's libicu72, which .ci/run installs).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import itertools
from pathlib import Path

import pytest

from newsgen.text.vietnamese import sort_key

REPO = Path(__file__).resolve().parent.parent


def _icu_compare() -> functools.partial[int]:
    name = ctypes.util.find_library("icui18n")
    if name is None:
        pytest.skip("libicu is not installed")
    lib = ctypes.CDLL(name)
    version = next(v for v in range(50, 100) if hasattr(lib, f"ucol_open_{v}"))
    ucol_open = getattr(lib, f"ucol_open_{version}")
    ucol_open.restype = ctypes.c_void_p
    ucol_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    strcoll = getattr(lib, f"ucol_strcoll_{version}")
    strcoll.restype = ctypes.c_int
    strcoll.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32]
    status = ctypes.c_int(0)
    collator = ucol_open(b"vi", ctypes.byref(status))
    assert status.value <= 0, status.value

    def compare(collator: int, a: str, b: str) -> int:
        x, y = a.encode("utf-16-le"), b.encode("utf-16-le")
        result: int = strcoll(collator, x, len(x) // 2, y, len(y) // 2)
        return result

    return functools.partial(compare, collator)


WORDS = [
    "Cao Bằng",
    "Điện Biên",
    "Hà Giang",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Sơn La",
    "Tuyên Quang",
    "Yên Bái",
    "an",
    "ăn",
    "ân",
    "a",
    "A",
    "à",
    "À",
    "ả",
    "ạ",
    "á",
    "Á",
    "đ",
    "Đ",
    "d",
    "D",
    "ma",
    "mà",
    "mả",
    "mã",
    "má",
    "mạ",
    "mác",
    "Ma",
    "a b",
    "a-b",
    "ab",
    "a  b",
    "a.b",
    "a,b",
    "a_b",
    "1",
    "10",
    "9",
    "2a",
    "a1",
    "(a)",
    "“a”",
    '"a"',
    "Chuyển đổi số",
    "Cải cách hành chính",
    "Xây dựng nông thôn mới",
    "Vì người nghèo",
    "Học tập và làm theo Bác",
    "Thông tin cơ sở",
    "n",
    "o",
    "ô",
    "ơ",
    "ü",
    "u",
    "ư",
    "Ư",
    "uu",
    "ưu",
    "ươ",
    "uơ",
    "ch",
    "c",
    "h",
    "kh",
    "k",
    "ng",
    "ngh",
    "nh",
    "ph",
    "th",
    "tr",
    "gi",
    "gh",
    "qu",
    "A+",
    "A&B",
    "#1",
    "@x",
    "số 1",
    "số1",
    "Sở",
    "sở",
    "SỞ",
    "e",
    "è",
    "ê",
    "ề",
    "ế",
    "ệ",
    "Ê",
    "ý",
    "ỳ",
    "y",
    "i",
    "í",
    "Ì",
    "Ỹ",
    "z",
    "Z",
    "w",
    "f",
    "j",
    "Đắk Lắk",
    "Đắk Nông",
    "Đà Nẵng",
    "Đồng Nai",
    "Gia Lai",
    "Hà Nội",
    "Hà Tĩnh",
    "æ",
    "ae",
    "ß",
    "ss",
    "ç",
    "é",
    "ẽ",
    "Ẽ",
    "ä",
    "ö",
]


def _sample_titles() -> list[str]:
    titles = []
    for path in sorted((REPO / "content").rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("title:"):
                titles.append(line.split(":", 1)[1].strip().strip('"'))
    return titles


def test_sort_key_orders_every_pair_as_icu_vi_does() -> None:
    icu = _icu_compare()
    words = WORDS + _sample_titles()
    disagreements = []
    for a, b in itertools.combinations(words, 2):
        expected = (icu(a, b) > 0) - (icu(a, b) < 0)
        ours = (sort_key(a) > sort_key(b)) - (sort_key(a) < sort_key(b))
        if ours != expected:
            disagreements.append((a, b, expected, ours))
    assert disagreements == []
