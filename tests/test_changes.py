"""The list of what each build added, changed and removed (build/.newsgen-changes.json), for
uploaders that send only those: checked against the output folder itself, before and after."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import SiteDir

BOOKKEEPING = {".newsgen-output", ".newsgen-changes.json"}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.name not in BOOKKEEPING
    }


def _built(site: SiteDir) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    before = _files(site.build_dir) if site.build_dir.exists() else {}
    run = site.build()
    assert run.code == 0, run.err
    after = _files(site.build_dir)
    listed = json.loads((site.build_dir / ".newsgen-changes.json").read_text(encoding="utf-8"))
    truth = {
        "added": sorted(set(after) - set(before)),
        "changed": sorted(path for path in set(after) & set(before) if after[path] != before[path]),
        "removed": sorted(set(before) - set(after)),
    }
    assert listed == truth
    return listed, after


def test_each_build_lists_exactly_the_files_it_added_changed_and_removed(site: SiteDir) -> None:
    site.article("ky-ket", provinces=["Sơn La"])
    site.article("hoi-nghi", provinces=["Lai Châu"], date="2023-03-01 08:00")
    first, files = _built(site)
    assert first["added"] == sorted(files) and "2023/02/ky-ket/index.html" in first["added"]

    nothing, _ = _built(site)
    assert nothing == {"added": [], "changed": [], "removed": []}

    site.article("moi", provinces=["Điện Biên"], date="2023-04-01 08:00")
    added, _ = _built(site)
    assert {"2023/04/moi/index.html", "luu-tru/2023/04/index.html"} <= set(added["added"])
    assert {"index.html", "tinh/dien-bien/index.html"} <= set(added["changed"])

    site.article("ky-ket", body="Nội dung đã sửa.\n", provinces=["Sơn La"])
    edited, _ = _built(site)
    assert "2023/02/ky-ket/index.html" in edited["changed"]
    moved = [
        path for path in edited["added"] + edited["removed"] if not path.startswith("tim-kiem/chi-muc/s/")
    ]
    assert moved == []  # only the search index's shards, named by their contents, come and go

    os.remove(site.root / "content/hoi-nghi.md")
    removed, _ = _built(site)
    assert {"2023/03/hoi-nghi/index.html", "luu-tru/2023/03/index.html"} <= set(removed["removed"])


def test_a_failed_build_leaves_the_last_list_as_it_was(site: SiteDir) -> None:
    site.article("a")
    _built(site)
    listed = (site.build_dir / ".newsgen-changes.json").read_bytes()
    site.write("content/hong.md", "---\ntitle: [\n---\n")
    assert site.build().code == 1
    assert (site.build_dir / ".newsgen-changes.json").read_bytes() == listed
