"""Inputs a careless editor or an attacker can give: YAML tags and aliases, values YAML 1.1 would
misread, control characters, links, full disks, bad counter settings. Each gets a message with its
file (and line), an exit code, and loses nothing; a newsgen bug gets one line and a saved report."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import GOOD, SiteDir, disk_full_under, fails_and_keeps_everything, snapshot
from newsgen.config.settings import load_config
from newsgen.sources.content import parse_source

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BOMB


def test_an_alias_bomb_in_an_article_is_refused_with_its_line(built: SiteDir) -> None:
    built.write(
        "content/bom.md",
        f"---\ntitle: Bài\ndate: 2023-02-20\nthem:\n  {BOMB.replace(chr(10), chr(10) + '  ')}\n---\n",
    )
    err = fails_and_keeps_everything(built)
    assert re.search(r"content/bom\.md:\d+: các dấu \* \(bí danh YAML\) lặp lại quá nhiều giá trị", err)
    line = int(re.search(r"bom\.md:(\d+)", err).group(1))  # type: ignore[union-attr]
    assert 5 <= line <= 13  # on one of the lines that repeat


def test_an_alias_bomb_in_the_config_is_refused_with_its_line(built: SiteDir) -> None:
    built.config("site_name: Tin tức\nextra:\n  " + BOMB.replace("\n", "\n  ") + "\n")
    err = fails_and_keeps_everything(built)
    assert re.search(r"newsgen\.yaml:\d+: các dấu \* \(bí danh YAML\) lặp lại quá nhiều giá trị", err)
    assert "không dùng & và * để lặp lại" in err


def test_a_value_that_repeats_itself_is_refused(built: SiteDir) -> None:
    built.write("content/vong.md", "---\ntitle: Bài\ndate: 2023-02-20\nvong: &v [1, *v]\n---\n")
    assert "content/vong.md:4: một giá trị lặp lại chính nó" in fails_and_keeps_everything(built)


def test_a_few_aliases_are_fine(site: SiteDir) -> None:
    site.write("content/a.md", "---\ntitle: Bài\ndate: 2023-02-20\nnguon: &n [Sở, Báo]\nlai: *n\n---\n")
    assert site.build().code == 0


def test_an_explicit_tag_in_the_config(built: SiteDir) -> None:
    built.config("site_name: Tin tức\nper_page: !!int mười\n")
    err = fails_and_keeps_everything(built)
    assert 'newsgen.yaml:2: "mười" không phải số nguyên như thẻ !!int nói — bỏ thẻ !!int' in err


@pytest.mark.parametrize(
    "value", ["12:30", "010", "yes", "1e3", "null", "Yes", "1.500", "0x1F", "~", ".inf", "on"]
)
def test_titles_come_out_as_written(site: SiteDir, value: str) -> None:
    site.write(
        "content/so.md",
        f"---\ntitle: {value}\ndate: 2023-02-20\nslug: so\nauthor: {value}\nimage_alt: {value}\n---\nChữ.\n",
    )
    result = site.build()
    assert result.code == 0, result.err
    page = site.page("2023/02/so/index.html")
    assert f"<h1>{value}</h1>" in page
    assert f"<title>{value} " in page


def test_extra_values_are_numbers_only_when_they_print_as_written(site: SiteDir) -> None:
    config = load_config(site.root)
    front = "title: Bài\ndate: 2023-02-20\n"
    front += "so_hieu: 010\nluot_xem: 120\ngio: 12:30\nhe_so: 1.50\nmoi: true\nmu: 1e3\n"
    source, _html = parse_source("content/a.md", f"---\n{front}---\n".encode(), config)
    assert source.extra == {
        "so_hieu": "010",
        "luot_xem": 120,
        "gio": "12:30",
        "he_so": "1.50",
        "moi": True,
        "mu": "1e3",
    }


# Plain YAML scalars on one line: no indicator at the start, no ": " or " #" inside.
_PLAIN = st.text(alphabet="0123456789:.-+_~eExobOXTtrufalsnyNYẠđĐăâ ", min_size=1, max_size=12).map(str.strip)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_any_plain_title_is_kept_as_written(tmp_path_factory: pytest.TempPathFactory, value: str) -> None:
    assume(
        value
        and value[0] not in "-:?~"
        and ": " not in value
        and not value.endswith(":")
        and " #" not in value
    )
    config = load_config(tmp_path_factory.mktemp("site"))
    text = f"---\ntitle: {value}\ndate: 2023-02-20\n---\n"
    source, _html = parse_source("content/a.md", text.encode(), config)
    assert source.title == value


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: Bài\ndate: 2023-02-20\nauthor: A\ntags: x\nnguon: 'a\x00b'\n---\nChữ.\n", 6),
        ("---\ntitle: Bài\ndate: 2023-02-20\n---\nDòng một.\n\nDòng \x0c ba.\n", 7),
        ("---\ntitle: Bài\x01\ndate: 2023-02-20\n---\n", 2),
    ],
)
def test_control_characters_are_reported_on_their_own_line(built: SiteDir, text: str, line: int) -> None:
    built.write("content/nul.md", text)
    err = fails_and_keeps_everything(built)
    assert f"content/nul.md:{line}: có ký tự điều khiển không nhìn thấy được" in err


def test_a_control_character_in_the_config_is_reported_on_its_line(built: SiteDir) -> None:
    built.config("site_name: Tin tức\nsite_description: 'Cổng\x00 tin'\n")
    assert "newsgen.yaml:2: có ký tự điều khiển" in fails_and_keeps_everything(built)


def test_a_link_that_loops_is_named_by_its_own_path(built: SiteDir) -> None:
    (built.root / "content/vong.md").symlink_to("vong.md")
    err = fails_and_keeps_everything(built)
    assert "content/vong.md: tệp này là một liên kết (symlink) vòng về chính nó" in err


def test_a_link_out_of_the_site_is_named_as_the_editor_sees_it(built: SiteDir) -> None:
    (built.root / "content/passwd.md").symlink_to("/etc/passwd")
    err = fails_and_keeps_everything(built)
    assert "content/passwd.md:1: tệp không bắt đầu bằng phần thông tin đầu bài" in err
    assert "/etc/passwd" not in err


@pytest.mark.parametrize("name", ["etc", "etc.md"])
def test_a_link_to_a_folder_is_an_error(built: SiteDir, name: str) -> None:
    (built.root / "content" / name).symlink_to("/etc")
    err = fails_and_keeps_everything(built)
    assert f"content/{name}: đây là liên kết (symlink) tới một thư mục" in err
    assert not re.search("(^|[^t])/etc:", err)


def test_a_link_to_nothing(built: SiteDir) -> None:
    (built.root / "content/mat.md").symlink_to("khong-con.md")
    assert (
        "content/mat.md: tệp này là một liên kết (symlink) tới tệp không còn nữa"
        in fails_and_keeps_everything(built)
    )


def test_a_full_disk_while_the_search_index_is_written_names_the_folder(
    built: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    built.write("content/moi.md", "---\ntitle: Bài mới\ndate: 2023-02-21\n---\nChữ.\n")
    disk_full_under(monkeypatch, "chi-muc")  # the search index's folder
    err = fails_and_keeps_everything(built)
    assert re.search(
        f"{built.build_dir}/tim-kiem/chi-muc[^:]*: ổ đĩa đã đầy, không ghi được vào thư mục này", err
    )


def test_a_counter_database_that_cannot_be_written(site: SiteDir, tmp_path: Path) -> None:
    result = site.run("counter", "serve", "--db", str(tmp_path / "khong-co/dem.sqlite"), "--port", "0")
    assert result.code == 2
    assert f"--db: không mở hay ghi được tệp số đếm {tmp_path}/khong-co/dem.sqlite" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("offset", ["mười", "82.744.821", "-5"])
def test_a_bad_counter_offset_in_the_environment(tmp_path: Path, offset: str) -> None:
    code = "from newsgen.counter import app_from_environment; app_from_environment()"
    environment = {
        **os.environ,
        "NEWSGEN_COUNTER_OFFSET": offset,
        "NEWSGEN_COUNTER_DB": str(tmp_path / "d.sqlite"),
    }
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)
    assert result.returncode == 1
    assert f'NEWSGEN_COUNTER_OFFSET: phải là một số nguyên không âm, không phải "{offset}"' in result.stderr
    assert "Traceback" not in result.stderr


def test_a_newsgen_bug_prints_one_line_and_saves_the_details(
    built: SiteDir, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("lỗi lập trình")

    monkeypatch.setattr(importlib.import_module("newsgen.pipeline"), "build_site", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    built.write("content/moi.md", "---\ntitle: Bài mới\ndate: 2023-02-21\n---\n")
    before = snapshot(built.build_dir)
    result = built.build()
    assert result.code == 70
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err
    assert lines[0].startswith(
        "Lỗi của chính newsgen, không phải của trang hay bài viết (KeyError): chi tiết đã lưu ở"
    )
    saved = Path(re.search(r"lưu ở (\S+\.txt)", lines[0]).group(1))  # type: ignore[union-attr]
    assert saved.parent == tmp_path
    details = saved.read_text()
    assert "Traceback" in details and "lỗi lập trình" in details and "lệnh: newsgen build --source" in details
    assert snapshot(built.build_dir) == before


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            'title: "Bài\x85mới"\ndate: 2023-02-20\n',
            "content/x.md:2: có ký tự điều khiển không nhìn thấy được (mã U+0085)",
        ),
        (
            'title: "Bài\u2028mới"\ndate: 2023-02-20\n',
            "content/x.md:2: có ký tự điều khiển không nhìn thấy được (mã U+2028)",
        ),
        (
            'title: "a\\0b"\ndate: 2023-02-20\n',
            "content/x.md:2: title: giá trị có ký tự điều khiển không nhìn thấy được",
        ),
        (
            'title: Bài\ndate: 2023-02-20\nauthor: "\\x1b[31m"\n',
            "content/x.md:4: author: giá trị có ký tự điều khiển",
        ),
    ],
)
def test_invisible_line_breaks_and_escaped_control_characters(
    built: SiteDir, front: str, message: str
) -> None:
    built.write("content/x.md", f"---\n{front}---\nChữ.\n")
    assert message in fails_and_keeps_everything(built)


def test_a_device_or_a_pipe_under_content_is_not_read(built: SiteDir) -> None:
    (built.root / "content/z.md").symlink_to("/dev/zero")  # would never end
    os.mkfifo(built.root / "content/f.md")  # would wait forever
    err = fails_and_keeps_everything(built)
    assert "content/z.md: đây không phải một tệp thường" in err
    assert "content/f.md: đây không phải một tệp thường" in err


def test_an_output_inside_another_site_is_refused(built: SiteDir) -> None:
    err = fails_and_keeps_everything(built, "--output", str(built.build_dir / "con"), code=2)
    assert f"nằm trong {built.build_dir}, nơi newsgen đã tạo một trang web khác" in err


def test_a_config_that_is_not_a_file(built: SiteDir) -> None:
    (built.root / "newsgen.yaml").mkdir()
    assert "newsgen.yaml: newsgen.yaml không phải một tệp đọc được" in fails_and_keeps_everything(built)


def test_a_permalink_onto_newsgens_own_files(built: SiteDir) -> None:
    built.config("permalink: /.newsgen-output/{slug}/\n")
    err = fails_and_keeps_everything(built)
    assert "trùng tên tệp .newsgen-output mà newsgen dùng cho riêng mình" in err


def test_a_link_that_loops_in_static(built: SiteDir) -> None:
    (built.root / "static").mkdir(exist_ok=True)
    (built.root / "static/vong.jpg").symlink_to("vong.jpg")
    assert "static/vong.jpg là một liên kết (symlink) vòng về chính nó" in fails_and_keeps_everything(built)


def test_a_file_name_that_is_not_utf8(built: SiteDir) -> None:
    (built.root / "content").joinpath(os.fsdecode(b"t\xeant.md")).write_text(
        GOOD.replace("Bài tốt", "Tên lạ")
    )
    err = fails_and_keeps_everything(built)
    assert "content/t\\udceant.md: tên tệp có ký tự không đọc được (không phải UTF-8" in err
