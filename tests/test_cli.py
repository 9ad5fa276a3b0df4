"""The command line: messages in Vietnamese, paths shown from where the user stands."""

import os
import re

import pytest

from conftest import SiteDir


def test_errors_name_files_from_the_current_folder(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write("content/hong.md", "---\ntitle: Bài\ndate: sai\n---\n")
    monkeypatch.chdir(site.root.parent)
    result = site.run("build", "--source", "site")
    assert result.code == 1
    assert result.err.startswith('site/content/hong.md:3: date: "sai" sai dạng ngày')


def test_summary_names_the_output_folder_from_the_current_folder(site: SiteDir) -> None:
    site.article("a")
    assert site.build().out.rstrip().endswith("→ build")
    outside = site.root.parent / "ra-ngoai"
    assert site.build("--output", str(outside)).out.rstrip().endswith(f"→ {os.fspath(outside)}")


def test_usage_messages_are_in_vietnamese(site: SiteDir) -> None:
    typo = site.run("buid")
    assert typo.code == 2
    assert (
        "newsgen: lỗi: LỆNH: không có lệnh 'buid' "
        "(các lệnh: 'build', 'init', 'check', 'serve', 'counter', 'new', 'publish', 'rollback')" in typo.err
    )
    assert "Xem hướng dẫn: newsgen --help" in typo.err
    unknown = site.run("build", "--ouput", "x")
    assert unknown.code == 2 and "tuỳ chọn không hợp lệ: --ouput x" in unknown.err
    help_ = site.run("build", "--help")
    assert help_.out.startswith("Cách dùng: newsgen build")
    assert "tuỳ chọn:" in help_.out and "hiện hướng dẫn này rồi thoát" in help_.out
    assert "đối số:\n  TIÊU_ĐỀ" in site.run("new", "--help").out


def test_summary_line_and_version(site: SiteDir) -> None:
    site.article("a")
    result = site.build()
    summary = r"Đã dựng 1 bài viết, \d+ trang \((\d+) tệp: \1 mới hoặc đổi, 0 bỏ đi\) trong \d+,\d\d giây → "
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
    pages_and_files = [path for path in site.build_dir.rglob("*.*") if "pagefind" not in path.parts]
    # less the two bookkeeping files (.newsgen-output, .newsgen-changes.json); the index apart
    assert writes[-1][1] == writes[-1][2] == len(pages_and_files) - 2


def test_terminal_progress_draws_one_line_and_clears_it(capsys: pytest.CaptureFixture[str]) -> None:
    from newsgen.cli import _TerminalProgress

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
