"""Every page and feed works without Redis, and bookings still save with the broker down.

A private redis-server on a free port (never the shared one) serves as the cache; then it is
stopped. In this process every page the crawler finds, as each role, still answers without a
server error, the outage is logged once, and the cache is used again when Redis is back. A
second process configured with that dead Redis as cache *and* broker serves pages and feeds and
saves a booking whose e-mail waits in the outbox.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from bookings.models import Series
from notifications.models import OutboxMessage, Status

from .crawl import crawl, fill_patterns, url_patterns
from .fuzz_world import FuzzWorld, build

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server (apt-get install redis-server)")
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def world(make_user, make_center, make_room, make_group, make_equipment) -> FuzzWorld:
    return build(make_user, make_center, make_room, make_group, make_equipment)


def redis_cache(url: str) -> override_settings:
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "treffpunkt-test",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    )


def visit_everything(world: FuzzWorld) -> dict[str, int]:
    """Every page and feed, as each role: {url: status}."""
    patterns = url_patterns()
    ours = [p for p in patterns if not p.route.startswith("admin/")]
    seeds = ["/", "/me/", "/staff/", "/profile/", *fill_patterns(ours, world.ids)]
    statuses: dict[str, int] = {}
    for user in (None, world.leader, world.staff):
        client = Client()
        if user is not None:
            client.force_login(user)
        site = crawl(client.get, "role", seeds, ours, per_pattern=1)
        statuses.update(site.pages)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_pages_and_feeds_work_while_redis_is_gone(world, private_redis, caplog):
    from config import cache as resilient

    resilient.ResilientRedisCache._down_until = 0.0
    with redis_cache(private_redis.url):
        up = visit_everything(world)
        keys = redis.Redis.from_url(private_redis.url).dbsize()
        assert keys > 0, "the pages did not use the Redis cache"
        feeds = [url for url in up if url.startswith("/feeds/") and up[url] == 200]
        assert len(feeds) >= 4

        private_redis.stop()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="config.cache"):
            down = visit_everything(world)
            time.sleep(resilient.RETRY_AFTER + 0.1)
            visit_everything(world)  # a second outage window: still one line per outage
        assert [url for url, status in down.items() if status >= 500] == []
        assert {url: down[url] for url in feeds} == dict.fromkeys(feeds, 200)
        assert {url for url, s in up.items() if s == 200} == {
            url for url, s in down.items() if s == 200
        }
        warnings = [r for r in caplog.records if r.name == "config.cache"]
        assert [r.getMessage().split(":")[0] for r in warnings] == [
            "Cache unavailable, answering as a miss"
        ]

        private_redis.start()
        time.sleep(resilient.RETRY_AFTER + 0.1)
        cache.set("back", 1)
        assert cache.get("back") == 1
    resilient.ResilientRedisCache._down_until = 0.0


OFFLINE = """
import json, django
django.setup()
from django.test import Client
from accounts.models import User
world = json.loads({world!r})
results = {{}}
client = Client()
for url in world["public"]:
    results[url] = client.get(url).status_code
client.force_login(User.objects.get(pk=world["leader"]))
response = client.post("/me/request/", world["booking"])
results["booking"] = response.status_code
print(json.dumps(results))
"""


@pytest.mark.django_db(transaction=True)
def test_a_process_with_its_redis_gone_serves_pages_and_saves_bookings(world, private_redis):
    private_redis.stop()  # the process below only ever knows a dead Redis
    hall = world.request.room
    booking = {
        "group": world.request.group_id,
        "room": hall.pk,
        "start_date": world.request.start_date.isoformat(),
        "start_time": "08:00",
        "end_time": "09:00",
        "frequency": "once",
        "ends": "until",
        "expected_participants": "5",
        "send": "1",
    }
    public = [
        "/",
        f"/centers/{world.center.slug}/",
        f"/centers/{world.center.slug}/program/",
        f"/feeds/center/{world.center.slug}.ics",
        f"/feeds/room/{hall.pk}.ics",
        f"/feeds/private/{world.feed_token}.ics",
    ]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.config.offline_settings",
        "TREFFPUNKT_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "REDIS_URL": private_redis.url,
    }
    script = OFFLINE.format(
        world=json.dumps({"public": public, "leader": world.leader.pk, "booking": booking})
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    statuses = json.loads(result.stdout.strip().splitlines()[-1])
    assert statuses == {**dict.fromkeys(public, 200), "booking": 302}, result.stderr[-3000:]
    assert time.monotonic() - started < 60
    series = Series.objects.filter(group_id=world.request.group_id).latest("pk")
    assert series.start_time.hour == 8
    waiting = OutboxMessage.objects.filter(series=series)
    assert waiting.exists() and set(waiting.values_list("status", flat=True)) == {Status.PENDING}
    assert "the periodic dispatch will send them" in result.stderr
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")  # this process: as ever
