"""`load_sources`: every article under content/, from the store where its bytes are as stored,
else parsed (in parallel), with its body's HTML in the store."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..config.settings import Config
from ..errors import ContentError, NewsgenError, Problems
from ..files import list_files
from ..parallel import map_in_processes
from ..state.bodies import Bodies
from ..state.store import Store, StoreDamaged, check, digest
from . import content
from .content import Progress, Source, fingerprint, link_to_a_folder
from .stored import source_from_json, source_to_json


def load_sources(
    config: Config,
    problems: Problems,
    jobs: int = 1,
    progress: Progress | None = None,
    *,
    files: Iterable[str] | None = None,
    unchanged: dict[str, str] | None = None,
    bodies: Bodies | None = None,
) -> list[Source]:
    """Every article under content/, in path order, its body's HTML in `bodies` (by default, in
    memory) under its digest. Bad files are recorded in `problems`.

    Articles whose bytes did not change since the last build come from the store (`bodies.store`);
    the others are parsed by `jobs` processes, reported to `progress` as they are done. `files`
    are the names under content/, if already listed; files in `unchanged` (source path → digest)
    are known to have those bytes still (`records.unchanged_files`), so they are not even read.
    """
    bodies = bodies or Bodies(None)
    unchanged = unchanged or {}
    if not config.content_dir.is_dir():
        problems.add(
            ContentError(
                f"không tìm thấy thư mục content/ trong {config.source_dir}",
                hint="chạy lệnh trong thư mục của trang, hoặc chỉ rõ bằng --source THƯ_MỤC",
            )
        )
        return []
    stored = StoredSources(config, bodies.store) if bodies.store is not None else None
    known_bodies = bodies.digests()
    found: dict[str, Source] = {}
    to_parse: list[tuple[str, bytes | None]] = []  # bytes, or None for the parser to read them
    for name in files if files is not None else list_files(config.content_dir):
        relative = f"content/{name}"
        if not name.isprintable() or _NOT_UTF8.search(name):
            problems.add(_unreadable_name(relative))
            continue
        if not name.lower().endswith(".md"):
            if (config.content_dir / name).is_dir():  # a link to a folder: `list_files` keeps out
                problems.add(link_to_a_folder(relative))
            else:
                problems.warn(_not_an_article(relative))
            continue
        if stored is None or relative not in stored.digests:  # nothing to compare with
            to_parse.append((relative, None))  # read where it is parsed
            continue
        with problems.about(relative):
            data = None if relative in unchanged else content.read_file(config.content_dir / name)
            known = unchanged[relative] if data is None else digest(data)
            source = stored.get(relative, known) if known in known_bodies else None
            if source is not None:
                found[relative] = source
            else:
                to_parse.append((relative, data))
    parsed = map_in_processes(functools.partial(_parse_one, config), to_parse, jobs)
    new_bodies: dict[str, str] = {}
    new_sources: list[Source] = []
    for done, (relative, result) in enumerate(parsed, start=1):
        if progress is not None:
            progress("đọc bài", done, len(to_parse))
        if isinstance(result, NewsgenError):
            problems.add(result)
            continue
        source, new_bodies[result[0].digest] = result
        found[relative] = source
        new_sources.append(source)
    bodies.add(new_bodies)  # before the sources that refer to them are stored
    bodies.keep_only(source.digest for source in found.values())
    if stored is not None:
        stored.save(new_sources, set(found))
    sources = [found[path] for path in sorted(found)]
    for source in sources:
        for warning in source.warnings:
            problems.warn(warning)
    return sources


class StoredSources:
    """The parse results the store holds, by source path, while `fingerprint` is the same: all
    of them, or those of a few `paths` (a build that renders only a few articles' pages)."""

    def __init__(self, config: Config, store: Store, paths: Iterable[str] | None = None) -> None:
        self.config, self.store = config, store
        self.fingerprint = fingerprint(config)
        self.current = store.read("SELECT value FROM meta WHERE name = 'parse'") == [(self.fingerprint,)]
        self.whole = paths is None
        rows = []
        if self.current and paths is None:
            rows = store.read("SELECT path, digest, data FROM sources")
        elif self.current and paths is not None:
            for path in paths:
                rows += store.read("SELECT path, digest, data FROM sources WHERE path = ?", (path,))
        self.digests: dict[str, str] = {path: file_digest for path, file_digest, _data in rows}
        self.data: dict[str, str] = {path: data for path, _digest, data in rows}

    def get(self, path: str, file_digest: str) -> Source | None:
        """The stored Source of `path`, if it was parsed from bytes of that digest."""
        if self.digests.get(path) != file_digest:
            return None
        try:
            source = source_from_json(self.data[path], self.config.timezone)
            check(source.path == path and source.digest == file_digest, "source path")
            return source
        except StoreDamaged as error:
            self.store.damaged(error)
            self.digests.clear()
            return None

    def save(self, parsed: list[Source], paths: set[str] | None = None) -> None:
        """Store the newly `parsed` Sources; with `paths`, all the files there are now (of a whole
        load), forget those of the others."""
        if not (self.whole or self.current):  # another fingerprint's: a full build makes them anew
            return
        gone = [(path,) for path in self.digests.keys() - paths] if paths is not None else []
        rows = []
        for source in parsed:
            data = source_to_json(source, self.config.timezone)
            if data is not None:
                rows.append((source.path, source.digest, data))
            elif source.path in self.digests:
                gone.append((source.path,))
        if not rows and not gone and self.current:
            return
        with self.store.writing() as connection:
            if not self.current:
                connection.execute("DELETE FROM sources")  # made for another fingerprint
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('parse', ?)", (self.fingerprint,))
            connection.executemany("DELETE FROM sources WHERE path = ?", gone)
            connection.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", rows)


def _parse_one(
    config: Config, file: tuple[str, bytes | None]
) -> tuple[str, tuple[Source, str] | NewsgenError]:
    relative, data = file
    try:
        if data is None:
            data = content.read_file(config.source_dir / relative)
        return relative, content.parse_source(relative, data, config)
    except NewsgenError as error:
        return relative, error.at(relative)


# What Python makes of bytes in a file name that are not UTF-8 (PEP 383).
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _unreadable_name(path: str) -> ContentError:
    return ContentError(
        "tên tệp có ký tự không đọc được (không phải UTF-8, hay ký tự điều khiển)",
        path=path.encode("utf-8", "backslashreplace").decode(),
        hint="đổi tên tệp, chỉ dùng chữ, số và dấu gạch ngang, ví dụ ky-ket-thi-dua.md",
    )


def _not_an_article(path: str) -> ContentError:
    stem, _, extension = path.rsplit("/", 1)[-1].partition(".")
    if extension.lower() in ("doc", "docx", "odt", "rtf", "pdf"):
        hint = f"chép nội dung sang một tệp {stem}.md, viết bằng Markdown; tệp để tải về đặt trong static/"
    else:
        hint = f"nếu đây là bài viết, đổi tên thành {stem}.md; ảnh và tệp tải về đặt trong static/"
    message = "tệp không có đuôi .md nên không được coi là bài viết"
    return ContentError(message, path=path, hint=hint, code="not-an-article")
