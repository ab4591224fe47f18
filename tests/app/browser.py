"""What the browser tests share: Debian's Chromium (never a downloaded one), a free loopback port,
a server started and stopped, and waiting for the app to settle after a run.

Imported by name (``from browser import ...``), like the other test helpers.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
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
    with open(log, "wb") as out:
        proc = subprocess.Popen(list(command), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}/_stcore/health"
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the app did not start:\n" + log.read_text(errors="replace"))
                time.sleep(0.25)
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


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
