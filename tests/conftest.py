import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import CompetencyFactory, FrameworkFactory, UserFactory


def pytest_report_header(config):
    return f"kesai database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True, scope="session")
def _clean_media():
    yield
    shutil.rmtree(Path(settings.MEDIA_ROOT), ignore_errors=True)


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only test: run scripts/test, which repeats the suite on PostgreSQL")


@pytest.fixture
def teacher(db):
    return UserFactory(username="teacher1", first_name="华", last_name="李", roles=["Teachers"])


@pytest.fixture
def student(db):
    return UserFactory(username="2024000001", first_name="小红", last_name="陈", roles=["Students"])


@pytest.fixture
def framework(db):
    return FrameworkFactory()


@pytest.fixture
def competency(framework):
    return CompetencyFactory(framework=framework, code="TRADE", name="Economic and trade knowledge")
