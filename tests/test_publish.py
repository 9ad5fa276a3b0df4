"""`newsgen publish` and `newsgen rollback`: releases beside each other, `current` a relative symlink
switched by one rename, old releases pruned, and every failure leaving the live site as it was."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteDir, snapshot
from newsgen.publish import publish, rollback

BOOKKEEPING = {".newsgen-output", ".newsgen-changes.json"}  # the build's lists, not published
RELEASE_MARK = ".newsgen-release"  # in each release, which says newsgen made it
NAME = re.compile(r"\d{8}T\d{6}Z(-\d+)?")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not (path.parent == folder and path.name in {*BOOKKEEPING, RELEASE_MARK})
    }


def _built(site: SiteDir) -> dict[str, bytes]:
    run = site.build()
    assert run.code == 0, run.err
    return _files(site.build_dir)


def _releases(www: Path) -> list[str]:
    return sorted(entry.name for entry in (www / "releases").iterdir())


def _links(www: Path) -> dict[str, str]:
    """The symlinks in DIR (current, previous) and what they say, to prove which changed."""
    return {entry.name: os.readlink(entry) for entry in sorted(www.iterdir()) if entry.is_symlink()}


def _rollback(site: SiteDir, www: Path) -> str:
    """Roll back, check it worked, and return the name of the release now live."""
    run = site.run("rollback", "--to", str(www))
    assert run.code == 0, run.err
    return os.readlink(www / "current").removeprefix("releases/")


def _publish(site: SiteDir, www: Path, *args: str) -> str:
    """Publish, check it worked, and return the name of the release now live."""
    run = site.run("publish", "--to", str(www), *args)
    assert run.code == 0, run.err
    return os.readlink(www / "current").removeprefix("releases/")


def test_publishing_twice_keeps_both_releases_and_serves_the_newest(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("ky-ket", title="Ký kết giao ước thi đua")
    first_site = _built(site)
    first = _publish(site, www)
    site.article("ky-ket", body="Nội dung đã sửa.\n", title="Ký kết giao ước thi đua")
    second_site = _built(site)
    assert second_site != first_site
    second = _publish(site, www)

    assert NAME.fullmatch(first) and NAME.fullmatch(second) and first != second
    assert _releases(www) == [first, second]
    assert _links(www) == {"current": f"releases/{second}", "previous": f"releases/{first}"}
    assert _files(www / "current") == second_site
    assert _files(www / "releases" / first) == first_site  # the earlier release as it was published
    for name in BOOKKEEPING:  # newsgen's own lists are not part of the site
        assert not (www / "current" / name).exists()
        assert (site.build_dir / name).exists()


def test_success_message_names_the_release_and_how_to_go_back(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    first = site.run("publish", "--to", str(www))
    live = os.readlink(www / "current").removeprefix("releases/")
    assert first.out == f"Đã xuất bản bản {live} vào {www} (current → releases/{live}); giữ 5 bản\n"
    run = site.run("publish", "--to", str(www))  # now there is a release to go back to
    live = os.readlink(www / "current").removeprefix("releases/")
    assert run.out == (
        f"Đã xuất bản bản {live} vào {www} (current → releases/{live}); giữ 5 bản, "
        f"quay lại bản trước: newsgen rollback --to {www}\n"
    )
    assert run.err == ""


def test_rollback_makes_the_release_before_live_again(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    first_site = _built(site)
    first = _publish(site, www)
    site.article("a", body="Bản sửa.\n")
    _built(site)
    second = _publish(site, www)

    run = site.run("rollback", "--to", str(www))
    assert run.code == 0, run.err
    assert run.out == (
        f"Đã quay lại bản {first}: {www}/current → releases/{first} (bản {second} vẫn còn trong releases/)\n"
    )
    assert _links(www) == {"current": f"releases/{first}", "previous": f"releases/{second}"}
    assert _files(www / "current") == first_site
    assert _releases(www) == [first, second]  # rolling back deletes nothing


def test_rollback_with_no_earlier_release_is_refused(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    only = _publish(site, www)
    before = snapshot(www)
    run = site.run("rollback", "--to", str(www))
    assert run.code == 2
    assert f"không có bản nào trước bản đang chạy {only}" in run.err
    assert "đã xuất bản ít nhất hai lần" in run.err
    assert _links(www) == {"current": f"releases/{only}"} and snapshot(www) == before  # no `previous`

    never = site.run("rollback", "--to", str(tmp_path / "chua-co"))
    assert never.code == 2 and "chưa có bản nào được xuất bản" in never.err
    assert not (tmp_path / "chua-co").exists()


def test_keep_prunes_the_oldest_releases(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    names = [_publish(site, www, "--keep", "2") for _ in range(4)]
    assert _releases(www) == names[2:]
    assert os.readlink(www / "current") == f"releases/{names[3]}"
    run = site.run("publish", "--to", str(www), "--keep", "2")
    assert ", đã xóa 1 bản cũ," in run.out


def test_rollback_goes_to_the_release_live_before_not_the_one_before_by_name(
    site: SiteDir, tmp_path: Path
) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    good = _publish(site, www)
    rejected = _publish(site, www)
    assert _rollback(site, www) == good
    fixed = _publish(site, www)
    # By name, the release before `fixed` is `rejected`; but the one live before it was `good`.
    assert _links(www) == {"current": f"releases/{fixed}", "previous": f"releases/{good}"}
    run = site.run("rollback", "--to", str(www))
    assert run.code == 0, run.err
    assert run.out == (
        f"Đã quay lại bản {good}: {www}/current → releases/{good} (bản {fixed} vẫn còn trong releases/)\n"
    )
    assert _links(www) == {"current": f"releases/{good}", "previous": f"releases/{fixed}"}
    assert _releases(www) == [good, rejected, fixed]


def test_a_second_rollback_undoes_the_first(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    first_site = _built(site)
    first = _publish(site, www)
    site.article("a", body="Bản sửa.\n")
    second_site = _built(site)
    second = _publish(site, www)
    for live, left, files in [(first, second, first_site), (second, first, second_site)] * 2:
        assert _rollback(site, www) == live
        assert _links(www) == {"current": f"releases/{live}", "previous": f"releases/{left}"}
        assert _files(www / "current") == files
    assert _releases(www) == [first, second]


@pytest.mark.parametrize("previous", [None, "releases/20200101T000000Z", "releases/{live}", "../ngoai"])
def test_without_a_usable_previous_rollback_goes_back_by_name(
    site: SiteDir, tmp_path: Path, previous: str | None
) -> None:
    """A DIR from an older newsgen has no `previous`; its release may have been deleted by hand, or it
    may name the live release (newsgen killed between the two links): rollback then goes by name."""
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    one, two, three = (_publish(site, www) for _ in range(3))
    assert _rollback(site, www) == two
    four = _publish(site, www)
    assert _links(www) == {"current": f"releases/{four}", "previous": f"releases/{two}"}
    (www / "previous").unlink()
    if previous is not None:
        (www / "previous").symlink_to(previous.format(live=four))
    assert _rollback(site, www) == three  # the newest release older than four
    assert _links(www) == {"current": f"releases/{three}", "previous": f"releases/{four}"}
    assert _rollback(site, www) == four  # and from there the history is recorded again
    assert _releases(www) == [one, two, three, four]


def test_pruning_keeps_the_release_previous_points_to(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    good = _publish(site, www)
    _publish(site, www)
    assert _rollback(site, www) == good
    # --keep 1, but `good`, where rollback goes, stays; the rejected release, newer, does not.
    fixed = _publish(site, www, "--keep", "1")
    assert _releases(www) == [good, fixed]
    assert _links(www) == {"current": f"releases/{fixed}", "previous": f"releases/{good}"}
    assert _rollback(site, www) == good


def test_without_previous_pruning_keeps_the_release_before_by_name(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    one, two = (_publish(site, www) for _ in range(2))
    (www / "current").unlink()  # nothing live, so nothing to record as `previous`
    three = _publish(site, www, "--keep", "1")
    assert _links(www) == {"current": f"releases/{three}"}  # the stale `previous` is gone too
    assert _releases(www) == [two, three]  # where rollback goes without `previous` stays
    assert _rollback(site, www) == two


def test_current_is_a_relative_symlink_swapped_in_by_one_rename(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    first = _publish(site, www)
    replaced: list[tuple[str, str, str]] = []
    real_replace = os.replace

    def watching_replace(source: Any, target: Any) -> None:
        # `current` is still there, still the old release, when the new link is renamed onto it
        replaced.append((os.fspath(source), os.fspath(target), os.readlink(www / "current")))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    second = _publish(site, www)
    monkeypatch.undo()

    assert [Path(target).name for _source, target, _before in replaced] == ["previous", "current"]
    for source, _target, before in replaced:
        assert Path(source).parent == www and Path(source).name.startswith(".")
        assert before == f"releases/{first}"
    assert sorted(entry.name for entry in www.iterdir()) == [
        "current",
        "previous",
        "releases",
    ]  # no temp link
    # relative, so the whole folder can be moved (or mounted elsewhere) and still work
    moved = tmp_path / "moved"
    www.rename(moved)
    assert (moved / "current").resolve() == (moved / "releases" / second).resolve()
    assert (moved / "current" / "index.html").is_file()
    assert (moved / "previous").resolve() == (moved / "releases" / first).resolve()


def test_a_release_appears_under_its_name_only_when_complete(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"
    site.article("a")
    site_files = _built(site)
    # what a killed run leaves: a half-copied release and a link about to become `current`
    (www / "releases" / ".newsgen-incoming-20260101T000000Z").mkdir(parents=True)
    (www / "releases" / ".newsgen-incoming-20260101T000000Z" / "index.html").write_text("nửa chừng")
    os.symlink("releases/nowhere", www / ".newsgen-current-99999")
    os.symlink("releases/nowhere", www / ".newsgen-previous-99999")
    renamed: list[tuple[Path, Path, dict[str, bytes], bool]] = []
    real_rename = os.rename

    def watching_rename(source: Any, target: Any) -> None:
        source, target = Path(source), Path(target)
        renamed.append((source, target, _files(source), target.exists()))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", watching_rename)
    name = _publish(site, www)
    monkeypatch.undo()

    [(source, target, files, existed)] = renamed
    assert source.parent == www / "releases" and source.name.startswith(".")
    assert target == www / "releases" / name and not existed
    assert files == site_files  # complete before it got its name
    assert _releases(www) == [name]  # the leftovers are gone
    assert sorted(entry.name for entry in www.iterdir()) == ["current", "releases"]


def test_unchanged_files_are_hard_links_to_the_live_release(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    site.article("b", date="2023-03-01 08:00")
    _built(site)
    first = _publish(site, www)
    first_files = _files(www / "releases" / first)
    site.article("b", body="Nội dung mới của bài b.\n", date="2023-03-01 08:00")
    _built(site)
    second = _publish(site, www)

    old, new = www / "releases" / first, www / "releases" / second
    same = changed = 0
    for path, data in _files(new).items():
        linked = (old / path).exists() and os.stat(old / path).st_ino == os.stat(new / path).st_ino
        if first_files.get(path) == data:
            assert linked, path
            same += 1
        else:
            assert not linked, path
            changed += 1
    assert same and changed
    assert _files(old) == first_files  # linking never changed the earlier release


def test_a_release_is_readable_by_the_web_server(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    site.build_dir.chmod(0o700)  # a private build folder: the release is still readable
    umask = os.umask(0o022)
    try:
        name = _publish(site, www)
    finally:
        os.umask(umask)
    release = www / "releases" / name
    folders = [release, *(path for path in release.rglob("*") if path.is_dir())]
    assert len(folders) > 1
    assert {stat.S_IMODE(folder.stat().st_mode) for folder in folders} == {0o755}
    assert all(stat.S_IMODE(path.stat().st_mode) & 0o004 for path in release.rglob("*") if path.is_file())


def test_release_names_are_utc_and_sort_by_number(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    vietnam = timezone(timedelta(hours=7))
    now = datetime(2026, 11, 27, 20, 15, tzinfo=vietnam)
    names = [publish(site.root, www, keep=20, now=now).release for _ in range(11)]
    assert names[:3] == ["20261127T131500Z", "20261127T131500Z-2", "20261127T131500Z-3"]
    assert names[-1] == "20261127T131500Z-11"
    assert rollback(www) == ("20261127T131500Z-11", "20261127T131500Z-10")  # not -9, as text would sort


def test_output_is_found_as_newsgen_build_finds_it(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    assert site.build("--output", "../ra").code == 0
    _publish(site, www, "--output", "../ra")
    assert _files(www / "current") == _files(tmp_path / "ra")


def test_without_a_build_publish_says_to_build_first(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    run = site.run("publish", "--to", str(www))
    assert run.code == 2
    assert f"chưa có trang web đã tạo ở {site.build_dir}" in run.err
    assert "chạy newsgen build trước" in run.err
    assert not www.exists() and not site.build_dir.exists()


def test_a_folder_newsgen_did_not_build_is_not_published(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    live = _publish(site, www)
    handmade = tmp_path / "tu-lam"
    (handmade / "index.html").parent.mkdir()
    (handmade / "index.html").write_text("<p>trang tự làm</p>")
    before_www, before_handmade, before_build = snapshot(www), snapshot(handmade), snapshot(site.build_dir)
    run = site.run("publish", "--to", str(www), "--output", str(handmade))
    assert run.code == 2
    assert f"chưa có trang web đã tạo ở {handmade}" in run.err and ".newsgen-output" in run.err
    assert "chạy newsgen build trước" in run.err
    assert os.readlink(www / "current") == f"releases/{live}"
    assert snapshot(www) == before_www and snapshot(handmade) == before_handmade
    assert snapshot(site.build_dir) == before_build


def test_a_real_current_folder_is_refused_and_left_alone(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    (www / "current").mkdir(parents=True)
    (www / "current" / "index.html").write_text("<p>trang đang chạy</p>")
    before_www, before_build = snapshot(www), snapshot(site.build_dir)
    for verb in ("publish", "rollback"):
        run = site.run(verb, "--to", str(www))
        assert run.code == 2
        assert f"{www / 'current'} là một thư mục thật, không phải liên kết (symlink)" in run.err
        assert f"mv {www / 'current'} {www / 'current'}-cu" in run.err  # how to hand it over
        assert snapshot(www) == before_www
        assert sorted(entry.name for entry in www.iterdir()) == ["current"]  # not even releases/
        assert not (www / "current").is_symlink()
        assert snapshot(site.build_dir) == before_build


def test_a_real_previous_file_is_refused_and_left_alone(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    live = _publish(site, www)
    (www / "previous").write_text("ghi chú của người quản trị\n")
    before_www, before_build = snapshot(www), snapshot(site.build_dir)
    for verb in ("publish", "rollback"):
        run = site.run(verb, "--to", str(www))
        assert run.code == 2
        assert f"{www / 'previous'} là một tệp thật, không phải liên kết (symlink)" in run.err
        assert f"mv {www / 'previous'} {www / 'previous'}-cu" in run.err
        assert snapshot(www) == before_www and snapshot(site.build_dir) == before_build
        assert _links(www) == {"current": f"releases/{live}"} and _releases(www) == [live]


def _failing(error: OSError, after: int, seen: list[Path]) -> Any:
    """shutil.copy2 that copies `after` files and then fails as a full or read-only disk would."""

    def copy2(source: Any, target: Any) -> Any:
        seen.append(Path(target))
        if len(seen) > after:
            raise OSError(error.errno, error.strerror, os.fspath(target))
        return real_copy2(source, target)

    real_copy2 = shutil.copy2
    return copy2


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "ổ đĩa đầy, không ghi được vào {www}; bản đang chạy vẫn giữ nguyên"),
        (errno.EACCES, "không có quyền với tệp hay thư mục này; bản đang chạy ở {www} vẫn giữ nguyên"),
    ],
)
def test_a_failed_copy_leaves_the_live_release_and_no_partial_one(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, expected: str
) -> None:
    www = tmp_path / "www"
    site.article("a")
    site.article("b", date="2023-03-01 08:00")
    _built(site)
    live = _publish(site, www)
    site.article("b", body="Bài b đã sửa, nên có tệp phải chép.\n", date="2023-03-01 08:00")
    _built(site)
    before_www, before_build = snapshot(www), snapshot(site.build_dir)
    seen: list[Path] = []
    monkeypatch.setattr(shutil, "copy2", _failing(OSError(code, os.strerror(code)), 1, seen))
    run = site.run("publish", "--to", str(www))
    monkeypatch.undo()

    assert run.code == 1
    assert f"{seen[-1]}: {expected.format(www=www)}" in run.err
    assert "Không xuất bản được: 1 lỗi. Bản đang chạy (current) vẫn giữ nguyên." in run.err
    assert seen[-1].relative_to(www / "releases").parts[0].startswith(".newsgen-incoming-")  # was partial
    assert os.readlink(www / "current") == f"releases/{live}"
    assert _releases(www) == [live]  # the half-copied release is gone
    assert snapshot(www) == before_www and snapshot(site.build_dir) == before_build


def _refusing(nth: int) -> Any:
    """os.symlink that fails, as on a read-only folder, the `nth` time it is called."""
    calls: list[str] = []

    def symlink(source: Any, target: Any) -> None:
        calls.append(os.fspath(target))
        if len(calls) == nth:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(target))
        real_symlink(source, target)

    real_symlink = os.symlink
    return symlink


@pytest.mark.parametrize(("nth", "link"), [(1, "previous"), (2, "current")])
def test_a_failed_switch_leaves_the_live_release_and_removes_the_new_one(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int, link: str
) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    first = _publish(site, www)
    live = _publish(site, www)
    before_www, before_links, before_build = snapshot(www), _links(www), snapshot(site.build_dir)

    monkeypatch.setattr(os, "symlink", _refusing(nth))  # `previous` is written first, then `current`
    run = site.run("publish", "--to", str(www))
    monkeypatch.undo()
    assert run.code == 1 and "không có quyền" in run.err and f"{www}/.newsgen-{link}-" in run.err
    assert f"sudo chown -R $USER {www}" in run.err
    assert before_links == {"current": f"releases/{live}", "previous": f"releases/{first}"}
    assert _links(www) == before_links  # `previous` put back as it was
    assert _releases(www) == [first, live]
    assert sorted(entry.name for entry in www.iterdir()) == ["current", "previous", "releases"]
    assert snapshot(www) == before_www and snapshot(site.build_dir) == before_build


@pytest.mark.parametrize(("nth", "link"), [(1, "previous"), (2, "current")])
def test_a_failed_rollback_leaves_both_links_as_they_were(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int, link: str
) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    first, live = _publish(site, www), _publish(site, www)
    before_www, before_links = snapshot(www), _links(www)

    monkeypatch.setattr(os, "symlink", _refusing(nth))
    run = site.run("rollback", "--to", str(www))
    monkeypatch.undo()
    assert run.code == 1 and "không có quyền" in run.err and f"{www}/.newsgen-{link}-" in run.err
    assert "Không quay lại được: 1 lỗi. Bản đang chạy (current) vẫn giữ nguyên." in run.err
    assert before_links == {"current": f"releases/{live}", "previous": f"releases/{first}"}
    assert _links(www) == before_links
    assert sorted(entry.name for entry in www.iterdir()) == ["current", "previous", "releases"]
    assert snapshot(www) == before_www
    assert _rollback(site, www) == first  # and it works once the folder is writable again


def test_two_publishes_at_once_are_refused(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    live = _publish(site, www)
    fd = os.open(www / "releases", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another publish would hold it
        run = site.run("publish", "--to", str(www))
    finally:
        os.close(fd)
    assert run.code == 2 and f"một lệnh newsgen publish hay rollback khác đang chạy với {www}" in run.err
    assert _releases(www) == [live]


def test_a_new_release_always_sorts_after_the_others(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    now = datetime(2026, 11, 27, 13, 15, tzinfo=UTC)
    first = publish(site.root, www, keep=1, now=now).release
    assert publish(site.root, www, keep=1, now=now).release == "20261127T131500Z-2"
    # The oldest is pruned; its name is not reused, which would sort before the live release.
    third = publish(site.root, www, keep=1, now=now).release
    assert (first, third) == ("20261127T131500Z", "20261127T131500Z-3")
    assert publish(site.root, www, keep=1, now=now).release == "20261127T131500Z-4"
    assert _releases(www) == ["20261127T131500Z-3", "20261127T131500Z-4"]
    # a clock set back an hour still gives a release that sorts last, so rollback stays right
    assert publish(site.root, www, now=now - timedelta(hours=1)).release == "20261127T131500Z-5"
    assert publish(site.root, www, now=now + timedelta(seconds=1)).release == "20261127T131501Z"


def test_publish_refuses_a_folder_inside_the_site_or_holding_other_things(
    site: SiteDir, tmp_path: Path
) -> None:
    site.article("a")
    _built(site)
    (tmp_path / "du-lieu").mkdir()
    (tmp_path / "du-lieu" / "so-lieu.txt").write_text("của người khác")
    (tmp_path / "mot-tep").write_text("không phải thư mục")
    before_site, before_other = snapshot(site.root), snapshot(tmp_path / "du-lieu")
    for target, message in [
        (site.root, "nằm trong thư mục của trang"),
        (site.root / "static/www", "nằm trong thư mục của trang"),  # the next build would publish it
        (tmp_path / "du-lieu", "đã có những thứ khác, mà chưa từng được newsgen publish dùng"),
        (tmp_path / "mot-tep", "là một tệp, không phải thư mục"),
    ]:
        run = site.run("publish", "--to", str(target))
        assert run.code == 2 and message in run.err, (target, run.err)
    assert snapshot(site.root) == before_site and snapshot(tmp_path / "du-lieu") == before_other


def test_only_releases_newsgen_made_are_pruned_or_rolled_back_to(site: SiteDir, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site.article("a")
    _built(site)
    first = _publish(site, www)
    foreign = www / "releases" / "20200101T000000Z"  # named like a release, put there by hand
    foreign.mkdir()
    (foreign / "so-lieu.txt").write_text("của người khác")
    _publish(site, www)
    _publish(site, www, "--keep", "1")
    assert (foreign / "so-lieu.txt").read_text() == "của người khác"  # never pruned
    assert first not in _releases(www)  # while newsgen's own old release was
    assert site.run("rollback", "--to", str(www)).code == 0
    assert site.run("rollback", "--to", str(www)).code == 0  # back and forth, never to the foreign one
    assert os.readlink(www / "current") != "releases/20200101T000000Z"
