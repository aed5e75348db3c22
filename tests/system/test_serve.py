"""`nrm serve` on an installation where nobody ran collectstatic, and two servers on one
machine (issue 10, item 9)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live import _free_port

NRM = [sys.executable, "-m", "nrm"]


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NRM_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{folder / 'nrm.sqlite3'}",
        "NRM_SECRET_KEY": secrets.token_urlsafe(50),
        "NRM_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NRM_DEMO": "1",
        "NRM_STATIC_ROOT": str(folder / "static"),
        "DJANGO_SETTINGS_MODULE": "nrm.conf.settings",
    })
    subprocess.run(NRM + ["migrate", "--no-input", "-v0"], env=env, cwd=folder, check=True,
                   timeout=300, stdout=subprocess.DEVNULL)
    return folder, env


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _start(folder: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(NRM + ["serve", "--port", str(port), "--workers", "1"], env=env, cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait(url: str) -> int:
    for _ in range(300):
        try:
            return _get(url)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within 90 s")


def test_serve_refuses_without_static_files_when_told_not_to_collect(installation) -> None:
    folder, env = installation
    done = subprocess.run(NRM + ["serve", "--port", str(_free_port()), "--no-collectstatic"], env=env,
                          cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "never collected" in done.stderr and "nrm collectstatic --no-input" in done.stderr


def test_serve_collects_the_static_files_and_two_instances_run_side_by_side(installation) -> None:
    folder, env = installation
    ports = [_free_port(), _free_port()]
    servers = [_start(folder, env, ports[0])]
    try:
        first = f"http://127.0.0.1:{ports[0]}"
        assert _wait(f"{first}/account/login/") == 200
        assert (Path(env["NRM_STATIC_ROOT"]) / "staticfiles.json").is_file()
        servers.append(_start(folder, env, ports[1]))
        second = f"http://127.0.0.1:{ports[1]}"
        assert _wait(f"{second}/account/login/") == 200
        # The first still answers: the second took nothing of it (no shared control socket).
        assert _get(f"{first}/account/login/") == 200
        assert all(server.poll() is None for server in servers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    output = b"".join(server.stdout.read() for server in servers if server.stdout).decode()
    assert "Collecting the static files" in output
