"""Secret transcript links: guessing tokens is rate-limited per address, and tokens are long random secrets kept
only as hashes (DESIGN.md "Safety rules": at least 128 bits, verification endpoints rate-limited).

The rate limit is the configured one (``KESAI_SHARE_LINK_RATE``, django-ratelimit counting in the cache, per IP
address, for the link's page, PDF and credential together). django-ratelimit's clock is held still during a test,
so a burst never straddles two counting windows; the cache is emptied before and after every test
(tests/security/conftest.py).
"""

import base64
import hashlib
import math
import re
import secrets
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_ratelimit import core as ratelimit_core

from portfolios.models import TranscriptAccess, TranscriptLink
from portfolios.transcripts import services
from portfolios.transcripts.views import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

LINK_ROUTES = ("transcripts:shared", "transcripts:shared_pdf", "transcripts:shared_credential")
GUESSER, SOMEONE_ELSE = "198.51.100.23", "198.51.100.99"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class StillClock:
    """Stands in for the ``time`` module inside django-ratelimit only."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> StillClock:
    still = StillClock(float(int(ratelimit_core.time.time())))
    monkeypatch.setattr(ratelimit_core, "time", still)
    return still


def configured_rate() -> tuple[int, int]:
    """(requests, seconds) of ``KESAI_SHARE_LINK_RATE``, e.g. "30/m" → (30, 60)."""
    match = re.fullmatch(r"(\d+)/(\d*)([smhd])", settings.KESAI_SHARE_LINK_RATE)
    assert match, settings.KESAI_SHARE_LINK_RATE
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * PERIODS[unit]


def link_url(token: str, route: str = "transcripts:shared") -> str:
    return reverse(route, args=[token])


def guess() -> str:
    """A random token of the real tokens' shape."""
    return secrets.token_urlsafe(services.LINK_TOKEN_BYTES)


def test_the_configured_rate_is_finite_and_at_most_one_guess_a_second():
    count, seconds = configured_rate()
    assert 0 < count <= seconds


def test_guessing_tokens_hits_the_rate_limit_and_then_even_the_right_token_is_refused(world, clock):
    limit, seconds = configured_rate()
    guesser = Client(REMOTE_ADDR=GUESSER)
    statuses = [guesser.get(link_url(guess())).status_code for _ in range(limit)]
    assert statuses == [404] * limit  # a wrong token is not found, like a revoked or expired one

    limited = guesser.get(link_url(guess()))
    assert limited.status_code == 429
    assert limited["Retry-After"] == str(RETRY_AFTER_SECONDS)

    # While the address is limited, the real token answers 429 too, on every one of the link's addresses, and
    # nothing is logged as an opening.
    openings = TranscriptAccess.objects.count()
    for route in LINK_ROUTES:
        assert guesser.get(link_url(world.token, route)).status_code == 429, route
    assert TranscriptAccess.objects.count() == openings

    # The limit is per address: another visitor opens the link meanwhile.
    assert Client(REMOTE_ADDR=SOMEONE_ELSE).get(link_url(world.token)).status_code == 200

    # And it lasts one counting window.
    clock.now += seconds
    assert guesser.get(link_url(world.token)).status_code == 200


def test_the_links_page_pdf_and_credential_share_one_count(world, clock):
    limit, _seconds = configured_rate()
    guesser = Client(REMOTE_ADDR=GUESSER)
    for n in range(limit):
        route = LINK_ROUTES[n % len(LINK_ROUTES)]
        assert guesser.get(link_url(guess(), route)).status_code == 404, route
    for route in LINK_ROUTES:
        assert guesser.get(link_url(world.token, route)).status_code == 429, route


def test_a_signed_in_guesser_is_limited_as_well(world, clock):
    limit, _seconds = configured_rate()
    guesser = Client(REMOTE_ADDR=GUESSER)
    guesser.force_login(world.users["other_student"])
    for _ in range(limit):
        guesser.get(link_url(guess()))
    assert guesser.get(link_url(world.token)).status_code == 429


def test_a_token_carries_at_least_128_random_bits(world, monkeypatch):
    assert services.LINK_TOKEN_BYTES * 8 >= 128
    drawn = []
    real = secrets.token_urlsafe

    def spy(nbytes=None):
        drawn.append(nbytes)
        return real(nbytes)

    monkeypatch.setattr(services.secrets, "token_urlsafe", spy)
    tokens = [make_link(world)[1] for _ in range(20)]
    assert drawn == [services.LINK_TOKEN_BYTES] * 20  # from the secrets module (the OS's CSPRNG), full length
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token), token
        assert len(token) >= math.ceil(128 / 6)  # URL-safe base64: 6 bits a character
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    assert len(set(tokens)) == len(tokens)


def make_link(world) -> tuple[TranscriptLink, str]:
    return services.create_link(
        transcript=world.transcript, student=world.owner, expires_at=timezone.now() + timedelta(days=3)
    )


def test_a_token_is_stored_only_as_its_sha256(world):
    link, token = make_link(world)
    assert Client().get(link_url(token)).status_code == 200
    stored = TranscriptLink.objects.filter(pk=link.pk).values().get()
    assert stored["token_sha256"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in stored.values())
    for opening in TranscriptAccess.objects.filter(link=link).values():
        assert not any(token in str(value) for value in opening.values())


def test_the_link_is_found_by_its_hash_and_nothing_else(world):
    link, token = make_link(world)
    assert Client().get(link_url(token.swapcase())).status_code == 404
    assert Client().get(link_url(token[:-1])).status_code == 404
    assert Client().get(link_url(link.token_sha256)).status_code == 404  # the stored hash does not open it
