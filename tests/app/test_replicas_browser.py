"""Several replicas behind a reverse proxy: whichever replica serves a request, the user is the
same (the sign-in cookie is signed with the one ``cookie_secret`` they share) and so are the
answers (they are in the one database, never in a replica's memory).

Two ``streamlit run`` replicas share secrets and a database behind nginx, all on loopback, with
the test's own nginx configuration in a temporary directory. A ``replica`` cookie set by the test
pins the browser (page, WebSocket and all) to replica a or b, so that which one answers is known;
nginx's access log says which replica served each WebSocket. Without the cookie, nginx spreads
the requests over both (the sign-in goes that way). In CI (CI=true) a missing browser, nginx or
identity provider fails the test; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser import (
    BROWSER_ARGS,
    CHROMIUM,
    app_command,
    app_home,
    free_port,
    identity_provider,
    need_browser,
    need_program,
    serving,
    settle,
    sign_in_as,
    wait_for,
)

from homeaudit import checklist, store

pytestmark = pytest.mark.e2e

NGINX = Path("/usr/sbin/nginx")
PHONE = {"width": 390, "height": 844}
ALICE = {"sub": "alice", "email": "alice@north.example", "name": "Alice North", "practice": "north"}

NGINX_CONF = """\
{user}
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    log_format replica '$request_uri -> $upstream_addr';
    access_log {tmp}/access.log replica;

    upstream a {{ server 127.0.0.1:{port_a}; }}
    upstream b {{ server 127.0.0.1:{port_b}; }}
    upstream both {{ server 127.0.0.1:{port_a}; server 127.0.0.1:{port_b}; }}
    map $cookie_replica $replicas {{ a a; b b; default both; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$replicas;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 600s;
            add_header X-Replica $upstream_addr always;
        }}
    }}
}}
"""


@pytest.fixture
def proxied(tmp_path, postgres_url):
    """nginx in front of two replicas of the app (same secrets, one PostgreSQL database, empty
    until the replicas make its tables): the proxy's address, nginx's directory (its access log),
    the two replicas' ports and the database's URL."""
    need_browser()
    need_program(NGINX, ".ci/run installs nginx-light")
    db_path = postgres_url
    port, port_a, port_b = free_port(), free_port(), free_port()
    origin = f"http://127.0.0.1:{port}"
    nginx_dir = tmp_path / "nginx"
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (nginx_dir / name).mkdir(parents=True)
    # As root, nginx would hand its workers to "nobody", who cannot read the test's directory.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = NGINX_CONF.format(user=user, tmp=nginx_dir, port=port, port_a=port_a, port_b=port_b)
    (nginx_dir / "nginx.conf").write_text(conf)
    nginx = [
        str(NGINX),
        *("-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf"), "-e", str(nginx_dir / "error.log")),
        *("-g", f"daemon off; pid {nginx_dir / 'nginx.pid'};"),
    ]
    with identity_provider(tmp_path, [ALICE]) as provider:
        home = app_home(tmp_path, provider, origin)  # one secrets file: one cookie_secret for both
        env = {**os.environ, "HOMEAUDIT_DB": db_path}
        a, b = (
            serving(app_command(p), f"http://127.0.0.1:{p}/_stcore/health", tmp_path / f"replica-{p}.log", env=env, cwd=home)
            for p in (port_a, port_b)
        )
        with a, b, serving(nginx, f"{origin}/_stcore/health", tmp_path / "nginx.out", cwd=nginx_dir, timeout=30):
            yield origin, nginx_dir, port_a, port_b, db_path


def _pin(context, origin: str, replica: str) -> None:
    """Route this browser to one replica (nginx reads the ``replica`` cookie)."""
    context.add_cookies([{"name": "replica", "value": replica, "url": origin}])


def _streams(nginx_dir: Path) -> list[int]:
    """The replica (its port) that served each WebSocket so far, in order."""
    log = (nginx_dir / "access.log").read_text()
    return [int(m) for m in re.findall(r"^/_stcore/stream -> 127\.0\.0\.1:(\d+)$", log, flags=re.M)]


def _card(page, question: str):
    """The bordered card of one question, found by its text."""
    return page.locator('[data-testid="stVerticalBlock"][class*="st-key-item-"]').filter(has_text=question).first


def test_either_replica_sees_the_same_user_and_the_same_answers(proxied):
    from playwright.sync_api import sync_playwright

    origin, nginx_dir, port_a, port_b, db_path = proxied
    question = next(i for i in checklist.load().room("entrance").items if i.answer_type == "yes_no")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            page = context.new_page()
            page.set_default_timeout(20_000)

            # Signed in through the proxy, with nginx spreading the requests over both replicas.
            page.goto(origin)
            sign_in_as(page, "alice")

            # On replica a: a new audit, and one answer.
            _pin(context, origin, "a")
            assert page.goto(origin).headers["x-replica"] == f"127.0.0.1:{port_a}"
            settle(page)
            page.get_by_label("Whose home is it? (their name)").fill("Rita Replica")
            page.get_by_role("button", name="Create the audit and start").click()
            page.get_by_role("heading", name="About the resident").wait_for()
            settle(page)
            audit_id = parse_qs(urlparse(page.url).query)["audit"][0]
            page.get_by_role("button", name="Next: Entrance and outside steps").click()
            page.get_by_role("heading", name="Entrance and outside steps").wait_for()
            settle(page)
            _card(page, question.question).get_by_role("radio", name="Yes", exact=True).click()
            with store.connect(db_path, practice="north") as north:

                def saved():
                    answer = north.load_audit(audit_id).rooms[0].answers.get(question.id)
                    return answer.value if answer else None

                wait_for(lambda: saved() == "yes", "the answer in the database")

            # The same page from replica b: still Alice, still her audit and her answer.
            _pin(context, origin, "b")
            assert page.reload().headers["x-replica"] == f"127.0.0.1:{port_b}"
            settle(page)
            page.get_by_role("heading", name="Entrance and outside steps").wait_for()
            pressed = _card(page, question.question).locator('[role="radio"][aria-checked="true"]')
            shown = wait_for(lambda: [b.inner_text() for b in pressed.all()], "the answer shown by replica b")
            assert shown == ["Yes"]
            assert "Rita Replica" in page.locator('[data-testid="stMain"]').inner_text()
            assert "Sign in with your practice's account" not in page.locator('[data-testid="stApp"]').inner_text()
            assert page.goto(f"{origin}/audits").headers["x-replica"] == f"127.0.0.1:{port_b}"
            settle(page)
            assert "Signed in as Alice North" in page.locator('[data-testid="stSidebar"]').inner_text()
            page.get_by_text("Rita Replica").first.wait_for()
        finally:
            browser.close()

    # The app's WebSockets went where the pages did. nginx logs one when it closes: the page
    # pinned to a (closed by the reload), then the two pinned to b (the last closed with the browser).
    wait_for(lambda: len(_streams(nginx_dir)) >= 3 and _streams(nginx_dir)[-1] == port_b, "the last WebSocket logged")
    assert _streams(nginx_dir)[-3:] == [port_a, port_b, port_b]
