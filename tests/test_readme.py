"""The README's first two commands are what a new user types: they must work as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The commands of the README's first code block, without their trailing comments."""
    block = re.search(r"```sh\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert block, "the README must open with a ```sh block"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    install_and_build, install_and_test = readme_commands()
    assert install_and_build.endswith("newsgen build")
    assert install_and_test in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_first_readme_command_installs_and_builds_the_sample_site_in_a_fresh_copy(tmp_path: Path) -> None:
    copy = tmp_path / "newsgen"
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # -z: names unquoted
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in files:
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    env = dict(
        os.environ, VIRTUAL_ENV=str(env_dir), PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"
    )
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        ["bash", "-c", readme_commands()[0]], cwd=copy, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Đã tạo trang web" in result.stdout
    assert (copy / "build/index.html").is_file()
    assert (copy / "build/tinh/dien-bien/index.html").is_file()
    # the wheel carries the Vietnamese of argparse's messages (newsgen/locale/), not only the code
    typo = subprocess.run(
        [env_dir / "bin/newsgen", "buid"], cwd=copy, env=env, capture_output=True, text=True
    )
    assert typo.returncode == 2 and "newsgen: lỗi: LỆNH: không nhận 'buid'" in typo.stderr, typo.stderr
