import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import CompetencyFactory, FrameworkFactory, UserFactory


def pytest_report_header(config):
    return f"kesai database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True, scope="session")
def _clean_media():
    yield
    shutil.rmtree(Path(settings.TEST_FILES_ROOT), ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests before they touch the database: a transactional test skipped after its
    database was set up would flush it, and later serialized-rollback tests (the browser journeys) would
    find no Wagtail root page."""
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only test: run scripts/test, which repeats the suite on PostgreSQL")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


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
