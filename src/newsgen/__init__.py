"""newsgen: a static news-site generator for Vietnamese provincial news portals."""

from .build import build
from .config.settings import Config, load_config
from .errors import BuildFailed, NewsgenError
from .outputs.output import Output
from .outputs.render import render_site
from .report import BuildReport
from .site.model import Article, Site, Term, build_site
from .sources.content import Source
from .sources.load import load_sources
from .version import __version__
from .write.writer import write_site

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
