"""YAML parsing that remembers line numbers and explains its errors in Vietnamese."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..errors import ConfigError, NewsgenError

# libyaml's parser is about eight times faster than the pure-Python one; both build the same nodes.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Mapping(dict[Any, Any]):
    """A YAML mapping that knows the line (1-based) of itself and of each of its keys, and each
    scalar value as written (`raw`: `12:30`, `010`, `yes`), for fields that are text."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[Any, int] = {}
        self.raw: dict[Any, str] = {}


class Sequence(list[Any]):
    """A YAML sequence that knows the line (1-based) of itself and of each of its items."""

    def __init__(self, items: list[Any], line: int, lines: list[int]) -> None:
        super().__init__(items)
        self.line = line
        self.lines = lines


def show(value: Any) -> str:
    """A YAML value as an editor wrote it, for messages: `"10"`, `true`, or `(để trống)`."""
    if value is None:
        return "(để trống)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def unknown_key(key: Any, known: list[str] | tuple[str, ...], where: str, line: int) -> ConfigError:
    """A key a table of `where` cannot hold, with the known one it is closest to."""
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f'có phải "{close[0]}"?' if close else "các khóa hợp lệ: " + ", ".join(known)
    return ConfigError(f'khóa "{key}" không dùng được trong {where}', line=line, hint=hint)


def with_lines(items: list[Any], line: int) -> Iterator[tuple[Any, int]]:
    """The items of a list in newsgen.yaml with their lines (`line`, the list's, where unknown)."""
    return zip(items, getattr(items, "lines", [line] * len(items)), strict=True)


def table_lines(item: Any, where: str, keys: tuple[str, ...], line: int, example: str) -> dict[str, int]:
    """The lines of `item`'s keys, once it is known to be a table of `keys` only (an entry of a
    list in newsgen.yaml, such as a link of `link_blocks`)."""
    if not isinstance(item, dict):
        raise ConfigError(f"mỗi mục trong {where} phải là một bảng khóa: giá trị", line=line, hint=example)
    lines: dict[str, int] = getattr(item, "lines", {})
    for key in item:
        if key not in keys:
            raise unknown_key(key, keys, where, lines.get(key, line))
    return lines


def text_value(
    item: dict[str, Any],
    key: str,
    where: str,
    lines: dict[str, int],
    line: int,
    example: str,
    required: bool = False,
) -> str:
    """`item[key]`, text (empty if absent and not `required`), without spaces around it."""
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(
            f'{where}: "{key}" phải là một chuỗi văn bản{" không để trống" if required else ""},'
            f" không phải {show(value)}",
            line=lines.get(key, line),
            hint=example,
        )
    return value.strip()


_TAG = "tag:yaml.org,2002:"

# YAML 1.2's core schema, not PyYAML's YAML 1.1: `yes`, `on`, `12:30` and `010` stay what they
# look like (text, text, text, ten), and dates are text for callers to check with their line.
_CORE_RESOLVERS: list[tuple[str, str, str]] = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
]

# Aliases (`*name`) repeat a part of the document without copying it; a few nested ones make
# billions of values ("billion laughs"). No front matter or site config needs more than this.
MAX_EXPANDED_VALUES = 100_000


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Keeps line numbers, reads YAML 1.2's core schema, and refuses alias bombs."""

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)


for _name, _pattern, _first in _CORE_RESOLVERS:
    _LineLoader.add_implicit_resolver(_TAG + _name, re.compile(_pattern), list(_first))
_LineLoader.add_implicit_resolver(_TAG + "null", re.compile(r"^$"), [""])


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it past MAX_EXPANDED_VALUES, or into itself."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in open_nodes:
            raise _too_many_repeats(node, "một giá trị lặp lại chính nó bằng dấu * (bí danh YAML)")
        open_nodes.add(id(node))
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_VALUES:
                raise _too_many_repeats(child, "các dấu * (bí danh YAML) lặp lại quá nhiều giá trị")
        open_nodes.discard(id(node))
        sizes[id(node)] = total
        return total

    size(root)


