"""Fixtures: a throwaway site in tmp_path, and a runner for the `newsgen` command."""

from __future__ import annotations

import errno
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from newsgen.commands.cli import main
from newsgen.outputs.search import shard_of


@dataclass
class Run:
    code: int
    out: str
    err: str


class SiteDir:
    """A site folder under tmp_path, with helpers to write articles and run newsgen on it."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        (root / "content").mkdir(parents=True, exist_ok=True)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def article(self, name: str, body: str = "Nội dung bài viết.\n", **fields: Any) -> Path:
        """Write content/<name>.md; fields default to a title and a date in the past."""
        fields.setdefault("title", name.replace("-", " ").capitalize())
        fields.setdefault("date", "2023-02-20 08:30")
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        return self.write(f"content/{name}.md", f"---\n{front}---\n{body}")

    def config(self, text: str) -> Path:
        return self.write("newsgen.yaml", text)

    def run(self, *args: str) -> Run:
        self.capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse exits for --help, --version and usage errors
            code = int(exit_.code or 0)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def build(self, *args: str) -> Run:
        return self.run("build", "--source", str(self.root), *args)

    def page(self, relative: str) -> str:
        return (self.build_dir / relative).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> SiteDir:
    """A site folder, made the current folder as when an editor runs newsgen inside it."""
    site = SiteDir(tmp_path / "site", capsys)
    monkeypatch.chdir(site.root)
    return site


def photo(kind: str = "JPEG", size: tuple[int, int] = (64, 48), **saved: Any) -> bytes:
    """A real photo's bytes (a gradient), for a site whose photos newsgen reads."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, kind, **saved)
    return out.getvalue()


def _read(path: Path) -> bytes:
    with open(path, "rb") as file:  # not Path.read_bytes, which some tests replace
        return file.read()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mtime, to prove nothing was touched."""
    return {
        path.relative_to(folder).as_posix(): (_read(path), os.stat(path).st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def site_snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """`snapshot` of an output folder, but the list of what the last build changed, which every
    build that changes something rewrites."""
    files = snapshot(folder)
    files.pop(".newsgen-changes.json", None)
    return files


GOOD = "---\ntitle: Bài tốt\ndate: 2023-02-20 08:30\nprovinces: [Điện Biên]\n---\nNội dung.\n"


@pytest.fixture
def built(site: SiteDir) -> SiteDir:
    """A site with one good article, built once: the previous build every failure must keep."""
    site.write("content/tot.md", GOOD)
    assert site.build().code == 0
    return site


def fails_and_keeps_everything(site: SiteDir, *args: str, code: int = 1) -> str:
    """Run a build that must fail; check the old build and the sources are untouched."""
    before_build = snapshot(site.build_dir)
    before_sources = snapshot(site.root / "content")
    result = site.build(*args)
    assert result.code == code, result.out + result.err
    assert "Traceback" not in result.err
    assert snapshot(site.build_dir) == before_build
    assert snapshot(site.root / "content") == before_sources
    assert not list(site.root.glob(".build.newsgen-[!s]*")), "temporary files left behind"
    assert not list(site.root.glob(".build.newsgen-swap*")), "temporary files left behind"
    return result.err


SEARCH_INDEX = "tim-kiem/chi-muc/"


def shard_files(meta: dict[str, Any]) -> list[str]:
    """The shard files meta.json names: "s/<n>-<digest>.json", the digests 8 characters each."""
    digests = meta["shards"]
    return [f"s/{number}-{digests[number * 8 : number * 8 + 8]}.json" for number in range(len(digests) // 8)]


def index_meaning(files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` (an output folder's, by path) with the search index's files replaced by what they
    mean: each article's file and terms by its address, the provinces and themes, the count.
    Ids, the epoch and the number of shards may differ between an index built up edit by edit and
    one made anew; what a reader finds may not. So may whether a word in more than a quarter of
    the articles, and more than 80, has weights (the files leave them out for a word in more than
    half the articles as counted when the shards were laid out, at least 80, and lay them out again
    when the count doubles): those are left out. The marker's list of files leaves the index out."""
    index = {path[len(SEARCH_INDEX) :]: data for path, data in files.items() if path.startswith(SEARCH_INDEX)}
    rest = {path: data for path, data in files.items() if not path.startswith(SEARCH_INDEX)}
    if ".newsgen-output" in rest:
        lines = rest[".newsgen-output"].decode().splitlines(keepends=True)
        rest[".newsgen-output"] = "".join(
            line for line in lines if not line.startswith(SEARCH_INDEX)
        ).encode()
    if not index:
        return rest
    meta = json.loads(index.pop("meta.json"))
    dates, date = [], 0
    for gap in meta["dates"]:
        date += gap
        dates.append(date)
    docs = {}
    for name, data in index.items():
        if name.startswith("bai/"):
            doc = json.loads(data)
            assert doc.pop("e") == meta["epoch"], name
            docs[int(name[4:-5])] = {"doc": doc, "date": dates[int(name[4:-5])], "terms": {}}
    shards = shard_files(meta)
    assert sorted(shards) == sorted(name for name in index if name.startswith("s/")), "shard files"
    for number, name in enumerate(shards):
        for term, value in json.loads(index[name]).items():
            assert shard_of(term, len(shards)) == number, f"{term} in the wrong shard"
            id_ = 0
            for at, gap in enumerate(value[0]):
                id_ += gap
                docs[id_]["terms"][term] = value[1][at] if len(value) > 1 else 0
    assert len(docs) == meta["count"]
    found: dict[str, int] = {}
    for doc in docs.values():
        for term in doc["terms"]:
            found[term] = found.get(term, 0) + 1
    for doc in docs.values():
        for term in doc["terms"]:
            if found[term] > max(80, meta["count"] / 4):
                doc["terms"][term] = "common"
    meaning = {"terms": meta["terms"], "articles": sorted(docs.values(), key=lambda doc: doc["doc"]["u"])}
    rest[SEARCH_INDEX + "(meaning)"] = json.dumps(
        meaning, ensure_ascii=False, sort_keys=True, indent=1
    ).encode()
    return rest


def disk_full_under(monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """Make `Path.write_bytes` fail as on a full disk for every path with a folder named `folder`."""
    real_write = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if folder in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
