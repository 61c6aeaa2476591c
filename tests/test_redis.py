"""Several app processes sharing one Redis cache, by configuration only, and serving on without it.

A real ``redis-server`` (Debian's package; ``.ci/run`` installs it) runs on a free
loopback port without persistence; two gunicorn instances with the project's config
use it through ``WORKSHOP_CACHE_TYPE=RedisCache`` and ``WORKSHOP_CACHE_REDIS_URL``.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask_caching.backends.base import BaseCache

from scripts.local_servers import free_port
from tests.conftest import SHIPPED_DATA, build_app, edit_data_file
from tests.test_server import gunicorn, wait_until_serving

# How a document starts in the cache: bytes of its own format, never a pickle.
STORED_DOCUMENT = b"workshop-document/1\n"

# Requested before Redis goes away (documents built once, shared through Redis)...
SHARED_URLS = (
    "/",
    "/api/v1/index.json",
    "/api/v1/site.json",
    "/api/v1/topics.json",
    "/api/v1/dates.json",
    "/api/v1/dates.ics",
    "/api/v1/editions/icml2023/program.json",
)
# ... and first requested while it is gone: built locally, by each process (per-item calendars:
# the only documents a master does not prepare before forking its workers, workshop/rollover.py).
FRESH_URLS = (
    "/api/v1/editions/icml2023/dates/submission-deadline.ics",
    "/api/v1/editions/icml2023/dates/author-notification.ics",
    "/api/v1/editions/icml2023/dates/camera-ready-paper.ics",
    "/api/v1/editions/icml2023/dates/workshop.ics",
)
CACHE_WARNING = "The cache failed to"
ROBUSTNESS = "Robustness to covariate shifts and model misspecification"
EDITED = "Robustness to distribution shifts and model misspecification"


@dataclass
class RedisServer:
    """redis-server as a subprocess on a fixed loopback port: started, killed and started again."""

    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server not found: run .ci/run, which installs Debian's redis-server package.")
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = self.client()
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert self.process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not answer"
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=0, socket_timeout=5)

    def stored_keys(self) -> set[str]:
        return {key.decode() for key in self.client().keys("*")}

    def hits(self) -> int:
        return int(self.client().info("stats")["keyspace_hits"])


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(port=free_port(), folder=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@dataclass
class Served:
    status: int
    etag: str
    body: bytes


def fetch(base_url: str, path: str) -> Served:
    started = time.monotonic()
    with urllib.request.urlopen(f"{base_url}{path}", timeout=10) as response:
        served = Served(response.status, response.headers["ETag"], response.read())
    # Never waiting on a cache that is gone.
    assert time.monotonic() - started < 2, f"{path} took {time.monotonic() - started:.1f} s"
    return served


def content_version(base_url: str) -> str:
    return json.loads(fetch(base_url, "/api/v1/status.json").body)["content_version"]


def served_alike(instances: list[str], paths: tuple[str, ...]) -> dict[str, str]:
    """Fetch ``paths`` from every instance; each answers 200 with the same ETag. The ETags, by path."""
    etags: dict[str, str] = {}
    for path in paths:
        answers = [fetch(base_url, path) for base_url in instances]
        assert {answer.status for answer in answers} == {200}, path
        assert len({answer.etag for answer in answers}) == 1, f"{path}: the instances disagree"
        assert len({answer.body for answer in answers}) == 1, path
        etags[path] = answers[0].etag
    return etags


def test_two_instances_share_one_redis_and_serve_on_without_it(tmp_path: Path, redis_server: RedisServer) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data_dir)
    env = {
        "WORKSHOP_CACHE_TYPE": "RedisCache",
        "WORKSHOP_CACHE_REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
        "WORKSHOP_DATA_DIR": str(data_dir),
        "GUNICORN_WORKERS": "1",
    }
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with ExitStack() as stack:
        processes = []

        def start(log: Path) -> str:
            process, base_url = stack.enter_context(gunicorn(env, log))
            wait_until_serving(f"{base_url}/api/v1/status.json", process)
            processes.append(process)
            return base_url

        # The first instance builds each document once (its master prepares them before forking
        # its workers, workshop/rollover.py) and stores it in Redis, under the configured prefix.
        first = start(logs[0])
        version = content_version(first)
        for path in SHARED_URLS:
            assert fetch(first, path).status == 200
        stored = redis_server.stored_keys()
        assert all(key.startswith(f"workshop:{version}:") for key in stored), stored
        # One rendering scope (same settings, same code) for both instances.
        (scope,) = {key.split(":")[2] for key in stored}
        # The page shows the workshop's moment: its key names it (page/icml2023@<moment>, workshop/documents.py).
        assert {key.partition("@")[0] for key in stored} >= {
            f"workshop:{version}:{scope}:page/icml2023",
            f"workshop:{version}:{scope}:api/icml2023/topics",
        }
        assert all(redis_server.client().get(key).startswith(STORED_DOCUMENT) for key in stored)
        assert len(stored) >= len(SHARED_URLS) - 1  # / and the index are two documents, site.json one more
        # The second finds them there as it prepares its own: one Redis hit per document, nothing rebuilt.
        hits = redis_server.hits()
        second = start(logs[1])
        assert content_version(second) == version
        assert redis_server.hits() - hits >= len(SHARED_URLS)
        etags = served_alike([first, second], SHARED_URLS)
        assert redis_server.stored_keys() == stored

        # Redis dies: both keep serving the same bytes, documents already served and new ones alike.
        redis_server.kill()
        assert served_alike([first, second], SHARED_URLS) == etags
        without_redis = served_alike([first, second], FRESH_URLS)
        assert b"Machine Learning for Astrophysics" in fetch(second, "/icml2023/").body  # prepared in the master
        assert content_version(first) == content_version(second) == version
        for log in logs:
            # Each process says so once (at most once a minute), not once per request.
            assert log.read_text(encoding="utf-8").count(CACHE_WARNING) == 1, log.read_text(encoding="utf-8")

        # Redis is back (empty: no persistence): the instances use it again, and follow an edit together.
        redis_server.start()
        assert served_alike([first, second], SHARED_URLS) == etags
        assert served_alike([first, second], FRESH_URLS) == without_redis
        topics = data_dir / "icml2023" / "topics.yaml"
        edit_data_file(topics, ROBUSTNESS, EDITED)
        deadline = time.monotonic() + 10  # a hang, not a speed
        while content_version(first) == version or content_version(second) == version:
            assert time.monotonic() < deadline, "the edit was not served"
            time.sleep(0.1)
        edited = content_version(first)
        assert content_version(second) == edited
        served_alike([first, second], SHARED_URLS)
        topics_json = json.loads(fetch(second, "/api/v1/topics.json").body)
        assert topics_json["data"]["items"][1]["title"] == EDITED
        assert f"workshop:{edited}:{scope}:api/icml2023/topics" in redis_server.stored_keys()
        for process in processes:
            assert process.poll() is None
        for log in logs:
            text = log.read_text(encoding="utf-8")
            assert text.count(CACHE_WARNING) == 1
            assert "Traceback" not in text
            assert '" 500 ' not in text


def redis_app(redis_server: RedisServer, **settings: object) -> Flask:
    return build_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=f"redis://127.0.0.1:{redis_server.port}/0", **settings)


# Documents that carry the site's absolute address.
ABSOLUTE_URLS = ("/", "/api/v1/dates.ics", "/api/v1/openapi.json", "/api/v1/feed.json", "/api/v1/schedule.json")


def test_instances_with_different_site_urls_serve_their_own(redis_server: RedisServer) -> None:
    first_site, second_site = "https://first.example.org", "https://second.example.net"
    first = redis_app(redis_server, SITE_URL=first_site).test_client()
    second = redis_app(redis_server, SITE_URL=second_site).test_client()
    twin = redis_app(redis_server, SITE_URL=first_site).test_client()
    for path in ABSOLUTE_URLS:
        mine, theirs = first.get(path), second.get(path)
        assert mine.status_code == theirs.status_code == 200, path
        assert first_site.encode() in mine.data and second_site.encode() not in mine.data, path
        assert second_site.encode() in theirs.data and first_site.encode() not in theirs.data, path
        # An instance with the same settings still shares the first one's documents.
        hits = redis_server.hits()
        assert twin.get(path).data == mine.data
        assert redis_server.hits() > hits, path


def test_instances_with_different_calendar_uid_domains_serve_their_own(redis_server: RedisServer) -> None:
    first = redis_app(redis_server, CALENDAR_UID_DOMAIN="first.example.org").test_client()
    second = redis_app(redis_server, CALENDAR_UID_DOMAIN="second.example.net").test_client()
    assert b"@first.example.org" in first.get("/api/v1/dates.ics").data
    assert b"@second.example.net" in second.get("/api/v1/dates.ics").data


class Planted:
    """A pickle that runs code when loaded: what someone with access to Redis could store there."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def test_a_value_planted_in_redis_runs_no_code(
    redis_server: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = redis_app(redis_server).test_client()
    expected = build_app().test_client().get("/api/v1/topics.json")
    assert client.get("/icml2023/").status_code == 200
    (page_key,) = [key for key in redis_server.stored_keys() if ":page/icml2023" in key]  # and its stylesheet
    topics_key = page_key.partition("@")[0].replace("page/icml2023", "api/icml2023/topics")  # no moment in its key
    marker = tmp_path / "the-pickle-ran"
    # As flask-caching's Redis serializer would have stored a pickled value.
    redis_server.client().set(topics_key, b"!" + pickle.dumps(Planted(marker)))
    with caplog.at_level(logging.WARNING, logger="workshop.documents"):
        served = client.get("/api/v1/topics.json")
    assert not marker.exists(), "a value read from Redis was unpickled"
    assert served.status_code == 200
    assert served.data == expected.data
    assert "Ignored the value cached under" in caplog.text
    # Replaced by the document, as the cache stores it.
    assert redis_server.client().get(topics_key).startswith(STORED_DOCUMENT)


