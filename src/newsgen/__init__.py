"""newsgen: a static news-site generator for Vietnamese provincial news portals.

Most names below are loaded when first asked for: `newsgen build` with nothing to do is over in
a fraction of a second, and importing the renderer would be a sixth of it. `build` is imported
at once (it is light), so that it, not the module `newsgen.build`, is what the name gives.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .build import build
from .version import __version__

if TYPE_CHECKING:
    from .config.settings import Config, load_config
    from .errors import BuildFailed, NewsgenError
    from .outputs.output import Output
    from .outputs.render import render_site
    from .report import BuildReport
    from .site.model import Article, Site, Term, build_site
    from .sources.content import Source
    from .sources.load import load_sources
    from .write.writer import write_site

_WHERE = {
    "Article": "site.model",
    "BuildFailed": "errors",
    "BuildReport": "report",
    "Config": "config.settings",
    "NewsgenError": "errors",
    "Output": "outputs.output",
    "Site": "site.model",
    "Source": "sources.content",
    "Term": "site.model",
    "build_site": "site.model",
    "load_config": "config.settings",
    "load_sources": "sources.load",
    "render_site": "outputs.render",
    "write_site": "write.writer",
}

__all__ = [
    "Article",
    "BuildFailed",
    "BuildReport",
    "Config",
    "NewsgenError",
    "Output",
    "Site",
    "Source",
    "Term",
    "__version__",
    "build",
    "build_site",
    "load_config",
    "load_sources",
    "render_site",
    "write_site",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'newsgen' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
