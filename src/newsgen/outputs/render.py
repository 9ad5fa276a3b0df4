"""`render_site`: the `Site` into pages and assets, as `Output`s for the writer.

Templates come from the site's `templates/` first, then from the theme inside the package; a site
template can extend the theme's version of itself as `theme/<name>`.
"""

from __future__ import annotations

import contextlib
import functools
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from ..config.settings import Config
from ..errors import NewsgenError, Problems, TemplateError
from ..images.pictures import Pictures
from ..parallel import map_in_processes
from ..site import urls
from ..site.model import Article, Site
from ..state.bodies import NOTHING_READ, note_reads, noting_reads
from ..text import vietnamese
from . import assets, metadata
from .assets import THEME_DIR
from .menu import main_menu, menu_state
from .output import Output
from .plan import PlannedPage, TaxonomyLink, plan_site
from .policy import content_security_policy
from .video import with_videos


class PageMemo(Protocol):
    """What `render_site` asks of the records of the last build's pages (`incremental.pages.PageMemo`)."""

    def start(self, sidebar: bytes, sidebar_bodies: Iterable[str]) -> None: ...
    def reusable(self, page: PlannedPage, context: dict[str, Any]) -> bool: ...
    def track(self, context: dict[str, Any]) -> tuple[dict[str, Any], set[str]]: ...
    def reading(self, used: set[str]) -> AbstractContextManager[None]: ...
    def remember(self, page: PlannedPage, context: dict[str, Any], used: set[str]) -> None: ...


def render_site(
    site: Site,
    plan: list[PlannedPage | Output] | None = None,
    memo: PageMemo | None = None,
    jobs: int = 1,
    stage: Callable[[Output], Output] | None = None,
    compiled: CompiledTemplates | None = None,
) -> Iterator[Output]:
    """Render the planned pages; static files pass through. Template errors are collected, each once.

    With a `memo`, pages whose inputs did not change since the last build are kept, not rendered.
    Many pages are rendered by `jobs` worker processes, which pass each page to `stage` (the
    writer's), so that its bytes are written where they are made. `compiled`: templates
    compiled by earlier builds in this process.
    """
    env = make_environment(site, compiled)
    problems = Problems()
    reported: set[str] = set()
    sidebar, sidebar_bodies = b"", NOTHING_READ
    try:  # the same on every page, so rendered once
        sidebar, sidebar_bodies = render_sidebar(site, env)
    except TemplateError as error:
        problems.add(error)
    env.globals["sidebar"] = Markup(sidebar.decode("utf-8"))
    if memo is not None:
        memo.start(sidebar, sidebar_bodies)
    to_render: list[PlannedPage] = []
    for item in plan if plan is not None else plan_site(site):
        if isinstance(item, Output):
            yield item
        elif memo is not None and memo.reusable(item, _context(site, item)):
            yield Output(item.path, origin=item.origin, kept=True)
        else:
            to_render.append(item)
    job = _RenderJob(env, site, memo, to_render, stage)
    for item, result, used in _render_all(job, jobs):
        if isinstance(result, TemplateError):
            if str(result) not in reported:
                reported.add(str(result))
                problems.add(result)
            continue
        if memo is not None:
            memo.remember(item, _context(site, item), used)
        yield result
    problems.raise_if_any()


def render_sidebar(site: Site, env: jinja2.Environment | None = None) -> tuple[bytes, frozenset[str]]:
    """The sidebar every page shows, and whose bodies it showed."""
    env = env or make_environment(site)
    with noting_reads() as shown:
        html = render_template(env, "partials/sidebar.html", site=site, config=site.config)
    return html, frozenset(shown)


def _context(site: Site, page: PlannedPage) -> dict[str, Any]:
    return {"site": site, "config": site.config, **page.context}


@dataclass(frozen=True)
class _RenderJob:
    env: jinja2.Environment
    site: Site
    memo: PageMemo | None
    pages: list[PlannedPage]
    stage: Callable[[Output], Output] | None

    def render(self, index: int) -> tuple[Output | TemplateError, set[str]]:
        """One page or its template error, and what far-reaching values it read."""
        page = self.pages[index]
        context = _context(self.site, page)
        tracked, used = self.memo.track(context) if self.memo is not None else (context, set())
        reading = self.memo.reading(used) if self.memo is not None else contextlib.nullcontext()
        try:
            with reading:
                data = render_template(self.env, page.template, **tracked)
        except TemplateError as error:
            return error, used
        output = Output(page.path, data, origin=page.origin)
        return (self.stage(output) if self.stage is not None else output), used


