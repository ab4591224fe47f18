"""What the browser tests share: Debian's Chromium (never a downloaded one), a free loopback port,
a server started and stopped, and waiting for the app to settle after a run.

Imported by name (``from browser import ...``), like the other test helpers.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need_browser() -> None:
    """Fail in CI (CI=true) when Playwright or Chromium is missing; elsewhere skip, saying why."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if in_ci:
            pytest.fail("playwright is not installed (requirements-test.txt pins it)")
        pytest.skip("playwright is not installed in this environment")
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs chromium with apt-get")
        pytest.skip(f"no browser at {CHROMIUM}; install Debian's chromium (apt-get install chromium) to run this test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(
    command: Sequence[str], port: int, log: Path, env: dict[str, str], timeout: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """Start the app, wait (bounded) until its health check answers on loopback, stop it after."""
    with serving(command, f"http://127.0.0.1:{port}/_stcore/health", log, env, timeout=timeout) as proc:
        yield proc


def wait_for(check: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    """Poll ``check`` (a database read, say) until it gives something true, and return that;
    fail saying what was awaited. Bounded, like every loop in these tests."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def settle(page: Any, timeout: int = 20_000) -> None:
    """Wait until the app has finished running (no 'running' status, no stale elements)."""
    page.wait_for_selector(
        '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', state="attached", timeout=timeout
    )
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')
                 && (document.querySelector('[data-testid="stMain"]')?.innerText || '').trim().length > 0""",
        timeout=timeout,
    )
    page.wait_for_timeout(300)


def drawn(page: Any) -> None:
    """Settled, and every widget drawn with its styles: Streamlit loads a widget's code on first
    use and shows a grey placeholder until then, and the app's stylesheet comes with the first
    elements; a measurement taken before would measure the placeholder."""
    settle(page)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')
                 && document.fonts.status === 'loaded'
                 && [...document.querySelectorAll('style')].some((s) => s.textContent.includes('--ha-focus'))""",
        timeout=20_000,
    )


def need_program(path: Path, what: str) -> Path:
    """A program a browser test starts (the identity provider's mock, nginx): fail in CI
    (CI=true) when it is missing, elsewhere skip, saying why."""
    if path.exists():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{path} is missing: {what}")
    pytest.skip(f"{path} is missing: {what}")


@contextmanager
def serving(
    command: Sequence[str], ready_url: str, log: Path, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """Start any server (the app in a directory of its own, an identity provider, a proxy), wait
    (bounded) until ``ready_url`` answers 200 on loopback, and stop it and its children after,
    whatever happened in between."""
    with open(log, "wb") as out:
        streams: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": out, "stderr": subprocess.STDOUT}
        proc = subprocess.Popen(list(command), cwd=cwd, env=env, start_new_session=True, **streams)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{command[0]} did not start:\n" + log.read_text(errors="replace"))
                time.sleep(0.25)
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 9)
                proc.wait(5)


OIDC_MOCK = Path(sys.executable).parent / "oidc-provider-mock"


@contextmanager
def identity_provider(tmp: Path, users: Sequence[dict[str, Any]]) -> Iterator[str]:
    """oidc-provider-mock on a free loopback port, knowing ``users`` (claims with their ``sub``):
    its sign-in page offers each as a button. Yields its address."""
    need_program(OIDC_MOCK, "requirements-test.txt pins oidc-provider-mock")
    port = free_port()
    command = [str(OIDC_MOCK), "--host", "127.0.0.1", "--port", str(port)]
    for claims in users:
        command += ["--user-claims", json.dumps(claims)]
    url = f"http://127.0.0.1:{port}"
    with serving(command, f"{url}/.well-known/openid-configuration", tmp / "oidc.log", env=dict(os.environ), timeout=30):
        yield url


def app_home(tmp: Path, provider: str, origin: str, cookie_secret: str = "") -> Path:
    """A directory to run the app from, as a practice's server: the repository's settings (it
    listens on loopback only) and secrets whose ``[auth]`` signs in with ``provider``, coming
    back to ``origin`` (the app's own address, or the proxy's in front of it)."""
    home = tmp / "app-home"
    (home / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", home / ".streamlit" / "config.toml")
    auth = {
        "redirect_uri": f"{origin}/oauth2callback",
        "cookie_secret": cookie_secret or secrets.token_urlsafe(32),
        "client_id": "homeaudit-test",
        "client_secret": "homeaudit-test-secret",
        "server_metadata_url": f"{provider}/.well-known/openid-configuration",
    }
    lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in auth.items())]
    (home / ".streamlit" / "secrets.toml").write_text("\n".join(lines) + "\n")
    return home


def app_command(port: int) -> list[str]:
    """``streamlit run`` of the repository's app on a loopback port (from any directory)."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "audit_app.py"), "--server.port", str(port)]


def sign_in_as(page: Any, sub: str) -> None:
    """From the app's sign-in screen, through the identity provider's page (a button per known
    user), back to the app, signed in."""
    settle(page)
    app = "/".join(page.url.split("/")[:3]) + "/"  # the app's origin (or its proxy's)
    page.get_by_role("button", name="Sign in").click()
    page.locator(f'button[name="sub"][value="{sub}"]').click(timeout=20_000)
    page.wait_for_url(lambda url: url.startswith(app) and "/oauth2callback" not in url, timeout=20_000)
    settle(page)
