"""`XmlDocument`: an XML file written element by element, every text and attribute escaped by
the standard library's XML writer (`xml.sax.saxutils.XMLGenerator`), never pasted as strings."""

from __future__ import annotations

import io
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl


class XmlDocument:
    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._xml = XMLGenerator(self._out, encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def start(self, name: str, attributes: dict[str, str] | None = None) -> None:
        self._xml.startElement(name, AttributesImpl(attributes or {}))

    def end(self, name: str) -> None:
        self._xml.endElement(name)

    def text(self, name: str, text: str, attributes: dict[str, str] | None = None) -> None:
        self.start(name, attributes)
        self._xml.characters(text)
        self.end(name)

    def empty(self, name: str, attributes: dict[str, str]) -> None:
        self.start(name, attributes)
        self.end(name)

    def bytes(self) -> bytes:
        return self._out.getvalue()
