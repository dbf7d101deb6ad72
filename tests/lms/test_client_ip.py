"""The client's address for the rate limits behind a reverse proxy (lms.ratelimit.client_ip)."""

import pytest
from django.test import RequestFactory

from lms.ratelimit import client_ip


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.KESAI_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"


def request_with(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_the_address_the_proxy_wrote():
    assert client_ip(request_with(HTTP_X_REAL_IP="203.0.113.7")) == "203.0.113.7"


def test_in_a_forwarded_list_the_last_address_counts_as_the_client_may_have_written_the_others(settings):
    settings.KESAI_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = request_with(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert client_ip(request) == "198.51.100.20"


@pytest.mark.parametrize("header", [{}, {"HTTP_X_REAL_IP": ""}, {"HTTP_X_REAL_IP": "not-an-address"}])
def test_without_a_usable_header_the_connection_address_counts(header):
    assert client_ip(request_with(**header)) == "10.0.0.2"


def test_ipv6_addresses_are_kept_whole():
    assert client_ip(request_with(HTTP_X_REAL_IP="2001:db8::1")) == "2001:db8::1"


@pytest.mark.django_db
def test_a_rate_limited_page_asked_for_without_the_header_is_answered(client, settings):
    """django-ratelimit, given the header's name itself, would answer this with a 500."""
    settings.RATELIMIT_IP_META_KEY = "lms.ratelimit.client_ip"
    assert client.get("/transcripts/s/no-such-token/").status_code == 404
    assert client.get("/transcripts/s/no-such-token/", headers={"x-real-ip": "203.0.113.7"}).status_code == 404