def _too_many_repeats(node: yaml.Node, message: str) -> NewsgenError:
    return NewsgenError(
        message,
        line=node.start_mark.line + 1,
        hint="viết các giá trị ra đầy đủ, không dùng & và * để lặp lại",
    )


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    mapping = Mapping(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise NewsgenError(
                "khóa không hợp lệ", line=key_node.start_mark.line + 1, hint="khóa phải là một từ"
            ) from None
        if key == "<<" and isinstance(key_node, yaml.ScalarNode) and not key_node.style:
            raise NewsgenError(
                "newsgen không dùng khóa gộp << của YAML",
                line=key_node.start_mark.line + 1,
                hint="viết các khóa ra đầy đủ",
            )
        if key in mapping:
            raise NewsgenError(
                f"khóa {key!r} xuất hiện hai lần",
                line=key_node.start_mark.line + 1,
                hint=f"giữ một dòng {key}: và xóa dòng kia",
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.ScalarNode):
            mapping.raw[key] = value_node.value
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Sequence:
    return Sequence(
        [loader.construct_object(child, deep=True) for child in node.value],
        line=node.start_mark.line + 1,
        lines=[child.start_mark.line + 1 for child in node.value],
    )


def _scalar(kind: str, parse: Any) -> Any:
    """A constructor for one of the core schema's scalars, also when its tag is written out
    (`!!int mười`): a value that is not of the kind is an error on its line."""
    pattern = re.compile(next(p for name, p, _ in _CORE_RESOLVERS if name == kind))

    def construct(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
        text = loader.construct_scalar(node)
        if not pattern.match(text):
            raise NewsgenError(
                f'"{text}" không phải {_KIND_NAMES[kind]} như thẻ !!{kind} nói',
                line=node.start_mark.line + 1,
                hint=f"bỏ thẻ !!{kind}, hoặc sửa giá trị",
            )
        try:
            return parse(text)
        except ValueError:  # more digits than Python converts (4,300)
            raise NewsgenError(
                f"số quá dài ({len(text)} chữ số)",
                line=node.start_mark.line + 1,
                hint="đặt giá trị trong ngoặc kép",
            ) from None

    return construct


def _parse_int(text: str) -> int:
    if text[:2] in ("0o", "0x"):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _parse_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    return float("nan") if lowered == ".nan" else float(text)


_KIND_NAMES = {"int": "số nguyên", "float": "số", "bool": "true hay false", "null": "giá trị trống"}


def _unsupported_tag(loader: _LineLoader, suffix: str, node: yaml.Node) -> Any:
    raise NewsgenError(
        f"newsgen không dùng thẻ YAML {node.tag.replace(_TAG, '!!')}",
        line=node.start_mark.line + 1,
        hint="bỏ thẻ đó (phần bắt đầu bằng !) đi",
    )


_LineLoader.yaml_constructors = {
    _TAG + "map": _construct_mapping,
    _TAG + "seq": _construct_sequence,
    _TAG + "str": lambda loader, node: loader.construct_scalar(node),
    _TAG + "timestamp": lambda loader, node: loader.construct_scalar(node),  # checked by its reader
    _TAG + "int": _scalar("int", _parse_int),
    _TAG + "float": _scalar("float", _parse_float),
    _TAG + "bool": _scalar("bool", lambda text: text.lower() == "true"),
    _TAG + "null": _scalar("null", lambda _text: None),
}
_LineLoader.yaml_multi_constructors = {"": _unsupported_tag}

_ESCAPE = ("dấu \\ trong ngoặc kép có nghĩa riêng", "dùng ngoặc đơn ' thay cho ngoặc kép, hoặc viết \\\\")

# What libyaml's English problems mean for an editor, and how to fix them.
_PROBLEMS = {
    "mapping values are not allowed": (
        "dấu hai chấm (:) đặt sai chỗ",
        'nếu giá trị có dấu hai chấm, hãy đặt cả giá trị trong ngoặc kép, ví dụ title: "Điện Biên: hội nghị"',
    ),
    "could not find expected ':'": ("thiếu dấu hai chấm (:)", "mỗi dòng cần có dạng khóa: giá trị"),
    "found undefined alias": (
        "dấu * ở đầu giá trị có nghĩa riêng trong YAML",
        "đặt cả giá trị trong ngoặc kép",
    ),
    "found unexpected end of stream": ("thiếu dấu ngoặc kép đóng", "mỗi dấu ngoặc kép mở cần một dấu đóng"),
    "escape": _ESCAPE,
    "hexdecimal": _ESCAPE,
    "did not find expected": (
        "thụt lề hoặc dấu ngoặc không khớp",
        "kiểm tra thụt lề và các dấu ngoặc ở dòng này",
    ),
    "expected <block end>": (
        "thụt lề không đúng",
        "các dòng cùng cấp phải thẳng hàng, thụt lề bằng dấu cách",
    ),
}
_TOO_DEEP = "các dấu ngoặc [ ] { } lồng nhau quá sâu"
_PROBLEMS["nesting depth"] = (_TOO_DEEP, "bỏ bớt các dấu ngoặc thừa")  # libyaml 0.2.6 and later
_DEFAULT = ("cú pháp YAML không hợp lệ", "kiểm tra dấu hai chấm, dấu ngoặc kép và thụt lề ở dòng này")
_TAB = ("có ký tự Tab", "dùng dấu cách để thụt lề, không dùng phím Tab")


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse `text`; `first_line` is the line of the file on which `text` starts."""
    # Leading newlines make every line number the parser reports a line of the whole file.
    try:
        return yaml.load("\n" * (first_line - 1) + text, Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        lines = text.split("\n")
        at_end = "end of stream" in str(error) or (mark and not _written(lines, mark.line + 1 - first_line))
        if error.context_mark and at_end:
            mark = error.context_mark  # found at the end of the text: say where the quote or bracket opened
        line = mark.line + 1 if mark else first_line
        bad_line = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
        if "\t" in bad_line:
            message, hint = _TAB
        else:
            message, hint = next((m for key, m in _PROBLEMS.items() if key in str(error)), _DEFAULT)
        raise NewsgenError(message, line=line, hint=hint) from None
    except yaml.reader.ReaderError:
        check_no_control_characters(text, first_line)
        raise NewsgenError(_DEFAULT[0], line=first_line, hint=_DEFAULT[1]) from None
    except RecursionError:
        raise NewsgenError(
            "các dấu ngoặc [ ] { } lồng nhau quá sâu", line=first_line, hint=_DEFAULT[1]
        ) from None
    except yaml.YAMLError:
        raise NewsgenError(_DEFAULT[0], line=first_line, hint=_DEFAULT[1]) from None


# What YAML does not allow in a document, nor HTML in a page: control characters but tab and
# line feed; also the line breaks only some programs see (a lone carriage return, NEL, the Unicode
# line and paragraph separators), which would make line numbers disagree.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def has_control_character(text: str) -> bool:
    return _CONTROL.search(text) is not None


def check_no_control_characters(text: str, first_line: int = 1) -> None:
    """Refuse an invisible control character (a NUL, a form feed…), naming its own line."""
    found = _CONTROL.search(text)
    if found:
        raise NewsgenError(
            f"có ký tự điều khiển không nhìn thấy được (mã U+{ord(found.group()):04X}) ở dòng này",
            line=first_line + text.count("\n", 0, found.start()),
            hint="xóa ký tự đó; nó thường lẫn vào khi dán chữ từ Word, PDF hay trang web khác",
        )


def _written(lines: list[str], index: int) -> bool:
    """True if line `index` of the text holds something (not past its end, not blank)."""
    return 0 <= index < len(lines) and bool(lines[index].strip())
