"""Kesai run the way docs/deployment.md deploys it: separate processes configured only by environment variables.

The deployment tests cannot load the production settings in the pytest process: lms/settings/base.py reads the
environment at import time, and the models bind their storages when they are imported. So each web node or worker
is a new Python process with ``DJANGO_SETTINGS_MODULE=tests.production_settings`` (production's settings) and the
variables an operator would set. They share one database: a copy of pytest-django's migrated test database under
a name of its own (a file for SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL), dropped afterwards.
"""

import copy
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.db import connections

from portfolios.transcripts.signing import generate_private_key_pem

PROJECT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.production_settings"
#: The line a step prints its result on (tests/deployment/steps.py).
MARKER = "KESAI-STEP:"
#: What a test machine needs from the pytest process's environment; nothing else is passed on, so no
#: DATABASE_URL, REDIS_URL, AWS_* or KESAI_* of the developer's shell leaks into a "deployment".
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")
TIMEOUT = 180


class Deployment:
    """One Kesai installation: the environment every process of it gets (one secret, one signing key)."""

    def __init__(self, *, database_url: str, media_root: Path, private_media_root: Path, **variables: str):
        self.media_root = media_root
        self.private_media_root = private_media_root
        self.env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
        self.env.update(
            PYTHONPATH=str(PROJECT),
            PYTHONDONTWRITEBYTECODE="1",
            DJANGO_SETTINGS_MODULE=SETTINGS,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="testserver",
            KESAI_SIGNING_KEY=generate_private_key_pem().decode(),
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(media_root),
            PRIVATE_MEDIA_ROOT=str(private_media_root),
            LOG_LEVEL="WARNING",
            # boto3 must find nothing on this machine and ask nobody else: only the AWS_* variables a test gives.
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
        )
        self.env.update(variables)

    def without(self, *names: str) -> "Deployment":
        """The same installation with some variables unset."""
        installation = copy.copy(self)
        installation.env = {name: value for name, value in self.env.items() if name not in names}
        return installation

    def start(self, step: str, **payload) -> subprocess.Popen:
        """Start ``step`` (a function in tests/deployment/steps.py) in a new process; see :meth:`result`."""
        bootstrap = "import django; django.setup(); from tests.deployment.steps import main; main()"
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-c", bootstrap, step, json.dumps(payload)],
            cwd=PROJECT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return process

    @staticmethod
    def result(process: subprocess.Popen) -> dict:
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            raise AssertionError(f"step {process.args[3]} timed out:\n{stderr[-3000:]}") from None
        assert process.returncode == 0, f"step {process.args[3]} failed:\n{stderr[-5000:]}"
        line = next((line for line in stdout.splitlines() if line.startswith(MARKER)), None)
        assert line is not None, stdout[-3000:] + stderr[-3000:]
        return json.loads(line.removeprefix(MARKER))

    def run(self, step: str, **payload) -> dict:
        return self.result(self.start(step, **payload))

    def manage(self, *arguments: str) -> subprocess.CompletedProcess:
        """``manage.py`` with this installation's environment, as an operator runs it on a server."""
        return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", *arguments],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT,
        )


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# --- The shared database ---------------------------------------------------------------------------------------


def database_name(suffix: str = "") -> str:
    """``<name of TEST_DATABASE_URL's database><suffix>``, e.g. kesai_h3 and kesai_h3_b, so that two suites on one
    server never share one (pytest-django's own copy is ``test_<name>``); per pytest-xdist worker when parallel."""
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or "sqlite:///kesai"
    name = Path(urlsplit(url).path).name or "kesai"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"{name}{suffix}" + (f"_{worker}" if worker else "")


def clone_test_database(name: str, folder: Path) -> str:
    """Copy pytest-django's migrated test database to a database ``name`` other processes can open; returns its
    DATABASE_URL. The caller's test must be transactional, so that nothing of its own is uncommitted."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        path = folder / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # the test database lives in memory
        finally:
            target.close()
        return f"sqlite:///{path}"
    assert connection.vendor == "postgresql", connection.vendor
    template = connection.settings_dict["NAME"]
    connections.close_all()  # CREATE DATABASE … TEMPLATE needs the template to have no sessions
    with _server(connection.settings_dict) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = urlsplit(os.environ.get("TEST_DATABASE_URL") or os.environ["DATABASE_URL"])
    return url._replace(path=f"/{name}", query="").geturl()


def drop_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        with _server(connections["default"].settings_dict) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    else:
        Path(parts.path).unlink(missing_ok=True)


def _server(settings_dict: dict) -> psycopg.Connection:
    options = {"dbname": "postgres", "autocommit": True}
    for key, option in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if settings_dict.get(key):
            options[option] = settings_dict[key]
    return psycopg.connect(**options)
