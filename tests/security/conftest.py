"""The security suite's world, built once per test module and rolled back after it.

Every test of a module runs inside the transaction that holds the world (pytest-django wraps each test in a
savepoint, rolled back after it), so a POST that changes something changes it for that test only.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        cache.clear()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        cache.clear()  # Wagtail's site root paths and the rate limits' counters refer to the world


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate limits count in the cache: every test starts with no request counted."""
    cache.clear()
    yield
    cache.clear()
