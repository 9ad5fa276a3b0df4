"""The output folder changes in one step: killed at any moment, a build leaves the old site or the
new one, never a mix; unchanged files keep their inode; nothing outside is ever removed."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SiteDir, index_meaning, snapshot
from newsgen.build import build, prepare_next_build
from newsgen.incremental.memory import Memory
from newsgen.write import spare as spare_folder
from newsgen.write.folders import make_folders
from newsgen.write.marker import MARKER_HEADER, read_marker

KILLER = Path(__file__).with_name("kill_build.py")


def article(title: str, date: str, provinces: str, body: str = "Nội dung.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nprovinces: [{provinces}]\n---\n{body}\n"


def first_version(site: SiteDir) -> None:
    site.write("content/mot.md", article("Bài một", "2023-02-20", "Sơn La"))
    site.write("content/hai.md", article("Bài hai", "2023-02-21", "Lai Châu"))
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên"))
    site.write("static/tep.txt", "tệp tải về\n")


def next_version(site: SiteDir) -> None:
    """Pages change, appear (a new article, a new province, a new month) and go (a deleted one)."""
    site.write("content/mot.md", article("Bài một, sửa lại", "2023-02-20", "Sơn La", "Nội dung mới."))
    (site.root / "content/hai.md").unlink()
    site.write("content/bon.md", article("Bài bốn", "2023-04-02", "Cao Bằng, Lạng Sơn"))
    (site.root / "static/tep.txt").unlink()


def tree(folder: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _mtime) in snapshot(folder).items()}


def without_changes_list(files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` but the list of changes, the search index by what it means (its ids may differ)."""
    return index_meaning({path: data for path, data in files.items() if path != ".newsgen-changes.json"})


def kill_build(site: SiteDir, at: int, *options: str) -> subprocess.CompletedProcess[str]:
    """The build in a process group of its own, which is killed whole afterwards: a build killed
    with SIGKILL cannot stop the render workers it started."""
    process = subprocess.Popen(
        [sys.executable, str(KILLER), str(site.root), str(at), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def prepared(site: SiteDir) -> dict[str, bytes]:
    """Two builds (so that the spare folder exists and is recorded), then the next version's
    sources; returns the published site as it was before them."""
    for path in list(site.root.iterdir()):
        if path.name != "content":
            subprocess.run(["rm", "-rf", str(path)], check=True)
    subprocess.run(["rm", "-rf", str(site.root / "content")], check=True)
    first_version(site)
    assert site.build().code == 0
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", "Sửa một chữ."))
    assert site.build().code == 0
    old = tree(site.build_dir)
    next_version(site)
    return old


@pytest.mark.parametrize("options", [(), ("--two-renames",)], ids=["renameat2", "two-renames"])
def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new(
    site: SiteDir, options: tuple[str, ...]
) -> None:
    old = prepared(site)
    listing = kill_build(site, 0, *options)
    assert listing.returncode == 0, listing.stderr
    new = tree(site.build_dir)
    assert new != old
    changes = listing.stderr.splitlines()
    # The writer's part: from the first touch of the spare folder to the last change of all.
    start = next(i for i, line in enumerate(changes) if "spare.folder" in line)
    moments = sorted({start + (len(changes) - start) * k // 24 for k in range(24)} | {len(changes) - 1})
    assert len(moments) >= 20, changes
    outcomes = {"old": 0, "new": 0}
    for moment in moments:
        prepared(site)
        killed = kill_build(site, moment + 1, *options)
        assert killed.returncode == -9, (moment, changes[moment], killed.stderr)
        now = tree(site.build_dir)
        assert now in (old, new), f"a mix after a kill at {changes[moment]}"
        outcomes["old" if now == old else "new"] += 1
        result = site.build()  # the next good build repairs everything
        assert result.code == 0, result.err
        assert without_changes_list(tree(site.build_dir)) == without_changes_list(new)
        assert not [p.name for p in site.root.iterdir() if "newsgen-s" in p.name and "spare" not in p.name]
    assert outcomes["old"] and outcomes["new"], outcomes


def test_unchanged_files_keep_their_inode_and_mtime(site: SiteDir) -> None:
    first_version(site)
    assert site.build().code == 0
    for _ in range(3):  # the first exchange, then with the spare recorded, then reused
        before = {path: os.stat(site.build_dir / path) for path in ("2023/02/bai-hai/index.html", "tep.txt")}
        site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", f"Lần {_}."))
        assert site.build().code == 0
        for path, stat in before.items():
            now = os.stat(site.build_dir / path)
            assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), path
        assert "Lần" in site.page("2023/03/bai-ba/index.html")


def test_the_spare_folder_catches_up_and_equals_a_clean_build(site: SiteDir, tmp_path: Path) -> None:
    """Many builds in a row through the spare give what one clean build of the same sources does."""
    first_version(site)
    for step in range(6):
        site.write(f"content/moi-{step}.md", article(f"Bài mới {step}", f"2023-05-0{step + 1}", "Sơn La"))
        if step % 2:
            (site.root / f"content/moi-{step - 1}.md").unlink()
        assert site.build().code == 0
    clean = SiteDir(tmp_path / "clean", site.capsys)
    subprocess.run(["cp", "-r", str(site.root / "content"), str(site.root / "static"), str(clean.root)])
    assert clean.build().code == 0
    assert without_changes_list(tree(site.build_dir)) == without_changes_list(tree(clean.build_dir))


_STEPS = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "delete", "fail", "forget"]), st.integers(0, 5)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS)
def test_any_sequence_of_builds_equals_a_clean_build(site: SiteDir, tmp_path: Path, steps: list) -> None:
    """Articles added, edited and deleted, failed builds, a spare whose record is lost: the output
    is always what a clean build of the same sources gives, and unchanged files keep their inode."""
    for path in [site.root / "content", site.build_dir, *site.root.glob(".*")]:
        subprocess.run(["rm", "-rf", str(path)], check=True)
    first_version(site)
    assert site.build().code == 0
    for number, (step, which) in enumerate(steps):
        article_file = site.root / f"content/bai-{which}.md"
        if step == "add" or (step == "edit" and article_file.exists()):
            site.write(
                f"content/bai-{which}.md",
                article(f"Bài {which}", f"2023-0{which % 9 + 1}-10", "Sơn La", f"Lần {number}"),
            )
        elif step == "delete":
            article_file.unlink(missing_ok=True)
        elif step == "fail":
            site.write("content/hong.md", "---\ntitle: [\n---\n")
            assert site.build().code == 1
            (site.root / "content/hong.md").unlink()
        elif step == "forget":
            (site.root / ".newsgen-cache/spare.folder.json").unlink(missing_ok=True)
        before = inodes_and_bytes(site.build_dir)
        assert site.build().code == 0
        after = inodes_and_bytes(site.build_dir)
        for path, (inode, data) in before.items():
            if path in after and after[path][1] == data:
                assert after[path][0] == inode, f"{path} has the same bytes but was written again"
    clean = SiteDir(tmp_path / f"clean-{len(list(tmp_path.iterdir()))}", site.capsys)
    subprocess.run(
        ["cp", "-r", str(site.root / "content"), str(site.root / "static"), str(clean.root)], check=True
    )
    assert clean.build().code == 0
    assert without_changes_list(tree(site.build_dir)) == without_changes_list(tree(clean.build_dir))


