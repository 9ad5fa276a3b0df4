"""Vietnamese text rules: normalisation, term keys, slugs, collation, dates and numbers.

Pure functions with no I/O; each one answers a trap listed in shared/VIETNAMESE.md.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from slugify import slugify as _slugify


def normalize_text(text: str) -> str:
    """NFC form with look-alike letters replaced, so that equal-looking text compares equal."""
    # The capital eth (U+00D0) is typed for Đ (U+0110) by some keyboards and PDF copies.
    # (str.replace: str.translate with a dict is ten times slower on a whole article.)
    return unicodedata.normalize("NFC", text).replace("\u00d0", "\u0110")


def term_key(text: str) -> str:
    """The key under which a province or theme name is compared: NFC, casefolded, single spaces,
    one tone placement (`same_tones`)."""
    return same_tones(" ".join(normalize_text(text).casefold().split()))


# Old and new tone placement: an open syllable ending in oa, oe or uy takes its tone on either
# vowel (hóa and hoá, khỏe and khoẻ, thủy and thuỷ); one word, written two ways. Not after q,
# whose u is the consonant's (quý). Lower case, NFC: the second placement → the first.
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_LATE_TONE = {
    unicodedata.normalize("NFC", pair + tone): unicodedata.normalize("NFC", pair[0] + tone + pair[1])
    for pair in ("oa", "oe", "uy")
    for tone in _TONES
}
# In JavaScript (search.js), the same without a look-behind, which older Safari cannot read.
_LATE_TONE_AT_END = re.compile(f"(?<!q)({'|'.join(_LATE_TONE)})(?![\\w\u0300-\u036f])")


def same_tones(text: str) -> str:
    """Lower-case NFC `text` with every word's tone placed one way: hoá → hóa, thuỷ → thủy."""
    return _LATE_TONE_AT_END.sub(lambda found: _LATE_TONE[found.group(1)], text)


# The combining marks of Unicode's Combining Diacritical Marks block (Vietnamese's all are there)
# taken out, đ made d.
_BARE: dict[int, str | None] = {
    code: None for code in range(0x300, 0x370) if unicodedata.combining(chr(code))
}
_BARE |= {ord("đ"): "d", ord("Đ"): "D"}


def strip_marks(text: str) -> str:
    """Vietnamese without tone or letter marks, đ → d: what readers type on a phone keyboard."""
    decomposed = unicodedata.normalize("NFD", normalize_text(text))
    bare = decomposed.translate(_BARE)
    if bare.isascii():
        return bare
    # Other letters, or marks from other blocks: look at every character.
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")


def is_unmarked(text: str) -> bool:
    """Written without tone or letter marks (no đ either): "Dien Bien", as on a phone keyboard."""
    return strip_marks(text) == normalize_text(text)


MAX_SLUG_LENGTH = 100
_DECIMAL_COMMA = re.compile(r"(\d),(\d)")
_APOSTROPHES = re.compile(r"['’ʼ‘`]")


def slugify(text: str) -> str:
    """An ASCII slug for a URL: `Điện Biên đẩy mạnh chuyển đổi số` → `dien-bien-day-manh-chuyen-doi-so`.

    `6,5%` keeps its comma as a hyphen (`6-5-phan-tram`, not `65`), and `H’Mông` and `H'Mông`
    both give `hmong`.
    """
    text = _DECIMAL_COMMA.sub(r"\1-\2", normalize_text(text))
    text = _APOSTROPHES.sub("", text).replace("%", " phần trăm ")
    # Long titles make long slugs; file systems refuse names over 255 bytes.
    return str(_slugify(strip_marks(text), max_length=MAX_SLUG_LENGTH, word_boundary=True))


# Collation, matching ICU's `vi` tailoring: the Vietnamese alphabet is the primary key (with the
# Latin letters it lacks slotted in), tone marks the secondary key, case the tertiary key.
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_RANK = {letter: 2000 + rank for rank, letter in enumerate(_ALPHABET)}
# none < huyền < hỏi < ngã < sắc < nặng
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Spaces, then punctuation and symbols in the order of CLDR's root collation, then digits, then
# letters; punctuation missing here ranks after the listed ones.
_PUNCTUATION = " _-–—,;:!?.…'‘’\"“”«»()[]{}§¶@*/\\&#%‰†‡•`´^¨+±<=>|~¤$€₫"
_PUNCTUATION_RANK = {char: 1 + rank for rank, char in enumerate(_PUNCTUATION)}
_OTHER_PUNCTUATION = 999
_DIGIT_RANK = 1000

