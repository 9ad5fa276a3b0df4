"""YAML parsing that remembers line numbers and explains its errors in Vietnamese."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import NewsgenError

# libyaml's parser is about eight times faster than the pure-Python one; both build the same nodes.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Mapping(dict[Any, Any]):
    """A YAML mapping that knows the line (1-based) of itself and of each of its keys."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[Any, int] = {}


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


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Keeps line numbers, and leaves timestamps as text for callers to parse with their line."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    mapping = Mapping(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise NewsgenError(
                "khoá không hợp lệ", line=key_node.start_mark.line + 1, hint="khoá phải là một từ"
            ) from None
        if key in mapping:
            raise NewsgenError(
                f"khoá {key!r} xuất hiện hai lần",
                line=key_node.start_mark.line + 1,
                hint=f"giữ một dòng {key}: và xoá dòng kia",
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Sequence:
    return Sequence(
        [loader.construct_object(child, deep=True) for child in node.value],
        line=node.start_mark.line + 1,
        lines=[child.start_mark.line + 1 for child in node.value],
    )


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

_ESCAPE = ("dấu \\ trong ngoặc kép có nghĩa riêng", "dùng ngoặc đơn ' thay cho ngoặc kép, hoặc viết \\\\")

# What libyaml's English problems mean for an editor, and how to fix them.
_PROBLEMS = {
    "mapping values are not allowed": (
        "dấu hai chấm (:) đặt sai chỗ",
        'nếu giá trị có dấu hai chấm, hãy đặt cả giá trị trong ngoặc kép, ví dụ title: "Điện Biên: hội nghị"',
    ),
    "could not find expected ':'": ("thiếu dấu hai chấm (:)", "mỗi dòng cần có dạng khoá: giá trị"),
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
    except RecursionError:
        raise NewsgenError(
            "các dấu ngoặc [ ] { } lồng nhau quá sâu", line=first_line, hint=_DEFAULT[1]
        ) from None
    except yaml.YAMLError:
        raise NewsgenError(_DEFAULT[0], line=first_line, hint=_DEFAULT[1]) from None


def _written(lines: list[str], index: int) -> bool:
    """True if line `index` of the text holds something (not past its end, not blank)."""
    return 0 <= index < len(lines) and bool(lines[index].strip())