def inodes_and_bytes(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {path: (os.stat(folder / path).st_ino, data) for path, data in tree(folder).items()}


def victims(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "nan-nhan.txt", tmp_path / "thu-muc/anh.jpg"]
    for file in files:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("của người dùng")
    return files


def test_a_marker_listing_paths_outside_is_not_believed(site: SiteDir, tmp_path: Path) -> None:
    first_version(site)
    assert site.build().code == 0
    files = victims(tmp_path)
    marker = site.build_dir / ".newsgen-output"
    marker.write_text(marker.read_text() + "../../nan-nhan.txt\n" + f"{tmp_path}/thu-muc/anh.jpg\n")
    before = snapshot(site.build_dir)
    result = site.build()
    assert result.code == 2
    assert "không do newsgen tạo ra (tệp .newsgen-output trong đó không đúng dạng newsgen ghi)" in result.err
    assert all(file.read_text() == "của người dùng" for file in files)
    assert snapshot(site.build_dir) == before


@pytest.mark.parametrize(
    ("entries", "whole"),
    [
        ("index.html\n2023/02/bai/index.html\n.well-known/a.txt\n", True),
        ("", True),
        ("index.html", False),  # cut short: no line end
        ("index.html\n\nx\n", False),
        ("../../nan-nhan.txt\n", False),
        ("a/../../b\n", False),
        ("/etc/passwd\n", False),
        ("a//b\n", False),
        ("a/./b\n", False),
        ("thu-muc/\n", False),
        ("a\\b\n", False),
        ("a" * 5000 + "\n", False),  # no disk takes such a name
        ("a\x00b\n", False),
    ],
)
def test_the_marker_is_believed_only_when_whole(tmp_path: Path, entries: str, whole: bool) -> None:
    (tmp_path / ".newsgen-output").write_text(MARKER_HEADER + entries)
    assert read_marker(tmp_path) == (entries.split("\n")[:-1] if whole else None)


def test_a_folder_with_an_empty_marker_is_foreign(site: SiteDir) -> None:
    first_version(site)
    out = site.root / "tai-lieu"
    (out / "anh").mkdir(parents=True)
    (out / ".newsgen-output").write_text("")
    (out / "bao-cao.docx").write_bytes(b"PK\x03\x04")
    (out / "anh/ky-niem.jpg").write_bytes(b"\xff\xd8")
    before = snapshot(out)
    result = site.build("--output", str(out))
    assert result.code == 2
    assert "đã có tệp (.newsgen-output, anh, bao-cao.docx) nhưng không do newsgen tạo ra" in result.err
    assert snapshot(out) == before


def test_a_link_in_the_output_makes_it_foreign(site: SiteDir, tmp_path: Path) -> None:
    first_version(site)
    assert site.build().code == 0
    files = victims(tmp_path)
    marker = site.build_dir / ".newsgen-output"
    marker.write_text(marker.read_text() + "tinh/nan-nhan.txt\n")
    (site.build_dir / "tinh/nan-nhan.txt").symlink_to(files[0])
    result = site.build()
    assert result.code == 2
    assert "có liên kết hay tệp đặc biệt mà newsgen không tạo ra (tinh/nan-nhan.txt)" in result.err
    assert files[0].read_text() == "của người dùng"


def test_a_tampered_spare_record_or_cache_removes_nothing_outside(site: SiteDir, tmp_path: Path) -> None:
    first_version(site)
    assert site.build().code == 0
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", "Sửa."))
    assert site.build().code == 0
    files = victims(tmp_path)
    outside = ["../../nan-nhan.txt", str(files[0]), "../../thu-muc/anh.jpg"]
    record = site.root / ".newsgen-cache/spare.folder.json"
    data = json.loads(record.read_text())
    record.write_text(json.dumps({**data, "differs": [*data["differs"], *outside]}))
    with sqlite3.connect(site.root / ".newsgen-cache/state.sqlite") as store:
        (output,) = store.execute("SELECT DISTINCT output FROM outputs").fetchone()
        store.executemany("INSERT INTO outputs VALUES (?, ?, 1, 1)", [(output, path) for path in outside])
    next_version(site)
    result = site.build()
    assert result.code == 0, result.err
    assert all(file.read_text() == "của người dùng" for file in files)
    assert "Bài bốn" in site.page("2023/04/bai-bon/index.html")


def test_an_unwritable_folder_is_named_and_the_site_kept(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder named is the output's, where the editor can look, not the spare's."""
    first_version(site)
    assert site.build().code == 0
    real_write = Path.write_bytes

    def read_only_dien_bien(self: Path, data: bytes) -> int:
        if self.parent.name == "dien-bien":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", read_only_dien_bien)
    site.write("content/ba.md", article("Bài ba mới", "2023-03-01", "Điện Biên"))
    before = snapshot(site.build_dir)
    result = site.build()
    assert result.code == 1
    assert f"{site.build_dir}/tinh/dien-bien: newsgen không có quyền ghi vào thư mục này" in result.err
    assert "Traceback" not in result.err
    assert snapshot(site.build_dir) == before
    monkeypatch.undo()
    assert site.build().code == 0
    assert "Bài ba mới" in site.page("tinh/dien-bien/index.html")


def test_an_emptied_output_folder_gets_no_old_pages_back(site: SiteDir, tmp_path: Path) -> None:
    """An output folder emptied by hand (`find build -mindepth 1 -delete`, or `rm -rf build &&
    mkdir build`, which may give it back its inode): the spare's record must not be believed, or
    the deleted article's page would come back."""
    first_version(site)
    assert site.build().code == 0
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", "Sửa."))
    assert site.build().code == 0
    (site.root / "content/hai.md").unlink()
    subprocess.run(["find", str(site.build_dir), "-mindepth", "1", "-delete"], check=True)
    assert site.build().code == 0
    assert not (site.build_dir / "2023/02/bai-hai").exists()
    assert site.build().code == 0  # and the folder is newsgen's: the next build is not refused
    clean = SiteDir(tmp_path / "clean", site.capsys)
    subprocess.run(
        ["cp", "-r", str(site.root / "content"), str(site.root / "static"), str(clean.root)], check=True
    )
    assert clean.build().code == 0
    assert without_changes_list(tree(site.build_dir)) == without_changes_list(tree(clean.build_dir))


def test_a_file_changed_by_hand_in_the_output_is_not_swapped_for_an_old_one(site: SiteDir) -> None:
    first_version(site)
    assert site.build().code == 0
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", "Sửa."))
    assert site.build().code == 0
    hand_made = site.build_dir / "tep.txt.new"
    hand_made.write_text("sửa tay\n")
    hand_made.replace(site.build_dir / "tep.txt")  # as sed -i and rsync do: a new file
    site.write("static/tep.txt", "sửa tay\n")  # the same fix, where it belongs
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", "Sửa lần nữa."))
    assert site.build().code == 0
    assert (site.build_dir / "tep.txt").read_text() == "sửa tay\n"


def test_on_a_file_system_without_hard_links_files_are_copied(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    first_version(site)
    for body in ("Một.", "Hai.", "Ba."):
        site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", body))
        result = site.build()
        assert result.code == 0, result.err
    assert "Ba." in site.page("2023/03/bai-ba/index.html")
    clean = SiteDir(tmp_path / "clean", site.capsys)
    subprocess.run(
        ["cp", "-r", str(site.root / "content"), str(site.root / "static"), str(clean.root)], check=True
    )
    assert clean.build().code == 0
    assert without_changes_list(tree(site.build_dir)) == without_changes_list(tree(clean.build_dir))


def test_render_workers_making_one_folder_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers may both find a folder missing; the second mkdir finds it made."""
    real_mkdir = Path.mkdir

    def made_by_another_worker_first(self: Path, *args: object, **kwargs: object) -> None:
        real_mkdir(self)
        real_mkdir(self)  # FileExistsError, as the slower worker gets

    monkeypatch.setattr(Path, "mkdir", made_by_another_worker_first)
    make_folders(tmp_path, "2023/02/bai", set())
    monkeypatch.undo()
    assert (tmp_path / "2023/02/bai").is_dir()


def test_an_output_that_is_a_mount_point_is_refused(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    first_version(site)
    assert site.build().code == 0
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == site.build_dir or real_ismount(path))
    before = snapshot(site.build_dir)
    result = site.build()
    assert result.code == 2
    assert "là nơi gắn một ổ đĩa (mount point)" in result.err
    assert f"--output {site.build_dir}/trang" in result.err
    assert snapshot(site.build_dir) == before


def test_a_spare_that_became_a_file_is_made_again(site: SiteDir) -> None:
    first_version(site)
    assert site.build().code == 0
    spare = site.root / ".newsgen-cache/spare.folder"
    subprocess.run(["rm", "-rf", str(spare)], check=True)
    spare.write_text("không phải thư mục")
    site.write("content/ba.md", article("Bài ba", "2023-03-01", "Điện Biên", "Sửa."))
    result = site.build()
    assert result.code == 0, result.err
    assert "Sửa." in site.page("2023/03/bai-ba/index.html")


def test_serve_makes_the_spare_between_builds_and_stops_when_a_save_comes(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a first build, `newsgen serve` makes the spare folder while it waits for a save, so
    that the first save does not: given up at once when a save comes, finished otherwise; the
    next build then swaps it in as it is, and makes what a clean build makes."""
    first_version(site)
    memory = Memory(own_output=True)
    build(site.root, memory=memory)
    spare, record = site.root / ".newsgen-cache/spare.folder", site.root / ".newsgen-cache/spare.folder.json"
    assert not spare.exists()

    prepare_next_build(memory, cancelled=lambda: True)  # a save came at once
    assert not record.exists()
    prepare_next_build(memory, cancelled=lambda: False)
    assert record.exists()
    for path in snapshot(site.build_dir):
        if path != ".newsgen-changes.json":
            assert os.path.samestat(os.stat(spare / path), os.stat(site.build_dir / path)), path

    def made_anew(*_args: object) -> None:
        raise AssertionError("the spare was made again")

    next_version(site)
    with monkeypatch.context() as patched:
        patched.setattr(spare_folder, "discard", made_anew)
        build(site.root, memory=memory)
    clean = SiteDir(tmp_path / "clean", site.capsys)
    subprocess.run(["cp", "-r", str(site.root / "content"), str(clean.root)], check=True)
    assert clean.build().code == 0
    assert without_changes_list(tree(site.build_dir)) == without_changes_list(tree(clean.build_dir))

    # The spare now is the folder of before: it differs where that build wrote, here every page.
    listed = json.loads(record.read_text("utf-8"))["differs"]
    assert "index.html" in listed
    prepare_next_build(memory, cancelled=lambda: True)  # a save came at once: the list stays whole
    assert json.loads(record.read_text("utf-8"))["differs"] == sorted(listed)
    prepare_next_build(memory, cancelled=lambda: False)
    assert json.loads(record.read_text("utf-8"))["differs"] == [".newsgen-changes.json"]
    for path in snapshot(site.build_dir):
        if path != ".newsgen-changes.json":
            assert os.path.samestat(os.stat(spare / path), os.stat(site.build_dir / path)), path