def _render_all(job: _RenderJob, jobs: int) -> Iterator[tuple[PlannedPage, Output | TemplateError, set[str]]]:
    results = map_in_processes(job.render, range(len(job.pages)), jobs)
    for page, (result, used) in zip(job.pages, results, strict=True):
        yield page, result, used


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the next build in the same process (`Memory`), by template
    and source checksum: a template edited since is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def make_environment(site: Site, compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    config = site.config
    theme = jinja2.FileSystemLoader(THEME_DIR / "templates")
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(config.templates_dir), theme, jinja2.PrefixLoader({"theme": theme})]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # no need to look at template files again on every page of a build
        bytecode_cache=compiled,
    )
    pictures = Pictures(config)
    taxonomy_links = [TaxonomyLink(t.kind, t.title, t.url) for t in site.taxonomies]
    env.filters.update(
        datetime_vi=vietnamese.format_datetime,
        date_vi=vietnamese.format_date,
        date_long_vi=vietnamese.format_date_long,
        number_vi=vietnamese.format_number,
        size_vi=vietnamese.format_size,
        site_url=_of_settings(lambda path: urls.site_url(config, path)),
        month_archive_url=_of_settings(lambda date: urls.archive_url(config, date.year, date.month)),
        absolute_url=_of_settings(lambda url: metadata.absolute(config, url)),
        news_article_json=_of_settings(
            lambda article: metadata.script_json(metadata.news_article(config, article, pictures.address))
        ),
        document_json=_of_settings(
            lambda document: metadata.script_json(metadata.document_data(config, document))
        ),
    )
    env.filters["with_pictures"] = pictures.in_body
    env.filters["with_videos"] = functools.partial(with_videos, messages=config.messages)
    env.globals.update(
        picture=pictures.markup,
        shared_image=pictures.shared,
        article_item=_ArticleItems(env, config),
        taxonomy_links=taxonomy_links,
        menu=main_menu(config, taxonomy_links),
        content_security_policy=content_security_policy(config),
        menu_state=functools.partial(menu_state, config),
        asset_url=functools.partial(_asset_url, config, assets.fingerprinted_names()),
        home_url=urls.home_url(config),
        news_url=urls.news_url(config),
        documents_url=urls.documents_url(config),
        search_url=urls.search_url(config) if config.search else "",
        t=config.messages.text,
        archive_url=urls.archive_url(config),
        not_found_url=urls.not_found_url(config),
    )
    return env


def _of_settings(function: Callable[[Any], str]) -> Callable[..., str]:
    """A filter that depends on the site's settings. Jinja works out a filter of fixed text
    (`'/x' | site_url`) once, when it compiles the template, unless the filter asks for the
    template's context; and compiled templates outlive the settings (`CompiledTemplates`)."""

    @jinja2.pass_context
    def with_settings(_context: jinja2.runtime.Context, value: Any) -> str:
        return function(value)

    return with_settings


def _asset_url(config: Config, published: dict[str, str], name: str) -> str:
    """`asset_url('style.css')` in templates: the address of the theme's asset, by its hashed name."""
    if name not in published:
        raise jinja2.TemplateRuntimeError(
            f'giao diện không có tệp "{name}" (asset_url); các tệp có: ' + ", ".join(published)
        )
    return urls.asset_url(config, published[name])


class _ArticleItems:
    """`article_item(article)` in templates: an article as listings show it, from
    `partials/article_item.html`, which gets `article` and `config`. An article is listed on
    several pages (home, each of its provinces and themes), so each is rendered once a process;
    the bodies it showed count as shown by every page that lists it."""

    TEMPLATE = "partials/article_item.html"

    def __init__(self, env: jinja2.Environment, config: Config) -> None:
        self.env, self.config = env, config
        # By id(): the site's articles outlive this. As UTF-8: Vietnamese in half the memory.
        self.rendered: dict[int, tuple[bytes, frozenset[str]]] = {}

    def __call__(self, article: Any) -> Markup:
        if isinstance(article, jinja2.Undefined):
            article._fail_with_undefined_error()  # reported at the line that called article_item
        if type(article) is not Article:  # something a template made: not the site's, not kept
            return Markup(self._render(article))
        known = self.rendered.get(id(article))
        if known is None:
            with noting_reads() as shown:
                html = self._render(article)
            known = self.rendered[id(article)] = (html.encode(), frozenset(shown) if shown else NOTHING_READ)
        note_reads(known[1])
        return Markup(known[0].decode())

    def _render(self, article: Any) -> str:
        try:
            return self.env.get_template(self.TEMPLATE).render(article=article, config=self.config)
        except jinja2.UndefinedError as error:
            filename, line = _innermost_template(error.__traceback__)
            raise TemplateError(
                f"template gặp lỗi khi tạo trang: {error}",
                path=_display_path(filename or self.TEMPLATE, self.config.source_dir),
                line=line,
                hint=f"{self.TEMPLATE} chỉ nhận article và config: nó được tạo một lần cho mỗi bài "
                "rồi dùng lại ở mọi trang liệt kê bài đó, nên không có page, term hay pagination",
            ) from None


def render_template(env: jinja2.Environment, name: str, **context: Any) -> bytes:
    """Render one template; any failure becomes a TemplateError naming the template file and line."""
    source_dir = context["config"].source_dir
    try:
        return env.get_template(name).render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"lỗi cú pháp template: {error.message}",
            path=_display_path(error.filename or error.name or name, source_dir),
            line=error.lineno,
            hint="kiểm tra các thẻ {% … %} và {{ … }} ở dòng này",
        ) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            f'không tìm thấy template "{error.name}" (cần cho {name})',
            path=_display_path(_innermost_template(error.__traceback__)[0] or name, source_dir),
            hint="kiểm tra tên trong {% extends %} / {% include %}, hoặc tạo tệp đó trong templates/",
        ) from None
    except NewsgenError as error:
        if isinstance(error, TemplateError):
            raise
        raise error.with_traceback(None) from None  # newsgen's own, reading for the template: not its fault
    except Exception as error:  # noqa: BLE001 - any other error inside a template is the template's
        filename, line = _innermost_template(error.__traceback__)
        raise TemplateError(
            f"template gặp lỗi khi tạo trang: {error}",
            path=_display_path(filename or name, source_dir),
            line=line,
            hint="sửa biến hoặc bộ lọc ở dòng này của template",
        ) from None


def _innermost_template(tb: Any) -> tuple[str | None, int | None]:
    """The template file and line where an error was raised; Jinja puts them in the traceback."""
    found: tuple[str | None, int | None] = (None, None)
    for frame, line in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, line)
    return found


def _display_path(filename: str, source_dir: Path) -> str:
    """A template's path as the user knows it: templates/x.html, or newsgen/theme/… for the theme."""
    path = Path(filename)
    for base, shown in ((source_dir, ""), (THEME_DIR.parent, "newsgen/")):
        try:
            return shown + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return filename
