"""Fixtures of the deployment tests: an S3-compatible server, Redis, and work done once per module.

- ``s3``: moto's S3 server in a thread of the pytest process, on 127.0.0.1 and a free port (nothing leaves the
  machine), with a media bucket and a private bucket; stopped and emptied after the module.
- ``redis_url``: Redis database 14 on the host and port of ``REDIS_TEST_URL`` (scripts/test sets it when Redis
  answers; 127.0.0.1:6379 otherwise), emptied before and after the module. Other suites use other numbers.
  Without REDIS_TEST_URL and without an answer, the Redis tests skip, loudly; with REDIS_TEST_URL set and no
  answer they fail.
- ``once``: the deployment's processes are slow to start, so each module runs its scenario once, in the first test
  that needs it (that test's transactional database access lets it copy the migrated database), and its tests
  assert on the results; cleanups run after the module.
"""

import logging
import os
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

import boto3
import pytest
import redis
from botocore.config import Config
from moto.server import ThreadedMotoServer

REDIS_DB = 14
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


class S3:
    """The S3-compatible server and what the tests read from it, with the deployment's own credentials."""

    media_bucket = "kesai-media"
    private_bucket = "kesai-private"
    access_key_id = "kesai-deployment-test"
    secret_access_key = "kesai-deployment-test-secret"  # moto accepts any credentials

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            config=Config(retries={"max_attempts": 1}),
        )

    def keys(self, bucket: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def public_grants(self, bucket: str, key: str) -> list[dict]:
        """The object's ACL grants to everyone or to every AWS account (none, for private objects)."""
        grants = self.client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        return [grant for grant in grants if grant["Grantee"].get("URI") in PUBLIC_GRANTEES]


@pytest.fixture(scope="module")
def s3():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request at INFO
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    store = S3(f"http://{host}:{port}")
    try:
        for bucket in (S3.media_bucket, S3.private_bucket):
            store.client.create_bucket(Bucket=bucket)
        yield store
    finally:
        # moto keeps its buckets in this process's memory: drop them with the server.
        reset = urllib.request.Request(f"{store.endpoint}/moto-api/reset", method="POST")  # noqa: S310 (our own local server)
        urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310
        server.stop()


def _redis_test_url() -> str:
    configured = os.environ.get("REDIS_TEST_URL")
    parts = urlsplit(configured or "redis://127.0.0.1:6379")
    return parts._replace(path=f"/{REDIS_DB}", query="").geturl()


@pytest.fixture(scope="module")
def redis_url():
    url = _redis_test_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        client.close()
        if os.environ.get("REDIS_TEST_URL"):
            pytest.fail(f"REDIS_TEST_URL is set but Redis does not answer at {url}: {error}")
        pytest.skip(
            f"!!! SKIPPING THE REDIS DEPLOYMENT TESTS (cache, rate limits, RQ workers): nothing answers at {url} "
            "and REDIS_TEST_URL is unset. Start Redis (scripts/test does) to run them."
        )
    client.flushdb()  # database 14 only: ours
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


class Once:
    """Results computed once per module; an error is kept and raised again for every later test that asks."""

    def __init__(self):
        self._results: dict[str, object] = {}
        self._cleanups: list[Callable[[], None]] = []

    def __call__(self, name: str, make: Callable[[], object]):
        if name not in self._results:
            try:
                self._results[name] = make()
            except BaseException as error:
                self._results[name] = error
                raise
        result = self._results[name]
        if isinstance(result, BaseException):
            raise AssertionError(f"{name} failed in an earlier test of this module") from result
        return result

    def cleanup(self, function: Callable[[], None]) -> None:
        self._cleanups.append(function)

    def close(self) -> None:
        while self._cleanups:
            self._cleanups.pop()()


@pytest.fixture(scope="module")
def once():
    made = Once()
    yield made
    made.close()
