"""The app started exactly as the README says (`make run`) listens on this computer only and
makes no connection beyond it, during start-up or while a page loads in a real browser.

Every connection the server's Python makes is recorded by an audit hook (``socket.connect``,
``socket.getaddrinfo``, ``socket.sendto``) installed through a ``sitecustomize`` module on
``PYTHONPATH``, so the server runs unchanged; the listening sockets are read from /proc.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
from pathlib import Path

import pytest
from browser import BROWSER_ARGS, CHROMIUM, free_port, need_browser, running, settle

pytestmark = pytest.mark.e2e

RECORDER = """
import json, os, sys

_log = os.environ["HOMEAUDIT_NET_LOG"]


def _record(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.getaddrinfo", "socket.bind"):
        try:
            where = args[1] if event in ("socket.connect", "socket.sendto", "socket.bind") else args[:2]
            with open(_log, "a") as out:
                out.write(json.dumps([event, repr(where)]) + "\\n")
        except Exception:
            pass


if "streamlit" in " ".join(sys.argv):  # the server, not make or an install that make may run first
    sys.addaudithook(_record)
"""


def _listening(pid: int) -> set[str]:
    """The local addresses of the listening TCP sockets that belong to the process (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                address = local.split(":")[0]
                raw = bytes.fromhex(address)
                if width == 8:
                    found.add(str(ipaddress.IPv4Address(raw[::-1])))
                else:
                    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                    found.add(str(ipaddress.IPv6Address(words)))
    return found


def _host(where: str) -> str:
    """The host of a recorded address: "('127.0.0.1', 8501)" -> 127.0.0.1."""
    text = where.strip("()[] ")
    return text.split(",")[0].strip("'\" ")


def _is_local(host: str) -> bool:
    if host in ("localhost", "", "None", "0"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.startswith("/")  # a Unix socket path
    return address.is_loopback or address.is_unspecified


def test_make_run_listens_on_loopback_only_and_calls_nothing_outside(tmp_path):
    need_browser()
    from playwright.sync_api import sync_playwright

    port = free_port()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(RECORDER)
    net_log = tmp_path / "net.log"
    env = {
        **os.environ,
        "HOMEAUDIT_DB": str(tmp_path / "h.db"),
        "HOMEAUDIT_NET_LOG": str(net_log),
        "PYTHONPATH": str(hooks),
    }
    make = ["make", "--no-print-directory", "run", f"STREAMLIT_ARGS=--server.port={port}"]
    with running(make, port, tmp_path / "server.log", env) as proc:
        server = subprocess.run(["pgrep", "-f", "-n", "streamlit run audit_app.py"], capture_output=True, text=True)
        pid = int(server.stdout.split()[0])
        assert _listening(pid) == {"127.0.0.1"}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            page = browser.new_page()
            outside: list[str] = []
            page.on("request", lambda request: outside.append(request.url) if "127.0.0.1" not in request.url else None)
            for path in ("start", "audits", "walkthrough", "results"):
                page.goto(f"http://127.0.0.1:{port}/{path}")
                settle(page)
            browser.close()
        assert proc.poll() is None
    calls = [json.loads(line) for line in net_log.read_text().splitlines()] if net_log.exists() else []
    remote = [(event, where) for event, where in calls if not _is_local(_host(where))]
    assert calls, "the recorder saw nothing: the check would pass vacuously"
    assert remote == [], f"the server tried to reach outside this computer: {remote}"
    assert outside == [], f"the page asked for: {outside}"
