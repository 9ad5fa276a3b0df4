"""Errors that newsgen reports to people, not as tracebacks.

    NewsgenError            one problem: what is wrong, where (path, line), how to fix it
    ├── ConfigError         newsgen.yaml or a command-line option
    ├── ContentError        an article under content/
    ├── TemplateError       a theme or site template
    ├── OutputError         the output folder or the disk
    ├── UsageError          a command-line option that cannot work (exit code 2)
    └── BuildFailed         many problems found in one build, reported together

Messages and hints are in Vietnamese: the people who read them are editors.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


class NewsgenError(Exception):
    """A mistake in the user's input or environment, printed as `path:line: message — hint`."""

    kind = "error"  # what `newsgen check --format json` calls a problem without a `code`

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str = "",
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        self.code = code or self.kind

    def at(self, path: str, line: int | None = None) -> NewsgenError:
        """Return this error with a location filled in where it had none."""
        if self.path is None:
            self.path = path
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


class ConfigError(NewsgenError):
    """A problem in newsgen.yaml or in a command-line option."""

    kind = "config"


class ContentError(NewsgenError):
    """A problem in an article's file."""

    kind = "content"


class TemplateError(NewsgenError):
    """A problem in a template: syntax, a missing variable or a missing template."""

    kind = "template"


class OutputError(NewsgenError):
    """A problem writing the site: a refused output folder, a full disk, a clash of paths."""

    kind = "output"


def disk_error(error: OSError, where: Path) -> OutputError:
    """An OSError met while writing `where`, told with the folder the user can look at."""
    folder = where if where.is_dir() else where.parent
    if error.errno == errno.ENOSPC:
        return OutputError(
            "ổ đĩa đã đầy, không ghi được vào thư mục này",
            path=str(folder),
            hint="giải phóng dung lượng trên ổ đĩa đó rồi tạo lại trang web",
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            "newsgen không có quyền ghi vào thư mục này",
            path=str(folder),
            hint="kiểm tra quyền ghi của thư mục đó (và thư mục chứa nó) rồi tạo lại trang web",
        )
    return OutputError(
        f"không ghi được vào thư mục này ({error.strerror or error})",
        path=str(folder),
        hint="kiểm tra quyền ghi và dung lượng của thư mục đó",
    )


class UsageError(NewsgenError):
    """A command-line option that cannot work, such as an output folder holding the site."""

    kind = "usage"


class BuildFailed(NewsgenError):
    """Every problem found in one build, so the user can fix them all at once."""

    def __init__(self, problems: list[NewsgenError]) -> None:
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems


@dataclass
class Problems:
    """Collects the problems of a build so that one bad file does not hide the next."""

    items: list[NewsgenError] = field(default_factory=list)
    warnings: list[NewsgenError] = field(default_factory=list)  # worth a look, but the build goes on

    @contextmanager
    def about(self, path: str) -> Iterator[None]:
        """Record a NewsgenError raised inside the block against `path`, then carry on."""
        try:
            yield
        except NewsgenError as error:
            self.add(error.at(path))

    def add(self, error: NewsgenError) -> None:
        if isinstance(error, BuildFailed):
            self.items.extend(error.problems)
        else:
            self.items.append(error)

    def warn(self, warning: NewsgenError) -> None:
        self.warnings.append(warning)

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildFailed(sorted(self.items, key=_location))


def _location(error: NewsgenError) -> tuple[str, int]:
    return (error.path or "", error.line or 0)
