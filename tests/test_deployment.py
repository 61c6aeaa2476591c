"""The deployment files in docs/deploy/ work as committed: the systemd unit verifies and
its environment and file limit start the site, and nginx with the committed config in
front of that gunicorn serves it over TLS (docs/deployment.md)."""

from __future__ import annotations

import gzip
import json
import resource
import runpy
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

from scripts.local_servers import free_port, start_gunicorn, stop
from tests.conftest import PROJECT_ROOT
from tests.test_server import wait_until_serving
from workshop.gunicorn_worker import connection_cap

DEPLOY = PROJECT_ROOT / "docs" / "deploy"
UNIT = DEPLOY / "workshop-site.service"
NGINX_SITE = DEPLOY / "nginx.conf"
INSTALLED_AT = "/srv/workshop-site"  # the unit's WorkingDirectory
HOST = "ml4astro.example.org"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def unit_settings(text: str) -> dict[str, list[str]]:
    """The [Service] section's settings, every value of a repeated one (Environment=)."""
    settings: dict[str, list[str]] = {}
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        if section == "Service":
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def unit_environment(settings: dict[str, list[str]]) -> dict[str, str]:
    environment = {}
    for assignment in settings.get("Environment", []):
        name, _, value = assignment.strip('"').partition("=")
        environment[name] = value
    return environment


def installed_here(text: str) -> str:
    """The unit as if the project were installed where this checkout is."""
    assert INSTALLED_AT in text
    return text.replace(INSTALLED_AT, str(PROJECT_ROOT))


def test_the_systemd_unit_verifies_and_runs_the_projects_command(tmp_path: Path) -> None:
    unit = tmp_path / "workshop-site.service"
    unit.write_text(installed_here(UNIT.read_text(encoding="utf-8")), encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr

    settings = unit_settings(unit.read_text(encoding="utf-8"))
    assert settings["WorkingDirectory"] == [str(PROJECT_ROOT)]
    # The command `make run` runs, with the project's virtual environment.
    assert settings["ExecStart"] == [f"{PROJECT_ROOT}/.venv/bin/gunicorn --config gunicorn.conf.py"]
    assert "$(BIN)/gunicorn --config gunicorn.conf.py" in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    # The file limit leaves every worker the connections gunicorn.conf.py allows.
    (limit,) = settings["LimitNOFILE"]
    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert connection_cap(int(limit)) >= config["worker_connections"]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


def substituted(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in docs/deploy/nginx.conf"
        text = text.replace(old, new)
    return text


def nginx_main_config(workdir: Path, site: str) -> str:
    """The main nginx.conf a Debian install has around a site file, run from ``workdir``."""
    return f"""daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{
    worker_connections 256;
}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
{site}
}}
"""


@contextmanager
def nginx_in_front(gunicorn_port: int) -> Iterator[tuple[int, int, Path]]:
    # Not under pytest's tmp_path, which only its owner may enter: nginx's workers run as an
    # unprivileged user when started by root, and write the cache.
    with tempfile.TemporaryDirectory(prefix="workshop-nginx-") as temp:
        workdir = Path(temp)
        workdir.chmod(0o755)
        with nginx_running(workdir, gunicorn_port) as ports:
            yield (*ports, workdir)


@contextmanager
def nginx_running(workdir: Path, gunicorn_port: int) -> Iterator[tuple[int, int]]:
    cache = workdir / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    certificate, key = self_signed_certificate(workdir)
    http_port, https_port = free_port(), free_port()
    site = substituted(
        NGINX_SITE.read_text(encoding="utf-8"),
        {
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{gunicorn_port};",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "listen [::]:80;": "",
            "listen [::]:443 ssl http2;": "",
            f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(certificate),
            f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
            "/var/cache/nginx/workshop-site": str(cache),
            "/var/log/nginx/": f"{workdir}/",
        },
    )
    config = workdir / "nginx.conf"
    config.write_text(nginx_main_config(workdir, site), encoding="utf-8")
    with (workdir / "nginx.out").open("w") as output:
        process = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(workdir), "-e", str(workdir / "error.log")],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, (workdir / "error.log").read_text(encoding="utf-8")
            try:
                fetch(f"https://127.0.0.1:{https_port}/api/v1/status.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.2)
        yield http_port, https_port
    finally:
        stop(process)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    untrusted = ssl.create_default_context()
    untrusted.check_hostname = False
    untrusted.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=untrusted), NoRedirect())
    request = urllib.request.Request(url, headers={"Host": HOST, **(headers or {})})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_with_the_committed_config_serves_the_site_from_gunicorn(tmp_path: Path) -> None:
    settings = unit_settings(UNIT.read_text(encoding="utf-8"))
    # The unit's environment, installed here (its data folder is this checkout's data/).
    environment = {
        key: value.replace(INSTALLED_AT, str(PROJECT_ROOT)) for key, value in unit_environment(settings).items()
    }
    port = free_port()
    environment["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    environment["GUNICORN_WORKERS"] = "1"
    environment["GUNICORN_ACCESSLOG"] = str(tmp_path / "access.log")
    (limit,) = settings["LimitNOFILE"]
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    log_path = tmp_path / "gunicorn.log"
    gunicorn = start_gunicorn(environment, log_path, file_limit=min(int(limit), hard))
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/", gunicorn)
        _status, _headers, plain = fetch(f"http://127.0.0.1:{port}/api/v1/topics.json")
        with nginx_in_front(port) as (http_port, https_port, nginx_dir):
            base = f"https://127.0.0.1:{https_port}"
            status, headers, body = fetch(f"{base}/api/v1/topics.json", {"Accept-Encoding": "gzip"})
            assert status == 200
            assert headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in headers["Vary"]
            assert gzip.decompress(body) == plain
            # The app believes nginx's X-Forwarded-Proto (WORKSHOP_PROXY_FIX=1): HSTS over HTTPS.
            assert headers["Strict-Transport-Security"].startswith("max-age=")
            assert headers["X-Cache-Status"] in ("MISS", "HIT", "EXPIRED", "STALE", "UPDATING", "REVALIDATED")

            status, headers, body = fetch(f"{base}/api/v1/no-such.json")
            assert status == 404
            assert headers["Content-Type"].startswith("application/problem+json")
            assert json.loads(body)["status"] == 404

            status, headers, _body = fetch(f"{base}/")
            assert status == 200 and headers["Content-Type"].startswith("text/html")

            status, headers, _body = fetch(f"http://127.0.0.1:{http_port}/api/v1/topics.json")
            assert status == 301
            assert headers["Location"] == f"https://{HOST}/api/v1/topics.json"
            nginx_log = (nginx_dir / "workshop-site.access.log").read_text(encoding="utf-8")
    finally:
        stop(gunicorn)
    assert '"GET /api/v1/no-such.json HTTP/1.1" 404' in nginx_log
    # LimitNOFILE left the worker the connections gunicorn.conf.py allows.
    assert "at most 1000 connections" in log_path.read_text(encoding="utf-8")
    assert "GET /api/v1/topics.json HTTP/1.1" in (tmp_path / "access.log").read_text(encoding="utf-8")