class SelfDecodingCache(BaseCache):
    """A backend that decodes values itself, as memcached's clients do (with pickle): no serializer to replace."""


@pytest.mark.parametrize("cache_type", [f"{__name__}.SelfDecodingCache", "FileSystemCache"])
def test_a_cache_that_would_unpickle_is_refused_at_start(cache_type: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"is not supported: documents are cached as bytes, never pickles"):
        build_app(CACHE_TYPE=cache_type, CACHE_DIR=str(tmp_path))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda stored: stored[:-1], id="truncated"),
        pytest.param(lambda stored: stored.replace(b'"mimetype":', b'"mimetype":1,"x":', 1), id="other metadata"),
        pytest.param(lambda stored: STORED_DOCUMENT + b"[" * 100_000 + b"\n", id="nested too deeply"),
        pytest.param(lambda stored: b"\x80\x04garbage", id="garbage"),
    ],
)
def test_a_damaged_value_is_ignored_and_rebuilt(
    redis_server: RedisServer, damage: Callable[[bytes], bytes], caplog: pytest.LogCaptureFixture
) -> None:
    expected = redis_app(redis_server).test_client().get("/api/v1/topics.json")
    (key,) = redis_server.stored_keys()
    stored = redis_server.client().get(key)
    redis_server.client().set(key, damage(stored))
    with caplog.at_level(logging.WARNING, logger="workshop.documents"):
        served = redis_app(redis_server).test_client().get("/api/v1/topics.json")
    assert served.status_code == 200
    assert served.data == expected.data
    assert "Ignored the value cached under" in caplog.text
    assert redis_server.client().get(key) == stored
