"""The main menu as pages show it: `menu:` of newsgen.yaml, or the theme's own, with each entry's
address under the site's base path; and which entry is the page's, or its section's."""

from __future__ import annotations

from collections.abc import Iterable

from ..config.menu import MenuEntry
from ..config.settings import Config
from ..site import urls
from .plan import Page, TaxonomyLink


def main_menu(config: Config, taxonomies: Iterable[TaxonomyLink]) -> tuple[MenuEntry, ...]:
    """The menu's entries, their addresses as pages link them."""
    if config.menu:
        return tuple(_placed(config, entry) for entry in config.menu)
    messages = config.messages
    entries = [
        MenuEntry(messages.text("home"), urls.home_url(config)),
        MenuEntry(messages.text("news"), urls.news_url(config)),
        *(MenuEntry(taxonomy.title, taxonomy.url) for taxonomy in taxonomies),
        MenuEntry(messages.text("archive"), urls.archive_url(config)),
    ]
    if config.search:
        entries.append(MenuEntry(messages.text("search"), urls.search_url(config)))
    return tuple(entries)


def _placed(config: Config, entry: MenuEntry) -> MenuEntry:
    items = tuple(_placed(config, item) for item in entry.items)
    return MenuEntry(entry.title, urls.site_url(config, entry.url), items, entry.line)


def menu_state(config: Config, entry: MenuEntry, page: Page) -> str | None:
    """`aria-current` of `entry` on `page`: "page" for the page's own entry, "true" for its
    section's (Tin tức for an article, Giới thiệu for /gioi-thieu/co-cau-to-chuc/, an entry
    whose items hold the page's), None for the others."""
    if entry.outside or not entry.url.startswith("/"):
        return None if not entry.items else _section_of_items(config, entry, page)
    if entry.url == page.url:
        return "page"
    if page.kind == "article" and entry.url == urls.news_url(config):
        return "true"
    if entry.url != urls.home_url(config) and entry.url.endswith("/") and page.url.startswith(entry.url):
        return "true"
    return _section_of_items(config, entry, page)


def _section_of_items(config: Config, entry: MenuEntry, page: Page) -> str | None:
    return "true" if any(menu_state(config, item, page) for item in entry.items) else None
