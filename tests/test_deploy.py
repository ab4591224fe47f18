"""The practice-server deployment files agree with each other and with docs/deploy.md.

compose.yaml, the Dockerfile, deploy/nginx.conf and deploy/secrets.example.toml are read as text or
parsed (no Docker, no network). When nginx and openssl are installed, nginx itself checks a copy of
the configuration, with the replicas at local ports and a throwaway self-signed certificate.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "deploy.md"
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SECRETS_EXAMPLE = ROOT / "deploy" / "secrets.example.toml"

SERVICES = {"postgres", "app1", "app2", "nginx"}
REPLICAS = ("app1", "app2")
HEALTH = "/_stcore/health"
PUBLIC_HOST = "audit.example-practice.org"
#: Files the administrator makes (docs/deploy.md says how); they hold secrets, so git ignores them.
MADE_BY_ADMIN = {"deploy/secrets.toml", "deploy/certs", "deploy/certs/fullchain.pem", "deploy/certs/privkey.pem", ".env"}
#: A path in the repository as the doc writes it (``deploy/nginx.conf``, ``./deploy/certs``), not one inside a container.
REPOSITORY_PATH = r"(?<![\w/.$-])(?:\./)?((?:deploy|docs)/[\w.-]+(?:/[\w.-]+)*|compose\.yaml|Dockerfile|\.env)"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section of a markdown text, up to the next ``## ``."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/deploy.md has no section '## {heading}'"
    return match.group(1)


def fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


def block(conf: str, opening: str) -> str:
    """The text between ``opening {`` and its closing brace in an nginx configuration."""
    start = conf.index(opening + " {") + len(opening) + 2
    depth = 1
    for i in range(start, len(conf)):
        depth += {"{": 1, "}": -1}.get(conf[i], 0)
        if depth == 0:
            return conf[start:i]
    raise AssertionError(f"{opening} is not closed")


def healthcheck_command(service: dict[str, Any]) -> list[str]:
    test = service["healthcheck"]["test"]
    assert isinstance(test, list) and test[0] == "CMD", test
    return [str(part) for part in test[1:]]


def volume_source(service: dict[str, Any], target: str) -> str:
    for volume in service.get("volumes", []):
        source, _, rest = volume.partition(":")
        if rest.split(":")[0] == target:
            return source
    raise AssertionError(f"nothing is mounted at {target}: {service.get('volumes')}")


# --- compose.yaml ---------------------------------------------------------------------------


def test_compose_runs_the_services_the_doc_describes(compose: dict[str, Any], doc: str) -> None:
    assert set(compose["services"]) == SERVICES
    described = section(doc, "Running it with Docker Compose")
    for name in SERVICES:
        assert f"`{name}`" in described


def test_postgres_keeps_its_data_in_a_volume_and_is_not_published(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    assert healthcheck_command(postgres)[0] == "pg_isready"
    assert volume_source(postgres, "/var/lib/postgresql/data") in compose["volumes"]
    assert "ports" not in postgres
    # The password comes from the environment (.env), never from the file itself.
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", postgres["environment"]["POSTGRES_PASSWORD"])


@pytest.mark.parametrize("name", REPLICAS)
def test_each_replica_checks_its_health_and_uses_the_postgres_service(compose: dict[str, Any], name: str) -> None:
    app = compose["services"][name]
    assert app["build"] == "."
    command = healthcheck_command(app)
    assert command[:2] == ["python", "-c"] and HEALTH in command[2]
    compile(command[2], f"{name} healthcheck", "exec")

    environment = app["environment"]
    url = urlsplit(re.sub(r"\$\{[^}]*\}", "password", environment["HOMEAUDIT_DB"]))
    assert url.scheme == "postgresql"
    assert (url.hostname, url.port, url.path) == ("postgres", 5432, "/homeaudit")
    assert url.username == compose["services"]["postgres"]["environment"]["POSTGRES_USER"]
    assert environment["STREAMLIT_BROWSER_SERVER_ADDRESS"] == PUBLIC_HOST
    assert {"HOMEAUDIT_PRACTICE_CLAIM", "HOMEAUDIT_PRACTICE_PREFIX"} <= set(environment)

    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "./deploy/secrets.toml:/app/.streamlit/secrets.toml:ro" in app["volumes"]


def test_both_replicas_share_one_configuration(compose: dict[str, Any]) -> None:
    first, second = (compose["services"][name] for name in REPLICAS)
    assert first == second


def test_nginx_mounts_the_config_and_certificates_and_waits_for_the_replicas(compose: dict[str, Any]) -> None:
    nginx = compose["services"]["nginx"]
    assert nginx["image"] == "nginx:stable"
    assert sorted(nginx["ports"]) == ["443:443", "80:80"]
    assert (ROOT / volume_source(nginx, "/etc/nginx/nginx.conf")).resolve() == NGINX_CONF
    assert volume_source(nginx, "/etc/nginx/certs") == "./deploy/certs"
    assert all(nginx["depends_on"][name]["condition"] == "service_healthy" for name in REPLICAS)


# --- deploy/nginx.conf ------------------------------------------------------------------------


def test_nginx_upgrades_the_websocket_for_a_day() -> None:
    conf = NGINX_CONF.read_text(encoding="utf-8")
    stream = block(conf, "location /_stcore/stream")
    assert "proxy_http_version 1.1;" in stream
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_set_header Host $host;" in stream
    assert re.search(r"proxy_read_timeout 86400s?;", stream)
    upgrade = block(conf, "map $http_upgrade $connection_upgrade")
    assert re.search(r"default\s+upgrade;", upgrade) and re.search(r"''\s+close;", upgrade)


def test_nginx_sends_a_session_to_one_of_both_replicas() -> None:
    upstream = block(NGINX_CONF.read_text(encoding="utf-8"), "upstream homeaudit")
    assert re.search(r"^\s*ip_hash;", upstream, re.MULTILINE)
    servers = re.findall(r"^\s*server\s+(\S+)", upstream, re.MULTILINE)
    assert servers == [f"{name}:8501" for name in REPLICAS]


def test_nginx_serves_https_only_with_uploads_as_large_as_streamlit_takes() -> None:
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert "return 301 https://$host$request_uri;" in conf
    assert re.search(r"listen 443 ssl;", conf)
    assert "ssl_certificate     /etc/nginx/certs/fullchain.pem;" in conf
    assert "ssl_certificate_key /etc/nginx/certs/privkey.pem;" in conf
    assert f"server_name {PUBLIC_HOST};" in conf
    assert "location = /_stcore/health" in conf
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert f"client_max_body_size {streamlit['server']['maxUploadSize']}m;" in conf
    assert "$request_uri" not in conf.split("log_format", 1)[1].split(";", 1)[0], "the log would hold audit ids"


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx, openssl = Path("/usr/sbin/nginx"), shutil.which("openssl")
    if not nginx.exists() or openssl is None:
        pytest.skip("nginx or openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    certificate = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
    subprocess.run(
        [openssl, *certificate, "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    conf = NGINX_CONF.read_text(encoding="utf-8")
    replacements = {
        "app1:8501": "127.0.0.1:18501",
        "app2:8501": "127.0.0.1:18502",
        "/etc/nginx/certs/fullchain.pem": str(cert),
        "/etc/nginx/certs/privkey.pem": str(key),
        "/var/log/nginx/": f"{tmp_path}/",
        "/var/run/nginx.pid": str(tmp_path / "nginx.pid"),
    }
    for old, new in replacements.items():
        assert old in conf
        conf = conf.replace(old, new)
    # Temporary folders in tmp_path, not the compiled-in ones under /var/lib/nginx.
    temp = "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = conf.replace("http {\n", "http {\n" + temp, 1)
    copy = tmp_path / "nginx.conf"
    copy.write_text(conf, encoding="utf-8")
    done = subprocess.run(
        [str(nginx), "-t", "-p", f"{tmp_path}/", "-c", str(copy), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --- Dockerfile, .dockerignore, secrets -------------------------------------------------------


def test_dockerfile_runs_streamlit_as_a_user_with_a_health_check() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    assert "COPY requirements.txt ./" in instructions
    assert "RUN pip install -r requirements.txt" in instructions
    assert any(line.startswith("RUN pip install --no-deps .") for line in instructions)
    # What the package's build reads (tests/test_packaging.py), and what the app runs.
    for source in ("pyproject.toml", "README.md", "audit_app.py", "homeaudit/", "checklists/", ".streamlit/config.toml"):
        assert any(line.startswith("COPY ") and source in line.split()[1:-1] for line in instructions), source

    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    user_at = instructions.index(f"USER {users[-1]}")
    assert not any(line.startswith(("RUN ", "COPY ")) for line in instructions[user_at:]), "build steps after USER"

    assert "EXPOSE 8501" in instructions
    healthcheck = DOCKERFILE.read_text(encoding="utf-8").split("HEALTHCHECK", 1)[1].split("\n\n", 1)[0]
    command = json.loads(healthcheck.split("CMD", 1)[1].replace("\\\n", " ").strip())
    assert command[:2] == ["python", "-c"] and f"http://127.0.0.1:8501{HEALTH}" in command[2]
    compile(command[2], "HEALTHCHECK", "exec")
    cmd = json.loads([line for line in instructions if line.startswith("CMD ")][-1][4:])
    assert cmd == ["streamlit", "run", "audit_app.py", "--server.address=0.0.0.0", "--server.port=8501"]


def test_the_build_leaves_out_data_secrets_and_caches() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines())
    assert {".git", ".venv", "data", "reports", "tests/app/node_modules", "deploy/secrets.toml", ".env"} <= ignored


def test_secrets_example_is_the_doc_example_and_holds_placeholders_only(doc: str) -> None:
    example = tomllib.loads(SECRETS_EXAMPLE.read_text(encoding="utf-8"))
    auth = example["auth"]
    assert set(auth) == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert auth["redirect_uri"] == f"https://{PUBLIC_HOST}/oauth2callback"
    assert auth["server_metadata_url"].startswith("https://") and auth["server_metadata_url"].endswith(
        "/.well-known/openid-configuration"
    )
    for key in ("cookie_secret", "client_id", "client_secret"):
        assert auth[key].startswith("REPLACE-"), key
    shown = [tomllib.loads(text) for text in fenced_blocks(section(doc, "Sign-in"), "toml")]
    assert example in shown


def test_the_secrets_stay_out_of_git() -> None:
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert {"deploy/secrets.toml", "deploy/certs/", ".env"} <= ignored


# --- docs/deploy.md ---------------------------------------------------------------------------


def test_the_doc_shows_the_nginx_config_as_it_is(doc: str) -> None:
    shown = fenced_blocks(doc, "nginx")
    assert shown == [NGINX_CONF.read_text(encoding="utf-8")]


def test_every_file_the_compose_section_names_exists_or_is_made_and_ignored(doc: str) -> None:
    described = section(doc, "Running it with Docker Compose")
    named = set(re.findall(REPOSITORY_PATH, described))
    assert {"compose.yaml", "Dockerfile", "deploy/nginx.conf", "deploy/secrets.example.toml", "deploy/secrets.toml"} <= named
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    for path in sorted(named):
        if path in MADE_BY_ADMIN:
            assert any(path == line.rstrip("/") or (line.endswith("/") and path.startswith(line)) for line in ignored), path
        else:
            assert (ROOT / path).exists(), path


def compose_commands(text: str) -> list[list[str]]:
    """Every ``docker compose ...`` command in the text, as words, up to a redirection or the line's end."""
    commands = []
    for line in re.findall(r"docker compose [^`\n]*", text):
        words = shlex.split(re.split(r"\s[<>|]\s?|&&", line)[0])
        commands.append(words[2:])
    return commands


#: Options of ``docker compose run`` and ``exec`` that take a value.
OPTIONS_WITH_VALUE = {"-v", "--volume", "-e", "--env", "-u", "--user", "-w", "--workdir", "--name", "--entrypoint"}


def test_every_service_a_compose_command_in_the_doc_names_exists(doc: str, compose: dict[str, Any]) -> None:
    commands = compose_commands(doc)
    assert len(commands) >= 8
    named = []
    for subcommand, *rest in commands:
        positional, skip = [], False
        for word in rest:
            if skip:
                skip = False
            elif word in OPTIONS_WITH_VALUE:
                skip = True
            elif not word.startswith("-"):
                positional.append(word)
        if subcommand in ("run", "exec"):
            named.append(positional[0])
        elif subcommand in ("up", "stop", "start", "restart", "logs", "ps", "build", "pull"):
            named.extend(positional)
        else:
            raise AssertionError(f"docker compose {subcommand}: not a command this test knows")
    assert set(named) <= set(compose["services"]), named
    assert {"postgres", "app1", "app2"} <= set(named)


def test_the_doc_gives_the_commands_as_homeaudit_takes_them(doc: str) -> None:
    for command in (
        "homeaudit --db postgresql://homeaudit:PASSWORD@10.0.0.5:5432/homeaudit --practice north list",
        "homeaudit migrate-db SRC DEST --practice NAME",
        "homeaudit export --all DIR",
        "homeaudit --db URL --practice NAME import DIR/*.yaml",
        "pg_dump -U homeaudit -Fc homeaudit",
        "pg_restore -U homeaudit -d homeaudit",
        "homeaudit backup DEST",
        "streamlit run audit_app.py",
    ):
        assert command in doc, command
    for variable in ("HOMEAUDIT_DB", "HOMEAUDIT_PRACTICE_CLAIM", "HOMEAUDIT_PRACTICE_PREFIX", "HOMEAUDIT_PRACTICE"):
        assert f"`{variable}`" in doc, variable


def test_the_readme_points_to_the_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## A practice's server" in readme and "docs/deploy.md" in section(readme, "A practice's server")
    assert readme.index("## A practice's server") < readme.index("## Back up and restore")
