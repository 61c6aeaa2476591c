"""Production server settings. Every value can be overridden from the environment
(GUNICORN_BIND, GUNICORN_WORKERS, ...) or on the command line."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gunicorn's asyncio worker, one per core: chosen by measurement (docs/performance.md,
# scripts/bench.py). The app's prepared responses (nearly every request) are answered
# from the event loop (workshop/asgi.py), with no thread hand-off per request: far more
# requests/s than threaded WSGI workers (figures: docs/performance.md, "Worker class and
# count"). The rest reaches Flask in threads
# (WORKSHOP_ASGI_FLASK_THREADS). GUNICORN_WORKER_CLASS=gthread (or sync) serves the
# plain WSGI app instead, with its own fast path; threads then applies.
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 1)))
serves_asgi = os.environ.get("GUNICORN_WORKER_CLASS", "asgi") == "asgi"
# gunicorn's asgi worker with a header timeout and a connection cap (workshop/gunicorn_worker.py).
worker_class = "workshop.gunicorn_worker.SiteWorker" if serves_asgi else os.environ["GUNICORN_WORKER_CLASS"]
wsgi_app = "app:asgi_app" if serves_asgi else "app:app"
threads = int(os.environ.get("GUNICORN_THREADS", "1" if serves_asgi else "4"))
# Connections per worker, at most. The asgi worker lowers it to what the file limit
# (RLIMIT_NOFILE, systemd's LimitNOFILE) leaves once the app's own files are counted:
# 768 under the usual 1,024. WORKSHOP_HEADER_TIMEOUT (default 10 s) closes a connection
# that has not sent its request headers in time.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# When a client closes its connection, the asgi worker would keep the connection's state
# for this many seconds (default 3) for the app to clean up; this app has nothing to clean
# up. With the default, a worker taking many new connections a second (browsers reconnect)
# grows several-fold; with 0 it stays flat (figures: docs/performance.md, "Worker class and count").
asgi_disconnect_grace_period = 0

# Load the content once in the master: a broken data file stops start-up with
# its problems listed, instead of every worker failing on its own.
preload_app = True

# Production: no reloader, no debugger.
reload = False

# No control socket: gunicorn's default one is a single path per user (outside the project,
# shared by every instance on the machine) through which workers can be added or removed.
# Manage the server with signals (HUP, TTIN, TTOU, TERM), as before gunicorn 25.
control_socket_disable = True

# Refuse oversized requests before they reach the app.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Which proxies to believe is the app's setting (WORKSHOP_PROXY_FIX, werkzeug's ProxyFix):
# gunicorn itself takes no X-Forwarded-Proto/-Ssl or SCRIPT_NAME header from anyone, not
# even from 127.0.0.1 as it would by default, so no client can claim HTTPS or move the URLs.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""

# The access log, on by default (GUNICORN_ACCESSLOG: "-" for standard output, a file path,
# or empty for none). Lines are queued on the request path and written in batches by a
# thread (workshop/accesslog.py); GUNICORN_ACCESS_LOG_FORMAT is "combined" (Apache's and
# nginx's combined log format, the default) or "json" (one JSON object per line).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
access_log_format = os.environ.get("GUNICORN_ACCESS_LOG_FORMAT", "combined")
logger_class = "workshop.accesslog.BatchedAccessLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "workshop-site"


def when_ready(server):  # noqa: ANN001, ANN201 (gunicorn's hook signature)
    """The master alone follows the data files; on a change it replaces its workers with forks
    of itself (workshop/rollover.py). Called before the first workers are forked."""
    from workshop.rollover import follow_in_master

    follow_in_master(server)


def post_worker_init(worker):  # noqa: ANN001, ANN201 (gunicorn's hook signature)
    """Tell the master this worker is up: it retires the old workers of a rollover then."""
    from workshop.rollover import worker_booted

    worker_booted(worker)
