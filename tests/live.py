"""A real server for browser tests: gunicorn on a free loopback port, demo data, its own
SQLite file and keys. Traffic stays on 127.0.0.1; the server is stopped after the tests.

A plugin of the whole suite (tests/conftest.py), not a conftest of one folder: every app's
browser tests share one server and one Chromium per worker, since Playwright's sync API
runs once per process."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NRM_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{folder / 'nrm.sqlite3'}",
        "NRM_SECRET_KEY": secrets.token_urlsafe(50),
        "NRM_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NRM_DEMO": "1",
        "NRM_STATIC_ROOT": str(folder / "static"),
        "DJANGO_SETTINGS_MODULE": "nrm.conf.settings",
    })
    nrm = [sys.executable, "-m", "nrm"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"], ["demo"]):
        subprocess.run(nrm + command, env=env, cwd=folder, check=True, timeout=300,
                       stdout=subprocess.DEVNULL)
    server = subprocess.Popen(nrm + ["serve", "--port", str(port), "--workers", "1"], env=env,
                              cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/account/login/", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start within 20 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("the distribution's Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server_url):
    context = browser.new_context(base_url=live_server_url, locale="en")
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()


DEMO_PASSWORD = "nrm-demo-2026"


def navigate(page, target) -> None:
    """Click what loads a new page (a link, a form's button) and wait until it has loaded.

    A click returns as soon as it is dispatched: read the page before the new one has loaded
    and you read the old page, or none at all while the browser swaps them."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as a demo official, in a browser holding no one's session yet."""
    page.context.clear_cookies()
    page.goto("/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    navigate(page, "button.primary")