# Latin letters Vietnamese lacks, sorted as ICU's root collation does: as letters it has.
_EXPANSIONS = {"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "ł": "l", "ð": "d", "þ": "th"}
_OTHER_ACCENT = 6  # a mark Vietnamese does not use (ä, ç, å) ranks after every tone


def _collation_elements(char: str) -> list[tuple[int, int]]:
    """(primary rank, accent rank) pairs for one lower-case character."""
    if char in _EXPANSIONS:
        return [(_LETTER_RANK[letter], _OTHER_ACCENT) for letter in _EXPANSIONS[char]]
    decomposed = unicodedata.normalize("NFD", char)
    base, tone, foreign = decomposed[0], 0, False
    for mark in decomposed[1:]:
        if mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
        elif unicodedata.normalize("NFC", base + mark) in _LETTER_RANK:
            base = unicodedata.normalize("NFC", base + mark)  # ă â ê ô ơ ư: letters of their own
        else:
            foreign = True
    if base in _LETTER_RANK:
        return [(_LETTER_RANK[base], _OTHER_ACCENT if foreign else tone)]
    if base.isdigit():
        return [(_DIGIT_RANK + int(unicodedata.digit(base, 0)), 0)]
    if base.isspace():
        return [(_PUNCTUATION_RANK[" "], 0)]
    if unicodedata.category(base).startswith(("P", "S")):
        return [(_PUNCTUATION_RANK.get(base, _OTHER_PUNCTUATION), 0)]
    return [(10000 + ord(base), tone)]


SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def sort_key(text: str) -> SortKey:
    """Key for sorting Vietnamese text: Cao Bằng < Điện Biên < … < Lạng Sơn < Lào Cai < Sơn La."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for char in normalize_text(text):
        case = 0 if char.islower() or not char.isalpha() else 1
        for rank, accent in _collation_elements(char.lower()):
            primary.append(rank)
            secondary.append(accent)
            tertiary.append(case)
    return tuple(primary), tuple(secondary), tuple(tertiary)


# Text typed in the old 8-bit encodings and pasted as if it were Unicode shows letters and signs
# in places Vietnamese never has them: TCVN3 "Céng hoµ x· héi chñ nghÜa ViÖt Nam" (symbols, and
# capitals inside words), VNI "Coäng hoøa xaõ hoäi" (a vowel followed by a foreign mark letter).
_LEGACY_PATTERNS = {
    "TCVN3 (ABC, phông .VnTime)": re.compile(r"[µ¸¶¹¨ª]|(?<=[a-z])[À-Þ]"),
    "VNI (phông VNI-Times)": re.compile(r"(?<=[aeiouyAEIOUY])[äøûïëåæçöüÿ]"),
}


# Every telltale sign above is one of these characters; a line with fewer than three has no need
# of the slower patterns.
_LEGACY_LETTERS = re.compile(r"[µ¸¶¹¨ªÀ-Þäøûïëåæçöüÿ]")


def legacy_encoding(line: str) -> str | None:
    """The old encoding a line of mojibake looks typed in, if it has three telltale signs or more."""
    if len(_LEGACY_LETTERS.findall(line)) < 3:
        return None
    for name, pattern in _LEGACY_PATTERNS.items():
        if len(pattern.findall(line)) >= 3:
            return name
    return None


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekday_name(day: date) -> str:
    """`Thứ Hai` … `Chủ Nhật`; never strftime('%A'), which follows the machine's locale."""
    return _WEEKDAYS[day.weekday()]


def format_datetime(moment: datetime) -> str:
    """`Thứ Hai, 20/02/2023 08:30`, as portals show an article's date; at midnight sharp,
    which is what a date written without a time gives, `Thứ Hai, 20/02/2023`."""
    if moment.time() == time(0, 0):
        return f"{weekday_name(moment)}, {moment:%d/%m/%Y}"
    return f"{weekday_name(moment)}, {moment:%d/%m/%Y %H:%M}"


def format_date(day: date) -> str:
    """`20/02/2023`."""
    return f"{day:%d/%m/%Y}"


def format_date_long(day: date) -> str:
    """`ngày 20 tháng 2 năm 2023`."""
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


def format_number(number: float, decimals: int = 0) -> str:
    """`1.234.567` and `6,5`: dots group thousands, a comma marks decimals."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_size(size: int) -> str:
    """A file's size as people read it: `350 kB`, `1,2 MB`."""
    if size < 1_000_000:
        return f"{format_number(max(1, round(size / 1000)))} kB"
    return f"{format_number(size / 1_000_000, 1)} MB"
