"""The client's address for the rate limits (django-ratelimit's ``RATELIMIT_IP_META_KEY``) behind a proxy.

django-ratelimit, given a header name, answers 500 to any request without that header: a health check sent
straight to a node, or a proxy that forgets it once. This reads the header the settings name
(``KESAI_CLIENT_IP_HEADER``, from the environment variable ``RATELIMIT_IP_META_KEY``) and falls back to the
connection's own address when it is missing or not an address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The last address in the header (the one our proxy wrote; earlier ones in an X-Forwarded-For list came from
    the client and could be anything), else REMOTE_ADDR."""
    forwarded = request.META.get(settings.KESAI_CLIENT_IP_HEADER, "")
    candidate = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return request.META["REMOTE_ADDR"]
