"""`XmlDocument`: an XML file written element by element, every text and attribute escaped by
the standard library's XML writer (`xml.sax.saxutils.XMLGenerator`), never pasted as strings.
Characters XML cannot hold at all (control characters, such as the vertical tab that Word writes
for a line break) become spaces, so that one pasted title cannot make a feed unreadable."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(" ", text)


class XmlDocument:
    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._xml = XMLGenerator(self._out, encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def start(self, name: str, attributes: dict[str, str] | None = None) -> None:
        cleaned = {key: _xml_text(value) for key, value in (attributes or {}).items()}
        self._xml.startElement(name, AttributesImpl(cleaned))

    def end(self, name: str) -> None:
        self._xml.endElement(name)

    def text(self, name: str, text: str, attributes: dict[str, str] | None = None) -> None:
        self.start(name, attributes)
        self._xml.characters(_xml_text(text))
        self.end(name)

    def empty(self, name: str, attributes: dict[str, str]) -> None:
        self.start(name, attributes)
        self.end(name)

    def bytes(self) -> bytes:
        return self._out.getvalue()
