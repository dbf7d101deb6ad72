"""A full backup and restore, with the commands docs/deployment.md gives, round-trips every record and file.

The demo site is the data: every table gets rows. The database is dumped with ``pg_dump -Fc``, restored with
``pg_restore`` into a new database, and each table of the two compared by its row count and a digest of all its
rows; the uploaded and generated files are copied with ``rsync -a`` and compared by their SHA-256.
PostgreSQL only (the SQLite backup is a file copy).
"""

import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _libpq_environment(database: str | None = None) -> dict[str, str]:
    config = settings.DATABASES["default"]
    environment = {**os.environ, "PGDATABASE": database or config["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            environment[variable] = str(config[key])
    return environment


def _run(command: list[str], database: str | None = None) -> None:
    subprocess.run(command, env=_libpq_environment(database), check=True, capture_output=True)  # noqa: S603


def _table_digests(conninfo_database: str) -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of every row as text, in a fixed order)} for the public schema."""
    environment = _libpq_environment(conninfo_database)
    conninfo = " ".join(
        f"{key}={environment[variable]}"
        for key, variable in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("dbname", "PGDATABASE"))
        if variable in environment
    )
    digests = {}
    with psycopg.connect(conninfo) as database:
        tables = [
            row[0]
            for row in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        for table in tables:
            count, digest = database.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            ).fetchone()
            digests[table] = (count, digest)
    return digests


def _file_digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def restored_database():
    name = f"{settings.DATABASES['default']['NAME']}_restored"
    _run(["dropdb", "--if-exists", name])
    _run(["createdb", name])
    yield name
    _run(["dropdb", "--if-exists", name])


def test_a_backup_restores_every_record_and_file(tmp_path, restored_database):
    call_command("load_demo", stdout=io.StringIO())
    source = connection.settings_dict["NAME"]
    before = _table_digests(source)
    assert sum(rows for rows, _digest in before.values()) > 1000
    assert before["courses_evidencerecord"][0] > 0 and before["portfolios_transcript"][0] > 0

    dump = tmp_path / "kesai.dump"
    _run(["pg_dump", "-Fc", "-f", str(dump)], database=source)
    _run(["pg_restore", "--no-owner", "-d", restored_database, str(dump)])
    assert _table_digests(restored_database) == before

    media = Path(settings.TEST_FILES_ROOT)
    assert _file_digests(media), "the demo wrote no files to back up"
    copy = tmp_path / "media-backup"
    if shutil.which("rsync") is None:
        pytest.fail("rsync is missing: scripts/test installs it (Debian package rsync)")
    _run(["rsync", "-a", f"{media}/", f"{copy}/"])
    assert _file_digests(copy) == _file_digests(media)
