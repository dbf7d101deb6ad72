"""Every route of the project refuses a POST without a CSRF token (403), generated from the URL configuration.

The attack: another site makes a signed-in person's browser POST to Kesai. The browser sends the session and the
CSRF cookie, but the other site cannot read the token, so the request carries none. For every project route
(the same walk as the authorisation matrix, and the same rows: ``ROUTES`` must list every route, see
``test_the_matrix_lists_every_project_route``), a person the matrix lets POST (or, for a route that takes no POST,
GET) sends that POST through a client that enforces CSRF checks: without the token it answers 403; with it the
same request is no longer refused as 403, so the 403 came from the CSRF check and not from a permission.

The only exemptions are the ones documented in ``CSRF_EXEMPT``; any other view marked ``csrf_exempt`` fails.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.security.test_authorisation_matrix import PROBE_ORDER, ROUTES, is_success, post_cells
from tests.security.world import World, project_routes

pytestmark = pytest.mark.django_db

#: Views exempt from CSRF protection on purpose, with the reason (portfolios/transcripts/views.py says why).
CSRF_EXEMPT = {
    "transcripts:verify": "public verification: anonymous, changes nothing, refuses oversized bodies before reading",
}

#: A well-formed CSRF secret (32 characters from the allowed alphabet), set as the cookie a browser would send.
SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"


def poster(name: str) -> str:
    """The first role (in the matrix's probing order) whose POST the matrix does not refuse (for a route that
    takes no POST, the role that may GET it, whose POST answers 405)."""
    cells = post_cells(ROUTES[name])
    for role in PROBE_ORDER:
        if role in cells and (is_success(cells[role]) or cells[role] == 405):
            return role
    raise AssertionError(f"nobody may POST to {name}")


def csrf_client(world: World, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = SECRET
    return client


def post(client: Client, world: World, name: str, **extra):
    entry = ROUTES[name]
    data = dict(entry.data(world)) if entry.post is not None else {}
    data.update(extra)
    return client.post(entry.url(world), data)


PROTECTED = sorted(name for name in ROUTES if name not in CSRF_EXEMPT)


@pytest.mark.parametrize("name", PROTECTED)
def test_a_post_without_the_csrf_token_is_refused(world, name):
    role = poster(name)
    client = csrf_client(world, role)
    refused = post(client, world, name)
    where = f"POST {ROUTES[name].url(world)} as {role}"
    assert refused.status_code == 403, (where, refused.status_code, refused.get("Location"))
    assert b"CSRF" in refused.content, where
    accepted = post(client, world, name, csrfmiddlewaretoken=SECRET)
    assert accepted.status_code != 403, (where, "refused even with the token")


@pytest.mark.parametrize("name", sorted(CSRF_EXEMPT))
def test_documented_exemptions_answer_without_a_token(world, name):
    role = poster(name)
    response = post(csrf_client(world, role), world, name)
    assert response.status_code == ROUTES[name].post[role]


def test_every_project_route_is_checked():
    found = set(project_routes())
    assert found == set(ROUTES), sorted(found ^ set(ROUTES))


def test_no_view_is_exempt_from_csrf_protection_but_the_documented_ones():
    exempt = {name for name, route in project_routes().items() if getattr(route.callback, "csrf_exempt", False)}
    assert exempt == set(CSRF_EXEMPT)


def test_the_csrf_middleware_is_installed():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
