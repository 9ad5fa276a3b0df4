"""The command line: messages in Vietnamese, paths shown from where the user stands."""

import argparse
import ast
import gettext
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SiteDir
from newsgen.commands.cli import _DOMAIN, LOCALE_DIR

CATALOGUE = LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{_DOMAIN}.po"


def test_errors_name_files_from_the_current_folder(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write("content/hong.md", "---\ntitle: Bài\ndate: sai\n---\n")
    monkeypatch.chdir(site.root.parent)
    result = site.run("build", "--source", "site")
    assert result.code == 1
    assert result.err.startswith('site/content/hong.md:3: date: "sai" sai dạng ngày')


def test_summary_names_the_output_folder_from_the_current_folder(site: SiteDir) -> None:
    site.article("a")
    assert "lưu ở thư mục build/, trong" in site.build().out
    outside = site.root.parent / "ra-ngoai"
    assert f"lưu ở thư mục {os.fspath(outside)}/, trong" in site.build("--output", str(outside)).out


def test_usage_messages_are_in_vietnamese(site: SiteDir) -> None:
    typo = site.run("buid")
    assert typo.code == 2
    assert typo.err.startswith("Cách dùng: newsgen [-h] [--version] LỆNH ...\n")
    assert typo.err.endswith(
        "newsgen: lỗi: LỆNH: không nhận 'buid' (chỉ nhận: "
        "'build', 'init', 'check', 'serve', 'counter', 'new', 'publish', 'rollback')\n"
        "Xem hướng dẫn: newsgen --help\n"
    )
    unknown = site.run("build", "--ouput", "x")
    assert unknown.code == 2 and "newsgen: lỗi: tùy chọn không hợp lệ: --ouput x\n" in unknown.err
    help_ = site.run("build", "--help")
    assert help_.out.startswith("Cách dùng: newsgen build")
    assert "tùy chọn:" in help_.out and "hiện hướng dẫn này rồi thoát" in help_.out
    assert "tham số:\n  TIÊU_ĐỀ" in site.run("new", "--help").out
    assert "lệnh:\n  LỆNH\n    build " in site.run("--help").out
    missing = site.run("publish")
    assert (
        missing.code == 2
        and "newsgen publish: lỗi: thiếu: --to\nXem hướng dẫn: newsgen publish --help" in missing.err
    )
    assert "lỗi: --port: cần một giá trị\n" in site.run("serve", "--port").err
    assert (
        "lỗi: --drafts: tùy chọn này không đi kèm giá trị, bỏ 'yes' đi\n"
        in site.run("build", "--drafts=yes").err
    )
    offset = (
        "lỗi: --offset: cần một số từ 0 trở lên, viết liền không dấu chấm (ví dụ 82744821), không phải '-5'\n"
    )
    assert offset in site.run("counter", "serve", "--offset", "-5").err
    ambiguous = site.run("check", "--f", "x").err
    assert "lỗi: chưa rõ --f là tùy chọn nào: có thể là --format, --future\n" in ambiguous


def test_usage_messages_are_in_vietnamese_whatever_the_users_language(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "lỗi: tùy chọn không hợp lệ: --ouput x" in site.run("build", "--ouput", "x").err
    assert "tùy chọn:\n  -h, --help  hiện hướng dẫn này rồi thoát" in site.run("--help").out
    # gettext's language and catalogue are the process's: they are put back once the command is read
    assert os.environ["LANGUAGE"] == "fr" and gettext.textdomain() == "messages"
    monkeypatch.delenv("LANGUAGE")
    site.run("--version")
    assert "LANGUAGE" not in os.environ


def test_the_command_speaks_vietnamese_with_no_language_set(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("LANG", "LC_"))}
    result = subprocess.run(
        [sys.executable, "-m", "newsgen", "buid"],
        cwd=tmp_path,
        env=dict(env, LANG="C.UTF-8"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert "newsgen: lỗi: LỆNH: không nhận 'buid'" in result.stderr
    assert result.stderr.endswith("Xem hướng dẫn: newsgen --help\n")


MISSING = "(not in the catalogue)"


class _Missing(gettext.NullTranslations):
    """Behind the catalogue: a message it lacks comes out as MISSING instead of its English."""

    def gettext(self, message: str) -> str:
        return MISSING

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return MISSING


def _catalogue() -> gettext.NullTranslations:
    catalogue = gettext.translation(_DOMAIN, LOCALE_DIR, languages=["vi"])
    catalogue.add_fallback(_Missing())
    return catalogue


def _argparse_messages() -> list[tuple[str, ...]]:
    """What argparse asks gettext for: the texts of every `_("…")` and `ngettext("…", "…", n)`."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
        ):
            texts = [
                arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            if texts:
                found.append(tuple(texts))
    return found


def _formatted(text: str, english: str) -> str:
    """`text` formatted with what argparse formats `english` with (a dict, a tuple, or nothing)."""
    names = re.findall(r"%\((\w+)\)", english)
    if names:
        return text % {name: "x" for name in names}
    count = len(re.findall(r"%[sr]", english))
    return text % (("x",) * count) if count else text


def test_every_message_of_argparse_has_its_vietnamese() -> None:
    """A new Python's new argparse message fails here instead of reaching an editor in English."""
    messages = _argparse_messages()
    assert len(messages) >= 25 and ("usage: ",) in messages, (
        "argparse no longer calls _(): see how it translates"
    )
    catalogue = _catalogue()
    missing = []
    for texts in messages:
        if len(texts) == 2:
            english, translated = texts[0], catalogue.ngettext(texts[0], texts[1], 1)
            assert translated == catalogue.ngettext(texts[0], texts[1], 2)
        else:
            english, translated = texts[0], catalogue.gettext(texts[0])
        if translated == MISSING:
            missing.append(texts)
            continue
        assert _formatted(translated, english), english  # the same placeholders, or it fails when used
        if re.search(r"[a-z]{2}", re.sub(r"%\(\w+\)\w|%\w", "", english)):
            assert translated != english
    assert not missing, f"argparse messages missing from {CATALOGUE}: {missing}"


def _read_po(path: Path) -> dict[tuple[str, ...], str]:
    """msgid (with msgid_plural) → msgstr (msgstr[0]), the header left out."""
    entries: list[dict[str, str]] = []
    keyword = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            entries[-1][keyword] += ast.literal_eval(line)
            continue
        keyword, _, text = line.partition(" ")
        if keyword == "msgid":
            entries.append({})
        entries[-1][keyword] = ast.literal_eval(text)
    return {
        (entry["msgid"], entry["msgid_plural"]) if "msgid_plural" in entry else (entry["msgid"],): (
            entry.get("msgstr", entry.get("msgstr[0]", ""))
        )
        for entry in entries
        if entry["msgid"]
    }


def test_the_compiled_catalogue_is_its_source() -> None:
    entries = _read_po(CATALOGUE)
    catalogue = _catalogue()
    stale = [
        texts
        for texts, translated in entries.items()
        if (catalogue.ngettext(*texts, 1) if len(texts) == 2 else catalogue.gettext(texts[0])) != translated
    ]
    mo = CATALOGUE.with_suffix(".mo").read_bytes()
    order = "<" if mo[:4] == struct.pack("<I", 0x950412DE) else ">"
    count = struct.unpack(order + "I", mo[8:12])[0] - 1  # less the header
    compile_ = f"cd {CATALOGUE.parent} && msgfmt --check-format -o {_DOMAIN}.mo {_DOMAIN}.po"
    assert not stale and count == len(entries), f"{_DOMAIN}.mo is not {_DOMAIN}.po; run: {compile_}"


def test_summary_line_and_version(site: SiteDir) -> None:
    site.article("a")
    result = site.build()
    summary = (
        r"Đã tạo trang web: 1 bài viết, \d+ trang \(\d+ tệp mới hoặc thay đổi, 0 tệp bị xóa\), "
        r"lưu ở thư mục build/, trong \d+,\d\d giây\.\n$"
    )
    assert re.match(summary, result.out), result.out
    version = site.run("--version")
    assert version.code == 0 and version.out.startswith("newsgen ")


def test_usage_errors_exit_with_2(site: SiteDir) -> None:
    assert site.run("build", "--no-such-flag").code == 2
    assert site.run().code == 2
    help_ = site.run("build", "--help")
    assert help_.code == 0 and "--base-url" in help_.out and "--drafts" in help_.out


def test_progress_is_reported_while_building(site: SiteDir) -> None:
    from newsgen import build

    for number in range(3):
        site.article(f"bai-{number}", title=f"Bài {number}")
    seen: list[tuple[str, int, int]] = []
    build(site.root, progress=lambda stage, done, total: seen.append((stage, done, total)))
    reads = [entry for entry in seen if entry[0] == "đọc bài"]
    writes = [entry for entry in seen if entry[0] == "ghi trang"]
    assert reads[-1] == ("đọc bài", 3, 3)
    pages_and_files = [path for path in site.build_dir.rglob("*.*") if "chi-muc" not in path.parts]
    # less the two bookkeeping files (.newsgen-output, .newsgen-changes.json); the index apart
    assert writes[-1][1] == writes[-1][2] == len(pages_and_files) - 2


def test_terminal_progress_draws_one_line_and_clears_it(capsys: pytest.CaptureFixture[str]) -> None:
    from newsgen.commands.cli import _TerminalProgress

    progress = _TerminalProgress()
    progress("ghi trang", 1, 12000)
    progress("ghi trang", 12000, 12000)
    progress.clear()
    err = capsys.readouterr().err
    assert "\rghi trang 1/12.000" in err and "\rghi trang 12.000/12.000" in err
    assert err.endswith("\r")


def test_without_a_terminal_only_the_summary_is_printed(site: SiteDir) -> None:
    site.article("a")
    result = site.build()
    assert result.err == "" and result.out.count("\n") == 1


def test_a_command_run_in_a_site_s_subfolder_finds_the_site_as_git_does(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.config("site_name: Tin\n")  # what marks the site for a command run below it
    site.article("articles/2023/02/a", provinces=["Sơn La"])
    inside = site.root / "content/articles/2023"
    monkeypatch.chdir(inside)
    built = site.run("build")
    assert built.code == 0, built.err
    assert (site.root / "build/index.html").is_file() and not (inside / "build").exists()
    assert site.run("new", "Tin mới").code == 0
    assert list((site.root / "content/articles").rglob("tin-moi.md"))  # under the site's content/
    monkeypatch.chdir(site.root.parent)  # above the site: not in one
    outside = site.run("build")
    assert outside.code == 1 and "không tìm thấy thư mục content/" in outside.err


def test_another_tool_s_content_folder_above_is_no_site(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    (site.root / "tools/empty").mkdir(parents=True)
    monkeypatch.chdir(site.root / "tools/empty")  # content/ two levels up, but no newsgen.yaml
    result = site.run("build")
    assert result.code == 1 and "không tìm thấy thư mục content/" in result.err
    assert not (site.root / "build").exists()
