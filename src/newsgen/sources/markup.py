"""Article bodies to HTML: Python-Markdown with the extensions editors expect.

Two shortcuts take Python-Markdown's time on a news article from about 2.3 ms to about 1 ms, and
change nothing in its output (tests/test_markup.py compares it with stock Python-Markdown's):

- Python-Markdown tries each of its fifteen inline patterns on every paragraph, list item and
  table cell, which is half its time, though most paragraphs of a news article have no inline
  markup at all. A text with none of the characters that every match of a pattern contains
  (`[` for links, `*` or `_` for emphasis, …) cannot match, so it is left as it is.
- `toc` gives headings their ids, but also builds a table of contents that is used only where
  an article asks for one with `[TOC]`. Without that marker, only the ids are set, and a heading
  of plain text is not serialized to find its text.
"""

from __future__ import annotations

import functools
import html
import inspect
import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import markdown
from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
    unique,
)
from markdown.treeprocessors import InlineProcessor

from ..text.vietnamese import slugify

EXTENSIONS = ("extra", "sane_lists", "toc")

# Recent Python-Markdown counts repeated heading ids in `unique`, and its toc passes the counts;
# older versions take no counts.
_COUNTED = "counters" in inspect.signature(unique).parameters

# For each inline pattern of EXTENSIONS, texts that every one of its matches contains.
_PATTERN_NEEDS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("[",),
    "image_reference": ("[",),
    "short_reference": ("[",),
    "short_image_ref": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "linebreak": ("  \n",),
}


def render_markdown(text: str) -> str:
    """HTML for an article's body; RecursionError on absurdly nested markup, as stock's."""
    renderer = _renderer()
    renderer.reset()
    return renderer.convert(text)


@functools.cache  # one per process, reset before each article
def _renderer() -> markdown.Markdown:
    renderer = stock_renderer()
    patterns = [name for name in _PATTERN_NEEDS if name in renderer.inlinePatterns]
    if len(patterns) == len(renderer.inlinePatterns):  # else a pattern we have not looked at
        needed = sorted({text for name in patterns for text in _PATTERN_NEEDS[name]})
        markup = re.compile("|".join(map(re.escape, needed)))
        renderer.treeprocessors.register(_SkipPlainText(renderer, markup), "inline", 20)
    toc_config = TocExtension(slugify=_heading_slug).getConfigs()
    renderer.treeprocessors.register(_HeadingIds(renderer, toc_config), "toc", 5)
    renderer.is_block_level = _remembered(renderer.is_block_level)  # type: ignore[method-assign,assignment]
    return renderer


def _remembered(is_block_level: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Python-Markdown asks this of every element, a hundred times an article, and searches a
    list each time; the answer for a tag does not change once the extensions are loaded."""
    known: dict[Any, bool] = {}

    def remembered(tag: Any) -> bool:
        if tag not in known:
            known[tag] = is_block_level(tag)
        return known[tag]

    return remembered


def stock_renderer() -> markdown.Markdown:
    """Python-Markdown as configured for articles, without the shortcuts."""
    return markdown.Markdown(
        extensions=list(EXTENSIONS),
        extension_configs={"toc": {"slugify": _heading_slug}},
        output_format="html",
    )


def _heading_slug(value: str, separator: str) -> str:
    return slugify(value)


class _SkipPlainText(InlineProcessor):
    def __init__(self, renderer: markdown.Markdown, markup: re.Pattern[str]) -> None:
        super().__init__(renderer)
        self.markup = markup

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # Only the first call for a text starts at pattern 0; the others continue a match.
        if patternIndex == 0 and not self.markup.search(data):
            return data
        handle = super()._InlineProcessor__handleInline  # type: ignore[misc]
        return handle(data, patternIndex)  # type: ignore[no-any-return]


class _HeadingIds(TocTreeprocessor):
    def run(self, doc: ElementTree.Element) -> None:
        # Where TocTreeprocessor.replace_marker would find a marker (its walk also fails, with
        # RecursionError, on the same absurdly nested markup as stock Python-Markdown does).
        if any(c.text and c.text.strip() == self.marker and not len(c) for _p, c in self.iterparent(doc)):
            super().run(doc)
            return
        # TocTreeprocessor.run without the table of contents.
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = _plain_text(el) or strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                    slug = self.slugify(html.unescape(name), self.sep)
                    el.attrib["id"] = unique(slug, used_ids, counters) if _COUNTED else unique(slug, used_ids)
                el.attrib.pop("data-toc-label", None)


# What serializing, unescaping and stripping tags could change in a heading's text.
_NOT_PLAIN = re.compile("[&<>\x02\x03]")


def _plain_text(heading: ElementTree.Element) -> str | None:
    """A heading's text as `toc` finds it, when it is plain text: no markup, nothing stashed."""
    if len(heading) or not heading.text or _NOT_PLAIN.search(heading.text):
        return None
    return " ".join(heading.text.split())
