"""Folding for search is defined twice, in text/folding.py (the index) and in search.js (the
reader's query): both must fold every input alike, or a word typed one way misses its articles."""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.outputs.search import shard_of
from newsgen.text.folding import fold, word_counts, words
from newsgen.text.vietnamese import term_key
from test_search import node

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # ngang, huyền, sắc, hỏi, ngã, nặng
CONSONANTS = "bcdđghklmnpqrstvx"


def every_vietnamese_letter() -> list[str]:
    """Each vowel in each tone, each consonant; in lower and upper case; in NFC and NFD."""
    letters = [unicodedata.normalize("NFC", vowel + tone) for vowel, tone in itertools.product(VOWELS, TONES)]
    letters += list(CONSONANTS) + ["Ð"]  # the look-alike capital eth some keyboards type for Đ
    cased = letters + [letter.upper() for letter in letters]
    return cased + [unicodedata.normalize("NFD", letter) for letter in cased]


def python_side(texts: list[str]) -> dict[str, list[object]]:
    return {
        "fold": [fold(text) for text in texts],
        "words": [list(words(text)) for text in texts],
        "shards": [shard_of(text, 4096) for text in texts],
    }


def test_every_vietnamese_letter_folds_alike_in_python_and_javascript() -> None:
    letters = every_vietnamese_letter()
    assert len(letters) == 2 * 2 * (len(VOWELS) * len(TONES) + len(CONSONANTS) + 1)
    folded = {fold(letter) for letter in letters}
    assert folded == set("aeiouy") | set(CONSONANTS.replace("đ", "")), folded  # bare a–z, đ → d
    assert node({"fold": letters}) == python_side(letters)


def test_old_and_new_tone_placement_fold_alike() -> None:
    pairs = [
        ("hoá", "hóa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Điện Biên", "dien bien"),
        ("ĐIỆN BIÊN", "điện biên"),
    ]
    for old, new in pairs:
        assert fold(old) == fold(new)
    texts = [text for pair in pairs for text in pair]
    assert node({"fold": texts}) == python_side(texts)


ALPHABET = "".join(every_vietnamese_letter()) + "".join(TONES) + "0123456789 ,.;:!?'’\"-–()/%\n\tÀÉß"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=20, max_size=20))
def test_any_text_folds_and_splits_alike_in_python_and_javascript(texts: list[str]) -> None:
    """Letters, marks on their own, digits, punctuation: the same folded words on both sides."""
    assert node({"fold": texts}) == python_side(texts)


@given(st.text(alphabet=ALPHABET + "_", max_size=200))
def test_word_counts_counts_what_words_gives(text: str) -> None:
    """The index counts words with `word_counts`; the query side splits them with `words`."""
    written, folded = words(text)
    counts, marked = word_counts(text)
    assert counts == Counter(folded)
    assert sorted(marked) == sorted(set(written) - set(folded))


def tone_placements() -> list[tuple[str, str]]:
    """Every open syllable ending in oa, oe or uy with each tone, its tone on the second vowel
    and on the first, after h and alone; in lower and upper case, NFC and NFD."""
    pairs = []
    for pair, tone, before in itertools.product(("oa", "oe", "uy"), TONES[1:], ("h", "")):
        late, early = before + pair + tone, before + pair[0] + tone + pair[1]
        for case in (str.lower, str.upper, str.title):
            for form in ("NFC", "NFD"):
                pairs.append(
                    (unicodedata.normalize(form, case(late)), unicodedata.normalize(form, case(early)))
                )
    return pairs


def test_both_tone_placements_are_one_word_for_search_and_terms_in_python_and_javascript() -> None:
    pairs = tone_placements()
    assert len(pairs) == 3 * 5 * 2 * 3 * 2
    for late, early in pairs:
        assert words(late) == words(early), (late, early)
        assert words(late)[0] == [unicodedata.normalize("NFC", early.lower())]  # the first vowel's
        assert term_key(f"Văn {late} số") == term_key(f"văn {early} số")
    texts = [text for pair in pairs for text in pair] + ["quý", "quỳ", "hoàng", "thuyền", "hoá2", "khoẻ_"]
    assert node({"fold": texts}) == python_side(texts)
    assert words("quý")[0] == ["quý"] and words("hoàng thuyền")[0] == ["hoàng", "thuyền"]  # as written


def test_an_article_found_by_a_query_in_the_other_tone_placement_ranks_as_one_with_its_marks() -> None:
    counts, marked = word_counts("Văn hoá số, văn hóa số: khoẻ, khỏe")
    assert counts == {"van": 2, "hoa": 2, "so": 2, "khoe": 2}
    assert sorted(marked) == ["hóa", "khỏe", "số", "văn"]
