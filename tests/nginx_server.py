"""The nginx configuration and systemd unit that `newsgen init` writes (deploy/), run for real:
Debian's nginx on a loopback port with the shipped site configuration, and the counter started
with the unit's own command line."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

DEPLOY = Path(__file__).parent.parent / "src/newsgen/starter/deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def require_nginx() -> None:
    """Skip without nginx; in CI (.ci/run installs it) fail instead."""
    if not Path(NGINX).is_file():
        if os.environ.get("NEWSGEN_BROWSER_TESTS") == "required":
            raise RuntimeError("these tests need nginx: run .ci/run, or apt-get install nginx")
        pytest.skip("needs nginx (see .ci/run)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx.conf should have {old!r} once"
    return text.replace(old, new)


class NginxSite:
    """deploy/nginx.conf serving `root`, its counter proxied to `counter_port`, under `folder`."""

    def __init__(self, root: Path, counter_port: int, folder: Path) -> None:
        self.port = free_port()
        site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
        site = _replace_once(site, "listen 80;", f"listen 127.0.0.1:{self.port};")
        site = _replace_once(site, "root /var/www/tin/current;", f"root {root};")
        site = _replace_once(site, "http://127.0.0.1:8001/", f"http://127.0.0.1:{counter_port}/")
        (folder / "site.conf").write_text(site, encoding="utf-8")
        temporary = " ".join(
            f"{kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = f"""
            daemon off;
            {"user root;" if os.geteuid() == 0 else ""}
            worker_processes 1;
            pid {folder / "nginx.pid"};
            error_log {folder / "error.log"};
            events {{ worker_connections 64; }}
            http {{
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                access_log off;
                {temporary}
                include {folder / "site.conf"};
            }}
        """
        (folder / "nginx.conf").write_text(main, encoding="utf-8")
        command = [NGINX, "-e", "stderr", "-p", str(folder), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        _wait_for(self.port, self.process)
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=10)


class UnitCounter:
    """The counter as deploy/newsgen-counter.service starts it, its database, port and site swapped."""

    def __init__(self, database: Path, port: int, origin: str) -> None:
        unit = configparser.ConfigParser(interpolation=None, strict=False)
        unit.optionxform = str  # type: ignore[assignment, method-assign]  # keys keep their case
        unit.read(DEPLOY / "newsgen-counter.service", encoding="utf-8")
        argv = shlex.split(unit["Service"]["ExecStart"])
        assert Path(argv[0]).name == "newsgen", argv
        options = {"--db": str(database), "--port": str(port), "--origin": origin.rstrip("/")}
        for index, word in enumerate(argv):
            if word in options:
                argv[index + 1] = options.pop(word)
        assert not options, f"the unit's command lacks {options}"
        self.signal = unit["Service"]["KillSignal"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsgen", *argv[1:]],
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert re.search(r"chạy tại http://127\.0\.0\.1:\d+/", line), line

    def stop(self) -> str:
        """Stop it the way systemd will (KillSignal= to every process of the unit); what it said."""
        os.killpg(self.process.pid, signal.Signals[self.signal])
        out, _ = self.process.communicate(timeout=10)
        return out


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError(f"nginx stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start listening")
