"""Folding for search: what a reader types and what an article says, made comparable.

`fold` is defined here and, character for character, in the theme's `search.js`, which folds
the reader's query in the browser: lower case, decomposed (NFD), the marks of Unicode's
Combining Diacritical Marks block (U+0300–U+036F: every Vietnamese tone and letter mark) taken
out, đ and ð made d. "Điện Biên", "ĐIỆN BIÊN" and "dien bien" fold alike, and so do the old and
new tone placements (hoá/hóa, thuỷ/thủy). `words` splits text into words, each with its marks
(lower case, NFC, one tone placement: `same_tones`) and folded; `word_counts` counts them, for
the search index.
`tests/test_folding.py` runs both sides on every Vietnamese letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .vietnamese import same_tones

_MARKS = re.compile("[\u0300-\u036f]+")
# A word: letters, digits and those marks (in JavaScript, /[\p{L}\p{N}\u0300-\u036f]+/gu); with
# the underscore, which \w has too, made a space first.
_WORD = re.compile("[\\w\u0300-\u036f]+")


def fold(text: str) -> str:
    """`text` without case, tone or letter marks: what readers type on a phone keyboard."""
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))
    return bare.replace("đ", "d").replace("ð", "d")


def words(text: str) -> tuple[list[str], list[str]]:
    """The words of `text`, in order: as written (lower case, NFC, marks kept), and folded.
    Words that fold to nothing (a mark on no letter) are left out."""
    written = _WORD.findall(same_tones(unicodedata.normalize("NFC", text.lower()).replace("_", " ")))
    folded = fold(" ".join(written)).split(" ") if written else []
    if "" in folded:
        kept = [index for index, word in enumerate(folded) if word]
        return [written[index] for index in kept], [folded[index] for index in kept]
    return written, folded


_folded: dict[str, tuple[str, str]] = {}  # word as written → folded, and with `same_tones`, for
# the first words met (a few thousand
_FOLDED_KEPT = 200_000  # syllables make most of Vietnamese text; numbers and names keep coming)


def word_counts(text: str) -> tuple[dict[str, int], list[str]]:
    """How often each folded word stands in `text` (as `words` gives them), and the words as
    written that folding changes (with marks, đ…), each once: `words` for long texts, faster."""
    written = Counter(_WORD.findall(unicodedata.normalize("NFC", text.lower()).replace("_", " ")))
    counts: dict[str, int] = {}
    marked: dict[str, None] = {}  # hoá and hóa: one word
    for word, count in written.items():
        known = _folded.get(word)
        if known is None:
            known = fold(word), same_tones(word)
            if len(_folded) < _FOLDED_KEPT:
                _folded[word] = known
        folded, placed = known
        if folded != word:
            if not folded:
                continue
            marked[placed] = None
        counts[folded] = counts.get(folded, 0) + count
    return counts, list(marked)
